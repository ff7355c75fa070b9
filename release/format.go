package release

// The JSON wire format of the diff and version reports (DESIGN.md section
// 4), kept apart from the library types so that it changes only on
// purpose. Rendering (text, Markdown, the JSON encoding) lives in the
// command's report package; library users encode these values with
// encoding/json.

// DiffReportJSON is the diff report on the wire.
type DiffReportJSON struct {
	Old           string       `json:"old"`
	New           string       `json:"new"`
	OldVersion    *string      `json:"old_version"`
	NewVersion    *string      `json:"new_version"`
	Changes       []ChangeJSON `json:"changes"`
	RequiredBump  string       `json:"required_bump"`
	AdminApproval bool         `json:"admin_approval"`
}

// ChangeJSON is one change on the wire.
type ChangeJSON struct {
	Kind          string  `json:"kind"`
	Pointer       string  `json:"pointer"`
	Scope         string  `json:"scope,omitempty"`
	Tool          string  `json:"tool,omitempty"`
	Old           *string `json:"old,omitempty"`
	New           *string `json:"new,omitempty"`
	Bump          string  `json:"bump"`
	AdminApproval bool    `json:"admin_approval"`
	Message       string  `json:"message"`
}

// CheckReportJSON is the report of version check on the wire: the diff
// report plus "ok" and "reasons".
type CheckReportJSON struct {
	DiffReportJSON
	OK      bool     `json:"ok"`
	Reasons []string `json:"reasons"`
}

// JSON returns the report's wire form.
func (r *DiffReport) JSON() DiffReportJSON {
	out := DiffReportJSON{Old: r.Old, New: r.New, OldVersion: r.OldVersion, NewVersion: r.NewVersion,
		Changes: make([]ChangeJSON, 0, len(r.Changes)), RequiredBump: r.RequiredBump.String(), AdminApproval: r.AdminApproval}
	for _, c := range r.Changes {
		out.Changes = append(out.Changes, ChangeJSON{Kind: string(c.Kind), Pointer: c.Pointer, Scope: c.Scope, Tool: c.Tool,
			Old: c.Old, New: c.New, Bump: c.Bump.String(), AdminApproval: c.AdminApproval, Message: c.Message})
	}
	return out
}

// CheckJSON returns the wire form of version check's report: r with the
// verdict of c.
func (r *DiffReport) CheckJSON(c *CheckResult) CheckReportJSON {
	out := CheckReportJSON{DiffReportJSON: r.JSON(), OK: c.OK, Reasons: make([]string, 0, len(c.Reasons))}
	for _, reason := range c.Reasons {
		out.Reasons = append(out.Reasons, reason.Message)
	}
	return out
}

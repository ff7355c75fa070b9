package release

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/permissions"
)

// Formats lists the output formats of the diff and version reports.
var Formats = []string{"text", "json", "markdown"}

// CheckFormats lists the output formats of version check.
var CheckFormats = []string{"text", "json"}

// The JSON wire format of DESIGN.md section 4, kept apart from the
// library types so that it changes only on purpose.
type jsonReport struct {
	Old           string       `json:"old"`
	New           string       `json:"new"`
	OldVersion    *string      `json:"old_version"`
	NewVersion    *string      `json:"new_version"`
	Changes       []jsonChange `json:"changes"`
	RequiredBump  string       `json:"required_bump"`
	AdminApproval bool         `json:"admin_approval"`
}

type jsonChange struct {
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

type jsonCheckReport struct {
	jsonReport
	OK      bool     `json:"ok"`
	Reasons []string `json:"reasons"`
}

func wire(r *Report) jsonReport {
	out := jsonReport{Old: r.Old, New: r.New, OldVersion: r.OldVersion, NewVersion: r.NewVersion,
		Changes: make([]jsonChange, 0, len(r.Changes)), RequiredBump: r.RequiredBump.String(), AdminApproval: r.AdminApproval}
	for _, c := range r.Changes {
		out.Changes = append(out.Changes, jsonChange{Kind: string(c.Kind), Pointer: c.Pointer, Scope: c.Scope, Tool: c.Tool,
			Old: c.Old, New: c.New, Bump: c.Bump.String(), AdminApproval: c.AdminApproval, Message: c.Message})
	}
	return out
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteJSON writes the report as JSON (DESIGN.md section 4).
func WriteJSON(w io.Writer, r *Report) error { return encode(w, wire(r)) }

// WriteCheckJSON writes the report of version check: the diff report plus
// "ok" and "reasons".
func WriteCheckJSON(w io.Writer, r *Report, c *CheckResult) error {
	out := jsonCheckReport{jsonReport: wire(r), OK: c.OK, Reasons: make([]string, 0, len(c.Reasons))}
	for _, reason := range c.Reasons {
		out.Reasons = append(out.Reasons, reason.Message)
	}
	return encode(w, out)
}

func versionLabel(v *string) string {
	if v == nil {
		return "no version"
	}
	return "version " + *v
}

// WriteText writes the report for a terminal: the two manifests, one line
// per change with its bump, and the verdict.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "old: %s (%s)\nnew: %s (%s)\n\n", r.Old, versionLabel(r.OldVersion), r.New, versionLabel(r.NewVersion))
	if len(r.Changes) == 0 {
		b.WriteString("no semantic changes\n")
	}
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "%-5s  %s", c.Bump, c.Message)
		if c.AdminApproval {
			b.WriteString(" [admin approval]")
		}
		if c.Pointer != "" {
			fmt.Fprintf(&b, "  (%s)", c.Pointer)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nrequired bump: %s\n", r.RequiredBump)
	if r.AdminApproval {
		b.WriteString("admin approval: required -- the update raises the service account's permissions; " +
			"company admins must approve it before it takes effect\n")
	} else {
		b.WriteString("admin approval: not required\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCheckText writes the report of version check: the diff report,
// then the verdict with each reason as a finding line.
func WriteCheckText(w io.Writer, r *Report, c *CheckResult) error {
	if err := WriteText(w, r); err != nil {
		return err
	}
	var b strings.Builder
	for _, reason := range c.Reasons {
		b.WriteString(reason.String() + "\n")
	}
	if c.OK {
		fmt.Fprintf(&b, "version check: ok (%s)\n", versionSummary(r))
	} else {
		fmt.Fprintf(&b, "version check: failed (%s)\n", versionSummary(r))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func versionSummary(r *Report) string {
	o, n := "none", "none"
	if r.OldVersion != nil {
		o = *r.OldVersion
	}
	if r.NewVersion != nil {
		n = *r.NewVersion
	}
	return fmt.Sprintf("%s -> %s, required bump %s", o, n, r.RequiredBump)
}

// mdEscape makes s safe inside a Markdown table cell or list item.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ", "\r", " ")
	return r.Replace(s)
}

// levelLabel returns the Permission Builder's name of a level ("Read-Only"),
// the raw text in code for a value that is not a level, or an em dash for
// none.
func levelLabel(s *string) string {
	if s == nil {
		return "—"
	}
	l, err := permissions.ParseLevel(*s)
	if err != nil {
		return "`" + strings.ReplaceAll(*s, "`", "'") + "`"
	}
	if l == permissions.None {
		return "None"
	}
	return l.Label()
}

var permissionVerb = map[Kind]string{
	PermissionAdded:   "added",
	PermissionRemoved: "removed",
	PermissionRaised:  "raised",
	PermissionLowered: "lowered",
	PermissionChanged: "changed (unknown level)",
}

// WriteMarkdown writes the report for a pull-request comment or release
// notes: the versions, a clear line on admin approval, a table of
// permission changes with the levels before and after, and the other
// changes.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("## App Manifest changes\n\n")
	fmt.Fprintf(&b, "`%s` (%s) → `%s` (%s)\n\n", mdCode(r.Old), versionLabel(r.OldVersion), mdCode(r.New), versionLabel(r.NewVersion))
	if r.AdminApproval {
		b.WriteString("> **Company admins must approve this update.** It gives the app's service account more access " +
			"than the installed version: installed copies keep the current version until a company admin accepts the update " +
			"(Procore shows it as Update Available in App Management).\n\n")
	} else {
		b.WriteString("No admin approval needed: this update does not raise the app's permissions.\n\n")
	}
	fmt.Fprintf(&b, "**Required version bump: %s**\n\n", r.RequiredBump)
	if len(r.Changes) == 0 {
		b.WriteString("No semantic changes: admins will see no difference.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	var perms, other []Change
	for _, c := range r.Changes {
		if _, ok := permissionVerb[c.Kind]; ok {
			perms = append(perms, c)
		} else {
			other = append(other, c)
		}
	}
	if len(perms) > 0 {
		b.WriteString("### Permission changes\n\n")
		b.WriteString("| Scope | Tool | Before | After | Change | Bump |\n|---|---|---|---|---|---|\n")
		for _, c := range perms {
			verb := permissionVerb[c.Kind]
			if c.AdminApproval {
				verb = "**" + verb + "** (admin approval)"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", scopeTitle(c.Scope), mdCode(c.Tool),
				levelLabel(c.Old), levelLabel(c.New), verb, c.Bump)
		}
		b.WriteString("\n")
	}
	if len(other) > 0 {
		b.WriteString("### Other changes\n\n")
		sorted := append([]Change(nil), other...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Bump > sorted[j].Bump })
		for _, c := range sorted {
			fmt.Fprintf(&b, "- **%s**: %s\n", c.Bump, mdEscape(c.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdCode(s string) string { return strings.ReplaceAll(mdEscape(s), "`", "'") }

func scopeTitle(s string) string {
	switch s {
	case permissions.Company:
		return "Company"
	case permissions.Project:
		return "Project"
	}
	return mdEscape(s)
}

// Write writes the report in the named format (one of Formats).
func Write(w io.Writer, format string, r *Report) error {
	switch format {
	case "text", "":
		return WriteText(w, r)
	case "json":
		return WriteJSON(w, r)
	case "markdown":
		return WriteMarkdown(w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

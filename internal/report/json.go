package report

import (
	"encoding/json"
	"io"
)

// The JSON wire format of DESIGN.md section 4, kept apart from the internal
// types so that it changes only on purpose.
type jsonReport struct {
	Files   []jsonFile  `json:"files"`
	Summary jsonSummary `json:"summary"`
	Tool    jsonTool    `json:"tool"`
}

// jsonSummary is Summary plus the findings configuration ignored, present
// only when there are some so that the usual report is as DESIGN.md shows.
type jsonSummary struct {
	Summary
	Ignored int `json:"ignored,omitempty"`
}

// jsonTool names the program and the tool catalogue behind a report.
type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	CatalogVersion string `json:"catalog_version"`
}

type jsonFile struct {
	Path          string        `json:"path"`
	SchemaVersion *string       `json:"schema_version"`
	Valid         bool          `json:"valid"`
	Findings      []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Pointer  string `json:"pointer"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

type jsonFormatter struct{}

func (jsonFormatter) Format(w io.Writer, r *Report) error {
	out := jsonReport{
		Files:   make([]jsonFile, 0, len(r.Files)),
		Summary: jsonSummary{Summary: r.Summary(), Ignored: r.Ignored},
		Tool:    jsonTool{Name: toolName(r), Version: r.Tool.Version, CatalogVersion: r.Tool.CatalogVersion},
	}
	for _, f := range r.Files {
		jf := jsonFile{Path: f.Path, Valid: f.Valid(), Findings: make([]jsonFinding, 0, len(f.Diagnostics))}
		if f.SchemaVersion != "" {
			v := f.SchemaVersion
			jf.SchemaVersion = &v
		}
		for _, d := range f.Diagnostics {
			jf.Findings = append(jf.Findings, jsonFinding{
				Rule: d.Rule, Severity: d.Severity.String(), Message: d.Message,
				Pointer: d.Pos.Pointer, Line: d.Pos.Line, Column: d.Pos.Col,
			})
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

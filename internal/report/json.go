package report

import (
	"bufio"
	"bytes"
	"io"
)

// The JSON wire format of DESIGN.md section 4 ({"files": [...], "summary":
// {...}, "tool": {...}}), kept apart from the internal types so that it
// changes only on purpose.
// jsonSummary is Summary plus the findings configuration ignored, present
// only when there are some so that the usual report is as DESIGN.md shows.
// Skipped (walked files that are not App Manifests) likewise.
type jsonSummary struct {
	Summary
	Ignored int `json:"ignored,omitempty"`
	Skipped int `json:"skipped,omitempty"`
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

// jsonFormatter writes the report as one JSON document, file by file: the
// bytes are those of encoding/json with two-space indentation.
type jsonFormatter struct {
	files int // files written so far
	buf   bytes.Buffer
}

func (j *jsonFormatter) Format(w io.Writer, r *Report) error { return stream(j, w, r) }

// StreamStart writes nothing yet: "files" opens with the first file, so
// that an empty list is written as [].
func (j *jsonFormatter) StreamStart(*bufio.Writer, *Report) error {
	j.files = 0
	return nil
}

// StreamFile writes one element of "files".
func (j *jsonFormatter) StreamFile(w *bufio.Writer, f *File) error {
	if j.files == 0 {
		w.WriteString("{\n  \"files\": [\n    ")
	} else {
		w.WriteString(",\n    ")
	}
	j.files++
	return j.encode(w, toJSONFile(f), "    ")
}

// StreamEnd closes "files" and writes the summary and the tool.
func (j *jsonFormatter) StreamEnd(w *bufio.Writer, r *Report, s Summary) error {
	if j.files == 0 {
		w.WriteString("{\n  \"files\": [],\n  ")
	} else {
		w.WriteString("\n  ],\n  ")
	}
	// "errors" lists the paths that could not be read, present only when
	// there are some, so that the usual report is as DESIGN.md shows.
	if len(r.Errors) > 0 {
		w.WriteString("\"errors\": ")
		if err := j.encode(w, r.Errors, "  "); err != nil {
			return err
		}
		w.WriteString(",\n  ")
	}
	w.WriteString("\"summary\": ")
	if err := j.encode(w, jsonSummary{Summary: s, Ignored: r.Ignored, Skipped: r.Skipped}, "  "); err != nil {
		return err
	}
	w.WriteString(",\n  \"tool\": ")
	tool := jsonTool{Name: toolName(r), Version: r.Tool.Version, CatalogVersion: r.Tool.CatalogVersion}
	if err := j.encode(w, tool, "  "); err != nil {
		return err
	}
	_, err := w.WriteString("\n}\n")
	return err
}

// encode writes v indented as if it stood at prefix in the document,
// without a final newline.
func (j *jsonFormatter) encode(w *bufio.Writer, v any, prefix string) error {
	j.buf.Reset()
	enc := newJSONEncoder(&j.buf, prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	return err
}

func toJSONFile(f *File) jsonFile {
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
	return jf
}

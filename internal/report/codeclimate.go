package report

import (
	"bufio"
	"bytes"
	"io"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
)

// codeclimateFormatter writes the Code Climate issue list that GitLab's
// Code Quality report reads (artifacts:reports:codequality): a JSON array
// of issues with a description, the rule as check_name, a fingerprint (the
// SARIF one: rule, pointer and file, not the line), a severity and the
// file and line.
//
// It streams: each file's issues are written as the file comes.
type codeclimateFormatter struct {
	opts   Options
	issues int            // issues written so far
	seen   map[string]int // fingerprints of the run, for duplicates
	buf    bytes.Buffer
}

type ccIssue struct {
	Type        string     `json:"type"`
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Categories  []string   `json:"categories"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    ccLocation `json:"location"`
}

type ccLocation struct {
	Path  string  `json:"path"`
	Lines ccLines `json:"lines"`
}

type ccLines struct {
	Begin int `json:"begin"`
}

// ccSeverity maps a severity to Code Climate's info, minor, major,
// critical, blocker.
func ccSeverity(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return "major"
	case manifest.SeverityWarning:
		return "minor"
	}
	return "info"
}

func (f *codeclimateFormatter) Format(w io.Writer, r *Report) error { return stream(f, w, r) }

// StreamStart writes nothing yet: the array opens with the first issue,
// so that an empty list is written as [] (Streamer).
func (f *codeclimateFormatter) StreamStart(*bufio.Writer, *Report) error {
	f.issues = 0
	f.seen = make(map[string]int)
	return nil
}

// StreamFile writes the issues of one file (Streamer). Fingerprints are
// remembered for the run (16 bytes of hash each, less than the issue
// printed), so that two findings of one rule at one place stay distinct
// even when a path is given twice.
func (f *codeclimateFormatter) StreamFile(w *bufio.Writer, file *File) error {
	path := slashPath(file.Path, f.opts.WorkDir)
	for _, d := range file.Diagnostics {
		fp := Fingerprint(d.Rule, d.Pos.Pointer, path)
		if n := f.seen[fp]; n > 0 {
			f.seen[fp] = n + 1
			fp += ":" + strconv.Itoa(n)
		} else {
			f.seen[fp] = 1
		}
		if f.issues == 0 {
			w.WriteString("[\n  ")
		} else {
			w.WriteString(",\n  ")
		}
		f.issues++
		err := f.encode(w, ccIssue{
			Type:        "issue",
			Description: d.Rule + ": " + d.Message,
			CheckName:   d.Rule,
			Categories:  []string{"Bug Risk"},
			Fingerprint: fp,
			Severity:    ccSeverity(d.Severity),
			Location:    ccLocation{Path: path, Lines: ccLines{Begin: max(d.Pos.Line, 1)}},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// StreamEnd closes the array (Streamer).
func (f *codeclimateFormatter) StreamEnd(w *bufio.Writer, _ *Report, _ Summary) error {
	f.seen = nil
	if f.issues == 0 {
		_, err := w.WriteString("[]\n")
		return err
	}
	_, err := w.WriteString("\n]\n")
	return err
}

// encode writes v indented as an element of the top-level array, without
// a final newline: the bytes writeJSON gives it in the whole array.
func (f *codeclimateFormatter) encode(w *bufio.Writer, v any) error {
	f.buf.Reset()
	if err := newJSONEncoder(&f.buf, "  ", "  ").Encode(v); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(f.buf.Bytes(), []byte("\n")))
	return err
}

package report

import (
	"bufio"
	"bytes"
	"io"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
)

// markdownFormatter writes a GitHub-flavoured Markdown summary for pull
// request comments and job summaries ($GITHUB_STEP_SUMMARY): a heading
// with the counts, then one table row per finding, most severe first.
//
// It is a Streamer that writes at the end (the heading counts every file):
// as files come it keeps each finding's table row as it will be printed,
// in one buffer per severity, and nothing else.
type markdownFormatter struct {
	opts Options
	rep  *Report                                  // for the rules' pages
	rows [manifest.SeverityError + 1]bytes.Buffer // table rows by severity
}

func (f *markdownFormatter) Format(w io.Writer, r *Report) error {
	defer func() { f.rep = nil }()
	return stream(f, w, r)
}

// StreamStart keeps r for the rules' pages (Streamer).
func (f *markdownFormatter) StreamStart(_ *bufio.Writer, r *Report) error {
	f.rep = r
	for i := range f.rows {
		f.rows[i].Reset()
	}
	return nil
}

// StreamFile renders the table rows of one file's findings (Streamer).
func (f *markdownFormatter) StreamFile(_ *bufio.Writer, file *File) error {
	path := ""
	for _, d := range file.Diagnostics {
		if path == "" {
			path = markdownCode(slashPath(file.Path, f.opts.WorkDir))
		}
		loc := ""
		if d.Pos.Line > 0 {
			loc = strconv.Itoa(d.Pos.Line) + ":" + strconv.Itoa(d.Pos.Col)
		}
		rule := d.Rule
		if u := f.ruleURL(d.Rule); u != "" {
			rule = "[" + d.Rule + "](" + u + ")"
		}
		b := &f.rows[max(manifest.SeverityOff, min(d.Severity, manifest.SeverityError))]
		b.WriteString("| " + markdownSeverity(d.Severity) +
			" | " + path +
			" | " + loc +
			" | " + rule +
			" | " + markdownCell(d.Message) + " |\n")
	}
	return nil
}

func (f *markdownFormatter) ruleURL(id string) string {
	if f.rep == nil {
		return catalogRule(id).URL
	}
	return f.rep.ruleInfo(id).URL
}

// StreamEnd writes the heading, the paths not read, the rows, most severe
// first, and the tool's version (Streamer).
func (f *markdownFormatter) StreamEnd(bw *bufio.Writer, r *Report, sum Summary) error {
	bw.WriteString("### " + toolName(r) + ": " + SummaryLine(sum, r) + "\n\n")
	for _, e := range r.Errors {
		bw.WriteString("- **Not read:** " + markdownCode(e.Path) + ": " + markdownCell(e.Message) + "\n")
	}
	if len(r.Errors) > 0 {
		bw.WriteString("\n")
	}
	n := 0
	for i := range f.rows {
		n += f.rows[i].Len()
	}
	if n == 0 {
		_, err := bw.WriteString("No findings.\n")
		return err
	}
	bw.WriteString("| Severity | File | Line | Rule | Message |\n")
	bw.WriteString("| --- | --- | --- | --- | --- |\n")
	for i := len(f.rows) - 1; i >= 0; i-- {
		bw.Write(f.rows[i].Bytes())
		f.rows[i] = bytes.Buffer{}
	}
	if r.Tool.Version != "" {
		bw.WriteString("\n<sub>" + markdownCell(toolName(r)+" "+r.Tool.Version))
		if r.Tool.CatalogVersion != "" {
			bw.WriteString(", tool catalogue " + markdownCell(r.Tool.CatalogVersion))
		}
		bw.WriteString("</sub>\n")
	}
	return nil
}

func markdownSeverity(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return ":x: error"
	case manifest.SeverityWarning:
		return ":warning: warning"
	}
	return ":information_source: info"
}

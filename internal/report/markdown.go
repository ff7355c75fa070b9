package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
)

// markdownFormatter writes a GitHub-flavoured Markdown summary for pull
// request comments and job summaries ($GITHUB_STEP_SUMMARY): a heading
// with the counts, then one table row per finding, most severe first.
type markdownFormatter struct {
	opts Options
}

func (f *markdownFormatter) Format(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	sum := r.Summary()
	bw.WriteString("### " + toolName(r) + ": " + SummaryLine(sum, r) + "\n\n")
	for _, e := range r.Errors {
		bw.WriteString("- **Not read:** " + markdownCode(e.Path) + ": " + markdownCell(e.Message) + "\n")
	}
	if len(r.Errors) > 0 {
		bw.WriteString("\n")
	}
	all := r.bySeverity()
	if len(all) == 0 {
		bw.WriteString("No findings.\n")
		return bw.Flush()
	}
	bw.WriteString("| Severity | File | Line | Rule | Message |\n")
	bw.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, l := range all {
		d := l.diag
		loc := ""
		if d.Pos.Line > 0 {
			loc = strconv.Itoa(d.Pos.Line) + ":" + strconv.Itoa(d.Pos.Col)
		}
		rule := d.Rule
		if u := r.ruleInfo(d.Rule).URL; u != "" {
			rule = "[" + d.Rule + "](" + u + ")"
		}
		bw.WriteString("| " + markdownSeverity(d.Severity) +
			" | " + markdownCode(slashPath(l.file.Path, f.opts.WorkDir)) +
			" | " + loc +
			" | " + rule +
			" | " + markdownCell(d.Message) + " |\n")
	}
	if r.Tool.Version != "" {
		bw.WriteString("\n<sub>" + markdownCell(toolName(r)+" "+r.Tool.Version))
		if r.Tool.CatalogVersion != "" {
			bw.WriteString(", tool catalogue " + markdownCell(r.Tool.CatalogVersion))
		}
		bw.WriteString("</sub>\n")
	}
	return bw.Flush()
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

package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// GitHubAnnotationLimit is how many annotations of one kind (error,
// warning, notice) GitHub Actions shows for a step; it drops the rest
// without a word.
const GitHubAnnotationLimit = 10

// githubFormatter writes GitHub Actions workflow commands, one per finding:
//
//	::error file=PATH,line=L,col=C,title=RULE::MESSAGE
//
// warning for warnings, notice for infos. Because GitHub shows at most
// GitHubAnnotationLimit annotations of each kind per step, the most severe
// findings come first, at most that many per kind are written, and a final
// notice counts what was left out and names the formats that have it all.
type githubFormatter struct {
	opts Options
}

func githubCommand(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return "error"
	case manifest.SeverityWarning:
		return "warning"
	}
	return "notice"
}

func (f *githubFormatter) Format(w io.Writer, r *Report) error {
	all := r.bySeverity()
	// Count per kind first: when anything is left out, the closing notice
	// takes one notice slot, so one info fewer is shown.
	total := make(map[string]int)
	for _, l := range all {
		total[githubCommand(l.diag.Severity)]++
	}
	limit := map[string]int{"error": GitHubAnnotationLimit, "warning": GitHubAnnotationLimit, "notice": GitHubAnnotationLimit}
	if total["error"] > GitHubAnnotationLimit || total["warning"] > GitHubAnnotationLimit || total["notice"] > GitHubAnnotationLimit {
		limit["notice"] = GitHubAnnotationLimit - 1
	}
	shown := make(map[string]int)
	omitted := make(map[manifest.Severity]int)
	bw := bufio.NewWriter(w)
	for _, l := range all {
		kind := githubCommand(l.diag.Severity)
		if shown[kind] >= limit[kind] {
			omitted[l.diag.Severity]++
			continue
		}
		shown[kind]++
		f.annotation(bw, kind, l)
	}
	if n := omitted[manifest.SeverityError] + omitted[manifest.SeverityWarning] + omitted[manifest.SeverityInfo]; n > 0 {
		msg := strconv.Itoa(n) + " more " + pluralWord(n, "finding") + " not shown as annotations (" +
			plural(omitted[manifest.SeverityError], "error") + ", " +
			plural(omitted[manifest.SeverityWarning], "warning") + ", " +
			plural(omitted[manifest.SeverityInfo], "info") +
			"): GitHub shows at most " + strconv.Itoa(GitHubAnnotationLimit) + " of each kind per step; run " +
			f.opts.command() + " --format sarif (code scanning) or --format json for the full report"
		bw.WriteString("::notice title=" + GitHubEscapeProperty(toolName(r)) + "::" + GitHubEscapeData(msg) + "\n")
	}
	// Paths that could not be read: one error each, never left out.
	for _, e := range r.Errors {
		bw.WriteString("::error ")
		if p := slashPath(e.Path, f.opts.WorkDir); p != "" && p != "-" {
			bw.WriteString("file=" + GitHubEscapeProperty(p) + ",")
		}
		bw.WriteString("title=" + GitHubEscapeProperty(toolName(r)) + "::" + GitHubEscapeData(e.Message) + "\n")
	}
	return bw.Flush()
}

func (f *githubFormatter) annotation(w *bufio.Writer, kind string, l located) {
	d := l.diag
	w.WriteString("::" + kind + " ")
	var props []string
	if p := slashPath(l.file.Path, f.opts.WorkDir); p != "" && p != "-" {
		props = append(props, "file="+GitHubEscapeProperty(p))
	}
	if d.Pos.Line > 0 {
		props = append(props, "line="+strconv.Itoa(d.Pos.Line))
		if d.Pos.Col > 0 {
			props = append(props, "col="+strconv.Itoa(d.Pos.Col))
		}
	}
	props = append(props, "title="+GitHubEscapeProperty(d.Rule))
	w.WriteString(strings.Join(props, ","))
	w.WriteString("::")
	w.WriteString(GitHubEscapeData(d.Message))
	w.WriteByte('\n')
}

func toolName(r *Report) string {
	if r.Tool.Name != "" {
		return r.Tool.Name
	}
	return "manifestctl"
}

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// GitHubEscapeData escapes the message of a workflow command as GitHub's
// runner expects: % as %25, CR as %0D, LF as %0A.
func GitHubEscapeData(s string) string { return githubData.Replace(s) }

// GitHubEscapeProperty escapes a workflow command property value: as
// GitHubEscapeData, plus : as %3A and , as %2C.
func GitHubEscapeProperty(s string) string { return githubProperty.Replace(s) }

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

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
//
// It is a Streamer that writes at the end: as files come it keeps the
// first GitHubAnnotationLimit findings of each severity (the only ones it
// can print) and counts the others, so that memory does not grow with the
// findings of the run.
type githubFormatter struct {
	opts  Options
	kept  [manifest.SeverityError + 1][]located // by severity, in report order
	total [manifest.SeverityError + 1]int       // findings by severity
}

// located is a finding kept for printing with its file's path.
type located struct {
	path string
	diag manifest.Diagnostic
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

func (f *githubFormatter) Format(w io.Writer, r *Report) error { return stream(f, w, r) }

// StreamStart forgets what a previous report kept (Streamer).
func (f *githubFormatter) StreamStart(*bufio.Writer, *Report) error {
	f.kept, f.total = [manifest.SeverityError + 1][]located{}, [manifest.SeverityError + 1]int{}
	return nil
}

// StreamFile counts the findings of one file and keeps those that may be
// printed, with their own copy of the strings printed (Streamer).
func (f *githubFormatter) StreamFile(_ *bufio.Writer, file *File) error {
	for _, d := range file.Diagnostics {
		if d.Severity < manifest.SeverityInfo || d.Severity > manifest.SeverityError {
			d.Severity = manifest.SeverityInfo // a notice, as githubCommand has it
		}
		f.total[d.Severity]++
		if len(f.kept[d.Severity]) < GitHubAnnotationLimit {
			f.kept[d.Severity] = append(f.kept[d.Severity], located{path: strings.Clone(file.Path), diag: manifest.Diagnostic{
				Rule: strings.Clone(d.Rule), Severity: d.Severity, Message: strings.Clone(d.Message),
				Pos: manifest.Position{Line: d.Pos.Line, Col: d.Pos.Col},
			}})
		}
	}
	return nil
}

// StreamEnd writes the annotations, most severe first, the notice of what
// was left out and an error for each path not read (Streamer).
func (f *githubFormatter) StreamEnd(bw *bufio.Writer, r *Report, _ Summary) error {
	sevs := []manifest.Severity{manifest.SeverityError, manifest.SeverityWarning, manifest.SeverityInfo}
	// When anything is left out, the closing notice takes one notice
	// slot, so one info fewer is shown.
	limit := [manifest.SeverityError + 1]int{}
	over := false
	for _, s := range sevs {
		limit[s] = GitHubAnnotationLimit
		over = over || f.total[s] > GitHubAnnotationLimit
	}
	if over {
		limit[manifest.SeverityInfo] = GitHubAnnotationLimit - 1
	}
	omitted := [manifest.SeverityError + 1]int{}
	for _, s := range sevs {
		kept := f.kept[s][:min(len(f.kept[s]), limit[s])]
		for _, l := range kept {
			f.annotation(bw, githubCommand(s), l)
		}
		omitted[s] = f.total[s] - len(kept)
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
	f.kept = [manifest.SeverityError + 1][]located{}
	return nil
}

func (f *githubFormatter) annotation(w *bufio.Writer, kind string, l located) {
	d := l.diag
	w.WriteString("::" + kind + " ")
	var props []string
	if p := slashPath(l.path, f.opts.WorkDir); p != "" && p != "-" {
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

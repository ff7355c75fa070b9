package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
)

// textFormatter writes one line per finding:
// path:line:col: severity: message [RULE].
type textFormatter struct {
	color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiDim    = "\x1b[2m"
)

func (t *textFormatter) Format(w io.Writer, r *Report) error { return stream(t, w, r) }

// StreamStart writes nothing: the text format has no header.
func (t *textFormatter) StreamStart(*bufio.Writer, *Report) error { return nil }

// StreamEnd writes nothing: the summary line is the caller's, on standard
// error.
func (t *textFormatter) StreamEnd(*bufio.Writer, *Report, Summary) error { return nil }

// StreamFile writes the findings of one file (Streamer).
func (t *textFormatter) StreamFile(w *bufio.Writer, f *File) error {
	for _, d := range f.Diagnostics {
		t.line(w, d)
	}
	return nil
}

func (t *textFormatter) line(w *bufio.Writer, d manifest.Diagnostic) {
	pos := d.Pos.String()
	sev := d.Severity.String()
	if t.color {
		pos = ansiBold + pos + ansiReset
		switch d.Severity {
		case manifest.SeverityError:
			sev = ansiRed + sev + ansiReset
		case manifest.SeverityWarning:
			sev = ansiYellow + sev + ansiReset
		default:
			sev = ansiBlue + sev + ansiReset
		}
	}
	w.WriteString(pos)
	w.WriteString(": ")
	w.WriteString(sev)
	w.WriteString(": ")
	w.WriteString(d.Message)
	if t.color {
		w.WriteString(" " + ansiDim + "[" + d.Rule + "]" + ansiReset + "\n")
	} else {
		w.WriteString(" [" + d.Rule + "]\n")
	}
}

// SummaryLine describes a summary for people: "2 files: 1 error, 0
// warnings, 3 infos", then the findings configuration ignored, the walked
// files skipped as not App Manifests, and the paths that could not be
// read, each only when there are some.
func SummaryLine(s Summary, r *Report) string {
	line := plural(s.Files, "file") + ": " + plural(s.Errors, "error") + ", " +
		plural(s.Warnings, "warning") + ", " + plural(s.Infos, "info")
	if r == nil {
		return line
	}
	if r.Ignored > 0 {
		line += " (" + strconv.Itoa(r.Ignored) + " ignored by configuration)"
	}
	if r.Skipped > 0 {
		line += ", " + strconv.Itoa(r.Skipped) + " skipped (not App Manifests)"
	}
	return line + notReadSuffix(len(r.Errors))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// WriteDiagnostics writes diagnostics one per line, as the text format
// does without colour: path:line:col: severity: message [RULE]. Commands
// use it for the problems that stop them (a manifest that cannot be read
// as one).
func WriteDiagnostics(w io.Writer, diags []manifest.Diagnostic) error {
	bw := bufio.NewWriter(w)
	t := &textFormatter{}
	for _, d := range diags {
		t.line(bw, d)
	}
	return bw.Flush()
}

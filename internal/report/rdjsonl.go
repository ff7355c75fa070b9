package report

import (
	"bufio"
	"bytes"
	"io"
	"sort"

	"github.com/manifestctl/manifestctl/manifest"
)

// rdjsonlFormatter writes the Reviewdog Diagnostic Format as JSON Lines:
// one Diagnostic object per line, so that reviewdog turns findings into
// review comments (reviewdog -f=rdjsonl). Columns count UTF-8 bytes, as the
// format asks, when the file's Source is in the report; otherwise they are
// the report's character columns (the same for ASCII lines). With the
// source, fixes become reviewdog suggestions.
//
// It streams (one line a finding), so that the sources it needs for byte
// columns are held one file at a time. When streamed by a caller rather
// than through Format, the tool name is "manifestctl" and rule URLs come
// from the catalogue.
type rdjsonlFormatter struct {
	opts Options
	rep  *Report // set by Format: the tool name and rules; nil when streamed
}

type rdDiagnostic struct {
	Message     string         `json:"message"`
	Location    rdLocation     `json:"location"`
	Severity    string         `json:"severity"`
	Source      rdSource       `json:"source"`
	Code        rdCode         `json:"code"`
	Suggestions []rdSuggestion `json:"suggestions,omitempty"`
}

type rdLocation struct {
	Path  string   `json:"path"`
	Range *rdRange `json:"range,omitempty"`
}

type rdRange struct {
	Start rdPosition  `json:"start"`
	End   *rdPosition `json:"end,omitempty"`
}

type rdPosition struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url,omitempty"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

func rdSeverity(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return "ERROR"
	case manifest.SeverityWarning:
		return "WARNING"
	case manifest.SeverityInfo:
		return "INFO"
	}
	return "UNKNOWN_SEVERITY"
}

func (f *rdjsonlFormatter) Format(w io.Writer, r *Report) error {
	defer func() { f.rep = nil }()
	return stream(f, w, r)
}

// StreamStart writes nothing (JSON Lines has no header) and keeps r for
// the tool's name.
func (f *rdjsonlFormatter) StreamStart(_ *bufio.Writer, r *Report) error {
	f.rep = r
	return nil
}

// StreamEnd writes nothing: JSON Lines has no trailer.
func (f *rdjsonlFormatter) StreamEnd(*bufio.Writer, *Report, Summary) error { return nil }

// StreamFile writes the findings of one file, a line each (Streamer).
func (f *rdjsonlFormatter) StreamFile(w *bufio.Writer, file *File) error {
	r := f.rep
	if r == nil {
		r = &Report{}
	}
	enc := newJSONEncoder(w, "", "")
	source := rdSource{Name: toolName(r), URL: ToolURL}
	lines := lineIndex(file.Source)
	path := slashPath(file.Path, f.opts.WorkDir)
	for _, d := range file.Diagnostics {
		rd := rdDiagnostic{
			Message:  d.Message,
			Location: rdLocation{Path: path},
			Severity: rdSeverity(d.Severity),
			Source:   source,
			Code:     rdCode{Value: d.Rule, URL: r.ruleInfo(d.Rule).URL},
		}
		if d.Pos.Line > 0 {
			rg := &rdRange{Start: lines.position(d.Pos)}
			if d.End.Line > 0 && (d.End.Line > d.Pos.Line || (d.End.Line == d.Pos.Line && d.End.Col > d.Pos.Col)) {
				end := lines.position(d.End)
				rg.End = &end
			}
			rd.Location.Range = rg
		}
		if d.Fix != nil && lines != nil {
			rd.Suggestions = lines.suggestions(d.Fix)
		}
		if err := enc.Encode(rd); err != nil {
			return err
		}
	}
	return nil
}

// lines holds the source and the offsets of its line starts; nil when the
// source is unknown.
type lines struct {
	src    []byte
	starts []int
}

func lineIndex(src []byte) *lines {
	if src == nil {
		return nil
	}
	l := &lines{src: src, starts: []int{0}}
	for i, c := range src {
		if c == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// position returns p with its column in UTF-8 bytes when the source is
// known, else as it is.
func (l *lines) position(p manifest.Position) rdPosition {
	if l == nil || p.Offset < 0 || p.Offset > len(l.src) {
		return rdPosition{Line: p.Line, Column: p.Col}
	}
	return l.at(p.Offset)
}

// at returns the line and byte column of a byte offset. A byte-order mark
// is not counted, as in manifest positions.
func (l *lines) at(offset int) rdPosition {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > offset }) - 1
	start := l.starts[i]
	if i == 0 && bytes.HasPrefix(l.src, []byte("\xEF\xBB\xBF")) {
		start = min(3, offset)
	}
	return rdPosition{Line: i + 1, Column: offset - start + 1}
}

func (l *lines) suggestions(fix *manifest.Fix) []rdSuggestion {
	out := make([]rdSuggestion, 0, len(fix.Edits))
	for _, e := range fix.Edits {
		if e.Start < 0 || e.End < e.Start || e.End > len(l.src) {
			return nil
		}
		end := l.at(e.End)
		out = append(out, rdSuggestion{Range: rdRange{Start: l.at(e.Start), End: &end}, Text: e.Text})
	}
	return out
}

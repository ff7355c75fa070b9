package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// Tool names the program and data that produced a report.
type Tool struct {
	Name           string
	Version        string
	CatalogVersion string
}

// Report is the outcome of checking one or more files: the files and their
// diagnostics. It is not specific to validate; any command that produces
// diagnostics (version check, audit) can fill one and use every format.
type Report struct {
	Tool  Tool
	Files []File
	// Rules lists the rules that were checked, with the severity they ran
	// at. Nil means every rule of the catalogue at its default severity.
	// Formats that describe rules (sarif, junit) use it; a rule that
	// appears in a diagnostic but not here is added from the catalogue.
	Rules []Rule
	// Ignored counts findings suppressed by configuration, so that they
	// never disappear silently.
	Ignored int
	// Skipped counts the files a directory walk found that are not App
	// Manifests (left out of Files).
	Skipped int
	// Errors lists the paths that could not be read, in input order:
	// every readable path is still reported (DESIGN §4, one bad path does
	// not hide the others).
	Errors []InputError
}

// InputError is a path that could not be read (missing, unreadable, a
// dangling link): a problem with the input, not a finding (exit 2).
type InputError struct {
	Path    string `json:"path"`
	Message string `json:"message"` // the reason alone: Path is its own field
}

// Rule describes a checked rule in a report.
type Rule struct {
	ID       string
	Title    string
	Severity manifest.Severity // the severity it ran at
	URL      string            // its documentation page
}

// File is one validated file.
type File struct {
	Path string
	// SchemaVersion is "" when it could not be determined.
	SchemaVersion string
	Diagnostics   []manifest.Diagnostic
	// Source is the file's content, optional: rdjsonl uses it to count
	// columns in bytes and to turn fixes into suggestions. Leave it nil
	// for other formats, so that a large run holds no file in memory.
	Source []byte
	// Config marks a configuration file (.manifestctl.json) listed for
	// its own findings: it is not counted in Summary.Files.
	Config bool
}

// Summary counts files and findings by severity.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Summary returns the counts of r.
func (r *Report) Summary() Summary {
	var s Summary
	for i := range r.Files {
		s.Add(&r.Files[i])
	}
	return s
}

// Add counts f into s.
func (s *Summary) Add(f *File) {
	if !f.Config {
		s.Files++
	}
	for _, d := range f.Diagnostics {
		switch d.Severity {
		case manifest.SeverityError:
			s.Errors++
		case manifest.SeverityWarning:
			s.Warnings++
		case manifest.SeverityInfo:
			s.Infos++
		}
	}
}

// Streamer is implemented by the formats that can write a report file by
// file (text, json, rdjsonl, junit): StreamStart writes what comes before
// the first file, StreamFile one file's part as soon as it is known, and
// StreamEnd what follows the last file, so that a run over thousands of
// files holds none of their findings in memory. A Streamer's Format is
// StreamStart, StreamFile for every file then StreamEnd, so both give the
// same bytes. A Streamer keeps state between calls: use a new one per
// report.
type Streamer interface {
	Formatter
	// StreamStart begins the output. r supplies what is known before the
	// first file (the tool, the rules); its Files are not looked at.
	StreamStart(w *bufio.Writer, r *Report) error
	StreamFile(w *bufio.Writer, f *File) error
	// StreamEnd finishes the output. r supplies what is not per file (the
	// tool, the ignored count, the paths not read); s counts every file
	// streamed.
	StreamEnd(w *bufio.Writer, r *Report, s Summary) error
}

// stream writes r through s: the Format of a Streamer.
func stream(s Streamer, w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	if err := s.StreamStart(bw, r); err != nil {
		return err
	}
	for i := range r.Files {
		if err := s.StreamFile(bw, &r.Files[i]); err != nil {
			return err
		}
	}
	if err := s.StreamEnd(bw, r, r.Summary()); err != nil {
		return err
	}
	return bw.Flush()
}

// Valid reports whether f has no error.
func (f *File) Valid() bool {
	for _, d := range f.Diagnostics {
		if d.Severity == manifest.SeverityError {
			return false
		}
	}
	return true
}

// Options tune a formatter.
type Options struct {
	// Color enables ANSI colour in the text format (decided by the caller:
	// a terminal and no NO_COLOR).
	Color bool
	// WorkDir is the working directory. Formats whose consumers want paths
	// relative to it (sarif, github, rdjsonl) rewrite absolute paths
	// under it; "" keeps paths as given.
	WorkDir string
	// Command is the command line that reproduces the report in another
	// format, used in hints ("manifestctl validate"). "" means
	// "manifestctl validate".
	Command string
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

var formats = map[string]func(Options) Formatter{
	"text":     func(o Options) Formatter { return &textFormatter{color: o.Color} },
	"json":     func(Options) Formatter { return &jsonFormatter{} },
	"sarif":    func(o Options) Formatter { return &sarifFormatter{opts: o} },
	"github":   func(o Options) Formatter { return &githubFormatter{opts: o} },
	"junit":    func(o Options) Formatter { return &junitFormatter{opts: o} },
	"rdjsonl":  func(o Options) Formatter { return &rdjsonlFormatter{opts: o} },
	"markdown": func(o Options) Formatter { return &markdownFormatter{opts: o} },
	// codeclimate is GitLab's Code Quality report format.
	"codeclimate": func(o Options) Formatter { return &codeclimateFormatter{opts: o} },
}

// Names returns the format names New accepts, sorted.
func Names() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns the formatter called name. An unknown name is an error that
// lists the valid ones.
func New(name string, opts Options) (Formatter, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Names(), ", "))
	}
	return f(opts), nil
}

// Writer writes a report file by file, whatever the format: a Streamer
// writes each file as it comes and keeps only counts; another format
// collects the files into the report and writes it at Close. A command
// has one code path for both.
type Writer struct {
	out      io.Writer
	bw       *bufio.Writer
	format   Formatter
	streamer Streamer
	rep      *Report
	sum      Summary
	started  bool // StreamStart was called
}

// NewWriter returns a Writer of r in format f to w. r supplies what is
// not per file: the tool and the rules must be set before the first file
// (a streaming format starts with them); the ignored count and the paths
// not read may be completed until Close.
func NewWriter(w io.Writer, f Formatter, r *Report) *Writer {
	x := &Writer{out: w, format: f, rep: r}
	if s, ok := f.(Streamer); ok {
		x.streamer = s
		x.bw = bufio.NewWriter(w)
	}
	return x
}

// File writes (or collects) one file.
func (x *Writer) File(f *File) error {
	x.sum.Add(f)
	if x.streamer != nil {
		if err := x.start(); err != nil {
			return err
		}
		return x.streamer.StreamFile(x.bw, f)
	}
	x.rep.Files = append(x.rep.Files, *f)
	return nil
}

// Close writes the end of the report (or the whole report).
func (x *Writer) Close() error {
	if x.streamer == nil {
		return x.format.Format(x.out, x.rep)
	}
	if err := x.start(); err != nil {
		return err
	}
	if err := x.streamer.StreamEnd(x.bw, x.rep, x.sum); err != nil {
		return err
	}
	return x.bw.Flush()
}

// start begins a streamed report, once, before its first file.
func (x *Writer) start() error {
	if x.started {
		return nil
	}
	x.started = true
	return x.streamer.StreamStart(x.bw, x.rep)
}

// Streams reports whether files are written as they come (the format is a
// Streamer) rather than held until Close.
func (x *Writer) Streams() bool { return x.streamer != nil }

// Summary counts the files written so far.
func (x *Writer) Summary() Summary { return x.sum }

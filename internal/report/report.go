package report

import (
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

// Report is the outcome of validating one or more files.
type Report struct {
	Tool  Tool
	Files []File
	// Ignored counts findings suppressed by configuration, so that they
	// never disappear silently.
	Ignored int
}

// File is one validated file.
type File struct {
	Path string
	// SchemaVersion is "" when it could not be determined.
	SchemaVersion string
	Diagnostics   []manifest.Diagnostic
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
	s := Summary{Files: len(r.Files)}
	for _, f := range r.Files {
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
	return s
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
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

var formats = map[string]func(Options) Formatter{
	"text": func(o Options) Formatter { return &textFormatter{color: o.Color} },
	"json": func(Options) Formatter { return jsonFormatter{} },
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

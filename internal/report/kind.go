package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Kind is one kind of result (a diff, a permissions listing, a rule page,
// ...) with the formats it can be written in. A command asks its kind
// which formats there are (Formats, for the --format flag and its check)
// and writes the result with Write; it holds no rendering of its own.
// Validation reports, which have many formats and stream, use New and
// Names.
type Kind[T any] struct {
	// Name names the result in error messages ("permissions show").
	Name    string
	formats map[string]func(w io.Writer, v T, o Options) error
}

// Formats returns the format names of the kind: "text" and "json" first,
// then the others sorted.
func (k *Kind[T]) Formats() []string {
	var first, names []string
	for _, n := range []string{"text", "json"} {
		if k.Has(n) {
			first = append(first, n)
		}
	}
	for n := range k.formats {
		if n != "text" && n != "json" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return append(first, names...)
}

// Has reports whether format is one of the kind's formats.
func (k *Kind[T]) Has(format string) bool {
	_, ok := k.formats[format]
	return ok
}

// Check returns a *FormatError when format is not one of the kind's
// formats, for a command to refuse before it does any work.
func (k *Kind[T]) Check(format string) error {
	if k.Has(format) {
		return nil
	}
	return &FormatError{Kind: k.Name, Format: format, Want: k.Formats()}
}

// FormatError is returned for a format a kind does not have.
type FormatError struct {
	Kind   string
	Format string
	Want   []string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("unknown format %q for %s (want %s)", e.Format, e.Kind, strings.Join(e.Want, ", "))
}

// Write writes v in format ("" is text). An unknown format is a
// *FormatError and writes nothing.
func (k *Kind[T]) Write(w io.Writer, format string, v T, o Options) error {
	if format == "" {
		format = "text"
	}
	f, ok := k.formats[format]
	if !ok {
		return &FormatError{Kind: k.Name, Format: format, Want: k.Formats()}
	}
	return f(w, v, o)
}

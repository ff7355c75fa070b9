package manifest

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/manifestctl/manifestctl/internal/source"
)

// LoadOptions tune Load. The zero value reads a path or git:REF:PATH, not
// standard input, and detects the schema version.
type LoadOptions struct {
	// Stdin is read for "-"; nil makes "-" an input error.
	Stdin io.Reader
	// Name is the file name used in positions; "" means the spec as given.
	Name string
	// SchemaVersion, when set, is used instead of the declared version.
	SchemaVersion SchemaVersion
	Parse         ParseOptions
}

// LoadError is a manifest that was read but cannot be worked with: it
// does not parse, is not a JSON object, is not an App Manifest, or has an
// unknown schema version. Diagnostics (errors only) say why, with
// positions. It is a finding about the file (exit 1), not an input
// problem.
type LoadError struct {
	Name        string
	Diagnostics []Diagnostic
}

func (e *LoadError) Error() string {
	if len(e.Diagnostics) == 0 {
		return e.Name + ": not a manifest"
	}
	return e.Diagnostics[0].String()
}

// Load reads one manifest named as on the command line — a path, "-" for
// opts.Stdin, or git:REF:PATH — through the one input layer (size cap,
// FIFOs and devices refused), parses it and checks that it is an App
// Manifest of a known schema version. An input that cannot be read is an
// error with the message "read SPEC: reason" (exit 2 for a command); a
// file that is not a usable manifest is a *LoadError.
func Load(ctx context.Context, spec string, opts *LoadOptions) (*Document, SchemaVersion, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	limit := int64(opts.Parse.MaxSize)
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	src, err := source.Read(ctx, spec, source.Options{Stdin: opts.Stdin, Limit: limit, Git: true})
	if err != nil && !errors.Is(err, source.ErrTooLarge) {
		return nil, "", err // too large: the parser reports it as MC006
	}
	name := opts.Name
	if name == "" {
		name = spec
	}
	return LoadBytes(name, src, opts)
}

// LoadBytes is Load for a manifest already in memory.
func LoadBytes(name string, src []byte, opts *LoadOptions) (*Document, SchemaVersion, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	doc, diags := Parse(name, src, opts.Parse)
	if doc.Root == nil {
		return nil, "", &LoadError{Name: name, Diagnostics: errorsOnly(diags)}
	}
	if !doc.Root.IsObject() {
		d := doc.DiagRule(RuleSchema, "", "a manifest must be a JSON object, found "+doc.Root.Kind.WithArticle())
		return nil, "", &LoadError{Name: name, Diagnostics: []Diagnostic{d}}
	}
	if !IsAppManifest(doc.Root) {
		return nil, "", &LoadError{Name: name, Diagnostics: []Diagnostic{NotAppManifest(doc)}}
	}
	if opts.SchemaVersion != "" {
		return doc, opts.SchemaVersion, nil
	}
	v, d := DetectSchemaVersion(doc)
	if v == "" {
		var ds []Diagnostic
		if d != nil {
			ds = append(ds, *d)
		}
		return nil, "", &LoadError{Name: name, Diagnostics: ds}
	}
	return doc, v, nil
}

func errorsOnly(diags []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range diags {
		if d.Severity == SeverityError {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return diags
	}
	return out
}

// Input is one manifest a command was asked to read: a path named on the
// command line, "-" for standard input, or a file a directory walk found.
type Input struct {
	Path string
	// Walked marks a file found by a directory walk rather than named on
	// the command line: when it is not an App Manifest it is skipped
	// silently instead of getting an MC008 finding.
	Walked bool
	// Err, when not nil, is why the path cannot be read (missing, a
	// dangling link, a loop of links, an unreadable folder, a folder
	// without *.json files).
	Err error
}

// ErrNoManifests is the Err of an Input for a folder named on the command
// line that holds no *.json file.
var ErrNoManifests = errors.New("no *.json manifests found")

// IsManifestName reports whether a directory walk looks at a file of this
// base name: *.json, not hidden.
func IsManifestName(name string) bool {
	return strings.HasSuffix(name, ".json") && !strings.HasPrefix(name, ".")
}

// Expand turns command-line arguments into inputs, in order, with the
// walk rules of DESIGN §4 (internal/source.Walk): "-" and files stay,
// whatever their names; a folder (or a link to one) is walked for *.json
// files, skipping dot-folders, node_modules, vendor, bower_components and
// what .gitignore files exclude, following links to files and not to
// folders. Paths are kept as given so reports show them as typed. A path
// that cannot be read is an Input with Err set, in its place, so that one
// bad path hides no other.
func Expand(args []string) []Input {
	var out []Input
	for _, a := range args {
		entries := source.Walk([]string{a}, IsManifestName)
		if len(entries) == 0 {
			out = append(out, Input{Path: a, Err: ErrNoManifests})
			continue
		}
		for _, e := range entries {
			out = append(out, Input{Path: e.Path, Walked: !e.Named, Err: e.Err})
		}
	}
	return out
}

package validate

import (
	"cmp"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/schema"
)

// Options configure a validation. The zero value detects the schema version
// and uses every rule at its default severity.
type Options struct {
	// SchemaVersion, when set, overrides the version the file declares.
	SchemaVersion manifest.SchemaVersion
	Parse         manifest.ParseOptions
	Lint          lint.Options
	// Severity overrides rule severities by rule ID; SeverityOff drops the
	// rule's findings.
	Severity map[string]manifest.Severity
	// KeepDocument keeps the parsed document in the Result (for fixes).
	KeepDocument bool
	// KeepSource keeps the bytes validated in Result.Source, not the
	// parsed document (a report that counts columns in bytes needs no
	// more): a fraction of what KeepDocument keeps, since the document
	// holds the source, a copy of it and the tree.
	KeepSource bool
	// Jobs is the number of files validated at once by Files; 0 means the
	// number of CPUs.
	Jobs int
	// ForFile, when not nil, returns the options to validate one file
	// with, used by Bytes instead of these: a configuration file found
	// from the file's folder brings its own severities, ignores and tool
	// catalogue. A nil result keeps these options. It must be safe for
	// concurrent use.
	ForFile func(path string) *Options
	// Filter, when not nil, is called with each file's findings once they
	// are final (severities applied, sorted) and returns those to keep:
	// the ignores of a configuration file. It must be safe for concurrent
	// use.
	Filter func(path string, diags []manifest.Diagnostic) []manifest.Diagnostic
}

// Result is the outcome for one file.
type Result struct {
	Path string
	// SchemaVersion is the version the file was validated as: the declared
	// one ("3" for legacy files), the override, or "" when unknown.
	SchemaVersion manifest.SchemaVersion
	Diagnostics   []manifest.Diagnostic
	// Document is set when Options.KeepDocument is true.
	Document *manifest.Document
	// Source is the bytes validated, set when Options.KeepSource or
	// Options.KeepDocument is true.
	Source []byte
	// Err is set (a *ReadError) when the input could not be read; Path is
	// then the only other field set.
	Err error
	// Skipped is set for a file found by a directory walk that is not an
	// App Manifest: it has no findings and reports leave it out.
	Skipped bool
}

// Counts returns the number of errors, warnings and infos.
func (r *Result) Counts() (errors, warnings, infos int) {
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case manifest.SeverityError:
			errors++
		case manifest.SeverityWarning:
			warnings++
		case manifest.SeverityInfo:
			infos++
		}
	}
	return
}

// Valid reports whether the file has no error (and, when strict, no
// warning).
func (r *Result) Valid(strict bool) bool {
	e, w, _ := r.Counts()
	return e == 0 && (!strict || w == 0)
}

// Bytes validates one manifest held in memory, named on the command line:
// a JSON object that is not an App Manifest gets an MC008 finding. path is
// used in positions.
func Bytes(path string, src []byte, opts *Options) Result {
	return validateBytes(path, src, opts, false)
}

// validateBytes is Bytes; for a walked file that is not an App Manifest
// it returns a Skipped result instead of a finding. A walked file that is
// not valid JSON is kept only when its text names a member of a manifest
// (manifest.LooksLikeAppManifest): a broken manifest is reported, a
// tsconfig.json with comments is not.
func validateBytes(path string, src []byte, opts *Options, walked bool) Result {
	if opts == nil {
		opts = &Options{}
	}
	if opts.ForFile != nil {
		if o := opts.ForFile(path); o != nil {
			opts = o
		}
	}
	doc, diags := manifest.Parse(path, src, opts.Parse)
	if walked && (doc.Root == nil && !manifest.LooksLikeAppManifest(src) ||
		doc.Root != nil && !manifest.IsAppManifest(doc.Root)) {
		return Result{Path: path, Skipped: true}
	}
	res := Result{Path: path}
	if opts.KeepDocument {
		res.Document = doc
	}
	if doc.Root != nil {
		diags = append(diags, check(doc, opts, &res)...)
	}
	res.Diagnostics = finish(diags, opts.Severity)
	if opts.Filter != nil {
		res.Diagnostics = opts.Filter(path, res.Diagnostics)
		if len(res.Diagnostics) == 0 {
			res.Diagnostics = nil
		}
	}
	if !opts.KeepDocument {
		res.Detach()
	}
	if opts.KeepDocument || opts.KeepSource {
		res.Source = src
	}
	return res
}

// Detach drops the Document and the Source and gives the result its own
// copy of every string that may share memory with the parsed source: the
// parser slices member names, values and numbers out of one copy of the
// file, so a schema version such as "4.1" kept in a Result would keep the
// whole file (up to 10 MiB) alive for as long as a report holds the
// Result. Bytes detaches its results unless Options.KeepDocument is set
// (with KeepSource alone, it sets Source after detaching); a caller that
// kept the document (for fixes) and then holds results until the end of
// a run detaches them once done with the document.
func (r *Result) Detach() {
	r.Document = nil
	r.Source = nil
	r.SchemaVersion = manifest.SchemaVersion(strings.Clone(string(r.SchemaVersion)))
	for i := range r.Diagnostics {
		d := &r.Diagnostics[i]
		d.Message = strings.Clone(d.Message)
		d.Pos.Pointer = strings.Clone(d.Pos.Pointer)
		if d.End.Pointer == d.Pos.Pointer {
			d.End.Pointer = d.Pos.Pointer
		} else {
			d.End.Pointer = strings.Clone(d.End.Pointer)
		}
		if d.Fix != nil {
			fix := *d.Fix
			fix.Description = strings.Clone(fix.Description)
			fix.Edits = append([]manifest.Edit(nil), fix.Edits...)
			for j := range fix.Edits {
				fix.Edits[j].Text = strings.Clone(fix.Edits[j].Text)
			}
			d.Fix = &fix
		}
	}
}

func check(doc *manifest.Document, opts *Options, res *Result) []manifest.Diagnostic {
	var diags []manifest.Diagnostic
	if !doc.Root.IsObject() {
		res.SchemaVersion = opts.SchemaVersion
		return append(diags, doc.DiagRule(manifest.RuleSchema, "",
			"a manifest must be a JSON object, found "+doc.Root.Kind.WithArticle()))
	}
	if !manifest.IsAppManifest(doc.Root) {
		return append(diags, manifest.NotAppManifest(doc))
	}
	v := opts.SchemaVersion
	if v == "" {
		detected, d := manifest.DetectSchemaVersion(doc)
		if d != nil {
			diags = append(diags, *d)
		}
		v = detected
	}
	res.SchemaVersion = v
	if v == "" {
		return diags // unknown version: no schema to check against
	}
	diags = append(diags, schema.Validate(doc, v)...)
	diags = append(diags, lint.Run(manifest.View(doc, v), &opts.Lint)...)
	return diags
}

// finish applies severity overrides, drops schema findings that a more
// specific rule reports at the same place, sorts and de-duplicates.
func finish(diags []manifest.Diagnostic, sev map[string]manifest.Severity) []manifest.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	// Pointers where a rule other than the schema reports an error or a
	// warning; built only when there is a schema finding to drop.
	var specific map[string]bool
	for _, d := range diags {
		if d.Rule == manifest.RuleSchema {
			specific = make(map[string]bool)
			break
		}
	}
	if specific != nil {
		for _, d := range diags {
			if d.Rule != manifest.RuleSchema && d.Severity >= manifest.SeverityWarning {
				specific[d.Pos.Pointer] = true
			}
		}
	}
	out := diags[:0]
	for _, d := range diags {
		if d.Rule == manifest.RuleSchema && specific[d.Pos.Pointer] {
			continue
		}
		if s, ok := sev[d.Rule]; ok {
			if s == manifest.SeverityOff {
				continue
			}
			d.Severity = s
		}
		out = append(out, d)
	}
	Sort(out)
	// De-duplicate identical findings.
	dedup := out[:0]
	for i := range out {
		if n := len(dedup); n > 0 {
			p, d := &dedup[n-1], &out[i]
			if p.Rule == d.Rule && p.Pos == d.Pos && p.Message == d.Message {
				continue
			}
		}
		dedup = append(dedup, out[i])
	}
	if len(dedup) == 0 {
		return nil
	}
	return dedup
}

// Sort orders diagnostics by file, line, column, pointer, rule and message.
func Sort(diags []manifest.Diagnostic) {
	sort.Stable(byPosition(diags))
}

// byPosition compares diagnostics in place: a Diagnostic is about 200
// bytes, which a comparison function taking values would copy twice per
// comparison.
type byPosition []manifest.Diagnostic

func (s byPosition) Len() int      { return len(s) }
func (s byPosition) Swap(i, j int) { s[i], s[j] = s[j], s[i] }

func (s byPosition) Less(i, j int) bool {
	x, y := &s[i], &s[j]
	a, b := &x.Pos, &y.Pos
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(a.Col, b.Col); c != 0 {
		return c < 0
	}
	if c := strings.Compare(a.Pointer, b.Pointer); c != 0 {
		return c < 0
	}
	if c := strings.Compare(x.Rule, y.Rule); c != 0 {
		return c < 0
	}
	return x.Message < y.Message
}

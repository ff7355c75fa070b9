package lint

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/manifestctl/manifestctl/docs"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// DocsBaseURL is where the rule pages are published; a rule's URL is
// DocsBaseURL + ID + ".md".
const DocsBaseURL = "https://github.com/manifestctl/manifestctl/blob/main/docs/rules/"

// Rule is one check of the catalogue.
type Rule struct {
	ID       string            // MC201
	Title    string            // one line, lowercase, no final period
	Severity manifest.Severity // default severity
	Since    string            // manifestctl version that introduced it
	// Fixable rules attach a meaning-preserving Fix to their diagnostics
	// (applied by validate --fix).
	Fixable bool
	// Builtin rules are reported by the parser, the schema version
	// detection or the schema validator, not by Run.
	Builtin bool
	// Run checks one manifest and reports through the Pass.
	Run func(*Pass)
}

// URL returns the address of the rule's documentation page.
func (r *Rule) URL() string { return DocsBaseURL + r.ID + ".md" }

// Options tune the rules. The zero value is ready to use.
type Options struct {
	// AllowPrerelease accepts app versions with a pre-release or build
	// suffix (MC402).
	AllowPrerelease bool
	// Catalog is the tool catalogue the permission rules (MC1xx) check
	// against; nil means the embedded default (permissions.Default).
	Catalog *permissions.Catalog
}

// Pass is what a rule's Run sees: the manifest and a way to report.
type Pass struct {
	App     *manifest.App
	Doc     *manifest.Document
	Options *Options
	rule    *Rule
	diags   []manifest.Diagnostic

	// Computed once per manifest and shared by the rules that need it.
	grantList []grant
	grantDone bool
}

// Report reports a finding of the running rule at the value named by
// pointer (for a missing member, its parent object), with the rule's
// default severity.
func (p *Pass) Report(pointer, msg string) {
	p.ReportDiag(p.Doc.Diag(p.rule.ID, p.rule.Severity, pointer, msg))
}

// Reportf is Report with formatting.
func (p *Pass) Reportf(pointer, format string, args ...any) {
	p.Report(pointer, fmt.Sprintf(format, args...))
}

// ReportFix reports a finding with a meaning-preserving fix.
func (p *Pass) ReportFix(pointer, msg string, fix *manifest.Fix) {
	d := p.Doc.Diag(p.rule.ID, p.rule.Severity, pointer, msg)
	d.Fix = fix
	p.ReportDiag(d)
}

// ReportDiag reports a prepared diagnostic. An empty Rule or zero Severity
// is filled in from the running rule.
func (p *Pass) ReportDiag(d manifest.Diagnostic) {
	if d.Rule == "" {
		d.Rule = p.rule.ID
	}
	if d.Severity == manifest.SeverityOff {
		d.Severity = p.rule.Severity
	}
	p.diags = append(p.diags, d)
}

// Run runs every rule with a Run function over app and returns the
// diagnostics, unsorted, with each rule's default severity.
func Run(app *manifest.App, opts *Options) []manifest.Diagnostic {
	return RunRules(app, opts)
}

// RunRules is Run limited to the rules with the given IDs (every rule when
// none is given): version check needs MC401 and MC402 only, not the
// permission rules' suggestions for every unknown tool.
func RunRules(app *manifest.App, opts *Options, ids ...string) []manifest.Diagnostic {
	if opts == nil {
		opts = &Options{}
	}
	p := &Pass{App: app, Doc: app.Doc, Options: opts}
	for _, r := range registry() {
		if r.Run == nil || len(ids) > 0 && !slices.Contains(ids, r.ID) {
			continue
		}
		p.rule = r
		r.Run(p)
	}
	return p.diags
}

// registry lists every rule: each rule's identity (ID, title, default
// severity) is declared once, in its own file (mcNNN.go), or for the
// parser's and the schema's rules in package manifest.
var registry = sync.OnceValue(func() []*Rule {
	all := append(builtinRules(), []*Rule{
		mc012, mc013, mc020,
		mc101, mc102, mc103, mc104, mc105, mc106, mc107, mc108, mc109, mc110, mc111,
		mc201, mc202, mc203, mc204, mc205, mc206, mc207, mc208,
		mc301, mc302, mc303,
		mc401, mc402, mc403, mc404,
	}...)
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
})

// All returns every rule, sorted by ID. The slice is a copy; the rules are
// shared and must not be modified.
func All() []*Rule {
	return append([]*Rule(nil), registry()...)
}

// Lookup returns the rule with the given ID (case-insensitive), or nil.
func Lookup(id string) *Rule {
	id = strings.ToUpper(strings.TrimSpace(id))
	for _, r := range registry() {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Doc returns the rule's documentation page (Markdown).
func Doc(id string) (string, error) {
	r := Lookup(id)
	if r == nil {
		return "", fmt.Errorf("unknown rule %q", id)
	}
	b, err := fs.ReadFile(docs.Rules, "rules/"+r.ID+".md")
	if err != nil {
		return "", fmt.Errorf("read documentation of %s: %w", r.ID, err)
	}
	return string(b), nil
}

package scan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// Kind is the kind of a finding.
type Kind string

// The kinds, in report order.
const (
	Missing  Kind = "missing"  // warning: a call needs a tool the manifest does not grant (enough)
	Excess   Kind = "excess"   // info: declared above what the calls need
	Unused   Kind = "unused"   // info: declared, no call uses it
	Unmapped Kind = "unmapped" // info: the endpoint or its tool is unknown
)

func kindRank(k Kind) int {
	switch k {
	case Missing:
		return 0
	case Excess:
		return 1
	case Unused:
		return 2
	}
	return 3
}

// Report is the outcome of a scan compared with a manifest; its JSON form
// is DESIGN §4's.
type Report struct {
	Manifest string    `json:"manifest"`
	Sources  []string  `json:"sources"`
	Files    int       `json:"files"`
	Calls    int       `json:"calls"`
	Findings []Finding `json:"findings"`
	// Errors lists the paths that could not be read (each with its
	// error), like validate's report; absent when every path was read.
	Errors  []PathReport `json:"errors,omitempty"`
	Summary Summary      `json:"summary"`
	// CatalogVersion and TableSource name the data used.
	CatalogVersion string `json:"-"`
	TableSource    string `json:"-"`
}

// PathReport is a path that could not be read, with the reason.
type PathReport struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Summary counts the findings by kind.
type Summary struct {
	Missing  int `json:"missing"`
	Excess   int `json:"excess"`
	Unused   int `json:"unused"`
	Unmapped int `json:"unmapped"`
}

// Finding is one finding: one per (kind, scope, tool), with every call
// that supports it; unmapped findings group calls by endpoint.
type Finding struct {
	Kind       Kind       `json:"kind"`
	Scope      string     `json:"scope,omitempty"`
	Tool       string     `json:"tool,omitempty"`
	Declared   string     `json:"declared,omitempty"`
	Required   string     `json:"required,omitempty"`
	Confidence Confidence `json:"confidence,omitempty"`
	Pointer    string     `json:"pointer,omitempty"`
	// Key is the key the manifest declares the tool under when it is an
	// alias of Tool (the catalogue key): "submittals" for submittal_log,
	// so that the user finds it in the file. Empty otherwise.
	Key     string    `json:"key,omitempty"`
	Message string    `json:"message"`
	Calls   []CallRef `json:"calls,omitempty"`
	// Declaration is where the manifest declares the tool (line 0 when it
	// does not): SARIF places findings without calls there.
	Declaration manifest.Position `json:"-"`
	// Endpoint is the template (or the path as written) an unmapped
	// finding groups.
	Endpoint string `json:"-"`
	// Fix is the level --fix grants for a missing finding: the required
	// level, or the next one the tool allows.
	Fix permissions.Level `json:"-"`
}

// CallRef is a call site in a finding.
type CallRef struct {
	Path       string `json:"path"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	Method     string `json:"method"`
	MethodSeen bool   `json:"method_seen"`
	APIVersion string `json:"api_version,omitempty"`
	Endpoint   string `json:"endpoint"`
	// MatchedVersion is the table's version when the code's version is
	// not listed for the path (a fallback to the nearest one).
	MatchedVersion string `json:"matched_version,omitempty"`
	// MayNeedAdmin marks deletes and settings writes that may need Admin.
	MayNeedAdmin bool   `json:"may_need_admin,omitempty"`
	Spec         string `json:"spec,omitempty"`
}

func callRef(c Call) CallRef {
	r := CallRef{Path: c.Path, Line: c.Line, Column: c.Column, Method: c.Method, MethodSeen: c.MethodSeen, APIVersion: c.Version, Endpoint: c.URL}
	if e := c.Endpoint; e != nil {
		r.Endpoint = e.Path
		r.MayNeedAdmin = e.MayNeedAdmin
		r.Spec = e.Spec
		if c.Fallback {
			r.MatchedVersion = e.Version
		}
		if r.APIVersion == "" {
			r.APIVersion = e.Version
		}
	}
	return r
}

// need aggregates the calls of one (scope, tool).
type need struct {
	scope, tool string
	required    permissions.Level
	mayAdmin    bool // a call at the required level may need admin
	confidence  Confidence
	calls       []Call // confirmed and probable calls
	first       *Call  // the first call at the required level
}

type declared struct {
	key     string // the tool key as the manifest writes it
	level   permissions.Level
	written string // the level as the manifest spells it
	pointer string
}

// CompareCalls compares the calls of inv with the permissions app declares.
// Tool keys are canonicalised through cat on both sides (an alias is its
// tool); a declared none counts as not declared.
func CompareCalls(inv *Inventory, manifestPath string, app *manifest.App, cat *permissions.Catalog) *Report {
	r := &Report{Manifest: manifestPath, Sources: inv.Sources, Files: inv.Files, Calls: len(inv.Calls), Findings: []Finding{}, CatalogVersion: cat.Version}
	if r.Sources == nil {
		r.Sources = []string{}
	}
	for _, u := range inv.Unreadable {
		r.Errors = append(r.Errors, PathReport{Path: u.Path, Message: u.Reason})
	}
	canon := func(scope, tool string) string {
		if t := cat.Lookup(scope, tool); t != nil {
			return t.Key
		}
		return tool
	}
	decl := map[string]declared{} // scope + ":" + canonical tool
	set, _ := permissions.Declared(app)
	for _, g := range set.Grants() {
		k := g.Scope + ":" + canon(g.Scope, g.Tool)
		if prev, ok := decl[k]; ok && prev.level >= g.Level {
			continue
		}
		decl[k] = declared{key: g.Tool, level: g.Level, written: g.Level.String(), pointer: g.Pointer}
	}
	base := permissionsBase(app)

	needs := map[string]*need{}
	used := map[string]bool{}
	unmapped := map[string]*Finding{}
	for i := range inv.Calls {
		c := inv.Calls[i]
		e := c.Endpoint
		if e != nil && e.NoTool {
			continue
		}
		if e == nil || e.Tool == "" || e.Confidence == Unknown {
			key := c.URL
			if e != nil {
				key = e.Path
			}
			key = c.Method + " " + key
			f, ok := unmapped[key]
			if !ok {
				f = &Finding{Kind: Unmapped, Endpoint: key, Message: unmappedMessage(c)}
				unmapped[key] = f
			}
			f.Calls = append(f.Calls, callRef(c))
			if e != nil && e.Tool != "" {
				for _, s := range endpointScopes(e.Scope) {
					used[s+":"+canon(s, e.Tool)] = true
				}
			}
			continue
		}
		scope := e.Scope
		if scope == ScopeEither {
			scope = eitherScope(e.Tool, decl, canon, cat)
		}
		tool := canon(scope, e.Tool)
		k := scope + ":" + tool
		used[k] = true
		n, ok := needs[k]
		if !ok {
			n = &need{scope: scope, tool: tool}
			needs[k] = n
		}
		n.calls = append(n.calls, c)
		last := &n.calls[len(n.calls)-1]
		switch {
		case n.first == nil || e.Level > n.required:
			n.required, n.first, n.confidence, n.mayAdmin = e.Level, last, e.Confidence, e.MayNeedAdmin
		case e.Level == n.required:
			if e.Confidence.rank() > n.confidence.rank() {
				n.confidence = e.Confidence
			}
			n.mayAdmin = n.mayAdmin || e.MayNeedAdmin
		}
	}
	for k, n := range needs {
		d, isDeclared := decl[k]
		refs := make([]CallRef, len(n.calls))
		for i, c := range n.calls {
			refs[i] = callRef(c)
		}
		pointer := d.pointer
		if !isDeclared {
			pointer = manifest.AppendPointer(manifest.AppendPointer(base, n.scope), n.tool)
		}
		f := Finding{Scope: n.scope, Tool: n.tool, Required: n.required.String(), Confidence: n.confidence, Pointer: pointer, Calls: refs}
		name := n.tool
		if isDeclared {
			f.Declared = d.written
			f.Declaration = app.Doc.KeyPosition(d.pointer)
			f.Key, name = toolName(n.tool, d.key)
		}
		verb := n.first.Method
		if !n.first.MethodSeen {
			verb += " (assumed: the code does not show the method)"
		}
		switch {
		case d.level < n.required:
			f.Kind = Missing
			state := "is not declared"
			if isDeclared {
				state = "is declared " + d.written
				if d.level == permissions.None {
					state += " (not declared)"
				}
			}
			f.Message = fmt.Sprintf("%s tool %s %s; a %s needs at least %s", n.scope, name, state, verb, n.required)
			f.Fix = n.required
			if t := cat.Lookup(n.scope, n.tool); t != nil && !t.Allows(f.Fix) {
				for _, l := range t.Levels {
					if l > f.Fix {
						f.Fix = l
						break
					}
				}
			}
		case d.level > n.required && !(n.mayAdmin && d.level == permissions.Admin):
			f.Kind = Excess
			f.Message = fmt.Sprintf("%s tool %s is declared %s; the calls found need at least %s (levels are lower bounds: lower it only after checking)", n.scope, name, d.written, n.required)
		default:
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	for k, d := range decl {
		if d.level == permissions.None || used[k] {
			continue
		}
		scope, tool, _ := strings.Cut(k, ":")
		key, name := toolName(tool, d.key)
		r.Findings = append(r.Findings, Finding{Kind: Unused, Scope: scope, Tool: tool, Key: key, Declared: d.written, Pointer: d.pointer,
			Message:     fmt.Sprintf("%s tool %s is declared %s; no call found uses it", scope, name, d.written),
			Declaration: app.Doc.KeyPosition(d.pointer)})
	}
	for _, f := range unmapped {
		r.Findings = append(r.Findings, *f)
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := &r.Findings[i], &r.Findings[j]
		if a.Kind != b.Kind {
			return kindRank(a.Kind) < kindRank(b.Kind)
		}
		if a.Scope != b.Scope {
			return a.Scope < b.Scope // company before project
		}
		if a.Tool != b.Tool {
			return a.Tool < b.Tool
		}
		return a.Endpoint < b.Endpoint
	})
	for _, f := range r.Findings {
		switch f.Kind {
		case Missing:
			r.Summary.Missing++
		case Excess:
			r.Summary.Excess++
		case Unused:
			r.Summary.Unused++
		case Unmapped:
			r.Summary.Unmapped++
		}
	}
	return r
}

// toolName returns the manifest's key when it is an alias of tool (else
// ""), and how a message names the tool: "submittals (alias of
// submittal_log)" — the key the user can search the file for, and the
// catalogue's.
func toolName(tool, written string) (key, name string) {
	if written == "" || written == tool {
		return "", tool
	}
	return written, written + " (alias of " + tool + ")"
}

func endpointScopes(scope string) []string {
	if scope == ScopeEither {
		return permissions.Scopes
	}
	return []string{scope}
}

// eitherScope decides the scope of an operation the spec does not tie to
// one: the scope that declares the tool (project first), else the scope
// whose catalogue knows it (project first), else project.
func eitherScope(tool string, decl map[string]declared, canon func(string, string) string, cat *permissions.Catalog) string {
	for _, s := range []string{permissions.Project, permissions.Company} {
		if d, ok := decl[s+":"+canon(s, tool)]; ok && d.level > permissions.None {
			return s
		}
	}
	for _, s := range []string{permissions.Project, permissions.Company} {
		if cat.Lookup(s, tool) != nil {
			return s
		}
	}
	return permissions.Project
}

// permissionsBase is the pointer of the permissions object, existing or
// to be created.
func permissionsBase(app *manifest.App) string {
	if conn := app.ServiceAccount(); conn != nil {
		if conn.Permissions.Pointer != "" {
			return conn.Permissions.Pointer
		}
		if app.Version != manifest.V41 && conn.Pointer != "" {
			return manifest.AppendPointer(conn.Pointer, "permissions")
		}
	}
	return "/permissions"
}

func unmappedMessage(c Call) string {
	e := c.Endpoint
	if e == nil {
		return fmt.Sprintf("%s %s: %s", c.Method, c.URL, c.Reason)
	}
	what := e.ToolName
	if what == "" {
		what = "OpenAPI tag " + e.Tag
	}
	if e.Tool == "" {
		return fmt.Sprintf("%s %s: no manifest key is known for its tool (%s)", c.Method, e.Path, what)
	}
	return fmt.Sprintf("%s %s: the tool is probably %s (%s), but the evidence is too weak to rely on (confidence unknown)", c.Method, e.Path, e.Tool, what)
}

// Fixes returns the assignments --fix makes: each missing grant at its
// minimum level (raised to the next level the tool allows). Only
// confirmed and probable mappings make missing findings.
func (r *Report) Fixes() []permissions.Assignment {
	var out []permissions.Assignment
	for _, f := range r.Findings {
		if f.Kind == Missing && (f.Confidence == Confirmed || f.Confidence == Probable) {
			out = append(out, permissions.Assignment{Scope: f.Scope, Tool: f.Tool, Level: f.Fix})
		}
	}
	return out
}

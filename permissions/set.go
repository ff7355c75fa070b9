package permissions

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/manifestctl/manifestctl/manifest"
)

// Grant is one declared tool permission.
type Grant struct {
	Scope string // Company or Project
	Tool  string // the key as written in the manifest
	Level Level
	// Pointer is where the grant is declared ("" for grants built in code).
	Pointer string
}

// Set is a set of grants with at most one grant per scope and tool. The
// zero value is an empty set. A tool that is absent has the level None.
type Set struct {
	grants []Grant // sorted by scope (company first), then tool
}

// ScopeRank orders scopes as Scopes does (company first); an unknown
// scope comes last.
func ScopeRank(s string) int {
	for i, sc := range Scopes {
		if sc == s {
			return i
		}
	}
	return len(Scopes)
}

func less(aScope, aTool, bScope, bTool string) bool {
	if ra, rb := ScopeRank(aScope), ScopeRank(bScope); ra != rb {
		return ra < rb
	}
	if aScope != bScope {
		return aScope < bScope
	}
	return aTool < bTool
}

// NewSet builds a set from grants; for the same scope and tool the last
// grant wins.
func NewSet(grants ...Grant) Set {
	return fromList(slices.Clone(grants), func(prev, g Grant) bool { return true })
}

// fromList sorts list in place (stably) and makes it a set: of the grants
// with the same scope and tool, later ones replace the one kept when
// replace(kept, later) says so. It takes O(n log n) however many grants
// there are (Put, one by one, would move the tail each time).
func fromList(list []Grant, replace func(kept, later Grant) bool) Set {
	byKey := func(a, b Grant) int {
		switch {
		case less(a.Scope, a.Tool, b.Scope, b.Tool):
			return -1
		case less(b.Scope, b.Tool, a.Scope, a.Tool):
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(list, byKey) {
		// Sort positions by key, then position: stable, in O(n log n)
		// (slices.SortStableFunc merges in O(n log² n)).
		pos := make([]int32, len(list))
		for i := range pos {
			pos[i] = int32(i)
		}
		slices.SortFunc(pos, func(i, j int32) int {
			if c := byKey(list[i], list[j]); c != 0 {
				return c
			}
			return int(i - j)
		})
		sorted := make([]Grant, len(list))
		for i, p := range pos {
			sorted[i] = list[p]
		}
		list = sorted
	}
	out := list[:0]
	for _, g := range list {
		if n := len(out); n > 0 && out[n-1].Scope == g.Scope && out[n-1].Tool == g.Tool {
			if replace(out[n-1], g) {
				out[n-1] = g
			}
			continue
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		return Set{}
	}
	return Set{grants: out}
}

func (s *Set) find(scope, tool string) (int, bool) {
	i := sort.Search(len(s.grants), func(i int) bool {
		g := s.grants[i]
		return !less(g.Scope, g.Tool, scope, tool)
	})
	return i, i < len(s.grants) && s.grants[i].Scope == scope && s.grants[i].Tool == tool
}

// Put adds or replaces the grant for g's scope and tool.
func (s *Set) Put(g Grant) {
	i, ok := s.find(g.Scope, g.Tool)
	if ok {
		s.grants[i] = g
		return
	}
	s.grants = append(s.grants, Grant{})
	copy(s.grants[i+1:], s.grants[i:])
	s.grants[i] = g
}

// Delete removes the grant for scope and tool, if any.
func (s *Set) Delete(scope, tool string) {
	if i, ok := s.find(scope, tool); ok {
		s.grants = append(s.grants[:i], s.grants[i+1:]...)
	}
}

// Get returns the grant for scope and tool.
func (s Set) Get(scope, tool string) (Grant, bool) {
	if i, ok := s.find(scope, tool); ok {
		return s.grants[i], true
	}
	return Grant{}, false
}

// Level returns the level of a tool: the declared one, or None when the
// tool is not declared.
func (s Set) Level(scope, tool string) Level {
	g, _ := s.Get(scope, tool)
	return g.Level
}

// Len returns the number of grants.
func (s Set) Len() int { return len(s.grants) }

// Grants returns every grant, company scope first, then by tool key. The
// slice is a copy.
func (s Set) Grants() []Grant { return append([]Grant(nil), s.grants...) }

// Scope returns the grants of one scope, by tool key.
func (s Set) Scope(scope string) []Grant {
	var out []Grant
	for _, g := range s.grants {
		if g.Scope == scope {
			out = append(out, g)
		}
	}
	return out
}

// Effective returns the grants above None: what the service account can
// reach.
func (s Set) Effective() []Grant {
	var out []Grant
	for _, g := range s.grants {
		if g.Level > None {
			out = append(out, g)
		}
	}
	return out
}

// Canonical returns a copy of s with tools named by an alias renamed to
// their catalogue key (budget becomes budgeting). Tools unknown to the
// catalogue keep their name. When an alias and its key are both declared,
// the higher level wins.
func (s Set) Canonical(c *Catalog) Set {
	list := make([]Grant, len(s.grants))
	for i, g := range s.grants {
		if t := c.Lookup(g.Scope, g.Tool); t != nil {
			g.Tool = t.Key
		}
		list[i] = g
	}
	return fromList(list, func(kept, later Grant) bool { return kept.Level <= later.Level })
}

// Without returns a copy of s without the grants drop reports true for.
func (s Set) Without(drop func(Grant) bool) Set {
	var out Set
	for _, g := range s.grants {
		if !drop(g) {
			out.grants = append(out.grants, g)
		}
	}
	return out
}

// InvalidGrantError is a declared grant whose level is not a level.
type InvalidGrantError struct {
	Scope, Tool, Pointer string
	Err                  error
}

func (e *InvalidGrantError) Error() string {
	return fmt.Sprintf("%s tool %q at %s: %v", e.Scope, e.Tool, e.Pointer, e.Err)
}

func (e *InvalidGrantError) Unwrap() error { return e.Err }

// Declared reads the permissions of the app's service account into a Set:
// the client_credentials instance in 3.x, the top-level permissions in
// 4.1. Grants whose level does not parse are left out and reported in the
// error (errors.Join of *InvalidGrantError); the set holds the others
// either way. An app without a service account has an empty set. Within
// one permissions object, duplicate keys resolve to the last one, as in
// encoding/json.
//
// A 3.x file may (wrongly: MC201) hold several client_credentials
// instances. Declared then reads every one of them, so that no grant goes
// unseen by diff and the release gate: a tool declared in several
// instances gets the highest of its levels (from the first instance
// declaring that level), as the most the service account could be given.
func Declared(app *manifest.App) (Set, error) {
	var list []Grant
	var errs []error
	n := 0
	for i := range app.Connectors {
		conn := &app.Connectors[i]
		if !conn.ServiceAccount {
			continue
		}
		s, invalid := declaredIn(&conn.Permissions)
		errs = append(errs, invalid...)
		list = append(list, s.grants...)
		n++
	}
	if n <= 1 {
		return Set{grants: list}, errors.Join(errs...)
	}
	return fromList(list, func(kept, later Grant) bool { return later.Level > kept.Level }), errors.Join(errs...)
}

// declaredIn reads one connector's permissions: see Declared. The errors
// are *InvalidGrantError.
func declaredIn(p *manifest.Permissions) (Set, []error) {
	var errs []error
	// Every grant in file order; an invalid one is kept as a marker (its
	// index in bad), so that the last grant for a tool decides and an
	// invalid last one leaves the tool out.
	var list []Grant
	bad := make(map[int]bool)
	for _, sc := range p.Scopes() {
		for _, g := range sc.Grants {
			var err error
			var l Level
			if g.Node == nil || !g.Node.IsString() {
				kind := "nothing"
				if g.Node != nil {
					kind = g.Node.Kind.String()
				}
				err = fmt.Errorf("level must be a string, found %s", kind)
			} else {
				l, err = ParseLevel(g.Level)
			}
			if err != nil {
				errs = append(errs, &InvalidGrantError{Scope: g.Scope, Tool: g.Tool, Pointer: g.Pointer, Err: err})
				bad[len(list)] = true
			}
			list = append(list, Grant{Scope: g.Scope, Tool: g.Tool, Level: l, Pointer: g.Pointer})
		}
	}
	if len(bad) == 0 {
		return fromList(list, func(kept, later Grant) bool { return true }), nil
	}
	// Mark the invalid grants with a pointer no grant has, then drop the
	// ones that won.
	const invalid = "\x00invalid"
	for i := range bad {
		list[i].Pointer = invalid
	}
	s := fromList(list, func(kept, later Grant) bool { return true })
	return s.Without(func(g Grant) bool { return g.Pointer == invalid }), errs
}

// RuleShape is the rule ID of ShapeProblems' findings: the schema rule
// (manifest.RuleSchema, MC011), which validate reports for the same values.
const RuleShape = manifest.RuleSchema

// ShapeProblems reports the service account permissions that cannot be
// read because they have the wrong shape: a permissions member that is not
// an object, or a company or project member that is not an object of
// tool: level members. Declared reads nothing from them, so a caller that
// shows or edits permissions must not present the result as "nothing
// declared". (A level that is not a string is an *InvalidGrantError of
// Declared instead.)
func ShapeProblems(app *manifest.App) []manifest.Diagnostic {
	var out []manifest.Diagnostic
	for i := range app.Connectors {
		conn := &app.Connectors[i]
		p := &conn.Permissions
		if !conn.ServiceAccount || p.Node == nil {
			continue
		}
		if !p.Node.IsObject() {
			out = append(out, app.Doc.Diag(RuleShape, manifest.SeverityError, p.Pointer,
				fmt.Sprintf(`permissions must be an object such as {"company": {"TOOL": "LEVEL"}, "project": {"TOOL": "LEVEL"}}, found %s`,
					kindPhrase(p.Node.Kind))))
			continue
		}
		for _, sc := range p.Scopes() {
			if sc.Node != nil && !sc.Node.IsObject() {
				out = append(out, app.Doc.Diag(RuleShape, manifest.SeverityError, sc.Pointer,
					fmt.Sprintf(`permissions.%s must be an object of tools and levels such as {"TOOL": "readonly"}, found %s`,
						sc.Name, kindPhrase(sc.Node.Kind))))
			}
		}
	}
	return out
}

func kindPhrase(k manifest.Kind) string {
	switch k {
	case manifest.Null:
		return "null"
	case manifest.Array, manifest.Object:
		return "an " + k.String()
	}
	return "a " + k.String()
}

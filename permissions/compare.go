package permissions

import "fmt"

// Verdict is the outcome of comparing a declared level with an actual one.
// The names are the audit verdicts.
type Verdict string

// The verdicts CompareAccess gives. The audit adds "unpermitted" for projects,
// which is not a per-tool comparison.
const (
	VerdictOK         Verdict = "ok"         // actual = declared
	VerdictOver       Verdict = "over"       // actual above the declared level
	VerdictUnder      Verdict = "under"      // actual below the declared level
	VerdictUndeclared Verdict = "undeclared" // not declared, actual above None
	VerdictInactive   Verdict = "inactive"   // declared, but missing from the actual set
)

// Comparison is one compared tool.
type Comparison struct {
	Scope, Tool string
	Declared    Level
	HasDeclared bool // the tool is declared (possibly as none)
	Actual      Level
	HasActual   bool // the tool is in the actual set
	Verdict     Verdict
	Pointer     string // where the tool is declared, "" when it is not
}

// CompareAccess compares declared grants with the actual ones, tool by tool, in
// scope and key order. The actual set holds the tools the service account
// can use (the audit leaves out tools missing from the API response or not
// available for the user). Rows:
//
//   - declared and actual: ok, over or under;
//   - declared above None, not in actual: inactive;
//   - not declared, actual above None: undeclared.
//
// A tool at None on one side and absent on the other gives no row: None
// and absent mean the same. Both sets must name tools alike (see
// Set.Canonical and Catalog.LookupAPI).
func CompareAccess(declared, actual Set) []Comparison {
	var out []Comparison
	d, a := declared.grants, actual.grants
	for len(d) > 0 || len(a) > 0 {
		var c Comparison
		switch {
		case len(a) == 0 || (len(d) > 0 && less(d[0].Scope, d[0].Tool, a[0].Scope, a[0].Tool)):
			g := d[0]
			d = d[1:]
			if g.Level == None {
				continue
			}
			c = Comparison{Scope: g.Scope, Tool: g.Tool, Declared: g.Level, HasDeclared: true, Pointer: g.Pointer, Verdict: VerdictInactive}
		case len(d) == 0 || less(a[0].Scope, a[0].Tool, d[0].Scope, d[0].Tool):
			g := a[0]
			a = a[1:]
			if g.Level == None {
				continue
			}
			c = Comparison{Scope: g.Scope, Tool: g.Tool, Actual: g.Level, HasActual: true, Verdict: VerdictUndeclared}
		default:
			dg, ag := d[0], a[0]
			d, a = d[1:], a[1:]
			c = Comparison{Scope: dg.Scope, Tool: dg.Tool, Declared: dg.Level, HasDeclared: true,
				Actual: ag.Level, HasActual: true, Pointer: dg.Pointer}
			switch {
			case ag.Level > dg.Level:
				c.Verdict = VerdictOver
			case ag.Level < dg.Level:
				c.Verdict = VerdictUnder
			default:
				c.Verdict = VerdictOK
			}
		}
		out = append(out, c)
	}
	return out
}

// ChangeKind names a permission change between two versions of a
// manifest.
type ChangeKind string

// The kinds of permission change. The diff report prefixes them with
// "permission_".
const (
	Added   ChangeKind = "added"   // None (or absent) before, above None now
	Removed ChangeKind = "removed" // above None before, None (or absent) now
	Raised  ChangeKind = "raised"  // a higher level than before
	Lowered ChangeKind = "lowered" // a lower level than before
)

// Change is one permission change from an old set to a new one.
type Change struct {
	Scope, Tool string
	Old, New    Level
	Kind        ChangeKind
	// OldPointer and NewPointer are where the tool is declared in the old
	// and new manifest ("" when it is not).
	OldPointer, NewPointer string
}

// Escalation reports whether the change gives the service account more
// access (added or raised): the company admin must approve it again.
func (c Change) Escalation() bool { return c.Kind == Added || c.Kind == Raised }

// String describes the change, e.g. "project tool rfi raised from
// readonly to standard".
func (c Change) String() string {
	switch c.Kind {
	case Added:
		return fmt.Sprintf("%s tool %s added at %s", c.Scope, c.Tool, c.New)
	case Removed:
		return fmt.Sprintf("%s tool %s removed (was %s)", c.Scope, c.Tool, c.Old)
	}
	return fmt.Sprintf("%s tool %s %s from %s to %s", c.Scope, c.Tool, c.Kind, c.Old, c.New)
}

// DiffSets returns the permission changes from old to new, in scope and
// tool order. A tool at None and an absent tool are the same, so writing
// or removing an explicit "none" is no change. Canonicalise both sets
// first (Set.Canonical) so that a key renamed to an alias is no change.
func DiffSets(old, new Set) []Change {
	var out []Change
	o, n := old.grants, new.grants
	for len(o) > 0 || len(n) > 0 {
		var c Change
		switch {
		case len(n) == 0 || (len(o) > 0 && less(o[0].Scope, o[0].Tool, n[0].Scope, n[0].Tool)):
			c = Change{Scope: o[0].Scope, Tool: o[0].Tool, Old: o[0].Level, OldPointer: o[0].Pointer}
			o = o[1:]
		case len(o) == 0 || less(n[0].Scope, n[0].Tool, o[0].Scope, o[0].Tool):
			c = Change{Scope: n[0].Scope, Tool: n[0].Tool, New: n[0].Level, NewPointer: n[0].Pointer}
			n = n[1:]
		default:
			c = Change{Scope: o[0].Scope, Tool: o[0].Tool, Old: o[0].Level, New: n[0].Level,
				OldPointer: o[0].Pointer, NewPointer: n[0].Pointer}
			o, n = o[1:], n[1:]
		}
		switch {
		case c.Old == c.New:
			continue
		case c.Old == None:
			c.Kind = Added
		case c.New == None:
			c.Kind = Removed
		case c.New > c.Old:
			c.Kind = Raised
		default:
			c.Kind = Lowered
		}
		out = append(out, c)
	}
	return out
}

package schema

import (
	"slices"
	"strconv"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// validator checks one document against a compiled schema. It applies the
// keywords in the order JSON Schema validators do and reports one problem
// per failed keyword, as the messages in messages.go word them. A valid
// document allocates nothing.
type validator struct {
	path   [maxNesting]step // where the value being checked is: path[:depth]
	depth  int
	probs  []problem // what failed so far
	branch int       // > 0 while anyOf or oneOf alternatives are tried
}

// step is one token of the path to a value: a member name, or an array
// index when index >= 0.
type step struct {
	key   string
	index int
}

// maxNesting bounds how deep a schema may reach into a value; the
// compiler refuses deeper schemas. The path is an array, not a slice, so
// that a valid document costs no allocation.
const maxNesting = 32

// pointer returns the pointer of the value being checked.
func (v *validator) pointer() string {
	if v.depth == 0 {
		return ""
	}
	b := make([]byte, 0, 64)
	for _, s := range v.path[:v.depth] {
		if s.index >= 0 {
			b = strconv.AppendInt(append(b, '/'), int64(s.index), 10)
		} else {
			b = appendToken(b, s.key)
		}
	}
	return string(b)
}

// skip reports whether checking s can be left out: it reports nothing,
// and whether it passes matters only inside an alternative.
func (v *validator) skip(s *node) bool { return s.silent && v.branch == 0 }

// check checks n against s, adding the problems it finds, and reports
// whether n is valid (unreported failures included).
func (v *validator) check(s *node, n *manifest.Node) bool {
	if s.types != 0 && !hasType(s.types, n) {
		// A value of the wrong type is not checked further.
		if !s.unreported {
			v.probs = append(v.probs, typeProblem(v.pointer(), n, s.typeNames))
		}
		return false
	}
	ok := true
	if s.hasConst && !s.constVal.equal(n) {
		ok = false
		v.leaf(s, "const", s.constMsg, n, true)
	}
	if s.enum != nil && !inEnum(s.enum, n) {
		ok = false
		v.leaf(s, "enum", s.enumMsg, n, true)
	}
	switch n.Kind {
	case manifest.Object:
		for _, r := range s.required {
			if !n.Has(r) {
				ok = false
				if !s.unreported {
					v.probs = append(v.probs, problem{pointer: v.pointer(), keyword: "required",
						message: "missing required member " + strconv.Quote(r)})
				}
			}
		}
		for i := range s.props {
			p := &s.props[i]
			if v.skip(p.schema) {
				continue
			}
			if c := n.Get(p.name); c != nil && !v.member(p.schema, p.name, c) {
				ok = false
			}
		}
		if a := s.additional; a != nil && !v.skip(a) {
			for i := range n.Members {
				m := &n.Members[i]
				if s.hasProperty(m.Key) || !effective(n, i) {
					continue
				}
				if !v.member(a, m.Key, m.Value) {
					ok = false
				}
			}
		}
	case manifest.Array:
		if it := s.items; it != nil && !v.skip(it) {
			for i, e := range n.Elems {
				v.path[v.depth] = step{index: i}
				v.depth++
				if !v.check(it, e) {
					ok = false
				}
				v.depth--
			}
		}
	case manifest.String:
		if s.pattern != nil && !s.pattern.MatchString(n.Str) {
			ok = false
			v.leaf(s, "pattern", s.patternMsg, n, s.patternFound)
		}
	}
	if s.ref != nil && !v.skip(s.ref) && !v.check(s.ref, n) {
		ok = false
	}
	if s.anyOf != nil && !v.anyOf(s, n) {
		ok = false
	}
	if s.oneOf != nil && !v.oneOf(s, n) {
		ok = false
	}
	return ok
}

// member checks the value of object member key.
func (v *validator) member(s *node, key string, n *manifest.Node) bool {
	v.path[v.depth] = step{key: key, index: -1}
	v.depth++
	ok := v.check(s, n)
	v.depth--
	return ok
}

// leaf adds the problem of a failed keyword of s: the value's name, msg,
// and with withFound what was found.
func (v *validator) leaf(s *node, keyword, msg string, n *manifest.Node, withFound bool) {
	if s.unreported {
		return
	}
	ptr := v.pointer()
	msg = subject(ptr) + " " + msg
	if withFound {
		msg += ", found " + found(n)
	}
	v.probs = append(v.probs, problem{pointer: ptr, keyword: keyword, message: msg})
}

// try checks n against each alternative until stop says enough; it
// returns how many passed and the problems of those that failed.
func (v *validator) try(alts []*node, n *manifest.Node, stop int) (passed int, failed [][]problem) {
	start := len(v.probs)
	v.branch++
	for _, a := range alts {
		if v.check(a, n) {
			passed++
		} else {
			failed = append(failed, slices.Clone(v.probs[start:]))
		}
		v.probs = v.probs[:start]
		if passed == stop {
			break
		}
	}
	v.branch--
	return passed, failed
}

func (v *validator) anyOf(s *node, n *manifest.Node) bool {
	passed, failed := v.try(s.anyOf, n, 1)
	if passed > 0 {
		return true
	}
	v.probs = append(v.probs, alternatives(v.pointer(), n, failed)...)
	return false
}

func (v *validator) oneOf(s *node, n *manifest.Node) bool {
	passed, failed := v.try(s.oneOf, n, 2)
	switch passed {
	case 1:
		return true
	case 0:
		v.probs = append(v.probs, alternatives(v.pointer(), n, failed)...)
	default:
		v.leaf(s, "oneOf", "matches more than one of the allowed forms; it must match exactly one", n, false)
	}
	return false
}

func (s *node) hasProperty(key string) bool {
	for i := range s.props {
		if s.props[i].name == key {
			return true
		}
	}
	return false
}

// effective reports whether member i is the one that counts for its key:
// with duplicate keys the last one wins, as in encoding/json.
// Node.Member answers from the parser's index on large objects, so that
// checking every member of a wide object stays linear.
func effective(n *manifest.Node, i int) bool {
	return n.Member(n.Members[i].Key) == i
}

func inEnum(vals []value, n *manifest.Node) bool {
	for _, e := range vals {
		if e.equal(n) {
			return true
		}
	}
	return false
}

func hasType(t typeSet, n *manifest.Node) bool {
	switch n.Kind {
	case manifest.Object:
		return t&typeObject != 0
	case manifest.Array:
		return t&typeArray != 0
	case manifest.String:
		return t&typeString != 0
	case manifest.Bool:
		return t&typeBoolean != 0
	case manifest.Null:
		return t&typeNull != 0
	case manifest.Number:
		return t&typeNumber != 0 || t&typeInteger != 0 && isInteger(n.Str)
	}
	return false
}

// isInteger reports whether a JSON number literal has an integer value
// (1, 1.0, 1e3, 100e-2), from its digits: no conversion, no rounding.
func isInteger(lit string) bool {
	mant, exp := lit, ""
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		mant, exp = lit[:i], lit[i+1:]
	}
	intPart, fracPart, _ := strings.Cut(strings.TrimPrefix(mant, "-"), ".")
	// place is the power of ten of the last non-zero digit.
	var place int
	if f := strings.TrimRight(fracPart, "0"); f != "" {
		place = -len(f)
	} else if strings.Trim(intPart, "0") != "" {
		place = len(intPart) - len(strings.TrimRight(intPart, "0"))
	} else {
		return true // zero
	}
	neg := strings.HasPrefix(exp, "-")
	e := 0
	for _, c := range []byte(strings.TrimLeft(exp, "+-")) {
		if e < 1<<30 {
			e = e*10 + int(c-'0')
		}
	}
	if neg {
		e = -e
	}
	return place+e >= 0
}

// appendToken appends "/" and a member name escaped as RFC 6901 requires.
func appendToken(b []byte, key string) []byte {
	b = append(b, '/')
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, key[i])
		}
	}
	return b
}

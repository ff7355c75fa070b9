package schema

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/manifestctl/manifestctl/manifest"
)

// problem is one schema finding, ready to become a diagnostic.
type problem struct {
	pointer string   // manifest pointer of the offending value
	message string   // what a developer reads
	keyword string   // the schema keyword that failed
	types   []string // for a type mismatch: the expected JSON types
}

// unreportedDef names the $defs of the embedded schemas whose failures the
// schema does not report because a lint rule reports them more precisely:
// permission levels (MC102 level not allowed, MC104 spelling). The enum
// stays in the schema for editors.
func unreportedDef(name string) bool { return name == "permissionLevel" }

// alternatives picks what to report when no alternative of an anyOf or
// oneOf matched the value n at here, given the problems of each
// alternative: one type message when the value's type fits none of them,
// else the problems of the alternative that got furthest.
func alternatives(here string, n *manifest.Node, branches [][]problem) []problem {
	for _, b := range branches {
		if len(b) == 0 {
			// The alternative failed only on what lint rules report.
			return nil
		}
	}
	var types []string
	allType := true
	for _, b := range branches {
		if len(b) != 1 || b[0].keyword != "type" || b[0].pointer != here {
			allType = false
			break
		}
		for _, t := range b[0].types {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
	}
	if allType && len(branches) > 0 {
		return []problem{typeProblem(here, n, types)}
	}
	// Alternatives for another type of value are beside the point.
	var fit [][]problem
	for _, b := range branches {
		wrongType := false
		for _, p := range b {
			if p.keyword == "type" && p.pointer == here {
				wrongType = true
			}
		}
		if !wrongType {
			fit = append(fit, b)
		}
	}
	if len(fit) == 0 {
		fit = branches
	}
	best, bestDepth := fit[0], depth(fit[0])
	for _, b := range fit[1:] {
		if d := depth(b); d > bestDepth || d == bestDepth && len(b) < len(best) {
			best, bestDepth = b, d
		}
	}
	return best
}

// depth is the depth of the deepest problem: how far into the value the
// alternative matched.
func depth(probs []problem) int {
	d := 0
	for _, p := range probs {
		d = max(d, strings.Count(p.pointer, "/"))
	}
	return d
}

// typeProblem reports the value n at ptr, whose type is none of types.
func typeProblem(ptr string, n *manifest.Node, types []string) problem {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = article(t)
	}
	msg := subject(ptr) + " must be " + strings.Join(names, " or ") + ", found " + typed(n)
	return problem{pointer: ptr, keyword: "type", types: types, message: msg}
}

// generic reports whether a member name is qualified with its parent's
// name in messages ("page.url", "support_link.url").
func generic(name string) bool {
	switch name {
	case "url", "label", "type", "name", "description", "id", "uid", "uuid",
		"version", "schema", "instances", "company", "project", "properties":
		return true
	}
	return false
}

// subject names the value at ptr for a message: `"grant_type"`,
// `"page.url"`, `"views[0]"`, or "the manifest".
func subject(ptr string) string {
	toks, err := manifest.SplitPointer(ptr)
	if err != nil || len(toks) == 0 {
		return "the manifest"
	}
	return strconv.Quote(name(toks, true))
}

func name(toks []string, qualify bool) string {
	i := len(toks) - 1
	suffix := ""
	for i > 0 && isIndex(toks[i]) {
		suffix = "[" + toks[i] + "]" + suffix
		i--
	}
	n := toks[i] + suffix
	if qualify && generic(toks[i]) && i > 0 {
		n = name(toks[:i], false) + "." + n
	}
	return n
}

func isIndex(t string) bool {
	if t == "" || len(t) > 1 && t[0] == '0' {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

const maxShown = 60

// shown quotes a string value for a message, shortened when long.
func shown(s string) string {
	if utf8.RuneCountInString(s) > maxShown {
		r := []rune(s)
		s = string(r[:maxShown]) + "..."
	}
	return strconv.Quote(s)
}

// found describes a value after "found" when its type is expected:
// `"password"`, `3`, `true`, `null`, `an object`.
func found(n *manifest.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case manifest.String:
		return shown(n.Str)
	case manifest.Number:
		return n.Str
	case manifest.Bool:
		return strconv.FormatBool(n.Bool)
	case manifest.Null:
		return "null"
	}
	return article(n.Kind.String())
}

// typed describes a value of an unexpected type: `string "yes"`,
// `number 3`, `boolean true`, `null`, `an array`.
func typed(n *manifest.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case manifest.String, manifest.Number, manifest.Bool:
		return n.Kind.String() + " " + found(n)
	}
	return found(n)
}

// article gives a JSON type name its article: "a string", "an object".
func article(t string) string {
	switch t {
	case "null":
		return "null"
	case "object", "array", "integer":
		return "an " + t
	}
	return "a " + t
}

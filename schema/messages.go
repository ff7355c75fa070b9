package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/manifestctl/manifestctl/manifest"
)

// problem is one schema finding, ready to become a diagnostic.
type problem struct {
	pointer string   // manifest pointer of the offending value
	message string   // what a developer reads
	keyword string   // the schema keyword that failed
	types   []string // for a type mismatch: the expected JSON types
}

// unreported names the $defs of the embedded schemas whose failures the
// schema does not report because a lint rule reports them more precisely:
// permission levels (MC102 level not allowed, MC104 spelling). The enum
// stays in the schema for editors.
var unreported = map[string]bool{"permissionLevel": true}

// mapper turns jsonschema's error tree into problems.
type mapper struct {
	c   *compiled
	doc *manifest.Document
}

// walk returns the problems of the leaves under e. anyOf and oneOf
// failures are collapsed to the most useful alternative.
func (m *mapper) walk(e *jsonschema.ValidationError) []problem {
	loc := keywordPath(e.AbsoluteKeywordLocation)
	kw := ""
	if len(loc) > 0 {
		kw = loc[len(loc)-1]
	}
	if (kw == "anyOf" || kw == "oneOf") && len(e.Causes) > 0 {
		return m.alternatives(e)
	}
	if len(e.Causes) > 0 {
		var out []problem
		for _, c := range e.Causes {
			out = append(out, m.walk(c)...)
		}
		return out
	}
	return m.leaf(e, kw, loc)
}

// alternatives picks what to report when no alternative of an anyOf or
// oneOf matched: one type message when the value's type fits none of
// them, else the problems of the alternative that got furthest.
func (m *mapper) alternatives(e *jsonschema.ValidationError) []problem {
	here := instancePointer(e.InstanceLocation)
	branches := make([][]problem, 0, len(e.Causes))
	for _, c := range e.Causes {
		probs := m.walk(c)
		if len(probs) == 0 {
			// The alternative failed only on what lint rules report.
			return nil
		}
		branches = append(branches, probs)
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
		return []problem{m.typeProblem(here, types)}
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

// leaf explains one failed keyword.
func (m *mapper) leaf(e *jsonschema.ValidationError, kw string, loc []string) []problem {
	for i := 0; i+1 < len(loc); i++ {
		if loc[i] == "$defs" && unreported[loc[i+1]] {
			return nil
		}
	}
	ptr := instancePointer(e.InstanceLocation)
	var sch map[string]any
	if len(loc) > 0 {
		sch, _ = m.c.lookup(loc[:len(loc)-1]).(map[string]any)
	}
	node := m.doc.Root.Lookup(ptr)
	who := subject(ptr)
	one := func(format string, args ...any) []problem {
		return []problem{{pointer: ptr, keyword: kw, message: who + " " + fmt.Sprintf(format, args...)}}
	}
	switch kw {
	case "additionalProperties", "unevaluatedProperties", "unevaluatedItems":
		// Unknown members are allowed and kept.
		return nil
	case "required":
		var out []problem
		for _, r := range strs(sch["required"]) {
			if !node.Has(r) {
				out = append(out, problem{pointer: ptr, keyword: kw, message: fmt.Sprintf("missing required member %q", r)})
			}
		}
		return out
	case "type":
		return []problem{m.typeProblem(ptr, typeNames(sch["type"]))}
	case "enum":
		vals, _ := sch["enum"].([]any)
		if len(vals) == 1 {
			return one("must be %s, found %s", literal(vals[0]), found(node))
		}
		list := make([]string, len(vals))
		for i, v := range vals {
			if s, ok := v.(string); ok {
				list[i] = s
			} else {
				list[i] = literal(v)
			}
		}
		return one("must be one of %s, found %s", strings.Join(list, ", "), found(node))
	case "const":
		return one("must be %s, found %s", literal(sch["const"]), found(node))
	case "pattern":
		if msg, ok := sch["x-pattern-message"].(string); ok {
			return one("%s", msg)
		}
		return one("must match the pattern %s, found %s", sch["pattern"], found(node))
	case "minLength":
		if n := number(sch[kw]); n != "1" {
			return one("must be at least %s characters long", n)
		}
		return one("must not be empty")
	case "maxLength":
		return one("must be at most %s characters long", number(sch[kw]))
	case "minItems", "minProperties":
		if n := number(sch[kw]); n != "1" {
			return one("must have at least %s %s", n, elements(kw))
		}
		return one("must not be empty")
	case "maxItems", "maxProperties":
		return one("must have at most %s %s", number(sch[kw]), elements(kw))
	case "uniqueItems":
		return one("must not list the same value twice")
	case "minimum":
		return one("must be at least %s, found %s", number(sch[kw]), found(node))
	case "maximum":
		return one("must be at most %s, found %s", number(sch[kw]), found(node))
	case "exclusiveMinimum":
		return one("must be greater than %s, found %s", number(sch[kw]), found(node))
	case "exclusiveMaximum":
		return one("must be less than %s, found %s", number(sch[kw]), found(node))
	case "multipleOf":
		return one("must be a multiple of %s, found %s", number(sch[kw]), found(node))
	case "format":
		return one("must be a valid %s, found %s", sch["format"], found(node))
	case "oneOf":
		return one("matches more than one of the allowed forms; it must match exactly one")
	case "", "not", "false":
		return one("is not allowed here")
	}
	return one("does not match the App Manifest schema")
}

func (m *mapper) typeProblem(ptr string, types []string) problem {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = article(t)
	}
	msg := subject(ptr) + " must be " + strings.Join(names, " or ") + ", found " + typed(m.doc.Root.Lookup(ptr))
	return problem{pointer: ptr, keyword: "type", types: types, message: msg}
}

// lookup returns the schema value at the given path of tokens, or nil.
func (c *compiled) lookup(path []string) any {
	cur := c.doc
	for _, t := range path {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[t]
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

// keywordPath returns the unescaped tokens of the fragment of an absolute
// keyword location ("https://.../v41.json#/$defs/httpsURL/pattern").
func keywordPath(abs string) []string {
	i := strings.IndexByte(abs, '#')
	if i < 0 {
		return nil
	}
	return unescapeTokens(abs[i+1:])
}

// instancePointer turns jsonschema's instance location (RFC 6901 tokens,
// then URL path escaping) into a manifest pointer.
func instancePointer(loc string) string {
	ptr := ""
	for _, t := range unescapeTokens(loc) {
		ptr = manifest.AppendPointer(ptr, t)
	}
	return ptr
}

func unescapeTokens(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	toks := strings.Split(p, "/")
	for i, t := range toks {
		if u, err := url.PathUnescape(t); err == nil {
			t = u
		}
		t = strings.ReplaceAll(t, "~1", "/")
		toks[i] = strings.ReplaceAll(t, "~0", "~")
	}
	return toks
}

// generic member names are qualified with their parent's name in
// messages ("page.url", "support_link.url").
var generic = map[string]bool{
	"url": true, "label": true, "type": true, "name": true, "description": true,
	"id": true, "uid": true, "uuid": true, "version": true, "schema": true,
	"instances": true, "company": true, "project": true, "properties": true,
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
	if qualify && generic[toks[i]] && i > 0 {
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

func elements(kw string) string {
	if strings.HasSuffix(kw, "Properties") {
		return "members"
	}
	return "elements"
}

// literal writes a schema value as JSON ("4.1" with its quotes).
func literal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func number(v any) string {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return fmt.Sprint(v)
}

func typeNames(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return strs(v)
}

func strs(v any) []string {
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, e := range a {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

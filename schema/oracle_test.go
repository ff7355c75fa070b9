package schema

// The oracle: package schema's previous implementation, which validated
// with github.com/santhosh-tekuri/jsonschema/v5 and mapped its error tree
// to messages. It is kept here, in tests only, frozen, to check the native
// validator against (native_test.go). Do not change its behaviour to make
// a test pass: a difference is a bug in one of the two, to be understood.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/manifestctl/manifestctl/manifest"
)

// oracle is one schema compiled by jsonschema/v5, with its decoded text
// kept to read the keywords an error names (enum values, messages).
type oracle struct {
	schema *jsonschema.Schema
	doc    any
}

func compileOracle(u string, src []byte) (*oracle, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode schema %s: %w", u, err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = loadEmbedded
	if err := c.AddResource(u, bytes.NewReader(src)); err != nil {
		return nil, fmt.Errorf("add schema %s: %w", u, err)
	}
	s, err := c.Compile(u)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", u, err)
	}
	return &oracle{schema: s, doc: doc}, nil
}

// errorTree returns jsonschema's verdict on doc: nil when valid.
func (o *oracle) errorTree(doc *manifest.Document) (*jsonschema.ValidationError, error) {
	err := o.schema.Validate(doc.Root.Interface())
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	return ve, nil
}

// validate is the previous Validate, verbatim but for names.
func (o *oracle) validate(doc *manifest.Document) []manifest.Diagnostic {
	ve, err := o.errorTree(doc)
	if err != nil {
		return []manifest.Diagnostic{doc.DiagRule(manifest.RuleSchema, "",
			"the manifest could not be checked against the schema: "+strings.TrimPrefix(err.Error(), "jsonschema: "))}
	}
	if ve == nil {
		return nil
	}
	m := oracleMapper{o: o, doc: doc}
	probs := m.walk(ve)
	diags := make([]manifest.Diagnostic, 0, len(probs))
	for _, p := range probs {
		diags = append(diags, doc.DiagRule(manifest.RuleSchema, p.pointer, p.message))
	}
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		switch {
		case a.Pos.Offset != b.Pos.Offset:
			return a.Pos.Offset < b.Pos.Offset
		case a.Pos.Pointer != b.Pos.Pointer:
			return a.Pos.Pointer < b.Pos.Pointer
		}
		return a.Message < b.Message
	})
	out := diags[:0]
	for _, d := range diags {
		if n := len(out); n > 0 && d.Pos.Pointer == out[n-1].Pos.Pointer && d.Message == out[n-1].Message {
			continue
		}
		out = append(out, d)
	}
	return out
}

// leafPointers returns the instance pointers of the failed keywords in
// jsonschema's error tree, without interpretation, except the documented
// filtering: failures under an unreported $defs entry and unknown members
// (additionalProperties and the like) are left out. Only for schemas
// without anyOf or oneOf, whose failures are collapsed on purpose.
func (o *oracle) leafPointers(doc *manifest.Document) (map[string]bool, error) {
	ve, err := o.errorTree(doc)
	if err != nil || ve == nil {
		return nil, err
	}
	out := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		loc := keywordPath(e.AbsoluteKeywordLocation)
		for i := 0; i+1 < len(loc); i++ {
			if loc[i] == "$defs" && unreportedDef(loc[i+1]) {
				return
			}
		}
		if len(loc) > 0 {
			switch loc[len(loc)-1] {
			case "additionalProperties", "unevaluatedProperties", "unevaluatedItems":
				return
			}
		}
		out[instancePointer(e.InstanceLocation)] = true
	}
	walk(ve)
	return out, nil
}

// oracleMapper turns jsonschema's error tree into problems.
type oracleMapper struct {
	o   *oracle
	doc *manifest.Document
}

// walk returns the problems of the leaves under e. anyOf and oneOf
// failures are collapsed to the most useful alternative.
func (m *oracleMapper) walk(e *jsonschema.ValidationError) []problem {
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
func (m *oracleMapper) alternatives(e *jsonschema.ValidationError) []problem {
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

// leaf explains one failed keyword.
func (m *oracleMapper) leaf(e *jsonschema.ValidationError, kw string, loc []string) []problem {
	for i := 0; i+1 < len(loc); i++ {
		if loc[i] == "$defs" && unreportedDef(loc[i+1]) {
			return nil
		}
	}
	ptr := instancePointer(e.InstanceLocation)
	var sch map[string]any
	if len(loc) > 0 {
		sch, _ = m.o.lookup(loc[:len(loc)-1]).(map[string]any)
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

func (m *oracleMapper) typeProblem(ptr string, types []string) problem {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = article(t)
	}
	msg := subject(ptr) + " must be " + strings.Join(names, " or ") + ", found " + typed(m.doc.Root.Lookup(ptr))
	return problem{pointer: ptr, keyword: "type", types: types, message: msg}
}

// lookup returns the schema value at the given path of tokens, or nil.
func (o *oracle) lookup(path []string) any {
	cur := o.doc
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

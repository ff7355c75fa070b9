package schema

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// draft is the only $schema the compiler accepts: the embedded schemas
// are written for JSON Schema 2020-12.
const draft = "https://json-schema.org/draft/2020-12/schema"

// typeSet is a set of JSON Schema type names.
type typeSet uint8

const (
	typeNull typeSet = 1 << iota
	typeBoolean
	typeObject
	typeArray
	typeNumber
	typeString
	typeInteger
)

// typeBit returns the bit of a JSON Schema type name, or 0.
func typeBit(name string) typeSet {
	switch name {
	case "null":
		return typeNull
	case "boolean":
		return typeBoolean
	case "object":
		return typeObject
	case "array":
		return typeArray
	case "number":
		return typeNumber
	case "string":
		return typeString
	case "integer":
		return typeInteger
	}
	return 0
}

// node is one compiled schema object. It holds exactly the keywords the
// compiler supports; compileSchema refuses any other.
type node struct {
	loc string // where it was written: "v41.json#/$defs/httpsURL"

	types     typeSet
	typeNames []string // as written, for messages

	hasConst bool
	constVal value
	constMsg string // "must be \"4.1\"" (", found X" is added)

	enum    []value
	enumMsg string // "must be one of a, b" or, for one value, "must be \"a\""

	required   []string
	props      []property
	additional *node // additionalProperties; nil when absent
	items      *node

	pattern      *regexp.Regexp
	patternMsg   string // x-pattern-message, or "must match the pattern P"
	patternFound bool   // add ", found X" to patternMsg (no x-pattern-message)

	ref   *node
	anyOf []*node
	oneOf []*node

	// unreported: the schema sits under a $defs entry whose failures a
	// lint rule reports (see unreportedDef in messages.go).
	unreported bool
	// silent: this schema and everything it applies are unreported, so
	// outside anyOf and oneOf it need not be checked at all.
	silent bool
	// nesting is how many members and elements deep s reaches.
	nesting  int
	analysed bool // silent and nesting are set
}

type property struct {
	name   string
	schema *node
}

// value is a const or enum value: a string, a boolean or null.
type value struct {
	kind manifest.Kind
	str  string
	b    bool
}

func (v value) equal(n *manifest.Node) bool {
	if n.Kind != v.kind {
		return false
	}
	switch v.kind {
	case manifest.String:
		return n.Str == v.str
	case manifest.Bool:
		return n.Bool == v.b
	}
	return true // null
}

// literal writes the value as JSON, the way encoding/json would.
func (v value) literal() string {
	switch v.kind {
	case manifest.String:
		b, _ := json.Marshal(v.str)
		return string(b)
	case manifest.Bool:
		if v.b {
			return "true"
		}
		return "false"
	}
	return "null"
}

// schemaDoc is a parsed schema document and the URL its references are
// resolved against (its $id, else the URL it was read from).
type schemaDoc struct {
	doc  *manifest.Document
	base string
}

// compiler turns schema documents (parsed with manifest.Parse) into nodes.
type compiler struct {
	load   func(string) (io.ReadCloser, error)
	docs   map[string]*schemaDoc // by document URL, $id included
	done   map[string]*node      // by location
	active map[string]bool       // being compiled: reaching one again is recursion
}

// compileSource compiles a schema held in memory under URL u. $refs to
// other documents are read with load; the embedded schemas use none.
func compileSource(u string, src []byte, load func(string) (io.ReadCloser, error)) (*compiled, error) {
	c := &compiler{load: load, docs: map[string]*schemaDoc{}, done: map[string]*node{}, active: map[string]bool{}}
	d, err := c.document(u, src)
	if err != nil {
		return nil, err
	}
	s, err := c.compileSchema(d.base, "", d.doc.Root)
	if err != nil {
		return nil, err
	}
	for _, n := range c.done {
		analyse(n)
	}
	if s.nesting > maxNesting {
		return nil, fmt.Errorf("schema %s reaches %d levels into a value; at most %d are supported", u, s.nesting, maxNesting)
	}
	return &compiled{schema: s, doc: d.doc}, nil
}

// document parses a schema document and registers it under u and its
// $id.
func (c *compiler) document(u string, src []byte) (*schemaDoc, error) {
	doc, diags := manifest.Parse(u, src, manifest.ParseOptions{})
	if len(diags) > 0 {
		d := diags[0]
		return nil, fmt.Errorf("schema %s:%d:%d: %s", u, d.Pos.Line, d.Pos.Col, d.Message)
	}
	if doc.Root.Kind != manifest.Object {
		return nil, fmt.Errorf("schema %s: must be an object, found %s", u, doc.Root.Kind)
	}
	base := u
	if id := doc.Root.Get("$id"); id != nil {
		if id.Kind != manifest.String {
			return nil, fmt.Errorf("schema %s: $id must be a string", u)
		}
		r, err := resolve(u, id.Str)
		if err != nil || r.Fragment != "" {
			return nil, fmt.Errorf("schema %s: $id %q is not an absolute URL without a fragment", u, id.Str)
		}
		base = r.String()
	}
	if s := doc.Root.Get("$schema"); s != nil && (s.Kind != manifest.String || strings.TrimSuffix(s.Str, "#") != draft) {
		return nil, fmt.Errorf("schema %s: $schema must be %s, the only draft supported", u, draft)
	}
	d := &schemaDoc{doc: doc, base: base}
	c.docs[u] = d
	c.docs[base] = d
	return d, nil
}

func resolve(base, ref string) (*url.URL, error) {
	b, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return nil, err
	}
	return b.ResolveReference(r), nil
}

// compileSchema compiles the schema object n found at ptr in document
// docURL.
func (c *compiler) compileSchema(docURL, ptr string, n *manifest.Node) (*node, error) {
	loc := docURL + "#" + ptr
	if s := c.done[loc]; s != nil {
		return s, nil
	}
	if c.active[loc] {
		return nil, fmt.Errorf("schema %s refers to itself: recursive schemas are not supported", loc)
	}
	if n == nil || n.Kind != manifest.Object {
		return nil, fmt.Errorf("schema %s: only object schemas are supported, found %s", loc, kindOf(n))
	}
	c.active[loc] = true
	defer delete(c.active, loc)

	s := &node{loc: loc, unreported: isUnreported(ptr)}
	sub := func(key string, v *manifest.Node) (*node, error) {
		return c.compileSchema(docURL, manifest.AppendPointer(ptr, key), v)
	}
	bad := func(key, want string) error {
		return fmt.Errorf("schema %s: %s must be %s", loc, key, want)
	}
	var patternMsg *string
	for _, m := range n.Members {
		v := m.Value
		switch m.Key {
		case "$schema", "$id":
			if ptr != "" {
				return nil, fmt.Errorf("schema %s: %s is only supported at the top of a document", loc, m.Key)
			}
		case "$comment", "title", "description":
			if v.Kind != manifest.String {
				return nil, bad(m.Key, "a string")
			}
		case "$defs":
			if v.Kind != manifest.Object {
				return nil, bad(m.Key, "an object")
			}
			// Every definition is compiled, referenced or not, so that an
			// unsupported keyword anywhere fails.
			defs := manifest.AppendPointer(ptr, m.Key)
			for _, d := range v.Members {
				if _, err := c.compileSchema(docURL, manifest.AppendPointer(defs, d.Key), d.Value); err != nil {
					return nil, err
				}
			}
		case "type":
			names, ok := strings1(v)
			if !ok || len(names) == 0 {
				return nil, bad(m.Key, "a type name or a non-empty array of them")
			}
			for _, t := range names {
				b := typeBit(t)
				if b == 0 || s.types&b != 0 {
					return nil, fmt.Errorf("schema %s: type %q is not a JSON Schema type or is listed twice", loc, t)
				}
				s.types |= b
			}
			s.typeNames = names
		case "const":
			cv, err := literalValue(loc, m.Key, v)
			if err != nil {
				return nil, err
			}
			s.hasConst, s.constVal = true, cv
			s.constMsg = "must be " + cv.literal()
		case "enum":
			if v.Kind != manifest.Array || len(v.Elems) == 0 {
				return nil, bad(m.Key, "a non-empty array")
			}
			list := make([]string, len(v.Elems))
			for i, e := range v.Elems {
				ev, err := literalValue(loc, m.Key, e)
				if err != nil {
					return nil, err
				}
				s.enum = append(s.enum, ev)
				if ev.kind == manifest.String {
					list[i] = ev.str
				} else {
					list[i] = ev.literal()
				}
			}
			if len(s.enum) == 1 {
				s.enumMsg = "must be " + s.enum[0].literal()
			} else {
				s.enumMsg = "must be one of " + strings.Join(list, ", ")
			}
		case "required":
			names, ok := strings1(v)
			if !ok || v.Kind != manifest.Array {
				return nil, bad(m.Key, "an array of strings")
			}
			s.required = names
		case "properties":
			if v.Kind != manifest.Object {
				return nil, bad(m.Key, "an object")
			}
			props := manifest.AppendPointer(ptr, m.Key)
			for _, p := range v.Members {
				ps, err := c.compileSchema(docURL, manifest.AppendPointer(props, p.Key), p.Value)
				if err != nil {
					return nil, err
				}
				s.props = append(s.props, property{name: p.Key, schema: ps})
			}
		case "additionalProperties", "items":
			if v.Kind != manifest.Object {
				return nil, bad(m.Key, "a schema object (true and false are not supported)")
			}
			as, err := sub(m.Key, v)
			if err != nil {
				return nil, err
			}
			if m.Key == "items" {
				s.items = as
			} else {
				s.additional = as
			}
		case "pattern":
			if v.Kind != manifest.String {
				return nil, bad(m.Key, "a string")
			}
			re, err := regexp.Compile(v.Str)
			if err != nil {
				return nil, fmt.Errorf("schema %s: pattern: %w", loc, err)
			}
			s.pattern = re
		case "x-pattern-message":
			if v.Kind != manifest.String {
				return nil, bad(m.Key, "a string")
			}
			patternMsg = &v.Str
		case "$ref":
			if v.Kind != manifest.String {
				return nil, bad(m.Key, "a string")
			}
			r, err := c.ref(docURL, v.Str)
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", loc, err)
			}
			s.ref = r
		case "anyOf", "oneOf":
			if v.Kind != manifest.Array || len(v.Elems) == 0 {
				return nil, bad(m.Key, "a non-empty array of schemas")
			}
			list := manifest.AppendPointer(ptr, m.Key)
			alts := make([]*node, len(v.Elems))
			for i, e := range v.Elems {
				a, err := c.compileSchema(docURL, manifest.AppendIndex(list, i), e)
				if err != nil {
					return nil, err
				}
				alts[i] = a
			}
			if m.Key == "anyOf" {
				s.anyOf = alts
			} else {
				s.oneOf = alts
			}
		default:
			return nil, fmt.Errorf("schema %s: keyword %q is not supported by manifestctl's schema compiler", loc, m.Key)
		}
	}
	if s.pattern != nil {
		if patternMsg != nil {
			s.patternMsg = *patternMsg
		} else {
			s.patternMsg, s.patternFound = "must match the pattern "+s.pattern.String(), true
		}
	} else if patternMsg != nil {
		return nil, fmt.Errorf("schema %s: x-pattern-message without pattern", loc)
	}
	c.done[loc] = s
	return s, nil
}

// ref compiles the target of a $ref written in document docURL.
func (c *compiler) ref(docURL, ref string) (*node, error) {
	if frag, ok := strings.CutPrefix(ref, "#/"); ok && !strings.Contains(frag, "%") {
		// The common case, "#/$defs/name", needs no URL parsing.
		d := c.docs[docURL]
		n := d.doc.Root.Lookup("/" + frag)
		if n == nil {
			return nil, fmt.Errorf("$ref %q names nothing", ref)
		}
		return c.compileSchema(d.base, "/"+frag, n)
	}
	r, err := resolve(docURL, ref)
	if err != nil {
		return nil, fmt.Errorf("$ref %q: %w", ref, err)
	}
	frag := r.Fragment
	if frag != "" && frag[0] != '/' {
		return nil, fmt.Errorf("$ref %q: only JSON Pointer fragments are supported", ref)
	}
	r.Fragment, r.RawFragment = "", ""
	target := r.String()
	d := c.docs[target]
	if d == nil {
		if c.load == nil {
			return nil, fmt.Errorf("$ref %q: schema %s is not available", ref, target)
		}
		rc, err := c.load(target)
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %w", ref, err)
		}
		src, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("$ref %q: %w", ref, err)
		}
		if d, err = c.document(target, src); err != nil {
			return nil, err
		}
	}
	n := d.doc.Root.Lookup(frag)
	if n == nil {
		return nil, fmt.Errorf("$ref %q names nothing", ref)
	}
	return c.compileSchema(d.base, frag, n)
}

// literalValue reads a const or enum value: only strings, booleans and
// null are supported.
func literalValue(loc, key string, n *manifest.Node) (value, error) {
	switch n.Kind {
	case manifest.String:
		return value{kind: manifest.String, str: n.Str}, nil
	case manifest.Bool:
		return value{kind: manifest.Bool, b: n.Bool}, nil
	case manifest.Null:
		return value{kind: manifest.Null}, nil
	}
	return value{}, fmt.Errorf("schema %s: %s values must be strings, booleans or null, found %s", loc, key, n.Kind)
}

// strings1 reads a string or an array of strings.
func strings1(n *manifest.Node) ([]string, bool) {
	switch n.Kind {
	case manifest.String:
		return []string{n.Str}, true
	case manifest.Array:
		out := make([]string, len(n.Elems))
		for i, e := range n.Elems {
			if e.Kind != manifest.String {
				return nil, false
			}
			out[i] = e.Str
		}
		return out, true
	}
	return nil, false
}

func kindOf(n *manifest.Node) string {
	if n == nil {
		return "nothing"
	}
	return n.Kind.String()
}

// isUnreported reports whether the schema at ptr is, or is inside, a $defs
// entry unreportedDef names.
func isUnreported(ptr string) bool {
	toks, err := manifest.SplitPointer(ptr)
	if err != nil {
		return false
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i] == "$defs" && unreportedDef(toks[i+1]) {
			return true
		}
	}
	return false
}

// analyse sets s.silent, when s and every schema it applies are
// unreported, and s.nesting, how deep into a value s reaches. Schemas are
// not recursive (the compiler refuses that), so this ends.
func analyse(s *node) {
	if s.analysed {
		return
	}
	s.analysed = true
	silent := s.unreported
	apply := func(t *node, deeper int) {
		if t == nil {
			return
		}
		analyse(t)
		silent = silent && t.silent
		s.nesting = max(s.nesting, t.nesting+deeper)
	}
	for _, p := range s.props {
		apply(p.schema, 1)
	}
	apply(s.additional, 1)
	apply(s.items, 1)
	apply(s.ref, 0)
	for _, a := range s.anyOf {
		apply(a, 0)
	}
	for _, a := range s.oneOf {
		apply(a, 0)
	}
	s.silent = silent
}

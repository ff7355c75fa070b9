package manifest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Rule IDs of the findings Parse itself produces. They are documented like
// every other rule (manifestctl rules explain MC001).
const (
	RuleInvalidJSON  = "MC001"
	RuleInvalidUTF8  = "MC002"
	RuleEmptyFile    = "MC003"
	RuleByteOrder    = "MC004"
	RuleDuplicateKey = "MC005"
	RuleLimit        = "MC006"
	RuleNumberRange  = "MC007"
)

// Default limits for ParseOptions.
const (
	DefaultMaxSize  = 10 << 20
	DefaultMaxDepth = 128
)

// ParseOptions bounds what Parse accepts. The zero value uses the defaults.
type ParseOptions struct {
	MaxSize  int // bytes; 0 means DefaultMaxSize
	MaxDepth int // nesting of objects and arrays; 0 means DefaultMaxDepth
}

// Parse reads a manifest. It always returns a Document; Document.Root is nil
// when the input is not a JSON document (empty, too large, a syntax error).
// Problems with the input are returned as Diagnostics, in source order.
func Parse(path string, src []byte, opts ParseOptions) (*Document, []Diagnostic) {
	doc := &Document{Path: path, Src: src}
	maxSize := opts.MaxSize
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	maxDepth := opts.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	var diags []Diagnostic
	if len(src) > maxSize {
		diags = append(diags, doc.diagAt(RuleLimit, 0, "",
			fmt.Sprintf("file is larger than the limit of %d bytes", maxSize)))
		return doc, diags
	}
	start := 0
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		doc.BOM = true
		start = 3
		diags = append(diags, doc.diagAt(RuleByteOrder, 0, "",
			"file starts with a UTF-8 byte-order mark; remove it (JSON text must not begin with one)"))
	}
	p := &parser{doc: doc, src: src, s: string(src), pos: start, maxDepth: maxDepth, checkUTF8: !utf8.Valid(src[start:]),
		chunk: min(len(src)/48+16, 1024), mstack: make([]Member, 0, 32), estack: make([]*Node, 0, 16),
		path: make([]frame, 0, 16)}
	p.skipSpace()
	if p.pos >= len(src) {
		diags = append(diags, doc.diagAt(RuleEmptyFile, start, "", "file is empty: a manifest is a JSON object"))
		return doc, diags
	}
	root, err := p.value()
	if err == nil {
		p.skipSpace()
		if p.pos < len(src) {
			err = p.fail(p.pos, "unexpected %s after the end of the top-level value", p.describe(p.pos))
		}
	}
	diags = append(diags, p.diags...)
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			diags = append(diags, doc.diagAt(se.rule, se.offset, se.pointer, se.msg))
		}
		return doc, diags
	}
	doc.Root = root
	return doc, diags
}

type syntaxError struct {
	rule    string
	offset  int
	pointer string
	msg     string
}

func (e *syntaxError) Error() string { return e.msg }

// frame is the step from a container to the child being read.
type frame struct {
	key string
	idx int // -1 for an object member
}

type parser struct {
	doc *Document
	src []byte
	// s is src as a string, copied once: the values of member names,
	// strings without escapes and numbers are slices of it, which saves an
	// allocation per value.
	s         string
	pos       int
	depth     int
	maxDepth  int
	checkUTF8 bool
	path      []frame // steps to the innermost container being read
	cur       frame   // step to the value being read
	diags     []Diagnostic
	badUTF8   int
	inKey     bool // reading a member name
	keyUTF8   int  // offset of invalid UTF-8 in the member name just read, or -1

	// Nodes, members and elements are allocated in chunks of about chunk
	// entries rather than one by one: a document's tree lives and dies as a
	// whole. Members and elements of the containers being read wait on the
	// stacks and are copied to their final, exactly sized place when the
	// container closes. (The stacks keep stale pointers above their length
	// until the parse ends; clearing them would only add write barriers.)
	chunk   int
	nodes   []Node
	members []Member
	elems   []*Node
	mstack  []Member
	estack  []*Node
}

// node returns a new node from the current chunk.
func (p *parser) node(kind Kind, start int) *Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]Node, 0, p.chunk)
	}
	p.nodes = p.nodes[:len(p.nodes)+1]
	n := &p.nodes[len(p.nodes)-1]
	n.Kind, n.Start = kind, start
	return n
}

// takeMembers moves the members stacked from base into a slice of their
// own (capacity = length, so that an append by a caller copies) and pops
// them.
func (p *parser) takeMembers(base int) []Member {
	ms := p.mstack[base:]
	if len(ms) == 0 {
		return nil
	}
	if cap(p.members)-len(p.members) < len(ms) {
		p.members = make([]Member, 0, max(len(ms), p.chunk))
	}
	i := len(p.members)
	p.members = append(p.members, ms...)
	p.mstack = p.mstack[:base]
	return p.members[i:len(p.members):len(p.members)]
}

// takeElems is takeMembers for array elements.
func (p *parser) takeElems(base int) []*Node {
	es := p.estack[base:]
	if len(es) == 0 {
		return nil
	}
	if cap(p.elems)-len(p.elems) < len(es) {
		p.elems = make([]*Node, 0, max(len(es), p.chunk/4))
	}
	i := len(p.elems)
	p.elems = append(p.elems, es...)
	p.estack = p.estack[:base]
	return p.elems[i:len(p.elems):len(p.elems)]
}

func (p *parser) pointer(frames []frame) string {
	var b strings.Builder
	for _, f := range frames {
		if f.idx >= 0 {
			b.WriteString(AppendIndex("", f.idx))
		} else {
			b.WriteString(AppendPointer("", f.key))
		}
	}
	return b.String()
}

func (p *parser) fail(offset int, format string, args ...any) error {
	return &syntaxError{rule: RuleInvalidJSON, offset: offset, pointer: p.pointer(p.path), msg: fmt.Sprintf(format, args...)}
}

// describe names what stands at offset, for messages.
func (p *parser) describe(offset int) string {
	if offset >= len(p.src) {
		return "end of file"
	}
	r, size := utf8.DecodeRune(p.src[offset:])
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("byte 0x%02X", p.src[offset])
	}
	switch r {
	case '\n':
		return "end of line"
	case '\'':
		return `"'"`
	}
	if r < 0x20 || r == 0x7F || !strconv.IsPrint(r) {
		return fmt.Sprintf("character %U", r)
	}
	return "'" + string(r) + "'"
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() (*Node, error) {
	if p.pos >= len(p.src) {
		return nil, p.fail(p.pos, "unexpected end of file, expected a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		start := p.pos
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n := p.node(String, start)
		n.End, n.Str = p.pos, s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Bool, true)
	case c == 'f':
		return p.literal("false", Bool, false)
	case c == 'n':
		return p.literal("null", Null, false)
	case c == '\'':
		return nil, p.fail(p.pos, "strings must be in double quotes, found \"'\"")
	case c == '/':
		return nil, p.fail(p.pos, "comments are not allowed in JSON")
	default:
		return nil, p.fail(p.pos, "expected a value, found %s", p.describe(p.pos))
	}
}

func (p *parser) literal(word string, kind Kind, b bool) (*Node, error) {
	start := p.pos
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		end := p.pos
		for end < len(p.src) && end-p.pos < 16 && isWordByte(p.src[end]) {
			end++
		}
		return nil, p.fail(p.pos, "expected a value, found %q (JSON literals are true, false and null)", p.src[p.pos:max(end, p.pos+1)])
	}
	p.pos += len(word)
	if p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
		return nil, p.fail(start, "expected a value, found an unquoted word (strings must be in double quotes)")
	}
	n := p.node(kind, start)
	n.End, n.Bool = p.pos, b
	return n, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *parser) enter(open int) error {
	p.depth++
	if p.depth > p.maxDepth {
		return &syntaxError{rule: RuleLimit, offset: open, pointer: p.pointer(p.path),
			msg: fmt.Sprintf("nesting is deeper than the limit of %d levels", p.maxDepth)}
	}
	if p.depth > 1 {
		p.path = append(p.path, p.cur)
	}
	return nil
}

func (p *parser) leave() {
	if p.depth > 1 {
		p.path = p.path[:len(p.path)-1]
	}
	p.depth--
}

func (p *parser) object() (*Node, error) {
	n := p.node(Object, p.pos)
	if err := p.enter(p.pos); err != nil {
		return nil, err
	}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		n.End = p.pos
		p.leave()
		return n, nil
	}
	// last and first index the members of a large object (see below).
	var last, first map[string]int
	base := len(p.mstack)
	for {
		if p.pos >= len(p.src) {
			return nil, p.fail(p.pos, "unexpected end of file in the object opened at %s", p.doc.lineCol(n.Start))
		}
		if c := p.src[p.pos]; c != '"' {
			if c == '}' && len(p.mstack) > base {
				return nil, p.fail(p.pos, "trailing comma before '}' is not allowed in JSON")
			}
			if c == '\'' {
				return nil, p.fail(p.pos, "member names must be in double quotes, found \"'\"")
			}
			if c == '/' {
				return nil, p.fail(p.pos, "comments are not allowed in JSON")
			}
			return nil, p.fail(p.pos, "expected a member name in double quotes, found %s", p.describe(p.pos))
		}
		keyStart := p.pos
		p.inKey, p.keyUTF8 = true, -1
		key, err := p.str()
		p.inKey = false
		if err != nil {
			return nil, err
		}
		keyEnd := p.pos
		if p.keyUTF8 >= 0 {
			p.cur = frame{key: key, idx: -1}
			p.reportUTF8(p.keyUTF8)
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.fail(p.pos, "expected ':' after member name %q, found %s", key, p.describe(p.pos))
		}
		p.pos++
		p.skipSpace()
		p.cur = frame{key: key, idx: -1}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		// Duplicate detection: a linear scan for small objects, a map of
		// each name's last member for large ones (kept as the object's
		// index), and a map of each duplicated name's first member.
		members := p.mstack[base:]
		dup := -1
		if len(members) < indexMinMembers {
			for i := range members {
				if members[i].Key == key {
					dup = i
					break
				}
			}
		} else {
			if last == nil {
				last = make(map[string]int, len(members)*2)
				for i, m := range members {
					if j, ok := last[m.Key]; ok {
						if _, ok := first[m.Key]; !ok {
							first = setFirst(first, m.Key, j)
						}
					}
					last[m.Key] = i
				}
			}
			if j, ok := last[key]; ok {
				if f, ok := first[key]; ok {
					dup = f
				} else {
					dup = j
					first = setFirst(first, key, j)
				}
			}
			last[key] = len(members)
		}
		if dup >= 0 {
			ptr := AppendPointer(p.pointer(p.path[:max(p.depth-1, 0)]), key)
			firstAt := p.doc.lineCol(members[dup].KeyStart)
			p.diags = append(p.diags, p.doc.diagAt(RuleDuplicateKey, keyStart, ptr,
				fmt.Sprintf("duplicate key %q: first defined at %s; the last one wins", key, firstAt)))
		}
		p.mstack = append(p.mstack, Member{Key: key, KeyStart: keyStart, KeyEnd: keyEnd, Value: v})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.fail(p.pos, "unexpected end of file in the object opened at %s", p.doc.lineCol(n.Start))
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case '}':
			p.pos++
			n.End = p.pos
			n.Members = p.takeMembers(base)
			if last != nil {
				n.index = &memberIndex{first: &n.Members[0], n: len(n.Members), last: last}
			}
			p.leave()
			return n, nil
		case '"':
			return nil, p.fail(p.pos, "missing ',' between object members")
		default:
			return nil, p.fail(p.pos, "expected ',' or '}' after object member, found %s", p.describe(p.pos))
		}
	}
}

// setFirst records the first member named key, making the map on first
// use.
func setFirst(m map[string]int, key string, i int) map[string]int {
	if m == nil {
		m = make(map[string]int)
	}
	m[key] = i
	return m
}

func (p *parser) array() (*Node, error) {
	n := p.node(Array, p.pos)
	if err := p.enter(p.pos); err != nil {
		return nil, err
	}
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		n.End = p.pos
		p.leave()
		return n, nil
	}
	base := len(p.estack)
	for {
		if p.pos < len(p.src) && p.src[p.pos] == ']' && len(p.estack) > base {
			return nil, p.fail(p.pos, "trailing comma before ']' is not allowed in JSON")
		}
		p.cur = frame{idx: len(p.estack) - base}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.estack = append(p.estack, v)
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil, p.fail(p.pos, "unexpected end of file in the array opened at %s", p.doc.lineCol(n.Start))
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
			p.pos++
			n.End = p.pos
			n.Elems = p.takeElems(base)
			p.leave()
			return n, nil
		default:
			return nil, p.fail(p.pos, "expected ',' or ']' after array element, found %s", p.describe(p.pos))
		}
	}
}

func (p *parser) number() (*Node, error) {
	start := p.pos
	i := p.pos
	src := p.src
	if src[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
		return i - j
	}
	bad := func() error {
		end := i
		for end < len(src) && end-start < 32 && (isWordByte(src[end]) || src[end] == '.' || src[end] == '+' || src[end] == '-') {
			end++
		}
		return p.fail(start, "invalid number %q", src[start:max(end, start+1)])
	}
	if i < len(src) && src[i] == '0' {
		i++
		if i < len(src) && src[i] >= '0' && src[i] <= '9' {
			return nil, p.fail(start, "invalid number: leading zeros are not allowed in JSON")
		}
	} else if digits() == 0 {
		return nil, bad()
	}
	if i < len(src) && src[i] == '.' {
		i++
		if digits() == 0 {
			return nil, bad()
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, bad()
		}
	}
	if i < len(src) && isWordByte(src[i]) {
		return nil, bad()
	}
	p.pos = i
	lit := p.s[start:i]
	if _, err := strconv.ParseFloat(lit, 64); err != nil {
		p.diags = append(p.diags, p.doc.diagAt(RuleNumberRange, start, p.childPointer(),
			fmt.Sprintf("number %s does not fit in a 64-bit floating point value", truncate(lit, 40))))
	}
	n := p.node(Number, start)
	n.End, n.Str = i, lit
	return n, nil
}

// childPointer is the pointer of the scalar being read.
func (p *parser) childPointer() string {
	ptr := p.pointer(p.path)
	if p.depth == 0 {
		return ptr
	}
	if p.cur.idx >= 0 {
		return AppendIndex(ptr, p.cur.idx)
	}
	return AppendPointer(ptr, p.cur.key)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// str reads a quoted string starting at p.pos and returns its value.
func (p *parser) str() (string, error) {
	start := p.pos
	src := p.src
	i := start + 1
	// Fast path: no escapes. Skip eight bytes at a time while none of them
	// is a quote, a backslash or a control character.
	for i+8 <= len(src) && !hasStringStop(binary.LittleEndian.Uint64(src[i:])) {
		i += 8
	}
	for i < len(src) {
		c := src[i]
		if c == '"' {
			raw := src[start+1 : i]
			p.pos = i + 1
			if p.checkUTF8 && !utf8.Valid(raw) {
				p.reportUTF8(start + 1 + invalidUTF8At(raw))
				return strings.ToValidUTF8(string(raw), "\uFFFD"), nil
			}
			return p.s[start+1 : i], nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		i++
	}
	var b []byte
	b = append(b, src[start+1:i]...)
	for {
		if i >= len(src) {
			return "", p.fail(start, "unterminated string (no closing '\"')")
		}
		c := src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			if p.checkUTF8 && !utf8.Valid(b) {
				raw := src[start+1 : i]
				p.reportUTF8(start + 1 + invalidUTF8At(raw))
				return strings.ToValidUTF8(string(b), "\uFFFD"), nil
			}
			return string(b), nil
		case c < 0x20:
			if c == '\n' || c == '\r' {
				return "", p.fail(i, "unterminated string: a line break inside a string must be written \\n")
			}
			return "", p.fail(i, "control character %U inside a string must be escaped", rune(c))
		case c == '\\':
			if i+1 >= len(src) {
				return "", p.fail(start, "unterminated string (no closing '\"')")
			}
			e := src[i+1]
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(src, i+2)
				if !ok {
					return "", p.fail(i, "invalid \\u escape: want four hexadecimal digits")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(src, i+2); ok && i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							i += 6
							b = utf8.AppendRune(b, d)
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", p.fail(i, "invalid escape '\\%c' in string", rune(e))
			}
			i += 2
		default:
			b = append(b, c)
			i++
		}
	}
}

// hasStringStop reports whether one of the eight bytes of x may be '"',
// '\\' or below 0x20 (SWAR: a byte b is zero when (b-1) &^ b has its top
// bit set). It can err only towards true, after a real match in a lower
// byte; the caller then reads byte by byte.
func hasStringStop(x uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	quote := x ^ ('"' * ones)
	backslash := x ^ ('\\' * ones)
	return ((quote-ones)&^quote|(backslash-ones)&^backslash|(x-0x20*ones)&^x)&highs != 0
}

func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

const maxUTF8Reports = 10

func (p *parser) reportUTF8(offset int) {
	if p.inKey {
		p.keyUTF8 = offset // reported by object once the name is known
		return
	}
	p.badUTF8++
	if p.badUTF8 > maxUTF8Reports {
		return
	}
	p.diags = append(p.diags, p.doc.diagAt(RuleInvalidUTF8, offset, p.childPointer(),
		fmt.Sprintf("invalid UTF-8 byte 0x%02X in string (manifests must be UTF-8 encoded)", p.src[offset])))
}

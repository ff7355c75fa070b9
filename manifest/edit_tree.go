package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Ordered-tree edits: setting, inserting and deleting values of a parsed
// manifest as byte edits on Document.Src, so that unknown members, key
// order and the formatting of everything else survive. New text follows
// the style of its surroundings: the indentation of sibling members (or
// of the document), one member per line in multi-line objects, inline in
// one-line objects, and the document's "key": value spacing.
//
// The *Edits functions return edits on doc.Src; the others apply them and
// return the re-parsed document.

// Fields is an ordered JSON object to write with Set, Insert or Append.
type Fields []Field

// Field is one member of a Fields object.
type Field struct {
	Key   string
	Value any
}

// RawJSON is JSON text written as is (it must be one valid JSON value).
type RawJSON string

// Placement says where Insert puts a new member of an object. The zero
// value inserts at the sorted position when the object has at least two
// members already in key order, else at the end.
type Placement struct {
	After  string // insert right after this member, when present
	Before string // insert right before this member, when present
	// Sorted inserts before the first member whose key sorts after the new
	// one (at the end when there is none), even when the object has fewer
	// than two members.
	Sorted bool
	// First inserts before every other member.
	First bool
}

// EditOptions tune Set, Insert and Append.
type EditOptions struct {
	// Placement gives, per object pointer, where a new member goes in
	// that object. Objects not listed use the zero Placement.
	Placement map[string]Placement
}

func (o *EditOptions) placement(ptr string) Placement {
	if o == nil {
		return Placement{}
	}
	return o.Placement[ptr]
}

// EditError reports an edit that cannot be made.
type EditError struct {
	Pointer string
	Reason  string
}

func (e *EditError) Error() string {
	p := e.Pointer
	if p == "" {
		p = "the document root"
	}
	return fmt.Sprintf("cannot edit %s: %s", p, e.Reason)
}

func editErr(ptr, format string, args ...any) error {
	return &EditError{Pointer: ptr, Reason: fmt.Sprintf(format, args...)}
}

// ErrNoDocument is returned by edits on a document that did not parse.
var ErrNoDocument = errors.New("the document has no JSON tree to edit")

// style is the formatting of a document, used for new text.
type style struct {
	unit      string // one level of indentation
	colon     string // between a key and its value, e.g. ": "
	multiline bool   // the document spreads over several lines
	nl        string // the line ending: "\n" (also when empty) or "\r\n"
}

func (st style) newline() string {
	if st.nl == "" {
		return "\n"
	}
	return st.nl
}

func docStyle(doc *Document) style {
	st := style{unit: "  ", colon: ": "}
	root := doc.Root
	if root == nil {
		return st
	}
	st.multiline = bytes.IndexByte(doc.Src[root.Start:root.End], '\n') >= 0
	st.nl = lineEnding(doc.Src)
	if c, ok := findColon(doc, root); ok {
		st.colon = c
	}
	if u, ok := findUnit(doc, root, 0); ok {
		st.unit = u
	}
	return st
}

// lineEnding returns the line ending of src's first line break: new lines
// follow the file's own ("\r\n" in a Windows file), so that an edit never
// mixes the two.
func lineEnding(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// findColon returns the text between the first member key and its value
// found in a depth-first walk, when it is ':' with optional spaces.
func findColon(doc *Document, n *Node) (string, bool) {
	switch n.Kind {
	case Object:
		// The first member decides: it is the style nearest the top.
		if len(n.Members) > 0 {
			m := n.Members[0]
			c := string(doc.Src[m.KeyEnd:m.Value.Start])
			if strings.Trim(c, " ") == ":" {
				return c, true
			}
		}
	case Array:
		for _, e := range n.Elems {
			if c, ok := findColon(doc, e); ok {
				return c, true
			}
		}
	}
	return "", false
}

// findUnit finds the indentation step of the first container whose first
// child starts its own line.
func findUnit(doc *Document, n *Node, depth int) (string, bool) {
	if depth > 8 || (n.Kind != Object && n.Kind != Array) {
		return "", false
	}
	starts, children := childStarts(n)
	if len(starts) > 0 {
		if ind, own := ownLineIndent(doc.Src, starts[0]); own {
			base := lineIndent(doc.Src, n.Start)
			if strings.HasPrefix(ind, base) && len(ind) > len(base) {
				return ind[len(base):], true
			}
		}
	}
	for _, c := range children {
		if u, ok := findUnit(doc, c, depth+1); ok {
			return u, true
		}
	}
	return "", false
}

func childStarts(n *Node) ([]int, []*Node) {
	var starts []int
	var nodes []*Node
	if n.Kind == Object {
		for _, m := range n.Members {
			starts = append(starts, m.KeyStart)
			nodes = append(nodes, m.Value)
		}
	} else if n.Kind == Array {
		for _, e := range n.Elems {
			starts = append(starts, e.Start)
			nodes = append(nodes, e)
		}
	}
	return starts, nodes
}

func childEnds(n *Node) []int {
	var ends []int
	if n.Kind == Object {
		for _, m := range n.Members {
			ends = append(ends, m.Value.End)
		}
	} else {
		for _, e := range n.Elems {
			ends = append(ends, e.End)
		}
	}
	return ends
}

// lineIndent returns the spaces and tabs at the start of the line holding
// offset.
func lineIndent(src []byte, offset int) string {
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// ownLineIndent returns the indentation of offset's line and whether only
// indentation precedes offset on it.
func ownLineIndent(src []byte, offset int) (string, bool) {
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	for i := start; i < offset; i++ {
		if src[i] != ' ' && src[i] != '\t' {
			return "", false
		}
	}
	if start == 0 {
		// The first line: a byte-order mark may precede the text.
		return "", false
	}
	return string(src[start:offset]), true
}

// containerLayout describes how the children of a container are laid out.
type containerLayout struct {
	sep    string // between two children, comma included
	indent string // of a child on its own line ("" when inline)
	multi  bool
}

func layoutOf(doc *Document, n *Node, st style) containerLayout {
	starts, _ := childStarts(n)
	ends := childEnds(n)
	base := lineIndent(doc.Src, n.Start)
	switch {
	case len(starts) >= 2:
		sep := string(doc.Src[ends[0]:starts[1]])
		multi := strings.Contains(sep, "\n")
		l := containerLayout{sep: sep, multi: multi}
		if multi {
			if ind, own := ownLineIndent(doc.Src, starts[1]); own {
				l.indent = ind
			} else {
				l.indent = base + st.unit
			}
		}
		return l
	case len(starts) == 1:
		if bytes.IndexByte(doc.Src[n.Start:starts[0]], '\n') >= 0 {
			ind, own := ownLineIndent(doc.Src, starts[0])
			if !own {
				ind = base + st.unit
			}
			return containerLayout{sep: "," + st.newline() + ind, indent: ind, multi: true}
		}
		return containerLayout{sep: ", "}
	}
	if st.multiline {
		ind := base + st.unit
		return containerLayout{sep: "," + st.newline() + ind, indent: ind, multi: true}
	}
	return containerLayout{sep: ", "}
}

// render writes v as JSON text. Containers are written one child per line
// when multi is true, with children at indent+unit and the closing bracket
// at indent.
func render(v any, indent string, st style, multi bool) (string, error) {
	var b strings.Builder
	if err := renderTo(&b, v, indent, st, multi, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func renderTo(b *strings.Builder, v any, indent string, st style, multi bool, depth int) error {
	if depth > DefaultMaxDepth {
		return errors.New("value nested too deeply")
	}
	open := func(c byte) {
		b.WriteByte(c)
	}
	child := func(i int) string {
		if i > 0 {
			b.WriteByte(',')
			if !multi {
				b.WriteByte(' ')
			}
		}
		if multi {
			b.WriteString(st.newline() + indent + st.unit)
		}
		return indent + st.unit
	}
	closeWith := func(c byte) {
		if multi {
			b.WriteString(st.newline() + indent)
		}
		b.WriteByte(c)
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case string:
		if !utf8.ValidString(x) {
			return fmt.Errorf("string %q is not valid UTF-8", x)
		}
		b.WriteString(quote(x))
	case RawJSON:
		if !json.Valid([]byte(x)) {
			return fmt.Errorf("raw JSON %q is not valid", string(x))
		}
		b.WriteString(string(x))
	case json.Number:
		if _, err := strconv.ParseFloat(string(x), 64); err != nil {
			return fmt.Errorf("number %q is not valid", string(x))
		}
		b.WriteString(string(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("number %v cannot be written in JSON", x)
		}
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case *Node:
		return renderTo(b, nodeValue(x), indent, st, multi, depth)
	case Fields:
		if len(x) == 0 {
			b.WriteString("{}")
			return nil
		}
		open('{')
		for i, f := range x {
			if !utf8.ValidString(f.Key) {
				return fmt.Errorf("member name %q is not valid UTF-8", f.Key)
			}
			in := child(i)
			b.WriteString(quote(f.Key))
			b.WriteString(st.colon)
			if err := renderTo(b, f.Value, in, st, multi, depth+1); err != nil {
				return err
			}
		}
		closeWith('}')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := make(Fields, len(keys))
		for i, k := range keys {
			obj[i] = Field{k, x[k]}
		}
		return renderTo(b, obj, indent, st, multi, depth)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, v := range x {
			m[k] = v
		}
		return renderTo(b, m, indent, st, multi, depth)
	case []string:
		a := make([]any, len(x))
		for i, s := range x {
			a[i] = s
		}
		return renderTo(b, a, indent, st, multi, depth)
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		open('[')
		for i, e := range x {
			in := child(i)
			if err := renderTo(b, e, in, st, multi, depth+1); err != nil {
				return err
			}
		}
		closeWith(']')
	default:
		return fmt.Errorf("cannot write a value of type %T", v)
	}
	return nil
}

// nodeValue converts a node to the values render writes, keeping member
// order.
func nodeValue(n *Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Object:
		obj := make(Fields, len(n.Members))
		for i, m := range n.Members {
			obj[i] = Field{m.Key, m.Value}
		}
		return obj
	case Array:
		a := make([]any, len(n.Elems))
		for i, e := range n.Elems {
			a[i] = e
		}
		return a
	case String:
		return n.Str
	case Number:
		return RawJSON(n.Str)
	case Bool:
		return n.Bool
	}
	return nil
}

// quote encodes s as a JSON string without HTML escaping.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// SetEdits returns the edits that make the value at ptr be v (see Set).
func SetEdits(doc *Document, ptr string, v any, opts *EditOptions) ([]Edit, error) {
	if doc == nil || doc.Root == nil {
		return nil, ErrNoDocument
	}
	tokens, err := SplitPointer(ptr)
	if err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return replaceEdits(doc, doc.Root, v, docStyle(doc))
	}
	st := docStyle(doc)
	cur, curPtr := doc.Root, ""
	for i, tok := range tokens {
		rest := tokens[i+1:]
		switch cur.Kind {
		case Object:
			child := cur.Get(tok)
			if child == nil {
				val := nest(rest, v)
				return insertEdits(doc, cur, curPtr, tok, val, opts.placement(curPtr), st)
			}
			cur, curPtr = child, AppendPointer(curPtr, tok)
		case Array:
			if tok == "-" {
				return appendEdits(doc, cur, nest(rest, v), st)
			}
			idx, err := strconv.Atoi(tok)
			if err != nil || strconv.Itoa(idx) != tok || idx < 0 || idx >= len(cur.Elems) {
				return nil, editErr(ptr, "%s has no element %q", describePtr(curPtr), tok)
			}
			cur, curPtr = cur.Elems[idx], AppendPointer(curPtr, tok)
		default:
			return nil, editErr(ptr, "%s is a %s, not an object or array", describePtr(curPtr), cur.Kind)
		}
	}
	return replaceEdits(doc, cur, v, st)
}

func describePtr(p string) string {
	if p == "" {
		return "the document root"
	}
	return p
}

// nest wraps v in the objects named by rest. Every created parent is an
// object and every token a member name, "-" included: "-" appends only to
// an array that exists (RFC 6901 gives it no meaning elsewhere), so that
// the value ends up at the pointer that was set.
func nest(rest []string, v any) any {
	if len(rest) == 0 {
		return v
	}
	return Fields{{rest[0], nest(rest[1:], v)}}
}

func replaceEdits(doc *Document, n *Node, v any, st style) ([]Edit, error) {
	multi := st.multiline
	if n.Kind == Object || n.Kind == Array {
		multi = bytes.IndexByte(doc.Src[n.Start:n.End], '\n') >= 0 || (st.multiline && n.Len() == 0)
	}
	text, err := render(v, lineIndent(doc.Src, n.Start), st, multi)
	if err != nil {
		return nil, err
	}
	if text == string(doc.Src[n.Start:n.End]) {
		return nil, nil
	}
	return []Edit{{Start: n.Start, End: n.End, Text: text}}, nil
}

// insertEdits inserts member key with value v into obj.
func insertEdits(doc *Document, obj *Node, objPtr, key string, v any, pl Placement, st style) ([]Edit, error) {
	lay := layoutOf(doc, obj, st)
	val, err := render(v, lay.indent, st, lay.multi)
	if err != nil {
		return nil, err
	}
	if !utf8.ValidString(key) {
		return nil, fmt.Errorf("member name %q is not valid UTF-8", key)
	}
	member := quote(key) + st.colon + val
	if len(obj.Members) == 0 {
		return []Edit{{Start: obj.Start, End: obj.End, Text: wrapSingle('{', '}', member, lay, lineIndent(doc.Src, obj.Start), st)}}, nil
	}
	at := insertIndex(obj, key, pl)
	if at == 0 {
		return []Edit{{Start: obj.Members[0].KeyStart, End: obj.Members[0].KeyStart, Text: member + lay.sep}}, nil
	}
	end := obj.Members[at-1].Value.End
	return []Edit{{Start: end, End: end, Text: lay.sep + member}}, nil
}

func wrapSingle(open, close byte, child string, lay containerLayout, base string, st style) string {
	if lay.multi {
		nl := st.newline()
		return string(open) + nl + lay.indent + child + nl + base + string(close)
	}
	return string(open) + child + string(close)
}

// insertIndex returns the member index before which key goes.
func insertIndex(obj *Node, key string, pl Placement) int {
	n := len(obj.Members)
	if pl.First {
		return 0
	}
	if pl.After != "" {
		if i := obj.Member(pl.After); i >= 0 {
			return i + 1
		}
	}
	if pl.Before != "" {
		for i, m := range obj.Members {
			if m.Key == pl.Before {
				return i
			}
		}
	}
	sorted := pl.Sorted || n >= 2
	for i := 1; i < n && sorted; i++ {
		if obj.Members[i-1].Key > obj.Members[i].Key {
			sorted = pl.Sorted
		}
	}
	if !sorted {
		return n
	}
	for i, m := range obj.Members {
		if m.Key > key {
			return i
		}
	}
	return n
}

func appendEdits(doc *Document, arr *Node, v any, st style) ([]Edit, error) {
	lay := layoutOf(doc, arr, st)
	val, err := render(v, lay.indent, st, lay.multi)
	if err != nil {
		return nil, err
	}
	if len(arr.Elems) == 0 {
		return []Edit{{Start: arr.Start, End: arr.End, Text: wrapSingle('[', ']', val, lay, lineIndent(doc.Src, arr.Start), st)}}, nil
	}
	end := arr.Elems[len(arr.Elems)-1].End
	return []Edit{{Start: end, End: end, Text: lay.sep + val}}, nil
}

// InsertEdits returns the edits that add member key with value v to the
// object at objPtr, placed as pl says. It is an error when the object
// does not exist or already has the member.
func InsertEdits(doc *Document, objPtr, key string, v any, pl Placement) ([]Edit, error) {
	if doc == nil || doc.Root == nil {
		return nil, ErrNoDocument
	}
	obj := doc.Root.Lookup(objPtr)
	if obj == nil {
		return nil, editErr(AppendPointer(objPtr, key), "%s does not exist", describePtr(objPtr))
	}
	if !obj.IsObject() {
		return nil, editErr(AppendPointer(objPtr, key), "%s is a %s, not an object", describePtr(objPtr), obj.Kind)
	}
	if obj.Has(key) {
		return nil, editErr(AppendPointer(objPtr, key), "the member already exists")
	}
	return insertEdits(doc, obj, objPtr, key, v, pl, docStyle(doc))
}

// DeleteEdits returns the edits that remove the member or array element
// at ptr together with its separator, leaving the rest as it was. With
// duplicate keys the last member (the effective one) is removed.
func DeleteEdits(doc *Document, ptr string) ([]Edit, error) {
	if doc == nil || doc.Root == nil {
		return nil, ErrNoDocument
	}
	tokens, err := SplitPointer(ptr)
	if err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return nil, editErr(ptr, "the root cannot be deleted")
	}
	parentPtr := ParentPointer(ptr)
	parent := doc.Root.Lookup(parentPtr)
	last := tokens[len(tokens)-1]
	idx := -1
	switch {
	case parent.IsObject():
		idx = parent.Member(last)
	case parent.IsArray():
		if i, err := strconv.Atoi(last); err == nil && strconv.Itoa(i) == last && i >= 0 && i < len(parent.Elems) {
			idx = i
		}
	}
	if idx < 0 {
		return nil, editErr(ptr, "it does not exist")
	}
	return ChildDeletions(doc, parent, []int{idx}), nil
}

// ChildDeletions returns one edit per index in del (members of an object,
// or elements of an array), each removing that child with one adjacent
// separator. The edits are chosen together: any subset of them can be
// applied at once (they never overlap, except that when del covers every
// child, each edit is the same one, turning the container into {} or []).
// Indexes out of range are ignored.
func ChildDeletions(doc *Document, n *Node, del []int) []Edit {
	starts, _ := childStarts(n)
	ends := childEnds(n)
	count := len(starts)
	deleted := make([]bool, count)
	for _, i := range del {
		if i >= 0 && i < count {
			deleted[i] = true
		}
	}
	edits := make([]Edit, 0, len(del))
	for _, i := range del {
		if i < 0 || i >= count {
			continue
		}
		a, b := i, i
		for a > 0 && deleted[a-1] {
			a--
		}
		for b < count-1 && deleted[b+1] {
			b++
		}
		switch {
		case a == 0 && b == count-1:
			empty := "{}"
			if n.Kind == Array {
				empty = "[]"
			}
			edits = append(edits, Edit{Start: n.Start, End: n.End, Text: empty})
		case b < count-1:
			edits = append(edits, Edit{Start: starts[i], End: starts[i+1]})
		default:
			edits = append(edits, Edit{Start: ends[i-1], End: ends[i]})
		}
	}
	return edits
}

// apply applies edits and re-parses the result.
func apply(doc *Document, edits []Edit) (*Document, error) {
	if len(edits) == 0 {
		return doc, nil
	}
	src, err := ApplyEdits(doc.Src, edits)
	if err != nil {
		return nil, err
	}
	out, diags := Parse(doc.Path, src, ParseOptions{MaxSize: max(len(src), DefaultMaxSize)})
	if out.Root == nil {
		msg := "unknown error"
		if len(diags) > 0 {
			msg = diags[len(diags)-1].Message
		}
		return nil, fmt.Errorf("edit produced invalid JSON: %s", msg)
	}
	return out, nil
}

// Set makes the value at ptr be v and returns the re-parsed document.
// An existing value is replaced; a missing member is inserted (with the
// placement opts gives for its object), creating missing objects on the
// way (every token of a created parent is a member name, "-" included);
// the token "-" appends to an existing array (RFC 6901). The result is
// checked: an edit after which the pointer does not hold v (the last
// element of the array, for "-") is refused with an *EditError. v is a string, bool, nil, number (int, int64, float64,
// json.Number), RawJSON, *Node, Fields, []any, []string or map[string]any
// (keys sorted). Setting a value to the text it already has changes
// nothing and returns doc.
func Set(doc *Document, ptr string, v any, opts *EditOptions) (*Document, error) {
	edits, err := SetEdits(doc, ptr, v, opts)
	if err != nil {
		return nil, err
	}
	out, err := apply(doc, edits)
	if err != nil {
		return nil, err
	}
	if err := checkSet(doc, out, ptr, v); err != nil {
		return nil, err
	}
	return out, nil
}

// checkSet verifies that out, the result of setting ptr to v in doc,
// holds v at ptr, where a "-" token that appended to an array of doc
// stands for the new last element.
func checkSet(doc, out *Document, ptr string, v any) error {
	tokens, err := SplitPointer(ptr)
	if err != nil {
		return err
	}
	at, cur := "", doc.Root
	for _, tok := range tokens {
		if cur.IsArray() && tok == "-" {
			arr := out.Root.Lookup(at)
			if !arr.IsArray() || arr.Len() != cur.Len()+1 {
				return editErr(ptr, "the edit did not append to the array")
			}
			at, cur = AppendIndex(at, cur.Len()), nil
			continue
		}
		at = AppendPointer(at, tok)
		if cur != nil {
			cur = doc.Root.Lookup(at)
		}
	}
	got := out.Root.Lookup(at)
	if got == nil {
		return editErr(ptr, "the edited document has no value there")
	}
	want, err := render(v, "", style{colon: ":"}, false)
	if err != nil {
		return editErr(ptr, "%v", err)
	}
	wdoc, _ := Parse("value", []byte(want), ParseOptions{MaxSize: max(len(want), DefaultMaxSize)})
	if wdoc.Root == nil || !reflect.DeepEqual(wdoc.Root.Interface(), got.Interface()) {
		return editErr(ptr, "the edited document holds %s there, not the value written", out.Text(got))
	}
	return nil
}

// SetString is Set with a string value.
func SetString(doc *Document, ptr, value string) (*Document, error) {
	return Set(doc, ptr, value, nil)
}

// Insert adds member key with value v to the object at objPtr, placed as
// pl says, and returns the re-parsed document. The member must not exist.
func Insert(doc *Document, objPtr, key string, v any, pl Placement) (*Document, error) {
	edits, err := InsertEdits(doc, objPtr, key, v, pl)
	if err != nil {
		return nil, err
	}
	return apply(doc, edits)
}

// Append adds v at the end of the array at arrPtr (created, with its
// missing parents, when missing) and returns the re-parsed document.
func Append(doc *Document, arrPtr string, v any, opts *EditOptions) (*Document, error) {
	if doc == nil || doc.Root == nil {
		return nil, ErrNoDocument
	}
	switch arr := doc.Root.Lookup(arrPtr); {
	case arr == nil:
		return Set(doc, arrPtr, []any{v}, opts)
	case !arr.IsArray():
		return nil, editErr(arrPtr, "it is %s, not an array", arr.Kind.WithArticle())
	}
	return Set(doc, arrPtr+"/-", v, opts)
}

// Delete removes the member or array element at ptr, with its separator,
// and returns the re-parsed document. With duplicate keys every member of
// that name is removed. A result that still has the member (or not one
// element less) is refused with an *EditError.
func Delete(doc *Document, ptr string) (*Document, error) {
	edits, err := DeleteEdits(doc, ptr)
	if err != nil {
		return nil, err
	}
	parent := doc.Root.Lookup(ParentPointer(ptr))
	if parent.IsObject() {
		tokens, _ := SplitPointer(ptr)
		key := tokens[len(tokens)-1]
		var idx []int
		for i, m := range parent.Members {
			if m.Key == key {
				idx = append(idx, i)
			}
		}
		edits = nil
		for _, e := range ChildDeletions(doc, parent, idx) {
			if len(edits) == 0 || edits[len(edits)-1] != e {
				edits = append(edits, e)
			}
		}
	}
	out, err := apply(doc, edits)
	if err != nil {
		return nil, err
	}
	// The result is checked like Set's: the member is gone, or the array
	// has one element less.
	after := out.Root.Lookup(ParentPointer(ptr))
	switch {
	case parent.IsObject() && (!after.IsObject() || out.Root.Lookup(ptr) != nil):
		return nil, editErr(ptr, "the edited document still has the member")
	case parent.IsArray() && (!after.IsArray() || after.Len() != parent.Len()-1):
		return nil, editErr(ptr, "the edited document does not have one element less")
	}
	return out, nil
}

package manifest

import (
	"strconv"
	"strings"
)

// Kind is the JSON type of a Node.
type Kind uint8

// The JSON kinds.
const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
)

var kindNames = [...]string{"invalid", "object", "array", "string", "number", "boolean", "null"}

// String returns the JSON name of the kind ("object", "string", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// WithArticle returns the kind with its article, for messages: "an
// object", "an array", "a string", "null".
func (k Kind) WithArticle() string {
	switch k {
	case Object, Array:
		return "an " + k.String()
	case Null:
		return "null"
	}
	return "a " + k.String()
}

// Node is one JSON value in a parsed document. Start and End are the byte
// offsets of the value's text in the source (End exclusive). For a String,
// Str is the decoded value; for a Number, Str is the literal as written.
// Objects keep every member in source order, duplicates included.
//
// Parse indexes the members of large objects, so that Get and Member take
// constant time however wide the object is. The index follows the Members
// slice it was built for: a node whose Members is replaced (appended to,
// resliced) is searched linearly again. Do not overwrite a member's Key in
// place.
type Node struct {
	Kind    Kind
	Bool    bool
	Start   int
	End     int
	Str     string
	Members []Member
	Elems   []*Node
	index   *memberIndex // nil for small objects and for nodes not from Parse
}

// memberIndex maps the member names of one Members slice to the index of
// the last member with that name.
type memberIndex struct {
	first *Member // &Members[0] of the slice the index was built for
	n     int     // its length
	last  map[string]int
}

// indexMinMembers is the size from which Parse indexes an object's
// members: below it a linear scan is as fast as a map.
const indexMinMembers = 16

// lookup returns the index of the last member named key, and whether the
// index could answer (it is for n.Members as they are now).
func (ix *memberIndex) lookup(ms []Member, key string) (int, bool) {
	if ix == nil || len(ms) != ix.n || len(ms) == 0 || &ms[0] != ix.first {
		return -1, false
	}
	if i, ok := ix.last[key]; ok {
		return i, true
	}
	return -1, true
}

// Member is one key/value pair of an object. KeyStart and KeyEnd span the
// key's quoted text.
type Member struct {
	Key      string
	KeyStart int
	KeyEnd   int
	Value    *Node
}

// Get returns the value of member key, or nil if n is not an object or has
// no such member. With duplicate keys the last one wins, as in
// encoding/json.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	if i, ok := n.index.lookup(n.Members, key); ok {
		if i < 0 {
			return nil
		}
		return n.Members[i].Value
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Member returns the index of the effective member key (the last one), or
// -1.
func (n *Node) Member(key string) int {
	if n == nil || n.Kind != Object {
		return -1
	}
	if i, ok := n.index.lookup(n.Members, key); ok {
		return i
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return i
		}
	}
	return -1
}

// Has reports whether n is an object with member key.
func (n *Node) Has(key string) bool { return n.Member(key) >= 0 }

// Index returns element i of an array, or nil.
func (n *Node) Index(i int) *Node {
	if n == nil || n.Kind != Array || i < 0 || i >= len(n.Elems) {
		return nil
	}
	return n.Elems[i]
}

// Len returns the number of members of an object or elements of an array.
func (n *Node) Len() int {
	if n == nil {
		return 0
	}
	switch n.Kind {
	case Object:
		return len(n.Members)
	case Array:
		return len(n.Elems)
	}
	return 0
}

// Text returns the string value if n is a String, else "".
func (n *Node) Text() string {
	if n == nil || n.Kind != String {
		return ""
	}
	return n.Str
}

// IsString reports whether n is a String.
func (n *Node) IsString() bool { return n != nil && n.Kind == String }

// IsObject reports whether n is an Object.
func (n *Node) IsObject() bool { return n != nil && n.Kind == Object }

// IsArray reports whether n is an Array.
func (n *Node) IsArray() bool { return n != nil && n.Kind == Array }

// Lookup follows a JSON Pointer from n and returns the node it names, or nil.
func (n *Node) Lookup(ptr string) *Node {
	if ptr == "" {
		return n
	}
	if ptr[0] != '/' {
		return nil
	}
	cur := n
	// Walk the tokens in place; only a token with an escape is unescaped
	// (by SplitPointer, which also rejects bad escapes).
	for rest := ptr[1:]; ; {
		t, next, more := strings.Cut(rest, "/")
		if strings.IndexByte(t, '~') >= 0 {
			tokens, err := SplitPointer("/" + t)
			if err != nil {
				return nil
			}
			t = tokens[0]
		}
		switch {
		case cur == nil:
			return nil
		case cur.Kind == Object:
			cur = cur.Get(t)
		case cur.Kind == Array:
			i, ok := arrayIndex(t)
			if !ok {
				return nil
			}
			cur = cur.Index(i)
		default:
			return nil
		}
		if !more {
			return cur
		}
		rest = next
	}
}

// arrayIndex parses an array index token: decimal digits, no sign, no
// leading zero.
func arrayIndex(t string) (int, bool) {
	if t == "" || len(t) > 1 && t[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(t)
	return i, err == nil
}

// Interface converts the tree to the values encoding/json produces with
// UseNumber: map[string]any, []any, string, json.Number-compatible string
// numbers are returned as Number (a string type), bool and nil. Duplicate
// keys resolve to the last value.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			m[mem.Key] = mem.Value.Interface()
		}
		return m
	case Array:
		a := make([]any, len(n.Elems))
		for i, e := range n.Elems {
			a[i] = e.Interface()
		}
		return a
	case String:
		return n.Str
	case Number:
		return jsonNumber(n.Str)
	case Bool:
		return n.Bool
	}
	return nil
}

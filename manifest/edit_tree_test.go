package manifest

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, src string) *Document {
	t.Helper()
	doc, diags := Parse("m.json", []byte(src), ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("parse %q: %v", src, diags)
	}
	return doc
}

func TestSet(t *testing.T) {
	const pretty = `{
  "schema_version": "4.1",
  "x-unknown": {"keep": [1, 2]},
  "permissions": {
    "company": {
      "documents": "readonly",
      "home": "standard"
    },
    "project": {
      "daily_log": "standard"
    }
  }
}
`
	tests := []struct {
		name string
		src  string
		ptr  string
		v    any
		opts *EditOptions
		want string
	}{
		{
			name: "replace a string",
			src:  pretty, ptr: "/permissions/company/home", v: "readonly",
			want: strings.Replace(pretty, `"home": "standard"`, `"home": "readonly"`, 1),
		},
		{
			name: "insert sorted among sorted members",
			src:  pretty, ptr: "/permissions/company/directory", v: "readonly",
			want: strings.Replace(pretty, `      "documents": "readonly",`, `      "directory": "readonly",
      "documents": "readonly",`, 1),
		},
		{
			name: "insert at the end",
			src:  pretty, ptr: "/permissions/company/timecard", v: "standard",
			want: strings.Replace(pretty, `      "home": "standard"`, `      "home": "standard",
      "timecard": "standard"`, 1),
		},
		{
			name: "insert into a one-member object, sorted placement",
			src:  pretty, ptr: "/permissions/project/commitments", v: "readonly",
			opts: &EditOptions{Placement: map[string]Placement{"/permissions/project": {Sorted: true}}},
			want: strings.Replace(pretty, `      "daily_log": "standard"`, `      "commitments": "readonly",
      "daily_log": "standard"`, 1),
		},
		{
			name: "insert into a one-member object appends by default",
			src:  pretty, ptr: "/permissions/project/commitments", v: "readonly",
			want: strings.Replace(pretty, `      "daily_log": "standard"`, `      "daily_log": "standard",
      "commitments": "readonly"`, 1),
		},
		{
			name: "unsorted object appends",
			src:  pretty, ptr: "/fullscreen", v: Fields{{"uuid", "u"}, {"source_url", "https://x"}},
			want: strings.Replace(pretty, "    }\n  }\n}", `    }
  },
  "fullscreen": {
    "uuid": "u",
    "source_url": "https://x"
  }
}`, 1),
		},
		{
			name: "create intermediate objects",
			src:  "{\n  \"schema_version\": \"4.1\"\n}\n", ptr: "/permissions/project/rfi", v: "standard",
			want: `{
  "schema_version": "4.1",
  "permissions": {
    "project": {
      "rfi": "standard"
    }
  }
}
`,
		},
		{
			name: "fill an empty object",
			src:  "{\n    \"permissions\": {\n        \"company\": {}\n    }\n}", ptr: "/permissions/company/documents", v: "readonly",
			want: "{\n    \"permissions\": {\n        \"company\": {\n            \"documents\": \"readonly\"\n        }\n    }\n}",
		},
		{
			name: "tabs",
			src:  "{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}", ptr: "/a/c", v: Fields{{"d", true}},
			want: "{\n\t\"a\": {\n\t\t\"b\": 1,\n\t\t\"c\": {\n\t\t\t\"d\": true\n\t\t}\n\t}\n}",
		},
		{
			name: "one-line document stays on one line",
			src:  `{"schema_version":"4.1","permissions":{"project":{"rfi":"readonly"}}}`, ptr: "/permissions/company/documents", v: "readonly",
			opts: &EditOptions{Placement: map[string]Placement{"/permissions": {Sorted: true}}},
			want: `{"schema_version":"4.1","permissions":{"company":{"documents":"readonly"}, "project":{"rfi":"readonly"}}}`,
		},
		{
			name: "inline object in a pretty file",
			src:  "{\n  \"p\": {\"a\": 1, \"c\": 3}\n}", ptr: "/p/b", v: 2,
			want: "{\n  \"p\": {\"a\": 1, \"b\": 2, \"c\": 3}\n}",
		},
		{
			name: "append to an array",
			src:  "{\n  \"views\": [\n    \"a.b.c\"\n  ]\n}", ptr: "/views/-", v: "d.e.f",
			want: "{\n  \"views\": [\n    \"a.b.c\",\n    \"d.e.f\"\n  ]\n}",
		},
		{
			// Created parents are objects: "-" appends only to an array
			// that exists; elsewhere it is a member name (issue 9).
			name: "- is a member name in a created parent",
			src:  "{\n  \"components\": {}\n}", ptr: "/components/oauth/-", v: Fields{{"grant_type", "client_credentials"}},
			want: "{\n  \"components\": {\n    \"oauth\": {\n      \"-\": {\n        \"grant_type\": \"client_credentials\"\n      }\n    }\n  }\n}",
		},
		{
			name: "permissions company:- (issue 9)",
			src:  "{\n  \"permissions\": {}\n}", ptr: "/permissions/company/-", v: "readonly",
			want: "{\n  \"permissions\": {\n    \"company\": {\n      \"-\": \"readonly\"\n    }\n  }\n}",
		},
		{
			name: "CRLF document, created parents",
			src:  "{\r\n  \"schema_version\": \"4.1\"\r\n}\r\n", ptr: "/permissions/project/rfi", v: "readonly",
			want: "{\r\n  \"schema_version\": \"4.1\",\r\n  \"permissions\": {\r\n    \"project\": {\r\n      \"rfi\": \"readonly\"\r\n    }\r\n  }\r\n}\r\n",
		},
		{
			name: "CRLF document, first member of an empty object",
			src:  "{\r\n  \"p\": {}\r\n}\r\n", ptr: "/p/a", v: 1,
			want: "{\r\n  \"p\": {\r\n    \"a\": 1\r\n  }\r\n}\r\n",
		},
		{
			name: "tab-indented CRLF document",
			src:  "{\r\n\t\"a\": {\r\n\t\t\"b\": 1\r\n\t}\r\n}", ptr: "/a/c/d", v: true,
			want: "{\r\n\t\"a\": {\r\n\t\t\"b\": 1,\r\n\t\t\"c\": {\r\n\t\t\t\"d\": true\r\n\t\t}\r\n\t}\r\n}",
		},
		{
			name: "into an array element",
			src:  "{\"i\": [{\"g\": 1}, {\"g\": 2}]}", ptr: "/i/1/p", v: map[string]any{"b": "x", "a": nil},
			want: "{\"i\": [{\"g\": 1}, {\"g\": 2, \"p\": {\"a\": null, \"b\": \"x\"}}]}",
		},
		{
			name: "after placement",
			src:  "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}", ptr: "/z", v: 0,
			opts: &EditOptions{Placement: map[string]Placement{"": {After: "a"}}},
			want: "{\n  \"a\": 1,\n  \"z\": 0,\n  \"b\": 2,\n  \"c\": 3\n}",
		},
		{
			name: "first placement",
			src:  "{\n  \"b\": 1\n}", ptr: "/a", v: "<&>",
			opts: &EditOptions{Placement: map[string]Placement{"": {First: true}}},
			want: "{\n  \"a\": \"<&>\",\n  \"b\": 1\n}",
		},
		{
			name: "replace an object keeps the indentation",
			src:  "{\n  \"a\": {\"x\": 1},\n  \"b\": 2\n}", ptr: "/a", v: Fields{{"y", 2}},
			want: "{\n  \"a\": {\"y\": 2},\n  \"b\": 2\n}",
		},
		{
			name: "same value changes nothing",
			src:  pretty, ptr: "/permissions/company/home", v: "standard",
			want: pretty,
		},
		{
			name: "colon style",
			src:  "{\n  \"a\" : 1\n}", ptr: "/b", v: 2,
			want: "{\n  \"a\" : 1,\n  \"b\" : 2\n}",
		},
		{
			name: "CRLF document",
			src:  "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n", ptr: "/c", v: 3,
			want: "{\r\n  \"a\": 1,\r\n  \"b\": 2,\r\n  \"c\": 3\r\n}\r\n",
		},
		{
			name: "unicode and escapes survive",
			src:  "{\n  \"n\": \"caf\\u00e9 \\\"q\\\"\",\n  \"m\": \"é\"\n}", ptr: "/o", v: "ü\"",
			want: "{\n  \"n\": \"caf\\u00e9 \\\"q\\\"\",\n  \"m\": \"é\",\n  \"o\": \"ü\\\"\"\n}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustParse(t, tt.src)
			out, err := Set(doc, tt.ptr, tt.v, tt.opts)
			if err != nil {
				t.Fatalf("Set() error: %v", err)
			}
			if diff := cmp.Diff(tt.want, string(out.Src)); diff != "" {
				t.Errorf("Set() (-want +got):\n%s", diff)
			}
			if got := out.Root.Lookup(strings.TrimSuffix(tt.ptr, "/-")); got == nil {
				t.Errorf("Set() result has nothing at %s", tt.ptr)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct{ src, ptr string }{
		{`{"a": "x"}`, "/a/b"},
		{`{"a": [1]}`, "/a/1"},
		{`{"a": [1]}`, "/a/x"},
		{`{"a": [1]}`, "/a/01"},
		{`{"a": 1}`, "a"},
		{`{"a": 1}`, "/~2"},
	}
	for _, tt := range tests {
		doc := mustParse(t, tt.src)
		if _, err := Set(doc, tt.ptr, 1, nil); err == nil {
			t.Errorf("Set(%s, %q) succeeded", tt.src, tt.ptr)
		}
	}
	var ee *EditError
	if _, err := Set(mustParse(t, `{"a": "x"}`), "/a/b", 1, nil); !errors.As(err, &ee) || ee.Pointer != "/a/b" {
		t.Errorf("error %v is not an *EditError for /a/b", err)
	}
	if _, err := Set(&Document{}, "/a", 1, nil); !errors.Is(err, ErrNoDocument) {
		t.Errorf("Set on an empty document: %v", err)
	}
	for _, v := range []any{RawJSON("{"), struct{}{}, nan()} {
		if _, err := Set(mustParse(t, `{}`), "/a", v, nil); err == nil {
			t.Errorf("Set(%#v) succeeded", v)
		}
	}
	if _, err := Insert(mustParse(t, `{"a": 1}`), "", "a", 2, Placement{}); !errors.As(err, &ee) {
		t.Errorf("Insert of an existing member: %v", err)
	}
	if _, err := Insert(mustParse(t, `{"a": 1}`), "/a", "b", 2, Placement{}); !errors.As(err, &ee) {
		t.Errorf("Insert into a number: %v", err)
	}
	if _, err := Insert(mustParse(t, `{"a": 1}`), "/x", "b", 2, Placement{}); !errors.As(err, &ee) {
		t.Errorf("Insert into nothing: %v", err)
	}
}

func nan() float64 {
	var z float64
	return z / z
}

func TestInsertAndAppend(t *testing.T) {
	doc := mustParse(t, "{\n  \"a\": {\n    \"x\": 1,\n    \"z\": 3\n  }\n}")
	out, err := Insert(doc, "/a", "y", RawJSON(`[1,2]`), Placement{})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": {\n    \"x\": 1,\n    \"y\": [1,2],\n    \"z\": 3\n  }\n}"
	if string(out.Src) != want {
		t.Errorf("Insert() = %q, want %q", out.Src, want)
	}
	out, err = Append(out, "/a/y", []string{"s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want = "{\n  \"a\": {\n    \"x\": 1,\n    \"y\": [1,2,[\"s\"]],\n    \"z\": 3\n  }\n}"
	if string(out.Src) != want {
		t.Errorf("Append() = %q, want %q", out.Src, want)
	}
}

// TestAppendCreates: Append creates a missing array (and its parents), and
// refuses a member that is not an array.
func TestAppendCreates(t *testing.T) {
	doc := mustParse(t, "{\n  \"components\": {}\n}")
	out, err := Append(doc, "/components/oauth/instances", Fields{{"grant_type", "client_credentials"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"components\": {\n    \"oauth\": {\n      \"instances\": [\n        {\n          \"grant_type\": \"client_credentials\"\n        }\n      ]\n    }\n  }\n}"
	if diff := cmp.Diff(want, string(out.Src)); diff != "" {
		t.Errorf("Append() (-want +got):\n%s", diff)
	}
	var ee *EditError
	if _, err := Append(mustParse(t, `{"a": {}}`), "/a", 1, nil); !errors.As(err, &ee) || ee.Pointer != "/a" {
		t.Errorf("Append to an object: %v, want an *EditError", err)
	}
	if _, err := Append(&Document{}, "/a", 1, nil); !errors.Is(err, ErrNoDocument) {
		t.Errorf("Append on an empty document: %v", err)
	}
}

// TestSetFuzzCrashers are the two results FuzzEdit found where Set turned
// a "-" token of a created parent into an array: the value must be at the
// pointer that was set (issue 9).
func TestSetFuzzCrashers(t *testing.T) {
	for _, tt := range []struct{ src, ptr, v string }{
		{"{}", "//-/", "0"},
		{`{"permissions":{}}`, "/permissions/company/-", "readonly"},
	} {
		out, err := Set(mustParse(t, tt.src), tt.ptr, tt.v, nil)
		if err != nil {
			t.Fatalf("Set(%s, %q): %v", tt.src, tt.ptr, err)
		}
		if n := out.Root.Lookup(tt.ptr); n == nil || n.Str != tt.v {
			t.Errorf("Set(%s, %q, %q) = %s: the pointer holds %v", tt.src, tt.ptr, tt.v, out.Src, n)
		}
	}
}

func TestDelete(t *testing.T) {
	const src = `{
  "permissions": {
    "company": {
      "documents": "readonly",
      "home": "none",
      "timecard": "standard"
    },
    "project": {
      "rfi": "none"
    }
  },
  "list": [1, 2, 3]
}`
	tests := []struct {
		ptr, want string
	}{
		{"/permissions/company/documents", strings.Replace(src, "      \"documents\": \"readonly\",\n", "", 1)},
		{"/permissions/company/home", strings.Replace(src, "      \"home\": \"none\",\n", "", 1)},
		{"/permissions/company/timecard", strings.Replace(src, ",\n      \"timecard\": \"standard\"", "", 1)},
		{"/permissions/project/rfi", strings.Replace(src, "{\n      \"rfi\": \"none\"\n    }", "{}", 1)},
		{"/permissions/project", strings.Replace(src, ",\n    \"project\": {\n      \"rfi\": \"none\"\n    }", "", 1)},
		{"/list/0", strings.Replace(src, "[1, 2, 3]", "[2, 3]", 1)},
		{"/list/2", strings.Replace(src, "[1, 2, 3]", "[1, 2]", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.ptr, func(t *testing.T) {
			out, err := Delete(mustParse(t, src), tt.ptr)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(out.Src)); diff != "" {
				t.Errorf("Delete(%s) (-want +got):\n%s", tt.ptr, diff)
			}
		})
	}
	// Duplicates: every member of the name goes.
	out, err := Delete(mustParse(t, `{"a": 1, "b": 2, "a": 3}`), "/a")
	if err != nil || string(out.Src) != `{"b": 2}` {
		t.Errorf("Delete(duplicate) = %q, %v", out.Src, err)
	}
	for _, ptr := range []string{"", "/nope", "/list/3", "/list/x", "/permissions/company/documents/x"} {
		if _, err := Delete(mustParse(t, src), ptr); err == nil {
			t.Errorf("Delete(%q) succeeded", ptr)
		}
	}
}

// TestChildDeletions checks that any subset of the edits for a set of
// deleted members applies cleanly and gives valid JSON without those
// members, in both layouts.
func TestChildDeletions(t *testing.T) {
	for _, src := range []string{
		"{\n  \"o\": {\n    \"a\": 1,\n    \"b\": 2,\n    \"c\": 3,\n    \"d\": 4\n  }\n}",
		`{"o": {"a": 1, "b": 2, "c": 3, "d": 4}}`,
		`{"o": [1, 2, 3, 4]}`,
	} {
		doc := mustParse(t, src)
		o := doc.Root.Get("o")
		n := o.Len()
		for set := 1; set < 1<<n; set++ {
			var del []int
			for i := 0; i < n; i++ {
				if set&(1<<i) != 0 {
					del = append(del, i)
				}
			}
			edits := ChildDeletions(doc, o, del)
			for sub := 1; sub < 1<<len(edits); sub++ {
				var chosen []Edit
				kept := map[int]bool{}
				for i := range edits {
					if sub&(1<<i) != 0 {
						chosen = append(chosen, edits[i])
						kept[del[i]] = true
					}
				}
				chosen = dedupEdits(chosen)
				res, err := ApplyEdits(doc.Src, chosen)
				if err != nil {
					t.Fatalf("%s: deleting %v, applying %v: %v", src, del, chosen, err)
				}
				out, diags := Parse("m.json", res, ParseOptions{})
				if out.Root == nil {
					t.Fatalf("%s: deleting %v subset %b: invalid JSON %q: %v", src, del, sub, res, diags)
				}
				want := n - len(kept)
				if len(kept) == len(del) && len(del) == n {
					want = 0
				}
				if got := out.Root.Get("o").Len(); got != want && !(len(del) == n) {
					t.Errorf("%s: deleting %v subset %b: %d children left, want %d (%q)", src, del, sub, got, want, res)
				}
			}
		}
	}
}

func dedupEdits(edits []Edit) []Edit {
	var out []Edit
	for _, e := range edits {
		dup := false
		for _, o := range out {
			if o == e {
				dup = true
			}
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// FuzzEdit checks that Set and Delete never panic and that every
// successful edit keeps the file's promises (issue 9): the result parses;
// the edited pointer holds the value written (Set) or is gone (Delete);
// line endings stay uniform when they were; and nothing outside the edited
// container changed: every other value keeps its exact text, and the bytes
// before and after the container are untouched.
func FuzzEdit(f *testing.F) {
	f.Add("{\n  \"a\": {\"b\": [1, 2]},\n  \"c\": \"x\"\n}", "/a/b/-", "v")
	f.Add(`{"permissions":{"project":{}}}`, "/permissions/project/rfi", "readonly")
	f.Add("{\r\n\t\"a\": 1\r\n}", "/b/c/d", "")
	f.Add(`{"a":[{"b":{}}]}`, "/a/0/b/~1x", "y")
	f.Add(`{"a":[1]}`, "/a/-/b/-", "y")
	f.Add("{}", "//-/", "0")
	f.Add("{\"permissions\":{}}", "/permissions/company/-", "readonly")
	f.Add("{\r\n  \"schema_version\": \"4.1\"\r\n}\r\n", "/app_manifest/version", "1.0.0")
	f.Fuzz(func(t *testing.T, src, ptr, value string) {
		if len(src) > 4096 {
			t.Skip()
		}
		doc, _ := Parse("f.json", []byte(src), ParseOptions{})
		if doc.Root == nil {
			return
		}
		if out, err := Set(doc, ptr, value, nil); err == nil {
			// The first "-" that names the end of an existing array is
			// the appended element; every other token is a name.
			at := ptr
			tokens, _ := SplitPointer(ptr)
			for i, tok := range tokens {
				prefix := JoinPointer(tokens[:i]...)
				if before := doc.Root.Lookup(prefix); tok == "-" && before.IsArray() {
					a := out.Root.Lookup(prefix)
					if !a.IsArray() || a.Len() != before.Len()+1 {
						t.Fatalf("Set(%q, %q) on %q: did not append to the array: %q", ptr, value, src, out.Src)
					}
					at = JoinPointer(append(append(append([]string(nil), tokens[:i]...), strconv.Itoa(before.Len())), tokens[i+1:]...)...)
					break
				}
			}
			if n := out.Root.Lookup(at); n == nil || n.Kind != String || n.Str != value {
				t.Fatalf("Set(%q, %q) on %q: %s holds %v in %q", ptr, value, src, at, n, out.Src)
			}
			checkEditKeeps(t, doc, out, ptr, "Set("+ptr+")")
		}
		if out, err := Delete(doc, ptr); err == nil {
			if parent := doc.Root.Lookup(ParentPointer(ptr)); parent.IsObject() && out.Root.Lookup(ptr) != nil {
				t.Fatalf("Delete(%q) on %q left the member: %q", ptr, src, out.Src)
			}
			checkEditKeeps(t, doc, out, ptr, "Delete("+ptr+")")
		}
	})
}

// checkEditKeeps checks that the edit of ptr that turned doc into out kept
// everything else.
func checkEditKeeps(t *testing.T, doc, out *Document, ptr, what string) {
	t.Helper()
	if out.Root == nil {
		t.Fatalf("%s on %q: the result does not parse: %q", what, doc.Src, out.Src)
	}
	if before, after := lineEndings(doc.Src), lineEndings(out.Src); before != "mixed" && after != "" && after != before {
		t.Fatalf("%s on %q: line endings %s became %s: %q", what, doc.Src, before, after, out.Src)
	}
	// The edit stays inside the deepest existing container on the path
	// (for Delete: the parent of ptr).
	tokens, _ := SplitPointer(ptr)
	container, cptr := doc.Root, ""
	for _, tok := range tokens {
		next := doc.Root.Lookup(AppendPointer(cptr, tok))
		if next == nil || !(next.IsObject() || next.IsArray()) || AppendPointer(cptr, tok) == ptr {
			break
		}
		container, cptr = next, AppendPointer(cptr, tok)
	}
	a, b := doc.Src, out.Src
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	if len(a) != len(b) || prefix != len(a) {
		if prefix < container.Start || len(a)-suffix > container.End {
			t.Fatalf("%s on %q: bytes [%d,%d) changed, outside %s at [%d,%d): %q", what, a, prefix, len(a)-suffix, describePtr(cptr), container.Start, container.End, b)
		}
	}
	// Every value that is neither on the path to ptr nor under it keeps
	// its exact text.
	var visit func(n *Node, p string)
	visit = func(n *Node, p string) {
		onPath := p == "" || p == ptr || strings.HasPrefix(ptr, p+"/")
		if !onPath {
			if strings.HasPrefix(p, ptr+"/") {
				return
			}
			got := out.Root.Lookup(p)
			if got == nil || string(out.Text(got)) != string(doc.Text(n)) {
				t.Fatalf("%s on %q: %s was %s, now %v in %q", what, doc.Src, p, doc.Text(n), got, out.Src)
			}
			return
		}
		switch n.Kind {
		case Object:
			for i, m := range n.Members {
				if n.Member(m.Key) == i { // shadowed duplicates have no pointer
					visit(m.Value, AppendPointer(p, m.Key))
				}
			}
		case Array:
			for i, e := range n.Elems {
				visit(e, AppendIndex(p, i))
			}
		}
	}
	// Deleting an array element renumbers the later ones: compare only
	// the members of objects on the way and the elements before it.
	if parent := doc.Root.Lookup(ParentPointer(ptr)); strings.HasPrefix(what, "Delete") && parent.IsArray() {
		return
	}
	visit(doc.Root, "")
}

// lineEndings says which line breaks src has: "", "lf", "crlf" or "mixed"
// (bare carriage returns count as mixed).
func lineEndings(src []byte) string {
	lf, crlf := false, false
	for i, c := range src {
		switch {
		case c == '\n' && i > 0 && src[i-1] == '\r':
			crlf = true
		case c == '\n':
			lf = true
		case c == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			return "mixed"
		}
	}
	switch {
	case lf && crlf:
		return "mixed"
	case crlf:
		return "crlf"
	case lf:
		return "lf"
	}
	return ""
}

// TestCheckSet: an edit whose result does not hold the value written at
// the pointer is refused.
func TestCheckSet(t *testing.T) {
	doc := mustParse(t, `{"permissions":{}}`)
	tests := []struct {
		name, out, ptr string
		v              any
		ok             bool
	}{
		{"holds the value", `{"permissions":{"company":{"-":"readonly"}}}`, "/permissions/company/-", "readonly", true},
		{"an array instead of a member", `{"permissions":{"company":["readonly"]}}`, "/permissions/company/-", "readonly", false},
		{"another value", `{"permissions":{"company":{"x":"admin"}}}`, "/permissions/company/x", "readonly", false},
		{"nothing there", `{"permissions":{}}`, "/permissions/company/x", "readonly", false},
		{"objects compare by value", `{"permissions":{"p":{"b":1,"a":[true]}}}`, "/permissions/p", map[string]any{"a": []any{true}, "b": 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSet(doc, mustParse(t, tt.out), tt.ptr, tt.v)
			var ee *EditError
			if tt.ok && err != nil || !tt.ok && !errors.As(err, &ee) {
				t.Errorf("checkSet = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	// Appending to an existing array: the new last element is checked.
	arr := mustParse(t, `{"a":[1]}`)
	if err := checkSet(arr, mustParse(t, `{"a":[1,2]}`), "/a/-", 2); err != nil {
		t.Errorf("append: %v", err)
	}
	if err := checkSet(arr, mustParse(t, `{"a":[2]}`), "/a/-", 2); err == nil {
		t.Error("an append that replaced the element passed")
	}
	// "-" inside the pointer: an object appended to an existing array.
	out, err := Set(arr, "/a/-/b", "x", nil)
	if err != nil {
		t.Fatalf("Set(/a/-/b): %v", err)
	}
	if got := string(out.Src); got != `{"a":[1, {"b":"x"}]}` {
		t.Errorf("Set(/a/-/b) = %s", got)
	}
}

package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// addSeeds adds the repository's example manifests as fuzz seeds.
func addSeeds(f *testing.F) {
	for _, pattern := range []string{"../testdata/examples/*.json", "../testdata/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{"", "{}", "[", `{"a":1,"a":2}`, "\uFEFF{}", `{"n":1e999}`, "{\"s\":\"\xff\"}", `{"a":[1,]}`} {
		f.Add([]byte(s))
	}
}

// FuzzParse checks that Parse never panics, agrees with encoding/json on
// what is JSON, builds the same values, and that every node can be found
// again by its pointer with a position inside the file.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			t.Skip()
		}
		doc, diags := Parse("f", src, ParseOptions{})
		body := bytes.TrimPrefix(src, []byte("\uFEFF"))
		limited := false
		for _, d := range diags {
			if d.Rule == RuleLimit {
				limited = true
			}
			if d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position: %v", d)
			}
		}
		valid := json.Valid(body)
		if doc.Root != nil && !valid {
			t.Fatalf("Parse accepted what encoding/json rejects: %q", src)
		}
		if doc.Root == nil && valid && !limited {
			t.Fatalf("Parse rejected valid JSON %q: %v", src, diags)
		}
		if doc.Root == nil {
			return
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := doc.Root.Interface(); utf8.Valid(body) && !reflect.DeepEqual(want, got) {
			// cmp.Diff is exponential in the nesting of []any: call it only
			// to explain a difference.
			t.Fatalf("tree differs from encoding/json (-want +got):\n%s", cmp.Diff(want, got))
		}
		walk(t, doc, doc.Root, "")
	})
}

func walk(t *testing.T, doc *Document, n *Node, ptr string) {
	if n.Start < 0 || n.End > len(doc.Src) || n.Start >= n.End {
		t.Fatalf("node at %q has span [%d,%d) outside the file", ptr, n.Start, n.End)
	}
	if !json.Valid(doc.Src[n.Start:n.End]) {
		t.Fatalf("node at %q spans %q, not a JSON value", ptr, doc.Src[n.Start:n.End])
	}
	switch n.Kind {
	case Object:
		for i, m := range n.Members {
			if n.Member(m.Key) != i {
				continue // shadowed by a later duplicate: no pointer reaches it
			}
			child := AppendPointer(ptr, m.Key)
			if got := doc.Root.Lookup(child); got != n.Get(m.Key) {
				t.Fatalf("Lookup(%q) does not find member %d", child, i)
			}
			walk(t, doc, m.Value, child)
		}
	case Array:
		for i, e := range n.Elems {
			child := AppendIndex(ptr, i)
			if got := doc.Root.Lookup(child); got != e {
				t.Fatalf("Lookup(%q) does not find element %d", child, i)
			}
			walk(t, doc, e, child)
		}
	}
}

// FuzzPointer checks that splitting and joining a pointer round-trips.
func FuzzPointer(f *testing.F) {
	for _, s := range []string{"", "/", "/a/b", "/a~1b/~0", "/0/-", "/~01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ptr string) {
		tokens, err := SplitPointer(ptr)
		if err != nil {
			return
		}
		if got := JoinPointer(tokens...); got != ptr {
			t.Fatalf("JoinPointer(SplitPointer(%q)) = %q", ptr, got)
		}
		for _, tok := range tokens {
			back, err := SplitPointer(AppendPointer("", tok))
			if err != nil || len(back) != 1 || back[0] != tok {
				t.Fatalf("token %q does not round-trip: %q, %v", tok, back, err)
			}
		}
	})
}

package manifest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// naiveLineCol is LineCol as defined: the line number and the characters
// (utf8.RuneCount) from the line start, a byte-order mark not counted.
func naiveLineCol(src []byte, bom bool, offset int) (int, int) {
	offset = min(offset, len(src))
	line := bytes.Count(src[:offset], []byte{'\n'}) + 1
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	if start == 0 && bom {
		start = min(3, offset)
	}
	return line, utf8.RuneCount(src[start:offset]) + 1
}

// TestLineColLongLines checks the checkpointed column count against the
// definition on long lines mixing ASCII, multi-byte characters, invalid
// bytes and truncated sequences, at every offset (issue 9 item 10: the
// count from the line start made one-line files quadratic).
func TestLineColLongLines(t *testing.T) {
	pieces := [][]byte{
		[]byte("a"), []byte("é"), []byte("€"), []byte("𝄞"), []byte("\n"),
		{0xff}, {0xe2, 0x82}, {0xf0, 0x9d}, {0x80}, []byte("\uFFFD"), []byte("  "),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 12 {
		var b bytes.Buffer
		bom := i%3 == 0
		if bom {
			b.WriteString("\uFEFF")
		}
		size := []int{5 * markStep, 9*markStep + 7, 20 * markStep}[i%3]
		newlines := i%2 == 0
		for b.Len() < size {
			p := pieces[rng.IntN(len(pieces))]
			if !newlines && p[0] == '\n' {
				continue
			}
			b.Write(p)
		}
		src := b.Bytes()
		doc := &Document{Src: src, BOM: bom}
		for off := 0; off <= len(src)+1; off++ {
			// Every offset near a checkpoint, a sample of the others.
			if d := off % markStep; d > 5 && d < markStep-5 && off%17 != 0 {
				continue
			}
			wl, wc := naiveLineCol(src, bom, off)
			if l, c := doc.LineCol(off); l != wl || c != wc {
				t.Fatalf("case %d: LineCol(%d) = %d:%d, want %d:%d", i, off, l, c, wl, wc)
			}
		}
	}
}

// TestLineColOneLineFile checks columns in a large one-line manifest
// against the definition, at every member.
func TestLineColOneLineFile(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"permissions":{"company":{`)
	for i := range 1200 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"tööl_%d":"réadonly"`, i)
	}
	b.WriteString("}}}")
	src := []byte(b.String())
	doc, diags := Parse("one-line.json", src, ParseOptions{})
	if doc.Root == nil {
		t.Fatal(diags)
	}
	for i, m := range doc.Root.Lookup("/permissions/company").Members {
		ptr := "/permissions/company/" + m.Key
		_, wc := naiveLineCol(src, false, m.Value.Start)
		if p := doc.Position(ptr); p.Line != 1 || p.Col != wc {
			t.Fatalf("member %d: Position(%q) = %d:%d, want 1:%d", i, ptr, p.Line, p.Col, wc)
		}
		_, wk := naiveLineCol(src, false, m.KeyStart)
		if p := doc.KeyPosition(ptr); p.Col != wk {
			t.Fatalf("member %d: KeyPosition(%q) column %d, want %d", i, ptr, p.Col, wk)
		}
	}
}

// TestMemberIndex checks Get, Member and Has on objects large enough to
// be indexed against a linear scan, duplicates included, and that a node
// whose members were replaced after the parse is still answered right.
func TestMemberIndex(t *testing.T) {
	for _, n := range []int{1, indexMinMembers - 1, indexMinMembers, indexMinMembers + 1, 100, 1000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("{")
			for i := range n {
				if i > 0 {
					b.WriteString(",")
				}
				// Every seventh name repeats an earlier one.
				k := i
				if i%7 == 6 {
					k = i / 2
				}
				fmt.Fprintf(&b, `"k%d":%d`, k, i)
			}
			b.WriteString("}")
			doc, _ := Parse("m.json", []byte(b.String()), ParseOptions{})
			root := doc.Root
			// An object is indexed from its (indexMinMembers+1)th member.
			if (root.index != nil) != (n > indexMinMembers) {
				t.Errorf("%d members: indexed = %v", n, root.index != nil)
			}
			check := func(root *Node) {
				t.Helper()
				for k := -1; k <= n; k++ {
					key := "k" + strconv.Itoa(k)
					want := -1
					for i := range root.Members {
						if root.Members[i].Key == key {
							want = i
						}
					}
					if got := root.Member(key); got != want {
						t.Fatalf("Member(%q) = %d, want %d", key, got, want)
					}
					if got := root.Get(key); (want < 0 && got != nil) || (want >= 0 && got != root.Members[want].Value) {
						t.Fatalf("Get(%q) = %v, want member %d", key, got, want)
					}
					if root.Has(key) != (want >= 0) {
						t.Fatalf("Has(%q) = %v", key, !root.Has(key))
					}
				}
			}
			check(root)
			// Appending (a new slice) and reslicing make the index stale:
			// it must not be used.
			extra := &Node{Kind: Number, Str: "0"}
			root.Members = append(root.Members, Member{Key: "k0", Value: extra}, Member{Key: "new", Value: extra})
			check(root)
			if root.Get("k0") != extra || root.Get("new") != extra {
				t.Fatal("Get after append does not see the appended members")
			}
			root.Members = root.Members[:len(root.Members)/2]
			check(root)
		})
	}
}

// TestDuplicateKeysInLargeObjects checks that duplicate keys in an indexed
// object are reported at each repetition, naming the first occurrence.
func TestDuplicateKeysInLargeObjects(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\n")
	for i := range 40 {
		fmt.Fprintf(&b, "\"u%d\": 0,\n", i)
	}
	b.WriteString("\"d\": 1,\n\"d\": 2,\n\"u3\": 3,\n\"d\": 4\n}")
	_, diags := Parse("m.json", []byte(b.String()), ParseOptions{})
	want := []string{
		"m.json:43:1: error: duplicate key \"d\": first defined at line 42 column 1; the last one wins [MC005]",
		"m.json:44:1: error: duplicate key \"u3\": first defined at line 5 column 1; the last one wins [MC005]",
		"m.json:45:1: error: duplicate key \"d\": first defined at line 42 column 1; the last one wins [MC005]",
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzLineCol checks the checkpointed columns against the definition on
// long lines built from arbitrary bytes.
func FuzzLineCol(f *testing.F) {
	f.Add([]byte("é"), uint(5000), false)
	f.Add([]byte{0xe2, 0x82, 'a', 0xff}, uint(3000), true)
	f.Add([]byte("a\n€"), uint(2049), false)
	f.Fuzz(func(t *testing.T, piece []byte, off uint, bom bool) {
		if len(piece) == 0 || len(piece) > 64 {
			t.Skip()
		}
		var src []byte
		if bom {
			src = append(src, "\uFEFF"...)
		}
		for len(src) < 3*markStep+int(off%markStep) {
			src = append(src, piece...)
		}
		doc := &Document{Src: src, BOM: bom}
		o := int(off % uint(len(src)+1))
		wl, wc := naiveLineCol(src, bom, o)
		if l, c := doc.LineCol(o); l != wl || c != wc {
			t.Fatalf("LineCol(%d) = %d:%d, want %d:%d", o, l, c, wl, wc)
		}
	})
}

package manifest_test

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// The typical manifest of the benchmarks (bench/README.md): written by
// ../shared/bench/gen -one, 3.4 KB, 12 permissions.
const benchTypical = "../testdata/bench/typical.json"

func benchSource(b *testing.B, path string) []byte {
	b.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func benchParsed(b *testing.B, path string) *manifest.Document {
	b.Helper()
	doc, diags := manifest.Parse(path, benchSource(b, path), manifest.ParseOptions{})
	if doc.Root == nil || len(diags) > 0 {
		b.Fatalf("Parse(%s): %v", path, diags)
	}
	return doc
}

// BenchmarkParse measures the position-keeping parser on the typical file.
func BenchmarkParse(b *testing.B) {
	src := benchSource(b, benchTypical)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		manifest.Parse(benchTypical, src, manifest.ParseOptions{})
	}
}

// BenchmarkInterface measures the conversion to encoding/json values that
// the schema validator works on.
func BenchmarkInterface(b *testing.B) {
	doc := benchParsed(b, benchTypical)
	b.ReportAllocs()
	for b.Loop() {
		doc.Root.Interface()
	}
}

// BenchmarkView measures the normalised 3.x/4.1 view the rules read.
func BenchmarkView(b *testing.B) {
	doc := benchParsed(b, benchTypical)
	b.ReportAllocs()
	for b.Loop() {
		manifest.View(doc, "4.1")
	}
}

// BenchmarkDiag measures building a diagnostic at a pointer (lookup, line
// and column), which every finding pays.
func BenchmarkDiag(b *testing.B) {
	doc := benchParsed(b, benchTypical)
	const ptr = "/post_installation_instruction/page/url"
	if doc.Root.Lookup(ptr) == nil {
		b.Fatalf("no %s in %s", ptr, benchTypical)
	}
	b.ReportAllocs()
	for b.Loop() {
		doc.Diag("MC012", manifest.SeverityError, ptr, "message")
	}
}

// TestSpanMatchesPositionAt checks Document.Span, which counts a one-line
// value's end from its start, against PositionAt on every node.
func TestSpanMatchesPositionAt(t *testing.T) {
	for _, src := range []string{
		"\uFEFF{\"a\": \"é\", \"b\": [1, {\"c\": \"x\"}],\n \"d\": {\n}}",
		"{\"a\":\n[\n\"ü\",\r\n2]}",
	} {
		doc, _ := manifest.Parse("t.json", []byte(src), manifest.ParseOptions{})
		var walk func(n *manifest.Node, ptr string)
		walk = func(n *manifest.Node, ptr string) {
			start, end := doc.Span(ptr)
			if want := doc.PositionAt(n.Start, ptr); start != want {
				t.Errorf("Span(%q) start = %v, want %v", ptr, start, want)
			}
			if want := doc.PositionAt(n.End, ptr); end != want {
				t.Errorf("Span(%q) end = %v, want %v", ptr, end, want)
			}
			for _, m := range n.Members {
				walk(m.Value, manifest.AppendPointer(ptr, m.Key))
			}
			for i, e := range n.Elems {
				walk(e, manifest.AppendIndex(ptr, i))
			}
		}
		walk(doc.Root, "")
	}
}

// TestParseStringsWordAtATime checks the string scanner, which skips eight
// bytes at a time, with each kind of stop byte at every offset of the first
// words: the result must be what encoding/json decodes, and a raw control
// character must be an error.
func TestParseStringsWordAtATime(t *testing.T) {
	specials := []string{`\"`, `\\`, `\n`, `\u00e9`, "é", "\x7f", "\u2028", "\t", "\x01", "\x1f", " ", "~"}
	for pos := 0; pos < 20; pos++ {
		for _, sp := range specials {
			for _, tail := range []int{0, 3, 9} {
				src := `{"k":"` + strings.Repeat("a", pos) + sp + strings.Repeat("b", tail) + `"}`
				doc, diags := manifest.Parse("t.json", []byte(src), manifest.ParseOptions{})
				var want map[string]string
				err := json.Unmarshal([]byte(src), &want)
				if err != nil {
					if doc.Root != nil {
						t.Errorf("Parse(%q) accepted what encoding/json rejects", src)
					}
					continue
				}
				if doc.Root == nil || len(diags) > 0 {
					t.Errorf("Parse(%q): %v", src, diags)
					continue
				}
				if got := doc.Root.Get("k").Str; got != want["k"] {
					t.Errorf("Parse(%q) = %q, want %q", src, got, want["k"])
				}
			}
		}
	}
}

// TestLookupMatchesSplitPointer checks Node.Lookup, which walks a pointer
// in place for speed, against a lookup through SplitPointer.
func TestLookupMatchesSplitPointer(t *testing.T) {
	src := []byte(`{"a": {"b/c": [10, {"~d": true, "": 1}], "e~": null}, "0": [[1], 2], "a~1": 3}`)
	doc, diags := manifest.Parse("t.json", src, manifest.ParseOptions{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	reference := func(ptr string) *manifest.Node {
		tokens, err := manifest.SplitPointer(ptr)
		if err != nil {
			return nil
		}
		cur := doc.Root
		for _, tok := range tokens {
			switch {
			case cur.IsObject():
				cur = cur.Get(tok)
			case cur.IsArray():
				i, err := strconv.Atoi(tok)
				if err != nil || strconv.Itoa(i) != tok {
					return nil
				}
				cur = cur.Index(i)
			default:
				return nil
			}
		}
		return cur
	}
	for _, ptr := range []string{
		"", "/", "a", "/a", "/a/", "/a/b~1c", "/a/b~1c/0", "/a/b~1c/1", "/a/b~1c/1/~0d", "/a/b~1c/1/",
		"/a/b~1c/01", "/a/b~1c/-1", "/a/b~1c/+1", "/a/b~1c/2", "/a/b~1c/1e0", "/a/e~0", "/a/e~", "/a/e~2",
		"/0", "/0/0", "/0/0/0", "/0/0/0/0", "/0/1", "/a~01", "/a~1", "/a/b~1c/0/x", "//", "/a//",
		"/a/b~1c/99999999999999999999999",
	} {
		if got, want := doc.Root.Lookup(ptr), reference(ptr); got != want {
			t.Errorf("Lookup(%q) = %v, want %v", ptr, got, want)
		}
	}
}

// BenchmarkFormat measures fmt's layout on the typical file, as written
// (layout only) and with --reorder, and on a deep document where a naive
// one-line check would scan the source once per level.
func BenchmarkFormat(b *testing.B) {
	deep := strings.Repeat(`{"a":[1,2],"b":`, 100) + "{}" + strings.Repeat("}", 100)
	for _, bc := range []struct {
		name string
		doc  *manifest.Document
		opts manifest.FormatOptions
	}{
		{"typical", benchParsed(b, benchTypical), manifest.FormatOptions{}},
		{"typical-reorder", benchParsed(b, benchTypical), manifest.FormatOptions{Reorder: true}},
		{"deep", func() *manifest.Document {
			doc, _ := manifest.Parse("deep.json", []byte(deep), manifest.ParseOptions{})
			return doc
		}(), manifest.FormatOptions{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.doc.Src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := manifest.FormatWith(bc.doc, bc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package manifest_test

import (
	"os"
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

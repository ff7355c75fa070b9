package schema_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/schema"
)

const benchTypical = "../testdata/bench/typical.json"

// BenchmarkValidateTypical measures schema validation of the typical (parsed)
// manifest, the schema already compiled.
func BenchmarkValidateTypical(b *testing.B) {
	src, err := os.ReadFile(benchTypical)
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := manifest.Parse(benchTypical, src, manifest.ParseOptions{})
	schema.Validate(doc, "4.1") // compile outside the timing
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		schema.Validate(doc, "4.1")
	}
}

// BenchmarkCompile measures what the first validation of a process pays to
// compile an embedded schema (done once, lazily, by package schema). It
// compiles the same source the same way outside the package's cache.
func BenchmarkCompile(b *testing.B) {
	for _, v := range []manifest.SchemaVersion{"3", "4.1"} {
		b.Run(string(v), func(b *testing.B) {
			src, err := schema.Source(v)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				c := jsonschema.NewCompiler()
				c.Draft = jsonschema.Draft2020
				if err := c.AddResource("mem:///schema.json", bytes.NewReader(src)); err != nil {
					b.Fatal(err)
				}
				if _, err := c.Compile("mem:///schema.json"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

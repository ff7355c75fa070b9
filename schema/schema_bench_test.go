package schema_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/schema"
)

const benchTypical = "../testdata/bench/typical.json"

// firstCall is how long the first schema.Validate of the test process
// took: the lazy compilation of the 4.1 schema plus one validation, what
// `manifestctl validate one.json` pays once. Meaningful when no test ran
// before (go test -run '^$' -bench .).
var firstCall = sync.OnceValue(func() time.Duration {
	doc := benchDoc()
	start := time.Now()
	schema.Validate(doc, "4.1")
	return time.Since(start)
})

func benchDoc() *manifest.Document {
	src, err := os.ReadFile(benchTypical)
	if err != nil {
		panic(err)
	}
	doc, _ := manifest.Parse(benchTypical, src, manifest.ParseOptions{})
	return doc
}

// BenchmarkValidateTypical measures schema validation of the typical
// (parsed) manifest, the schema already compiled. It also reports the
// first call of the process (compile included) as first-call-ns.
func BenchmarkValidateTypical(b *testing.B) {
	first := firstCall()
	doc := benchDoc()
	b.SetBytes(int64(len(doc.Src)))
	b.ReportAllocs()
	for b.Loop() {
		schema.Validate(doc, "4.1")
	}
	b.ReportMetric(float64(first.Nanoseconds()), "first-call-ns")
}

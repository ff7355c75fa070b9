package validate_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

var benchFiles = []struct{ name, path string }{
	{"typical", "../testdata/bench/typical.json"},
	{"components", "../testdata/bench/components.json"},
}

// BenchmarkBytes measures the whole pipeline on one file: parse, version
// detection, schema, every rule, sorting.
func BenchmarkBytes(b *testing.B) {
	for _, f := range benchFiles {
		b.Run(f.name, func(b *testing.B) {
			src, err := os.ReadFile(f.path)
			if err != nil {
				b.Fatal(err)
			}
			validate.Bytes(f.path, src, nil) // compile the schema outside the timing
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				validate.Bytes(f.path, src, nil)
			}
		})
	}
}

// BenchmarkFiles measures validate.Files on a generated set of 1,000 files
// (the two benchmark manifests, one in ten made invalid), as the CLI runs
// it: read, validate in parallel, emit in order. Per op: the whole set.
func BenchmarkFiles(b *testing.B) {
	dir := b.TempDir()
	var inputs []validate.Input
	var total int64
	for i := range 1000 {
		src, err := os.ReadFile(benchFiles[i%len(benchFiles)].path)
		if err != nil {
			b.Fatal(err)
		}
		src = bytes.Replace(src, []byte(`"4.1"`), []byte(`"4.1", "bench_index": `+fmt.Sprint(i)), 1)
		if i%10 == 9 {
			src = bytes.Replace(src, []byte("https://"), []byte("http://"), 1)
		}
		p := filepath.Join(dir, fmt.Sprintf("m%04d.json", i))
		if err := os.WriteFile(p, src, 0o644); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, validate.Input{Path: p})
		total += int64(len(src))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := validate.Files(context.Background(), inputs, nil, nil, func(r validate.Result) error {
			n++
			return nil
		})
		if err != nil || n != len(inputs) {
			b.Fatalf("Files: %d results, %v", n, err)
		}
	}
}

// BenchmarkCorpus runs validate.Files on every *.json file under the folder
// named by $MANIFESTCTL_BENCH_CORPUS (bench/out/corpus after bench/run.sh),
// to profile the 11,000-file case in-process. Skipped when unset.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("MANIFESTCTL_BENCH_CORPUS")
	if dir == "" {
		b.Skip("MANIFESTCTL_BENCH_CORPUS is not set")
	}
	inputs := manifest.Expand([]string{dir})
	b.ReportAllocs()
	for b.Loop() {
		err := validate.Files(context.Background(), inputs, nil, nil, func(validate.Result) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

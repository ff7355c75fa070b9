package lint

import (
	"os"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// benchManifests are the files the rule benchmarks run on: the typical
// manifest of ../shared/bench/gen (12 permissions; its components are in a
// shape the 4.1 view does not read) and one from bench/gen with top-level
// fullscreen and sidepanel components, so the component rules have work.
var benchManifests = []struct{ name, path string }{
	{"typical", "../../testdata/bench/typical.json"},
	{"components", "../../testdata/bench/components.json"},
}

// BenchmarkRun measures lint.Run (every rule) on each file.
func BenchmarkRun(b *testing.B) {
	for _, m := range benchManifests {
		b.Run(m.name, func(b *testing.B) {
			app := benchApp(b, m.path)
			b.ReportAllocs()
			for b.Loop() {
				Run(app, nil)
			}
		})
	}
}

// BenchmarkFamily measures each rule family on its own.
func BenchmarkFamily(b *testing.B) {
	families := []struct {
		name  string
		rules []*Rule
	}{
		{"document", nil},   // MC0xx
		{"permission", nil}, // MC1xx
		{"component", nil},  // MC2xx
		{"install", nil},    // MC3xx
		{"version", nil},    // MC4xx
	}
	for _, r := range All() {
		f := &families[r.ID[2]-'0']
		f.rules = append(f.rules, r)
	}
	for _, m := range benchManifests {
		app := benchApp(b, m.path)
		for _, f := range families {
			b.Run(m.name+"/"+f.name, func(b *testing.B) {
				p := &Pass{App: app, Doc: app.Doc, Options: &Options{}}
				b.ReportAllocs()
				for b.Loop() {
					p.diags = p.diags[:0]
					for _, r := range f.rules {
						if r.Run != nil {
							p.rule = r
							r.Run(p)
						}
					}
				}
			})
		}
	}
}

func benchApp(b *testing.B, path string) *manifest.App {
	b.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	doc, diags := manifest.Parse(path, src, manifest.ParseOptions{})
	if doc.Root == nil || len(diags) > 0 {
		b.Fatalf("Parse(%s): %v", path, diags)
	}
	return manifest.View(doc, "4.1")
}

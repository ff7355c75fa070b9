package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/manifestctl/manifestctl/internal/source"
)

// benchFiles is the size of the generated source tree.
const benchFiles = 10000

var benchSources = []struct{ ext, body string }{
	{".ts", "// %[1]d: sync\nimport { client } from './client'\nexport async function f%[1]d(base: string, pid: number) {\n  const r = await fetch(`${base}/rest/v1.0/projects/${pid}/rfis`, { method: 'POST', body: JSON.stringify({ n: %[1]d }) })\n  console.log(`done ${pid}`)\n  return client.get({ base: '/projects/{project_id}/manpower_logs', params: { project_id: pid } })\n}\n"},
	{".py", "\"\"\"Module %[1]d.\"\"\"\nimport requests\n\ndef f%[1]d(base, pid):\n    # a comment with /rest/v1.0/projects/1/rfis\n    r = requests.get(f\"{base}/rest/v1.0/projects/{pid}/rfis\")\n    return r.json()\n"},
	{".rb", "# %[1]d\nclass C%[1]d\n  def logs(project_id)\n    @client.get(\"projects/#{project_id}/manpower_logs\", version: \"v1.0\")\n  end\nend\n"},
	{".go", "package p\n\nimport \"fmt\"\n\n// F%[1]d calls Procore.\nfunc F%[1]d(base string, pid int) string {\n\treturn fmt.Sprintf(\"%%s/rest/v1.0/projects/%%d/rfis\", base, pid)\n}\n"},
	{".java", "class C%[1]d {\n  String u(String b, int p) { return b + \"/rest/v1.0/projects/\" + p + \"/rfis\"; }\n}\n"},
}

// benchTree writes benchFiles source files (a few KB each: the templates
// above padded with plain code) under a new folder; one file in every
// calls Procore, the others are the same code with the URLs replaced.
func benchTree(b *testing.B, every int) string {
	b.Helper()
	root := b.TempDir()
	pad := strings.Repeat("const x = compute(a, b) + other(\"text\", 'more') // padding\n", 40)
	for i := 0; i < benchFiles; i++ {
		s := benchSources[i%len(benchSources)]
		dir := filepath.Join(root, fmt.Sprintf("d%03d", i/100))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		body := fmt.Sprintf(s.body, i)
		if i%every != 0 {
			body = strings.NewReplacer("/rest/v1.0", "/api/v2", "base:", "root:", "client", "conn").Replace(body)
		}
		if s.ext == ".ts" || s.ext == ".java" {
			body += pad
		} else {
			body += strings.Repeat("# padding line with words and 'strings' in it\n", 40)
		}
		if s.ext == ".go" || s.ext == ".java" {
			body = strings.ReplaceAll(body, "# padding", "// padding")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d%s", i, s.ext)), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkScanTree compares a scan of a 10,000-file source tree with a
// plain read of the same files (the same walk, the same number of
// workers): the ratio of the two is what the scan costs beyond I/O.
//
// scan-calls-10pct is a tree where one file in ten calls Procore (files
// without a call are read but not tokenized); scan-calls-all is the worst
// case, where every file does.
func BenchmarkScanTree(b *testing.B) {
	root := benchTree(b, 10)
	all := benchTree(b, 1)
	if _, err := DefaultTable(); err != nil {
		b.Fatal(err)
	}
	for _, tree := range []struct {
		name string
		root string
	}{{"scan-calls-10pct", root}, {"scan-calls-all", all}} {
		b.Run(tree.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				inv, err := Scan(context.Background(), []string{tree.root}, nil)
				if err != nil || inv.Files != benchFiles || len(inv.Calls) == 0 {
					b.Fatalf("%v, %+v", err, inv)
				}
			}
		})
	}
	b.Run("read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			entries := source.Walk([]string{root}, func(name string) bool { return LangOf(name) != LangNone })
			next := make(chan string)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for w := 0; w < runtime.GOMAXPROCS(0); w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n := 0
					for p := range next {
						data, err := os.ReadFile(p)
						if err != nil {
							b.Error(err)
						}
						n += len(data)
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}()
			}
			for _, e := range entries {
				next <- e.Path
			}
			close(next)
			wg.Wait()
			if total == 0 {
				b.Fatal("nothing read")
			}
		}
	})
}

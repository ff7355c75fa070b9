package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

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

// benchBody returns the i-th file of a generated tree (its name and
// content): a template above padded with plain code to a few KB; with
// call false, the same code with the Procore URLs replaced.
func benchBody(i int, call bool) (name, body string) {
	s := benchSources[i%len(benchSources)]
	body = fmt.Sprintf(s.body, i)
	if !call {
		body = strings.NewReplacer("/rest/v1.0", "/api/v2", "base:", "root:", "client", "conn").Replace(body)
	}
	if s.ext == ".ts" || s.ext == ".java" {
		body += strings.Repeat("const x = compute(a, b) + other(\"text\", 'more') // padding\n", 40)
	} else {
		body += strings.Repeat("# padding line with words and 'strings' in it\n", 40)
	}
	if s.ext == ".go" || s.ext == ".java" {
		body = strings.ReplaceAll(body, "# padding", "// padding")
	}
	return fmt.Sprintf("f%d%s", i, s.ext), body
}

// benchTree writes benchFiles source files (a few KB each) under a new
// folder; one file in every calls Procore, the others are the same code
// with the URLs replaced.
func benchTree(b *testing.B, every int) string {
	b.Helper()
	root := b.TempDir()
	for i := 0; i < benchFiles; i++ {
		dir := filepath.Join(root, fmt.Sprintf("d%03d", i/100))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		name, body := benchBody(i, i%every == 0)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkScanTree compares a scan of a 10,000-file source tree with a
// plain read of the same files done the same way (the same walk and
// match, on as many workers as Scan uses): scan/read is what the scan
// costs beyond I/O. read uses os.ReadFile; read-recycled reads like Scan
// does, into buffers used again from one file to the next (the cheapest
// read, so scan/read-recycled is the stricter ratio).
//
// calls-10pct is a tree where one file in ten calls Procore (files
// without a call are read but not tokenized); calls-all is the worst
// case, where every file does. Besides ns/op, cpu-ns/op is the process's
// CPU time (user+sys, every thread, GC included) per operation: on a
// shared machine it is steadier than the wall clock.
func BenchmarkScanTree(b *testing.B) {
	if _, err := DefaultTable(); err != nil {
		b.Fatal(err)
	}
	for _, tree := range []struct {
		name  string
		every int
	}{{"calls-10pct", 10}, {"calls-all", 1}} {
		root := benchTree(b, tree.every)
		b.Run(tree.name+"/scan", func(b *testing.B) {
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				inv, err := Scan(context.Background(), []string{root}, nil)
				if err != nil || inv.Files != benchFiles || len(inv.Calls) == 0 {
					b.Fatalf("%v, %+v", err, inv)
				}
			}
			reportCPU(b, cpu)
		})
		for _, recycle := range []bool{false, true} {
			name := tree.name + "/read"
			if recycle {
				name += "-recycled"
			}
			b.Run(name, func(b *testing.B) {
				cpu := cpuTime()
				for i := 0; i < b.N; i++ {
					if n := readTree(b, root, recycle); n != benchFiles {
						b.Fatalf("%d files read", n)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// readTree reads every source file below root on GOMAXPROCS workers (as
// many as Scan uses) and returns how many: with os.ReadFile, or, when
// recycle, with Scan's own readSource into recycled buffers (Scan
// recycles the buffers of the files it does not tokenize).
func readTree(b *testing.B, root string, recycle bool) int {
	entries := source.Walk([]string{root}, func(name string) bool { return LangOf(name) != LangNone })
	next := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	files, total := 0, 0
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, n := 0, 0
			var buf []byte
			for p := range next {
				var data []byte
				var err error
				if recycle {
					var skip string
					if data, skip, _ = readSource(p, buf); skip != "" {
						err = errors.New(skip)
					}
					buf = data[:0]
				} else {
					data, err = os.ReadFile(p)
				}
				if err != nil {
					b.Error(err)
				}
				f, n = f+1, n+len(data)
			}
			mu.Lock()
			files, total = files+f, total+n
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
	return files
}

// reportCPU reports the CPU time used since start per operation.
func reportCPU(b *testing.B, start time.Duration) {
	if start < 0 {
		return // no CPU clock on this system
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkFindCalls is the finder alone on the files of the generated
// trees, in memory (no I/O): one file of each language with its calls
// ("calls"), and the same files without ("none": the pre-filter only).
func BenchmarkFindCalls(b *testing.B) {
	tab, err := DefaultTable()
	if err != nil {
		b.Fatal(err)
	}
	for _, call := range []bool{true, false} {
		name := "none"
		if call {
			name = "calls"
		}
		var srcs [][]byte
		var langs []Lang
		size := 0
		for i := range benchSources {
			file, body := benchBody(i, call)
			srcs, langs = append(srcs, []byte(body)), append(langs, LangOf(file))
			size += len(body)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n := 0
				for k, src := range srcs {
					n += len(FindCalls(langs[k], src, tab))
				}
				if call != (n > 0) {
					b.Fatalf("%d calls", n)
				}
			}
		})
	}
}

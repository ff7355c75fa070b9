package validate_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/validate"
)

// TestResultsDoNotRetainSources keeps the results of several large files,
// as a non-streaming report does, and checks that they do not keep the
// files alive (issue 9 item 12: the schema version, a slice of the
// parser's copy of the source, kept 10 MiB a file). It measures the live
// heap after a forced collection; no timing is involved.
func TestResultsDoNotRetainSources(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 32 MiB")
	}
	const files, size = 8, 4 << 20
	var b strings.Builder
	b.WriteString(`{"schema_version": "4.1", "app_manifest": {"version": "1.0.0"},` + "\n")
	b.WriteString(`"permissions": {"company": {"directory": "Read Only", "no_such_tool": "readonly"}},` + "\n")
	b.WriteString(`"post_installation_instruction": {"page": {"url": "https://example.com", "label": "Setup"}, "notes": "`)
	for b.Len() < size {
		b.WriteString("Thank you for installing. ")
	}
	b.WriteString("\"}}\n")
	src := []byte(b.String())
	b.Reset()

	results := make([]validate.Result, files)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range results {
		results[i] = validate.Bytes("big.json", src, nil)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	retained := int64(after.HeapAlloc) - int64(before.HeapAlloc)

	r := results[0]
	if r.SchemaVersion != "4.1" || len(r.Diagnostics) < 2 {
		t.Fatalf("result: version %q, %d findings; want 4.1 and the level and tool findings", r.SchemaVersion, len(r.Diagnostics))
	}
	hasFix := false
	for _, d := range r.Diagnostics {
		hasFix = hasFix || d.Fix != nil
	}
	if !hasFix {
		t.Fatal("no finding with a fix: the test no longer covers fixes")
	}
	if limit := int64(size); retained > limit {
		t.Errorf("%d results of %d-byte files keep %d bytes alive, want at most %d (one file's worth for all)",
			files, size, retained, limit)
	}
	runtime.KeepAlive(results)
	runtime.KeepAlive(src)
}

// TestKeepSource checks that Options.KeepSource keeps each file's bytes
// and nothing else of it (no document), and that Files does not reuse the
// buffer a kept Source lives in for a later file.
func TestKeepSource(t *testing.T) {
	dir := t.TempDir()
	var inputs []validate.Input
	var want []string
	for i := range 20 {
		src := `{"schema_version": "4.1", "app_manifest": {"version": "1.0.` + strconv.Itoa(i) + `"}, "x": "` + strings.Repeat("y", i*100) + `"}`
		path := filepath.Join(dir, "m"+strconv.Itoa(i)+".json")
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, validate.Input{Path: path})
		want = append(want, src)
	}
	var got []validate.Result
	err := validate.Files(context.Background(), inputs, nil, &validate.Options{KeepSource: true, Jobs: 2},
		func(r validate.Result) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		if r.Document != nil {
			t.Errorf("%s: KeepSource kept the document", r.Path)
		}
		if string(r.Source) != want[i] {
			t.Errorf("%s: Source = %.40q…, want the file's bytes %.40q…", r.Path, r.Source, want[i])
		}
	}
	r := validate.Bytes("a.json", []byte(want[0]), &validate.Options{KeepDocument: true})
	if r.Document == nil || string(r.Source) != want[0] {
		t.Errorf("KeepDocument: document %v, source %q; want both", r.Document != nil, r.Source)
	}
	if r.Detach(); r.Source != nil || r.Document != nil {
		t.Error("Detach kept the source or the document")
	}
	if r := validate.Bytes("a.json", []byte(want[0]), nil); r.Source != nil {
		t.Error("the zero Options keep the source")
	}
}

package validate_test

import (
	"runtime"
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

package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/permissions/scan"
	"github.com/manifestctl/manifestctl/validate"
)

const sample = "../../testdata/scan"

// TestFixRoundTrip scans the sample app, grants what is missing through
// the permissions edit API, and checks that the fixed manifest validates
// clean, that only the permissions lines changed, and that a second scan
// finds nothing missing.
func TestFixRoundTrip(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(sample, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := permissions.Default()
	inv, err := scan.Scan(context.Background(), []string{sample}, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := manifest.Parse("manifest.json", src, manifest.ParseOptions{})
	v, _ := manifest.DetectSchemaVersion(doc)
	before := scan.Compare(inv, "manifest.json", manifest.View(doc, v), cat)
	if before.Summary.Missing == 0 {
		t.Fatal("the sample app has nothing missing: nothing to fix")
	}
	fixed, results, err := permissions.Assign(doc, v, before.Fixes(), &permissions.EditOptions{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != before.Summary.Missing {
		t.Errorf("%d edits for %d missing", len(results), before.Summary.Missing)
	}
	res := validate.Bytes("manifest.json", fixed.Src, nil)
	for _, d := range res.Diagnostics {
		if d.Severity >= manifest.SeverityWarning {
			t.Errorf("fixed manifest: %s", d)
		}
	}
	// Byte-preserving: only the permissions object changed.
	was, now := doc.Root.Lookup("/permissions"), fixed.Root.Lookup("/permissions")
	if string(src[:was.Start]) != string(fixed.Src[:now.Start]) || string(src[was.End:]) != string(fixed.Src[now.End:]) {
		t.Errorf("the fix changed more than the permissions:\n%s", fixed.Src)
	}
	after := scan.Compare(inv, "manifest.json", manifest.View(fixed, v), cat)
	if after.Summary.Missing != 0 {
		t.Errorf("after the fix: %+v", after.Summary)
	}
	if after.Summary.Unmapped != before.Summary.Unmapped || after.Summary.Unused != before.Summary.Unused {
		t.Errorf("the fix changed other findings: %+v -> %+v", before.Summary, after.Summary)
	}
}

// TestScanSample checks what the walk reads in the sample app: source
// files only, test folders and Markdown skipped.
func TestScanSample(t *testing.T) {
	inv, err := scan.Scan(context.Background(), []string{sample}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Files != 4 {
		t.Errorf("%d files, want 4 (ts, rb, py, go; not the test or the README)", inv.Files)
	}
	for _, c := range inv.Calls {
		if strings.Contains(c.Path, "__tests__") || strings.HasSuffix(c.Path, ".md") {
			t.Errorf("call in %s", c.Path)
		}
		if !strings.HasPrefix(c.Path, sample+string(filepath.Separator)) {
			t.Errorf("path %s is not below the SRC as given", c.Path)
		}
	}
	if _, err := scan.Scan(context.Background(), []string{filepath.Join(sample, "README.md")}, nil); err == nil {
		t.Error("a named Markdown file is scanned")
	}
	var pe *scan.PathError
	if _, err := scan.Scan(context.Background(), []string{filepath.Join(sample, "missing")}, nil); err == nil || !asPathError(err, &pe) {
		t.Errorf("missing SRC: %v", err)
	}
	named, err := scan.Scan(context.Background(), []string{filepath.Join(sample, "src", "__tests__", "sync.test.ts")}, nil)
	if err != nil || named.Files != 1 || len(named.Calls) == 0 {
		t.Errorf("a test file named on the command line is scanned: %+v, %v", named, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := scan.Scan(ctx, []string{sample}, nil); err == nil {
		t.Error("a cancelled scan succeeded")
	}
}

func asPathError(err error, target **scan.PathError) bool {
	pe, ok := err.(*scan.PathError)
	if ok {
		*target = pe
	}
	return ok
}

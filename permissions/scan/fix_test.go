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
	before := scan.CompareCalls(inv, "manifest.json", manifest.View(doc, v), cat)
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
	after := scan.CompareCalls(inv, "manifest.json", manifest.View(fixed, v), cat)
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
	// A SRC that does not exist does not hide the others: it is listed
	// as unreadable and the sample is still scanned.
	missing := filepath.Join(sample, "missing")
	both, err := scan.Scan(context.Background(), []string{missing, sample}, nil)
	if err != nil {
		t.Fatalf("missing SRC next to a good one: %v", err)
	}
	if len(both.Unreadable) != 1 || both.Unreadable[0].Path != missing || both.Unreadable[0].Reason != "no such file or directory" {
		t.Errorf("missing SRC: unreadable %+v, want %s: no such file or directory", both.Unreadable, missing)
	}
	if both.Files != inv.Files || len(both.Calls) != len(inv.Calls) {
		t.Errorf("missing SRC hid the others: %d files, %d calls; want %d, %d", both.Files, len(both.Calls), inv.Files, len(inv.Calls))
	}
	cat, _ := permissions.Default()
	src, err := os.ReadFile(filepath.Join(sample, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := manifest.Parse("manifest.json", src, manifest.ParseOptions{})
	v, _ := manifest.DetectSchemaVersion(doc)
	if rep := scan.CompareCalls(both, "manifest.json", manifest.View(doc, v), cat); len(rep.Errors) != 1 || rep.Errors[0].Path != missing || rep.Errors[0].Message != "no such file or directory" {
		t.Errorf("report errors %+v, want the missing SRC", rep.Errors)
	}
	var pe *scan.PathError
	if _, err := scan.Scan(context.Background(), []string{"-"}, nil); err == nil || !asPathError(err, &pe) {
		t.Errorf("standard input as SRC: %v", err)
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

// TestScanUnreadableFile: a file that cannot be read inside a walk (a
// dangling symbolic link; a mode 0000 file where the test is not root) is
// listed as unreadable, not as deliberately skipped, and the other files
// are still scanned.
func TestScanUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.js")
	if err := os.WriteFile(good, []byte("fetch(`${base}/rest/v1.0/projects/${pid}/rfis`);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // path -> reason
	dangling := filepath.Join(dir, "dangling.js")
	if err := os.Symlink("nowhere.js", dangling); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	want[dangling] = "dangling symbolic link to nowhere.js"
	locked := filepath.Join(dir, "locked.js")
	if err := os.WriteFile(locked, []byte("fetch(`${base}/rest/v1.0/projects/${pid}/rfis`);\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(locked); err == nil {
		f.Close() // root reads it: it is scanned like the good file
	} else {
		want[locked] = "permission denied"
	}
	inv, err := scan.Scan(context.Background(), []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	readable := 3 - len(want)
	if inv.Files != readable || len(inv.Calls) != readable {
		t.Errorf("%d files and %d calls scanned, want %d of each", inv.Files, len(inv.Calls), readable)
	}
	got := map[string]string{}
	for _, u := range inv.Unreadable {
		got[u.Path] = u.Reason
	}
	if len(got) != len(want) {
		t.Errorf("unreadable = %v, want %v", got, want)
	}
	for p, r := range want {
		if got[p] != r {
			t.Errorf("unreadable %s: %q, want %q", p, got[p], r)
		}
	}
	if len(inv.Skipped) != 0 {
		t.Errorf("an unreadable file counted as skipped: %+v", inv.Skipped)
	}
}

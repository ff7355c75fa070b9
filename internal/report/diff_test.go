package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/release"
)

const diffDir = "../../testdata/diff"

func loadApp(t *testing.T, path string) *release.DiffReport {
	t.Helper()
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	old, err := release.Load("old.json", read(path))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	new, err := release.Load("new.json", read(filepath.Join(dir, "new.json")))
	if err != nil {
		t.Fatal(err)
	}
	return release.Compare("old.json", old, "new.json", new, nil)
}

// TestDiffGolden renders every testdata/diff/CASE in each format of Diff
// and compares with want.txt, want.json and want.md (-update rewrites
// them).
func TestDiffGolden(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join(diffDir, "*", "old.json"))
	if len(cases) == 0 {
		t.Fatalf("no cases under %s", diffDir)
	}
	files := map[string]string{"text": "want.txt", "json": "want.json", "markdown": "want.md"}
	if diff := cmp.Diff([]string{"text", "json", "markdown"}, Diff.Formats()); diff != "" {
		t.Errorf("Diff.Formats() mismatch (-want +got):\n%s", diff)
	}
	for _, oldPath := range cases {
		dir := filepath.Dir(oldPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			r := loadApp(t, oldPath)
			for _, format := range Diff.Formats() {
				var buf bytes.Buffer
				if err := Diff.Write(&buf, format, r, Options{}); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(dir, files[format]), buf.Bytes())
			}
		})
	}
}

// TestDiffUnknownFormat checks the error for a format diff does not have.
func TestDiffUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Diff.Write(&buf, "sarif", &release.DiffReport{}, Options{})
	if err == nil || err.Error() != `unknown format "sarif" for diff (want text, json, markdown)` || buf.Len() != 0 {
		t.Errorf("Write(sarif) = %v, wrote %q", err, buf.String())
	}
}

// golden compares got with the file path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

package release

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/diff")

const diffDir = "../testdata/diff"

func load(t *testing.T, path string) *manifest.App {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	app, err := Load(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return app
}

// TestGolden compares every pair testdata/diff/CASE/{old,new}.json and
// checks the report's JSON wire form against want.json (rewritten with
// -update). The text and Markdown renderings, want.txt and want.md, are
// internal/report's tests.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(diffDir, "*", "old.json"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases under %s: %v", diffDir, err)
	}
	for _, oldPath := range cases {
		dir := filepath.Dir(oldPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			old := load(t, oldPath)
			new := load(t, filepath.Join(dir, "new.json"))
			r := Compare("old.json", old, "new.json", new, nil)
			for _, f := range []struct {
				file string
			}{{"want.json"}} {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(r.JSON()); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join(dir, f.file)
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
				}
			}
			// The reverse diff must be consistent: every escalation one way
			// is a reduction the other way.
			back := Compare("new.json", new, "old.json", old, nil)
			if (len(back.Changes) == 0) != (len(r.Changes) == 0) {
				t.Errorf("diff found %d changes one way and %d the other", len(r.Changes), len(back.Changes))
			}
		})
	}
}

// TestGoldenJSONShape checks the JSON reports against the contract of
// DESIGN.md section 4: the members and their types.
func TestGoldenJSONShape(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(diffDir, "*", "want.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rep map[string]any
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, k := range []string{"old", "new", "old_version", "new_version", "changes", "required_bump", "admin_approval"} {
			if _, ok := rep[k]; !ok {
				t.Errorf("%s: no %q", f, k)
			}
		}
		changes, _ := rep["changes"].([]any)
		for _, c := range changes {
			m := c.(map[string]any)
			for _, k := range []string{"kind", "pointer", "bump", "admin_approval", "message"} {
				if _, ok := m[k]; !ok {
					t.Errorf("%s: change without %q: %v", f, k, m)
				}
			}
		}
	}
}

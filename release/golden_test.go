package release

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

// golden compares got with the file want (rewritten with -update).
func golden(t *testing.T, want string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(want, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(b), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", want, diff)
	}
}

// TestFormatGolden formats testdata/fmt/NAME.json into NAME.golden (layout
// only) and NAME.reorder.golden (members in Procore's order).
func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("../testdata/fmt/*.json")
	if len(files) == 0 {
		t.Fatal("no cases under testdata/fmt")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, diags := manifest.Parse(f, src, manifest.ParseOptions{})
			out, err := manifest.Format(doc)
			if err != nil {
				t.Fatalf("Format: %v %v", err, diags)
			}
			golden(t, strings.TrimSuffix(f, ".json")+".golden", out)
			out, err = manifest.FormatWith(doc, manifest.FormatOptions{Reorder: true})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(f, ".json")+".reorder.golden", out)
		})
	}
}

// TestMigrateGolden migrates testdata/migrate/NAME.json and Procore's 3.x
// documentation examples into testdata/migrate/NAME.golden, with the notes
// in NAME.notes.
func TestMigrateGolden(t *testing.T) {
	files, _ := filepath.Glob("../testdata/migrate/*.json")
	examples, _ := filepath.Glob("../testdata/examples/procore-3x-*.json")
	if len(files) == 0 || len(examples) == 0 {
		t.Fatal("no cases under testdata/migrate or testdata/examples")
	}
	for _, f := range append(files, examples...) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, _ := manifest.Parse(filepath.Base(f), src, manifest.ParseOptions{})
			m, err := manifest.Migrate(doc, manifest.V41)
			if err != nil {
				t.Fatal(err)
			}
			var notes strings.Builder
			for _, n := range m.Notes {
				kind := "dropped"
				if n.Lost {
					kind = "lost"
				}
				notes.WriteString(kind + " " + n.String() + "\n")
			}
			base := filepath.Join("../testdata/migrate", strings.TrimSuffix(filepath.Base(f), ".json"))
			golden(t, base+".golden", m.Output)
			golden(t, base+".notes", []byte(notes.String()))
		})
	}
}

package release

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

// threeX returns every 3.x manifest under the repository's testdata tree:
// *.json files and the manifest.json sections of txtar cases.
func threeX(t *testing.T) map[string][]byte {
	t.Helper()
	out := make(map[string][]byte)
	err := filepath.WalkDir("../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		add := func(name string, src []byte) {
			doc, _ := manifest.Parse(name, src, manifest.ParseOptions{})
			if !manifest.IsAppManifest(doc.Root) { // report goldens, tool catalogues
				return
			}
			if v, _ := manifest.DetectSchemaVersion(doc); v.Family() == manifest.V3 {
				out[name] = src
			}
		}
		switch {
		case strings.HasSuffix(path, ".json"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			add(path, b)
		case strings.HasSuffix(path, ".txtar"):
			ar, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range ar.Files {
				if f.Name == "manifest.json" {
					add(path+"#"+f.Name, f.Data)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// problems returns the IDs of the error and warning rules validate reports.
func problems(name string, src []byte) map[string]bool {
	res := validate.Bytes(name, src, nil)
	out := make(map[string]bool)
	for _, d := range res.Diagnostics {
		if d.Severity >= manifest.SeverityWarning {
			out[d.Rule] = true
		}
	}
	return out
}

// TestMigrateRoundTrip migrates every 3.x manifest of the testdata tree
// (Procore's documentation examples and the other issues' fixtures) and
// checks that the output is formatted, validates with no finding the input
// did not have (clean inputs give clean outputs), keeps every permission
// (diff reports no permission change), and, when nothing was lost, differs
// from the input only by its schema version.
func TestMigrateRoundTrip(t *testing.T) {
	inputs := threeX(t)
	if len(inputs) == 0 {
		t.Skip("no 3.x manifests under testdata")
	}
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	examples := 0
	for _, name := range names {
		src := inputs[name]
		if strings.Contains(name, "procore-") {
			examples++
		}
		t.Run(name, func(t *testing.T) {
			doc, _ := manifest.Parse(name, src, manifest.ParseOptions{})
			m, err := manifest.Migrate(doc, manifest.V41)
			if err != nil {
				t.Fatal(err)
			}
			outDoc, diags := manifest.Parse("out.json", m.Output, manifest.ParseOptions{})
			if outDoc.Root == nil {
				t.Fatalf("output does not parse: %v\n%s", diags, m.Output)
			}
			if again, _ := manifest.Format(outDoc); string(again) != string(m.Output) {
				t.Errorf("output is not in the canonical layout")
			}
			before, after := problems(name, src), problems("out.json", m.Output)
			for rule := range after {
				if !before[rule] {
					t.Errorf("output has %s findings the input did not have:\n%v\n%s", rule,
						validate.Bytes("out.json", m.Output, nil).Diagnostics, m.Output)
				}
			}
			old, err := Load(name, src)
			if err != nil {
				t.Fatal(err)
			}
			new, err := Load("out.json", m.Output)
			if err != nil {
				t.Fatal(err)
			}
			if new.Version != manifest.V41 {
				t.Errorf("output schema version = %q", new.Version)
			}
			for _, c := range Diff(old, new, nil) {
				if strings.HasPrefix(string(c.Kind), "permission_") {
					t.Errorf("migration changed a permission: %s", c.Message)
				}
				if len(m.Lost()) == 0 && c.Kind != SchemaVersionChanged {
					t.Errorf("lossless migration reports %s: %s", c.Kind, c.Message)
				}
			}
		})
	}
	if examples == 0 {
		t.Errorf("no Procore documentation example (testdata/examples/procore-*.json) was migrated")
	}
}

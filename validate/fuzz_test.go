package validate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

// FuzzValidate runs the whole pipeline (parse, schema, rules) on arbitrary
// input: it must never panic, every finding must have a rule, a severity
// and a position, and findings come sorted.
func FuzzValidate(f *testing.F) {
	for _, pattern := range []string{"../testdata/examples/*.json", "../manifest/lint/testdata/*/*.txtar"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"schema_version":"4.1","permissions":{"company":{"directory":"admin"}}}`))
	f.Add([]byte(`{"components":{"oauth":{"instances":[{"grant_type":"client_credentials"},{}]}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			t.Skip()
		}
		res := validate.Bytes("f.json", src, &validate.Options{})
		for i, d := range res.Diagnostics {
			if d.Rule == "" || d.Severity == manifest.SeverityOff || d.Message == "" {
				t.Fatalf("incomplete diagnostic %+v", d)
			}
			if d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position: %v", d)
			}
			if i > 0 {
				p := res.Diagnostics[i-1].Pos
				if p.Line > d.Pos.Line || (p.Line == d.Pos.Line && p.Col > d.Pos.Col) {
					t.Fatalf("diagnostics out of order: %v before %v", res.Diagnostics[i-1], d)
				}
			}
		}
	})
}

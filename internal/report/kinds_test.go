package report

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
)

// kindsManifest has a tool with special characters in its spelling, an
// unknown tool, a non-canonical level and a value that is not a level.
const kindsManifest = `{
  "schema_version": "4.1",
  "app_manifest": {"version": "1.0.0-a&b"},
  "permissions": {
    "company": {"directory": "Read Only", "x|tool_<b>": "standard"},
    "project": {"rfi": "standard", "daily_log": 2}
  }
}
`

// TestKindsGolden renders each result kind other than diff (which has its
// own cases) in each of its formats and compares with
// testdata/kinds/KIND.FORMAT (-update rewrites them).
func TestKindsGolden(t *testing.T) {
	cat, err := permissions.Default()
	if err != nil {
		t.Fatal(err)
	}
	app, err := release.Load("app.json", []byte(kindsManifest))
	if err != nil {
		t.Fatal(err)
	}
	grants := DeclaredGrants("app.json", app, cat)
	grants.CatalogVersion = "embedded" // the golden must not change with the catalogue
	v := "1.0.0-a&b"
	r204 := lint.Lookup("MC204")
	page, err := NewRulePage(r204)
	if err != nil {
		t.Fatal(err)
	}
	page.Page = "# MC204: a page | with <html> & `code`\n" // the embedded page changes; its rendering does not
	rows := []RuleRow{{ID: "MC101", Severity: "error", Effective: "warning", Title: "unknown <level> & more", Fixable: true, URL: "https://x/MC101.md"},
		{ID: "MC204", Severity: "error", Effective: "error", Title: "t", URL: "https://x/MC204.md"}}
	toolCat, err := permissions.ParseTools([]byte(`{"version": "test-1",
		"project": [{"key": "rfi", "name": "RFIs & <things>", "levels": ["none", "readonly", "standard", "admin"], "confidence": "confirmed-api"}],
		"company": [{"key": "directory", "name": "Directory", "levels": ["none", "readonly"], "aliases": ["dir"], "api_name": "Directory"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := release.Load("old.json", []byte(`{"schema_version":"4.1","app_manifest":{"version":"1.0.0"},"permissions":{"project":{"rfi":"readonly"}}}`))
	diff := release.Compare("old.json", old, "app.json", app, nil)
	check := &Check{Diff: diff, Result: release.Check(diff, app, release.CheckOptions{}), File: File{Path: "app.json", SchemaVersion: "4.1"},
		Tool: Tool{Name: "manifestctl", Version: "test"}}
	tests := []struct {
		kind  string
		write func(format string, w *bytes.Buffer) error
		names []string
	}{
		{"permissions-show", func(f string, w *bytes.Buffer) error { return PermissionsShow.Write(w, f, grants, Options{}) }, PermissionsShow.Formats()},
		{"permissions-show-empty", func(f string, w *bytes.Buffer) error {
			return PermissionsShow.Write(w, f, &Grants{Path: "-", SchemaVersion: "4.1", CatalogVersion: "c", Permissions: []Grant{}}, Options{})
		}, PermissionsShow.Formats()},
		{"permissions-tools", func(f string, w *bytes.Buffer) error {
			return Tools.Write(w, f, &ToolList{Catalog: toolCat, Scopes: permissions.Scopes}, Options{})
		}, Tools.Formats()},
		{"version-show", func(f string, w *bytes.Buffer) error {
			return VersionShow.Write(w, f, &Version{Path: "-", Version: &v}, Options{})
		}, VersionShow.Formats()},
		{"version-show-none", func(f string, w *bytes.Buffer) error {
			return VersionShow.Write(w, f, &Version{Path: "a.json"}, Options{})
		}, VersionShow.Formats()},
		{"version-check", func(f string, w *bytes.Buffer) error { return VersionCheck.Write(w, f, check, Options{}) }, []string{"text", "json", "markdown", "github"}},
		{"rules", func(f string, w *bytes.Buffer) error { return Rules.Write(w, f, rows, Options{}) }, Rules.Formats()},
		{"rules-explain", func(f string, w *bytes.Buffer) error { return RuleDoc.Write(w, f, page, Options{}) }, RuleDoc.Formats()},
	}
	for _, tt := range tests {
		for _, format := range tt.names {
			t.Run(tt.kind+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := tt.write(format, &buf); err != nil {
					t.Fatal(err)
				}
				if format == "json" && bytes.Contains(buf.Bytes(), []byte(`\u0026`)) {
					t.Errorf("JSON escapes HTML: %s", buf.String())
				}
				golden(t, filepath.Join("testdata", "kinds", tt.kind+"."+format), buf.Bytes())
			})
		}
	}
}

// TestKindFormats checks each kind's format list, text and json first.
func TestKindFormats(t *testing.T) {
	for _, tt := range []struct {
		got, want []string
	}{
		{PermissionsShow.Formats(), []string{"text", "json", "markdown"}},
		{Tools.Formats(), []string{"text", "json"}},
		{VersionShow.Formats(), []string{"text", "json"}},
		{Rules.Formats(), []string{"text", "json"}},
		{RuleDoc.Formats(), []string{"text", "json", "markdown"}},
		{VersionCheck.Formats(), append([]string{"text", "json"}, without(Names(), "text", "json")...)},
	} {
		if len(tt.got) != len(tt.want) {
			t.Errorf("Formats() = %v, want %v", tt.got, tt.want)
			continue
		}
		for i := range tt.got {
			if tt.got[i] != tt.want[i] {
				t.Errorf("Formats() = %v, want %v", tt.got, tt.want)
				break
			}
		}
	}
}

func without(names []string, drop ...string) []string {
	var out []string
	for _, n := range names {
		keep := true
		for _, d := range drop {
			keep = keep && n != d
		}
		if keep {
			out = append(out, n)
		}
	}
	return out
}

// TestKindCheck: a kind refuses a format it does not have with a
// *FormatError naming the kind and its formats.
func TestKindCheck(t *testing.T) {
	if err := Tools.Check("json"); err != nil {
		t.Errorf("Tools.Check(json) = %v", err)
	}
	err := Tools.Check("markdown")
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Kind != "permissions tools" || fe.Format != "markdown" ||
		err.Error() != `unknown format "markdown" for permissions tools (want text, json)` {
		t.Errorf("Tools.Check(markdown) = %v", err)
	}
}

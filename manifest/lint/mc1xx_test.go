package lint_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/validate"
)

// fixAll validates src, applies the fixes and returns the new source and
// the rules of the applied fixes.
func fixAll(t *testing.T, src string, opts *validate.Options) (string, []string) {
	t.Helper()
	o := validate.Options{KeepDocument: true}
	if opts != nil {
		o = *opts
		o.KeepDocument = true
	}
	res := validate.Bytes("manifest.json", []byte(src), &o)
	out, applied, err := manifest.ApplyFixes(res.Document, res.Diagnostics)
	if err != nil {
		t.Fatalf("ApplyFixes: %v", err)
	}
	var rules []string
	for _, d := range applied {
		rules = append(rules, d.Rule+" "+d.Pos.Pointer)
	}
	return string(out), rules
}

// TestPermissionFixes applies the MC104 and MC110 fixes of several files
// and checks the result, that only the fixed lines changed, and that a
// second run has nothing left to fix.
func TestPermissionFixes(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "4.1 spellings and nones",
			src: `{
  "schema_version": "4.1",
  "x-custom": {"keep": "me"},
  "permissions": {
    "company": {
      "documents": "none",
      "home": "none"
    },
    "project": {
      "budget": "Read Only",
      "daily_log": "None",
      "directory": "read-only",
      "rfi": "none"
    }
  }
}
`,
			want: `{
  "schema_version": "4.1",
  "x-custom": {"keep": "me"},
  "permissions": {
    "company": {},
    "project": {
      "budget": "readonly",
      "directory": "readonly"
    }
  }
}
`,
		},
		{
			name: "3.x inline",
			src:  `{"schema_version":"3.2","components":{"oauth":{"instances":[{"grant_type":"client_credentials","permissions":{"project":{"rfi":"none","submittals":"Standard","tasks":"none"}}}]}}}`,
			want: `{"schema_version":"3.2","components":{"oauth":{"instances":[{"grant_type":"client_credentials","permissions":{"project":{"submittals":"standard"}}}]}}}`,
		},
		{
			name: "duplicate key keeps its none",
			src:  "{\"schema_version\": \"4.1\", \"permissions\": {\"project\": {\"rfi\": \"standard\", \"rfi\": \"none\", \"tasks\": \"Admin\"}}}",
			want: "{\"schema_version\": \"4.1\", \"permissions\": {\"project\": {\"rfi\": \"standard\", \"rfi\": \"none\", \"tasks\": \"admin\"}}}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rules := fixAll(t, tt.src, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fixed source (-want +got):\n%s\napplied: %v", diff, rules)
			}
			again, rules2 := fixAll(t, got, nil)
			if again != got || len(rules2) != 0 {
				t.Errorf("second run changed something: %v\n%s", rules2, again)
			}
		})
	}
}

// TestPermissionFixesRespectSeverity: a rule switched off gives no fix.
func TestPermissionFixesRespectSeverity(t *testing.T) {
	src := `{"schema_version": "4.1", "permissions": {"project": {"rfi": "Standard", "tasks": "none"}}}`
	opts := &validate.Options{Severity: map[string]manifest.Severity{"MC110": manifest.SeverityOff}}
	got, rules := fixAll(t, src, opts)
	want := `{"schema_version": "4.1", "permissions": {"project": {"rfi": "standard", "tasks": "none"}}}`
	if got != want || len(rules) != 1 {
		t.Errorf("got %s (%v), want %s", got, rules, want)
	}
}

// TestCatalogOption: a user catalogue changes what MC101 and MC102 say.
func TestCatalogOption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tools.json")
	os.WriteFile(path, []byte(`{"project": [{"key": "crane_log", "name": "Crane Log", "levels": ["none", "readonly"]}]}`), 0o644)
	cat, err := permissions.LoadTools(path)
	if err != nil {
		t.Fatal(err)
	}
	src := `{"schema_version": "4.1", "permissions": {"project": {"crane_log": "standard"}}}`
	rules := func(opts lint.Options) string {
		res := validate.Bytes("m.json", []byte(src), &validate.Options{Lint: opts})
		var out []string
		for _, d := range res.Diagnostics {
			if strings.HasPrefix(d.Rule, "MC1") {
				out = append(out, d.Rule)
			}
		}
		return strings.Join(out, " ")
	}
	if got := rules(lint.Options{}); got != "MC101" {
		t.Errorf("default catalogue: %q, want MC101", got)
	}
	if got := rules(lint.Options{Catalog: cat}); got != "MC102" {
		t.Errorf("user catalogue: %q, want MC102", got)
	}
}

// TestPermissionRulesRegistered checks the family: IDs MC101..MC111 in
// order, MC102 (numeric API ids), MC104 and MC110 fixable.
func TestPermissionRulesRegistered(t *testing.T) {
	var got []string
	for _, r := range lint.All() {
		if strings.HasPrefix(r.ID, "MC1") {
			s := r.ID
			if r.Fixable {
				s += " fixable"
			}
			got = append(got, s)
		}
	}
	want := []string{"MC101", "MC102 fixable", "MC103", "MC104 fixable", "MC105", "MC106", "MC107", "MC108", "MC109", "MC110 fixable", "MC111"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("permission rules (-want +got):\n%s", diff)
	}
}

// TestMC101CorrectedCatalogue: the catalogue of procore-facts.md section
// 7d decides what MC101 calls unknown and what it suggests.
func TestMC101CorrectedCatalogue(t *testing.T) {
	tests := []struct {
		project string // the project permissions object
		want    string // MC101 messages, joined
	}{
		{`{"generic_tool_126094": "readonly"}`, ""},
		{`{"communication_types": "readonly", "correspondence": "readonly"}`, ""},
		{`{"timesheets": "standard", "connection_hub": "readonly"}`, ""},
		{`{"submittal_log": "standard", "submittals": "readonly"}`, ""},
		{`{"generic_tool_x": "readonly"}`, `unknown project tool "generic_tool_x"`},
		{`{"communication_type": "readonly"}`, `did you mean "communication_types"`},
	}
	for _, tt := range tests {
		src := `{"schema_version": "4.1", "permissions": {"project": ` + tt.project + `}}`
		res := validate.Bytes("m.json", []byte(src), nil)
		var got []string
		for _, d := range res.Diagnostics {
			if d.Rule == "MC101" {
				got = append(got, d.Message)
			}
		}
		joined := strings.Join(got, "\n")
		if (tt.want == "") != (joined == "") || !strings.Contains(joined, tt.want) {
			t.Errorf("%s: MC101 = %q, want %q", tt.project, joined, tt.want)
		}
	}
}

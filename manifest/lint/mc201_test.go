package lint

import (
	"slices"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// TestRulesOddShapes runs every rule over manifests whose members have the
// wrong types or odd values: the rules must leave those to the schema and
// never panic.
func TestRulesOddShapes(t *testing.T) {
	docs := []struct {
		v   manifest.SchemaVersion
		src string
	}{
		{manifest.V3, `{}`},
		{manifest.V3, `[]`},
		{manifest.V3, `"x"`},
		{manifest.V3, `{"components": null, "app_manifest": [], "post_installation_instruction": "x"}`},
		{manifest.V3, `{"components": {"oauth": {"instances": [1, null, {"uuid": 5}, {"uuid": ""}]}, "iframe": {"instances": {}}}}`},
		{manifest.V3, `{"components": {"iframe": {"instances": [{"type": "sidepanel", "views": "rfi.detail", "iframe_src": 7,
			"configuration": {"schema": {"required": "a", "properties": []}}}]}}}`},
		{manifest.V3, `{"components": {"iframe": {"instances": [{"type": 3, "views": [1, null, "x"], "iframe_src": "{{",
			"configuration": {"schema": {"required": [1, "a", ""], "properties": {"": {}}}}}]}}}`},
		{manifest.V41, `{"sidepanel": [], "fullscreen": "x", "permissions": 1}`},
		{manifest.V41, `{"sidepanel": {"views": [], "uuid": null, "source_url": "{{}}{{ }}{{a{{b}}"}, "fullscreen": {"views": null}}`},
		{manifest.V41, `{"post_installation_instruction": {"notes": 5, "page": "x"}, "app_manifest": {"version": 1}}`},
		{manifest.V41, `{"post_installation_instruction": {"notes": "", "page": {"label": 5}}, "app_manifest": {"version": null}}`},
		{manifest.V41, `{"app_manifest": {"version": "` + strings.Repeat("1", 300) + `"}}`},
	}
	for _, d := range docs {
		doc, _ := manifest.Parse("m.json", []byte(d.src), manifest.ParseOptions{})
		if doc.Root == nil {
			continue
		}
		for _, allow := range []bool{false, true} {
			diags := Run(manifest.View(doc, d.v), &Options{AllowPrerelease: allow})
			for _, diag := range diags {
				if diag.Message == "" || diag.Rule == "" {
					t.Errorf("%s: empty rule or message in %+v", d.src, diag)
				}
			}
		}
	}
}

func TestRunMC201(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // pointers
	}{
		{"one", `{"components": {"oauth": {"instances": [{"grant_type": "authorization_code"}]}}}`, nil},
		{"three", `{"components": {"oauth": {"instances": [{}, {}, {}]}}}`,
			[]string{"/components/oauth/instances/1", "/components/oauth/instances/2"}},
		{"non-objects are the schema's", `{"components": {"oauth": {"instances": [1, {}]}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pointersOf(t, "MC201", manifest.V3, tt.src)
			if !slices.Equal(got, tt.want) {
				t.Errorf("MC201 pointers = %q, want %q", got, tt.want)
			}
		})
	}
}

// pointersOf runs every rule over src and returns the pointers of rule's
// findings, in report order.
func pointersOf(t *testing.T, rule string, v manifest.SchemaVersion, src string) []string {
	t.Helper()
	doc, diags := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
	if len(diags) > 0 {
		t.Fatalf("parse %s: %v", src, diags)
	}
	var out []string
	for _, d := range Run(manifest.View(doc, v), nil) {
		if d.Rule == rule {
			out = append(out, d.Pos.Pointer)
		}
	}
	return out
}

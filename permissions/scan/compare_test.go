package scan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// inventory builds an inventory from one JavaScript file's source.
func inventory(t *testing.T, src string) *Inventory {
	t.Helper()
	calls := FindCalls(LangJS, []byte(src), nil)
	for i := range calls {
		calls[i].Path = "src/app.js"
	}
	return &Inventory{Sources: []string{"src"}, Files: 1, Calls: calls}
}

func app(t *testing.T, src string) *manifest.App {
	t.Helper()
	doc, diags := manifest.Parse("manifest.json", []byte(src), manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("parse: %v", diags)
	}
	v, _ := manifest.DetectSchemaVersion(doc)
	return manifest.View(doc, v)
}

// summary writes a finding as "kind scope:tool declared->required
// confidence pointer calls".
func summary(f Finding) string {
	var lines []string
	for _, c := range f.Calls {
		lines = append(lines, fmt.Sprintf("%d", c.Line))
	}
	return fmt.Sprintf("%s %s:%s %s->%s %s %s [%s] fix=%s", f.Kind, f.Scope, f.Tool, f.Declared, f.Required, f.Confidence, f.Pointer, strings.Join(lines, ","), f.Fix)
}

func TestCompareCalls(t *testing.T) {
	const m41 = `{"schema_version": "4.1", "permissions": {"company": {%s}, "project": {%s}}}`
	tests := []struct {
		name              string
		src               string
		company, project  string
		want              []string
		missing, unmapped int
	}{
		{
			name:    "missing when not declared, one finding for every call of the tool",
			src:     "fetch(`/rest/v1.0/checklist/lists?project_id=${p}`)\nfetch(`/rest/v1.0/checklist/lists`, {method: 'POST'})\n",
			want:    []string{"missing project:checklists ->standard confirmed /permissions/project/checklists [1,2] fix=standard"},
			missing: 1,
		},
		{
			name:    "a declared none counts as not declared",
			src:     "fetch(`/rest/v1.0/checklist/lists`)\n",
			project: `"checklists": "none"`,
			want:    []string{"missing project:checklists none->readonly confirmed /permissions/project/checklists [1] fix=readonly"},
			missing: 1,
		},
		{
			name:    "declared below the minimum",
			src:     "axios.post(`/rest/v1.0/checklist/lists`)\n",
			project: `"checklists": "readonly"`,
			want:    []string{"missing project:checklists readonly->standard confirmed /permissions/project/checklists [1] fix=standard"},
			missing: 1,
		},
		{
			name:    "enough: nothing to say",
			src:     "axios.post(`/rest/v1.0/checklist/lists`)\n",
			project: `"checklists": "standard"`,
		},
		{
			name:    "an alias declares its tool",
			src:     "fetch(`/rest/v1.0/projects/${p}/correspondence_types/users`)\n",
			project: `"correspondence": "readonly"`,
		},
		{
			name:    "excess, but not for a call that may need admin",
			src:     "fetch(`/rest/v1.0/checklist/lists/${id}`, {method: 'DELETE'})\nfetch(`/rest/v1.0/projects/${p}/manpower_logs`)\n",
			project: `"checklists": "admin", "daily_log": "admin"`,
			want:    []string{"excess project:daily_log admin->readonly confirmed /permissions/project/daily_log [2] fix=none"},
		},
		{
			name:    "unused, never for none",
			src:     "",
			company: `"documents": "readonly"`,
			project: `"rfi": "none"`,
			want:    []string{"unused company:documents readonly->  /permissions/company/documents [] fix=none"},
		},
		{
			name:     "unknown tools are unmapped, never missing; their guess still uses the tool",
			src:      "fetch(`/rest/v1.0/companies/${c}/form_templates`)\nfetch(`/rest/v1.0/projects/${p}/managed_equipment`)\nfetch('/rest/v1.0/made/up')\nfetch('/rest/v1.0/made/up')\n",
			company:  `"forms": "readonly"`,
			want:     []string{"unmapped : ->   [1] fix=none", "unmapped : ->   [3,4] fix=none", "unmapped : ->   [2] fix=none"},
			unmapped: 3,
		},
		{
			name: "no tool permission",
			src:  "fetch('/rest/v1.0/me')\n",
		},
		{
			name:    "a company tool the builder allows only at none or admin",
			src:     "fetch(`/rest/v1.0/companies/${c}/action_plans/plan_types`, {method: 'POST'})\n",
			want:    []string{"missing company:admin ->standard probable /permissions/company/admin [1] fix=admin"},
			missing: 1,
		},
		{
			name:    "either scope: the scope that declares it",
			src:     "fetch(`/rest/v1.0/budget_views?company_id=${c}`)\n",
			company: `"budgeting": "readonly"`,
		},
		{
			name:    "either scope: project when nothing declares it",
			src:     "fetch(`/rest/v1.0/budget_views?company_id=${c}`)\n",
			want:    []string{"missing project:budgeting ->readonly probable /permissions/project/budgeting [1] fix=readonly"},
			missing: 1,
		},
	}
	cat, err := permissions.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CompareCalls(inventory(t, tt.src), "manifest.json", app(t, fmt.Sprintf(m41, tt.company, tt.project)), cat)
			var got []string
			for _, f := range r.Findings {
				got = append(got, summary(f))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if r.Summary.Missing != tt.missing || r.Summary.Unmapped != tt.unmapped {
				t.Errorf("summary %+v", r.Summary)
			}
			for _, f := range r.Findings {
				if f.Message == "" {
					t.Errorf("%s: no message", f.Kind)
				}
			}
		})
	}
}

func TestComparePointer3x(t *testing.T) {
	cat, _ := permissions.Default()
	src := `{"schema_version": "3.2", "components": {"oauth": {"instances": [{"grant_type": "client_credentials"}]}}}`
	r := CompareCalls(inventory(t, "fetch(`/rest/v1.0/checklist/lists`)"), "m.json", app(t, src), cat)
	if len(r.Findings) != 1 || r.Findings[0].Pointer != "/components/oauth/instances/0/permissions/project/checklists" {
		t.Errorf("findings %+v", r.Findings)
	}
	if fixes := r.Fixes(); len(fixes) != 1 || fixes[0].String() != "project:checklists=readonly" {
		t.Errorf("fixes %v", fixes)
	}
}

func TestIsTestPath(t *testing.T) {
	for path, want := range map[string]bool{
		"src/app.ts": false, "src/__tests__/app.ts": true, "test/x.rb": true, "spec/x_spec.rb": true,
		"app_test.go": true, "app.test.ts": true, "app.spec.js": true, "test_app.py": true, "conftest.py": true,
		"AppTest.java": true, "AppTests.cs": true, "fixtures/a.js": true, "testdata/a.go": true, "latest.js": false,
		"contest.py": false, "src/testing.ts": false,
	} {
		if got := IsTestPath(path); got != want {
			t.Errorf("IsTestPath(%s) = %v, want %v", path, got, want)
		}
	}
}

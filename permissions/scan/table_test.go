package scan

import (
	"testing"

	"github.com/manifestctl/manifestctl/permissions"
)

func TestDefaultTable(t *testing.T) {
	tab, err := DefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tab.Endpoints()); n != 2649 {
		t.Errorf("%d operations, want 2649 (endpoints.csv)", n)
	}
	if tab.Source == "" {
		t.Error("no source line")
	}
	counts := map[Confidence]int{}
	for _, e := range tab.Endpoints() {
		counts[e.Confidence]++
		if e.NoTool && (e.Tool != "" || e.Scope != "") {
			t.Errorf("%s %s: no tool permission, but tool %q scope %q", e.Method, e.Path, e.Tool, e.Scope)
		}
		if !e.NoTool && e.Level == permissions.None {
			t.Errorf("%s %s: level none", e.Method, e.Path)
		}
		if e.Confidence != Unknown && e.Tool == "" {
			t.Errorf("%s %s: confidence %s without a tool", e.Method, e.Path, e.Confidence)
		}
	}
	// SOURCES.md: 324 operations have a confirmed key and a high mapping.
	if counts[Confirmed] != 324 {
		t.Errorf("%d confirmed, want 324", counts[Confirmed])
	}
	if counts[Probable] == 0 || counts[Unknown] == 0 {
		t.Errorf("confidences: %v", counts)
	}
}

func TestLookup(t *testing.T) {
	tab, err := DefaultTable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		want         string // template, "" for no match
		version      string // the matched endpoint's version
		fallback     bool
	}{
		{"GET", "/rest/v1.0/projects/123/rfis/45", "/rest/v1.0/projects/{project_id}/rfis/{id}", "v1.0", false},
		{"GET", "/rest/v1.0/projects/123/rfis", "/rest/v1.0/projects/{project_id}/rfis", "v1.0", false},
		{"GET", "/rest/v1.0/projects/123/rfis/", "/rest/v1.0/projects/{project_id}/rfis", "v1.0", false},
		{"GET", "/rest/v1.0/projects/123/rfis?per_page=100#x", "/rest/v1.0/projects/{project_id}/rfis", "v1.0", false},
		// A fixed segment wins over a parameter.
		{"GET", "/rest/v1.0/projects/123/rfis/recycle_bin", "/rest/v1.0/projects/{project_id}/rfis/recycle_bin", "v1.0", false},
		// ... unless the method is not listed for it.
		{"PATCH", "/rest/v1.0/projects/123/rfis/recycle_bin", "/rest/v1.0/projects/{project_id}/rfis/{id}", "v1.0", false},
		// A parameter with a fixed suffix.
		{"GET", "/rest/v1.0/projects/1/rfis/45.pdf", "/rest/v1.0/projects/{project_id}/rfis/{id}.pdf", "v1.0", false},
		// Holes match parameters only.
		{"GET", "/rest/v1.0/projects/" + Hole + "/rfis/" + Hole, "/rest/v1.0/projects/{project_id}/rfis/{id}", "v1.0", false},
		{"GET", "/rest/v1.0/" + Hole + "/rfis", "", "", false},
		// Versions: listed ones exactly, others to the nearest listed.
		{"GET", "/rest/v1.1/punch_items", "/rest/v1.1/punch_items", "v1.1", false},
		{"GET", "/rest/v1.0/punch_items", "/rest/v1.0/punch_items", "v1.0", false},
		{"GET", "/rest/v1.2/punch_items", "/rest/v1.1/punch_items", "v1.1", true},
		{"GET", "/rest/v1.3/projects/7/rfis", "/rest/v1.0/projects/{project_id}/rfis", "v1.0", true},
		{"GET", "/rest/v0.9/punch_items", "/rest/v1.0/punch_items", "v1.0", true},
		{"DELETE", "/rest/v1.0/projects/1/rfis/2", "", "", false},
		{"GET", "/rest/v1.0/made/up", "", "", false},
		{"GET", "/vapid/projects/1/rfis", "", "", false},
		{"GET", "/rest/vX/projects/1/rfis", "", "", false},
		{"POST", "/oauth/token", "/oauth/token", "oauth", false},
	}
	for _, tt := range tests {
		m, ok := tab.Lookup(tt.method, tt.path)
		got := ""
		if ok {
			got = m.Endpoint.Path
		}
		if got != tt.want {
			t.Errorf("Lookup(%s %q) = %q, want %q", tt.method, tt.path, got, tt.want)
			continue
		}
		if ok && (m.Endpoint.Version != tt.version || m.Fallback != tt.fallback || m.Endpoint.Method != tt.method) {
			t.Errorf("Lookup(%s %q) = %s %s fallback %v, want %s fallback %v", tt.method, tt.path, m.Endpoint.Method, m.Endpoint.Version, m.Fallback, tt.version, tt.fallback)
		}
	}
}

func TestPythonLookup(t *testing.T) {
	tab, _ := DefaultTable()
	for name, want := range map[string]string{
		"rest_v10_projects_project_id_daily_logs_count_get":                "/rest/v1.0/projects/{project_id}/daily_logs/count",
		"rest_v10_projects_project_id_daily_logs_count_get_with_http_info": "/rest/v1.0/projects/{project_id}/daily_logs/count",
		"rest_v10_projects_project_id_rfis_idpdf_get":                      "/rest/v1.0/projects/{project_id}/rfis/{id}.pdf",
		"rest_v10_made_up_get":                                             "",
	} {
		got := ""
		if e := tab.Python(name); e != nil {
			got = e.Path
		}
		if got != want {
			t.Errorf("Python(%s) = %q, want %q", name, got, want)
		}
	}
}

func TestParseTableErrors(t *testing.T) {
	for _, data := range []string{
		"",
		"# only a comment\n",
		"GET\t/x\n",
		"GET\t/rest/v1.0/x\tv1.0\tq\t\tu\tr\t\t\t\t\n",
		"GET\t/rest/v1.0/x\tv1.0\tp\t\tz\tr\t\t\t\t\n",
		"GET\t/rest/v1.0/x\tv1.0\tp\t\tu\tx\t\t\t\t\n",
	} {
		if _, err := ParseTable([]byte(data)); err == nil {
			t.Errorf("ParseTable(%q) succeeded", data)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	tab, err := DefaultTable()
	if err != nil {
		b.Fatal(err)
	}
	paths := []string{
		"/rest/v1.0/projects/123/rfis/45",
		"/rest/v1.0/companies/1/users/2",
		"/rest/v1.2/punch_items",
		"/rest/v1.0/made/up/path",
		"/rest/v2.0/companies/1/projects/2/inspections/3/reinspections",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tab.Lookup("GET", paths[i%len(paths)])
	}
}

func BenchmarkParseTable(b *testing.B) {
	for i := 0; i < b.N; i++ {
		defaultTable = syncOnceTable()
		if _, err := DefaultTable(); err != nil {
			b.Fatal(err)
		}
	}
}

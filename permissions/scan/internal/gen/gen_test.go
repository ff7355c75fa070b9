package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir is shared/procore beside the repository (CI has it read-only
// there), or where MANIFESTCTL_SHARED points.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MANIFESTCTL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "procore")
	if _, err := os.Stat(filepath.Join(dir, "endpoints.csv")); err != nil {
		t.Skipf("shared/procore not found (%v): nothing to regenerate from", err)
	}
	return dir
}

// TestEmbeddedTableIsGenerated regenerates the table from shared/procore
// and compares it with the committed endpoints.tsv.gz (decompressed: the
// gzip bytes may differ between Go versions). Run go generate
// ./permissions/scan when it fails.
func TestEmbeddedTableIsGenerated(t *testing.T) {
	want, err := generateFromDir(sharedDir(t))
	if err != nil {
		t.Fatal(err)
	}
	gz, err := os.ReadFile(filepath.Join("..", "..", "endpoints.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("permissions/scan/endpoints.tsv.gz is stale: run go generate ./permissions/scan")
	}
}

func TestGenerate(t *testing.T) {
	endpoints := "method,path,api_version,oas_tag,scope,scope_basis,tool_human,tool_engine_guess,engine_confidence,tool_mapping_confidence,min_level_guess,level_basis,permission_text_in_spec,spec_403_text,spec_sources\n" +
		"GET,/rest/v1.0/projects/{project_id}/rfis,v1.0,Project Management/RFI/rfis,project,path,RFIs,rfi,medium,high,read_only,method-heuristic,,,MCP\n" +
		"DELETE,/rest/v1.0/checklist/lists/{id},v1.0,Project Management/Inspections/checklists,project,query(required),Inspections,checklists,confirmed-api,high,standard?(often admin),method-heuristic,,,MCP\n" +
		"PATCH,/rest/v1.0/users/sync,v1.0,Core/Directory/users,none/unknown,-,Directory,directory,confirmed-api,high,admin,oas-text,\"Requires Directory\nAdmin permissions\",,MCP\n" +
		"GET,/rest/v1.0/me,v1.0,Core/Company/me,none/unknown,-,,,n/a,none,n/a,no tool permission,,,MCP\n" +
		"POST,/rest/v1.0/projects/{project_id}/forms,v1.0,Project Management/Forms/forms,project,path,Forms,forms,weak,medium,standard,method-heuristic,,Nope,MCP\n"
	ops := "method,path,oas_operation_id,oas_summary,python_sdk_method,python_sdk_api_class\n" +
		"GET,/rest/v1.0/projects/{project_id}/rfis,X,s,rest_v10_projects_project_id_rfis_get,A\n" +
		"GET,/rest/v1.0/me,X,s,custom_me_get,A\n"
	got, err := generate([]byte(endpoints), []byte(ops))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	var rows []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "#") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"DELETE\t/rest/v1.0/checklist/lists/{id}\tv1.0\tp\tchecklists\tc\tS\tInspections\tProject Management/Inspections/checklists\t\t",
		"GET\t/rest/v1.0/me\tv1.0\t-\t\tu\t-\t\tCore/Company/me\t\tcustom_me_get",
		"POST\t/rest/v1.0/projects/{project_id}/forms\tv1.0\tp\tforms\tu\ts\tForms\tProject Management/Forms/forms\t(403: Nope)\t",
		"GET\t/rest/v1.0/projects/{project_id}/rfis\tv1.0\tp\trfi\tp\tr\tRFIs\tProject Management/RFI/rfis\t\t",
		"PATCH\t/rest/v1.0/users/sync\tv1.0\te\tdirectory\tc\ta\tDirectory\tCore/Directory/users\tRequires Directory Admin permissions\t",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("generate:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if _, err := generate([]byte(strings.Replace(endpoints, "read_only", "readish", 1)), []byte(ops)); err == nil || !strings.Contains(err.Error(), "readish") {
		t.Errorf("unknown level: error = %v", err)
	}
}

func TestPythonName(t *testing.T) {
	for _, tt := range []struct{ method, path, want string }{
		{"GET", "/rest/v1.0/projects/{project_id}/daily_logs/count", "rest_v10_projects_project_id_daily_logs_count_get"},
		{"POST", "/oauth/token", "oauth_token_post"},
		{"GET", "/rest/v1.0/projects/{project_id}/rfis/{id}.pdf", "rest_v10_projects_project_id_rfis_id_pdf_get"}, // the SDK says ..._idpdf_get: the table keeps it,
	} {
		if got := pythonName(tt.method, tt.path); got != tt.want {
			t.Errorf("pythonName(%s %s) = %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// demoCompany answers like the embedded demo: every verdict, both inactive
// reasons, an inactive project.
func demoCompany() *fakeCompany {
	return &fakeCompany{
		name: "Acme",
		perms: []ToolPermission{
			tool("documents", 2),            // ok
			tool("home", 4),                 // over (declared standard)
			tool("schedule", 2),             // under (declared standard)
			unavailableTool("timecard", 3),  // inactive, unavailable
			tool("reports", 3),              // undeclared
			tool("equipment", 1),            // None, not declared: no row
			unavailableTool("bid_board", 3), // unavailable, not declared: no row
			// timesheets missing: inactive, absent
		},
		projects: []Project{project(102, true), project(101, true), project(103, false)},
		projectPerms: map[int64][]ToolPermission{
			101: {tool("budgeting", 3), tool("commitments", 3), tool("coordination_issues", 2), tool("daily_log", 3), tool("directory", 3)},
			102: {tool("budgeting", 3), tool("commitments", 3), tool("coordination_issues", 2), tool("directory", 4), tool("rfi", 3)},
			103: {tool("budgeting", 3), tool("commitments", 3), tool("coordination_issues", 2), tool("daily_log", 3), tool("directory", 3)},
		},
	}
}

func demoAPI() *fakeAPI {
	return &fakeAPI{companies: map[int64]*fakeCompany{10: demoCompany()}}
}

// row is a compact, comparable form of a finding.
func row(f Finding) string {
	s := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	i := func(p *int64) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprint(*p)
	}
	out := fmt.Sprintf("%s/%s %s %s %s->%s %s", i(f.CompanyID), i(f.ProjectID), f.Scope, s(f.Tool), s(f.Declared), s(f.Actual), f.Verdict)
	if f.Reason != "" {
		out += "(" + f.Reason + ")"
	}
	if f.Pointer != "" {
		out += " " + f.Pointer
	}
	if f.New != nil {
		out += fmt.Sprintf(" new=%v", *f.New)
	}
	return out
}

func rows(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, row(f))
	}
	return out
}

func run(t *testing.T, api API, opts Options) *Report {
	t.Helper()
	r, err := Run(context.Background(), api, loadApp(t, "procore-41.json"), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

var demoRows = []string{
	"10/null company documents readonly->readonly ok /permissions/company/documents",
	"10/null company home standard->admin over /permissions/company/home",
	"10/null company reports null->standard undeclared",
	"10/null company schedule standard->readonly under /permissions/company/schedule",
	"10/null company timecard standard->standard inactive(unavailable) /permissions/company/timecard",
	"10/null company timesheets standard->null inactive(absent) /permissions/company/timesheets",
	"10/101 project budgeting standard->standard ok /permissions/project/budgeting",
	"10/101 project commitments standard->standard ok /permissions/project/commitments",
	"10/101 project coordination_issues readonly->readonly ok /permissions/project/coordination_issues",
	"10/101 project daily_log standard->standard ok /permissions/project/daily_log",
	"10/101 project directory standard->standard ok /permissions/project/directory",
	"10/102 project budgeting standard->standard ok /permissions/project/budgeting",
	"10/102 project commitments standard->standard ok /permissions/project/commitments",
	"10/102 project coordination_issues readonly->readonly ok /permissions/project/coordination_issues",
	"10/102 project daily_log standard->null inactive(absent) /permissions/project/daily_log",
	"10/102 project directory standard->admin over /permissions/project/directory",
	"10/102 project rfi null->standard undeclared",
}

func TestVerdicts(t *testing.T) {
	api := demoAPI()
	r := run(t, api, Options{Companies: []int64{10}})
	if diff := cmp.Diff(demoRows, rows(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	want := Summary{OK: 9, Over: 2, Undeclared: 2, Under: 1, Inactive: 3}
	if r.Summary != want {
		t.Errorf("summary = %+v, want %+v", r.Summary, want)
	}
	wantCalls := []string{"company_permissions 10", "project_permissions 10 101", "project_permissions 10 102", "projects 10 inactive=false"}
	if diff := cmp.Diff(wantCalls, api.callList()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if len(r.Companies) != 1 || r.Companies[0].Projects != 2 || r.Companies[0].Name == nil || *r.Companies[0].Name != "Acme" || r.Companies[0].Installation != nil {
		t.Errorf("companies = %+v", r.Companies)
	}
	if r.Manifest != "app/procore-41.json" || len(r.Errors) != 0 || len(r.Warnings) != 0 || r.Interrupted {
		t.Errorf("manifest %q, errors %v, warnings %v, interrupted %v", r.Manifest, r.Errors, r.Warnings, r.Interrupted)
	}
	for _, f := range r.Findings {
		if f.Message == "" || !strings.Contains(f.Message, f.ToolName()) {
			t.Errorf("row %s: message %q does not name the tool", row(f), f.Message)
		}
	}
	if got := r.ExitCode(DefaultFailOn); got != 1 {
		t.Errorf("ExitCode = %d, want 1", got)
	}
}

func TestIncludeInactive(t *testing.T) {
	for _, inactive := range []bool{false, true} {
		api := demoAPI()
		r := run(t, api, Options{Companies: []int64{10}, IncludeInactive: inactive})
		called := false
		for _, c := range api.callList() {
			if c == "project_permissions 10 103" {
				called = true
			}
		}
		if called != inactive {
			t.Errorf("IncludeInactive=%v: project 103 called = %v", inactive, called)
		}
		wantProjects := 2
		if inactive {
			wantProjects = 3
		}
		if r.Companies[0].Projects != wantProjects {
			t.Errorf("IncludeInactive=%v: projects = %d, want %d", inactive, r.Companies[0].Projects, wantProjects)
		}
	}
}

func TestProjectSelection(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		wantCalls []string
		wantRows  []string // rows other than company scope
	}{
		{
			name:      "project-id limits the calls; an unlisted one is unpermitted and never called",
			opts:      Options{Projects: []int64{102, 999, 103}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 102", "projects 10 inactive=false"},
			wantRows: append(append([]string(nil), demoRows[11:]...),
				"null/103 project null null->null unpermitted", "null/999 project null null->null unpermitted"),
		},
		{
			name:      "expect-project costs nothing and does not narrow",
			opts:      Options{ExpectProjects: []int64{555, 101}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 101", "project_permissions 10 102", "projects 10 inactive=false"},
			wantRows:  append(append([]string(nil), demoRows[6:]...), "null/555 project null null->null unpermitted"),
		},
		{
			name:      "an inactive project is permitted with include-inactive",
			opts:      Options{Projects: []int64{103}, IncludeInactive: true},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 103", "projects 10 inactive=true"},
			wantRows: []string{
				"10/103 project budgeting standard->standard ok /permissions/project/budgeting",
				"10/103 project commitments standard->standard ok /permissions/project/commitments",
				"10/103 project coordination_issues readonly->readonly ok /permissions/project/coordination_issues",
				"10/103 project daily_log standard->standard ok /permissions/project/daily_log",
				"10/103 project directory standard->standard ok /permissions/project/directory",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := demoAPI()
			tt.opts.Companies = []int64{10}
			r := run(t, api, tt.opts)
			if diff := cmp.Diff(tt.wantCalls, api.callList()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			got := rows(r)[6:]
			if diff := cmp.Diff(tt.wantRows, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			unpermitted := 0
			for _, w := range tt.wantRows {
				if strings.HasSuffix(w, "unpermitted") {
					unpermitted++
				}
			}
			if r.Summary.Unpermitted != unpermitted {
				t.Errorf("summary.unpermitted = %d, want %d", r.Summary.Unpermitted, unpermitted)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	status := func(s int) *int { return &s }
	tests := []struct {
		name        string
		company     func(c *fakeCompany)
		id          int64 // default 10
		concurrency int
		wantErrors  []Error
		wantCalls   []string
		wantRows    int
	}{
		{
			name: "a project failure is reported and the rest goes on",
			company: func(c *fakeCompany) {
				c.projectErrs = map[int64]error{101: &remoteErr{status: 500, requestID: "req-1", msg: "Internal Server Error"}}
			},
			wantErrors: []Error{{CompanyID: ptr[int64](10), ProjectID: ptr[int64](101), Status: status(500), RequestID: "req-1",
				Message: "read the tool permissions of project 101: GET: 500: Internal Server Error", Call: "project_permissions", ProcoreMessage: "Internal Server Error"}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 101", "project_permissions 10 102", "projects 10 inactive=false"},
			wantRows:  6 + 6,
		},
		{
			name: "a company without the app gets one error and no further call",
			id:   20,
			wantErrors: []Error{{CompanyID: ptr[int64](20), Status: status(403), RequestID: "req-403",
				Message: "read the company's tool permissions: GET: 403: App is not connected to this company.", Call: "company_permissions", ProcoreMessage: "App is not connected to this company."}},
			wantCalls: []string{"company_permissions 20"},
		},
		{
			name: "a 401 on a project ends the company",
			company: func(c *fakeCompany) {
				c.projectErrs = map[int64]error{101: &remoteErr{status: 401, requestID: "req-2", msg: "The access token is invalid"}}
			},
			concurrency: 1,
			wantErrors: []Error{{CompanyID: ptr[int64](10), ProjectID: ptr[int64](101), Status: status(401), RequestID: "req-2",
				Message: "read the tool permissions of project 101: GET: 401: The access token is invalid", Call: "project_permissions", ProcoreMessage: "The access token is invalid"}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 101", "projects 10 inactive=false"},
			wantRows:  6,
		},
		{
			name: "a 403 on a project is that project's error only",
			company: func(c *fakeCompany) {
				c.projectErrs = map[int64]error{101: &remoteErr{status: 403, msg: "Forbidden"}}
			},
			concurrency: 1,
			wantErrors: []Error{{CompanyID: ptr[int64](10), ProjectID: ptr[int64](101), Status: status(403),
				Message: "read the tool permissions of project 101: GET: 403: Forbidden", Call: "project_permissions", ProcoreMessage: "Forbidden"}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 101", "project_permissions 10 102", "projects 10 inactive=false"},
			wantRows:  6 + 6,
		},
		{
			name: "a rate-limit reset beyond the deadline stops the company",
			company: func(c *fakeCompany) {
				c.projectsErr = &remoteErr{status: 429, msg: "rate limit of company 10 resets at 2026-11-30T01:00:00Z, after the audit's deadline"}
			},
			wantErrors: []Error{{CompanyID: ptr[int64](10), Status: status(429),
				Message: "list the permitted projects: GET: 429: rate limit of company 10 resets at 2026-11-30T01:00:00Z, after the audit's deadline", Call: "projects",
				ProcoreMessage: "rate limit of company 10 resets at 2026-11-30T01:00:00Z, after the audit's deadline"}},
			wantCalls: []string{"company_permissions 10", "projects 10 inactive=false"},
			wantRows:  6,
		},
		{
			name: "a network failure of the company call leaves the projects audited",
			company: func(c *fakeCompany) {
				c.permsErr = errors.New("dial tcp 127.0.0.1:1: connection refused")
			},
			wantErrors: []Error{{CompanyID: ptr[int64](10),
				Message: "read the company's tool permissions: dial tcp 127.0.0.1:1: connection refused", Call: "company_permissions"}},
			wantCalls: []string{"company_permissions 10", "project_permissions 10 101", "project_permissions 10 102", "projects 10 inactive=false"},
			wantRows:  11,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := demoAPI()
			if tt.company != nil {
				tt.company(api.companies[10])
			}
			id := tt.id
			if id == 0 {
				id = 10
			}
			r := run(t, api, Options{Companies: []int64{id}, Concurrency: tt.concurrency})
			if diff := cmp.Diff(tt.wantErrors, r.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCalls, api.callList()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if len(r.Findings) != tt.wantRows {
				t.Errorf("%d rows, want %d:\n%s", len(r.Findings), tt.wantRows, strings.Join(rows(r), "\n"))
			}
			if r.Summary.Errors != len(tt.wantErrors) || r.ExitCode(DefaultFailOn) != 3 {
				t.Errorf("summary.errors = %d, exit %d; want %d, 3", r.Summary.Errors, r.ExitCode(DefaultFailOn), len(tt.wantErrors))
			}
		})
	}
}

func TestErrorAs(t *testing.T) {
	var err error = fmt.Errorf("wrapped: %w", &remoteErr{status: 404, requestID: "r", msg: "m"})
	re := remote(err)
	if re == nil || re.HTTPStatus() != 404 || re.ProcoreRequestID() != "r" || re.ProcoreMessage() != "m" {
		t.Errorf("remote(%v) = %v", err, re)
	}
	if remote(errors.New("plain")) != nil {
		t.Error("remote(plain error) != nil")
	}
}

func TestRootCause(t *testing.T) {
	for _, key := range []string{"admin", "directory"} {
		t.Run(key, func(t *testing.T) {
			api := demoAPI()
			c := api.companies[10]
			c.perms = append(c.perms, tool(key, 4))
			r := run(t, api, Options{Companies: []int64{10}})
			rc := r.RootCause(10)
			if rc == nil || rc.Tool != key {
				t.Fatalf("RootCause(10) = %+v, want tool %s", rc, key)
			}
			n := 0
			for _, w := range r.Warnings {
				if w == rc.Message {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the root cause is in the warnings %d times, want once: %q", n, r.Warnings)
			}
			if r.RootCause(11) != nil {
				t.Error("RootCause(11) != nil")
			}
		})
	}
	api := demoAPI()
	api.companies[10].perms = append(api.companies[10].perms, tool("admin", 2))
	if r := run(t, api, Options{Companies: []int64{10}}); len(r.RootCauses) != 0 {
		t.Errorf("admin at readonly: root causes %v", r.RootCauses)
	}
}

const versioned = `{
  "schema_version": "4.1",
  "app_manifest": {"id": "a1", "version": "1.4.0"},
  "permissions": {"company": {"documents": "readonly"}, "project": {"budget": "standard", "rfi": "none"}}
}`

func TestInstallation(t *testing.T) {
	tests := []struct {
		name     string
		installs []Installation
		err      error
		want     *InstallationResult
		warning  string
		errors   int
	}{
		{name: "same version", installs: []Installation{{ID: 1, Version: "1.4.0", Status: "installed"}},
			want: &InstallationResult{Version: "1.4.0", Status: "installed"}},
		{name: "older version", installs: []Installation{{ID: 1, Version: "1.3.0", Status: "installed", UpdateAvailable: true}},
			want:    &InstallationResult{Version: "1.3.0", Status: "installed", UpdateAvailable: true},
			warning: "company 10 runs version 1.3.0 of the app, the manifest is version 1.4.0: its differences may only mean that it has not updated yet"},
		{name: "installed one preferred", installs: []Installation{{ID: 1, Version: "1.0.0", Status: "uninstalled"}, {ID: 2, Version: "1.4.0", Status: "installed"}},
			want: &InstallationResult{Version: "1.4.0", Status: "installed"}},
		{name: "none", warning: "company 10 lists no installation of the app"},
		{name: "failure", err: &remoteErr{status: 403, msg: "Forbidden"}, errors: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := demoAPI()
			api.companies[10].installs, api.companies[10].installsErr = tt.installs, tt.err
			r, err := Run(context.Background(), api, parseApp(t, "m.json", []byte(versioned)), Options{Companies: []int64{10}, Installation: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Companies[0].Installation); diff != "" {
				t.Errorf("installation (-want +got):\n%s", diff)
			}
			var want []string
			if tt.warning != "" {
				want = []string{tt.warning}
			}
			if diff := cmp.Diff(want, r.Warnings, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") })); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if len(r.Errors) != tt.errors {
				t.Errorf("errors = %v, want %d", r.Errors, tt.errors)
			}
			if got := len(api.callList()); got != 5 {
				t.Errorf("%d calls, want 5 (one more than without installations): %v", got, api.callList())
			}
		})
	}
}

func TestAliasesAndNone(t *testing.T) {
	// budget is the catalogue's alias of budgeting; an explicit none with
	// nothing granted gives no row; a tool at None in the answer and not
	// declared gives no row.
	api := &fakeAPI{companies: map[int64]*fakeCompany{10: {
		perms:        []ToolPermission{tool("documents", 2)},
		projects:     []Project{project(1, true)},
		projectPerms: map[int64][]ToolPermission{1: {tool("budgeting", 3), tool("images", 1)}},
	}}}
	r, err := Run(context.Background(), api, parseApp(t, "m.json", []byte(versioned)), Options{Companies: []int64{10}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"10/null company documents readonly->readonly ok /permissions/company/documents",
		"10/1 project budgeting standard->standard ok /permissions/project/budget",
	}
	if diff := cmp.Diff(want, rows(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if r.ExitCode(DefaultFailOn) != 0 {
		t.Errorf("ExitCode = %d, want 0", r.ExitCode(DefaultFailOn))
	}
}

func TestAllCompanies(t *testing.T) {
	api := demoAPI()
	api.companies[5] = &fakeCompany{name: "Five", perms: []ToolPermission{tool("documents", 2)}}
	api.companies[30] = &fakeCompany{name: "Thirty", perms: []ToolPermission{tool("documents", 2)}}
	r := run(t, api, Options{Companies: []int64{10}, AllCompanies: true})
	var got []string
	for _, c := range r.Companies {
		got = append(got, fmt.Sprintf("%d %s %d", c.ID, *c.Name, c.Projects))
	}
	if diff := cmp.Diff([]string{"10 Acme 2", "5 Five 0", "30 Thirty 0"}, got); diff != "" {
		t.Errorf("companies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{10}, api.companyHdr); diff != "" {
		t.Errorf("Procore-Company-Id of the companies call (-want +got):\n%s", diff)
	}

	api = demoAPI()
	api.companiesErr = &remoteErr{status: 400, requestID: "x", msg: "Missing Procore-Company-Id header!"}
	r = run(t, api, Options{AllCompanies: true})
	if len(r.Errors) != 1 || r.Errors[0].Call != "companies" || r.Errors[0].CompanyID != nil || r.Errors[0].ProcoreMessage != "Missing Procore-Company-Id header!" {
		t.Errorf("errors = %+v", r.Errors)
	}
	if diff := cmp.Diff([]int64{0}, api.companyHdr); diff != "" {
		t.Errorf("header without a company id (-want +got):\n%s", diff)
	}
}

func TestNoCompany(t *testing.T) {
	if _, err := Run(context.Background(), demoAPI(), loadApp(t, "procore-41.json"), Options{}); err == nil {
		t.Error("Run with no company: no error")
	}
}

func TestBaseline(t *testing.T) {
	api := demoAPI()
	base := run(t, api, Options{Companies: []int64{10}})
	// Round trip through JSON, as --baseline reads it.
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(base); err != nil {
		t.Fatal(err)
	}
	old, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}

	// Unchanged: nothing is new, nothing fails.
	r := run(t, demoAPI(), Options{Companies: []int64{10}, Baseline: old})
	for _, f := range r.Findings {
		if f.New == nil || *f.New {
			t.Errorf("unchanged run: row %s", row(f))
		}
	}
	if r.Failed(DefaultFailOn) || r.ExitCode(DefaultFailOn) != 0 {
		t.Errorf("unchanged run fails: exit %d", r.ExitCode(DefaultFailOn))
	}

	// A new undeclared tool in 101, a verdict changed in 102 (directory
	// back to standard), and 102's daily_log error in this run: 102 is
	// never reported as changed.
	api = demoAPI()
	c := api.companies[10]
	c.projectPerms[101] = append(c.projectPerms[101], tool("rfi", 2))
	c.projectPerms[102][3] = tool("directory", 3)
	r = run(t, api, Options{Companies: []int64{10}, Baseline: old})
	var newRows []string
	for _, f := range r.Findings {
		if f.IsNew() {
			newRows = append(newRows, row(f))
		}
	}
	want := []string{
		"10/101 project rfi null->readonly undeclared new=true",
		"10/102 project directory standard->standard ok new=true",
	}
	for i := range want {
		want[i] = strings.Replace(want[i], " new=", map[int]string{0: " new=", 1: " /permissions/project/directory new="}[i], 1)
	}
	if diff := cmp.Diff(want, newRows); diff != "" {
		t.Errorf("new rows (-want +got):\n%s", diff)
	}
	if !r.Failed(DefaultFailOn) || r.ExitCode(DefaultFailOn) != 1 {
		t.Errorf("a new undeclared row: exit %d, want 1", r.ExitCode(DefaultFailOn))
	}
	if r.Failed([]Verdict{Over}) {
		t.Error("fail-on over: the only over rows are old")
	}

	// Project 102 errors now: its rows (none) and nothing else change;
	// with 101 erroring in the baseline, its new row is not new.
	old.Errors = append(old.Errors, Error{CompanyID: ptr[int64](10), ProjectID: ptr[int64](101), Message: "x"})
	r = run(t, api, Options{Companies: []int64{10}, Baseline: old})
	for _, f := range r.Findings {
		if f.IsNew() && *f.ProjectID == 101 {
			t.Errorf("row of a scope that errored in the baseline is new: %s", row(f))
		}
	}
	// A company-level error (say, its installations call) covers the
	// company's own tools and the projects that run did not audit, not
	// the projects it audited in full: 101's new undeclared row stays new.
	old.Errors = []Error{{CompanyID: ptr[int64](10), Message: "x"}}
	r = run(t, api, Options{Companies: []int64{10}, Baseline: old})
	newRows = nil
	for _, f := range r.Findings {
		if f.IsNew() {
			newRows = append(newRows, row(f))
		}
	}
	if diff := cmp.Diff(want, newRows); diff != "" {
		t.Errorf("company-level error in the baseline: new rows (-want +got):\n%s", diff)
	}
	// The company's own tools changed (home lowered to standard): with
	// a company-level error in the baseline, that change is not new.
	api.companies[10].perms[1] = tool("home", 3)
	r = run(t, api, Options{Companies: []int64{10}, Baseline: old})
	for _, f := range r.Findings {
		if f.IsNew() && f.ProjectID == nil {
			t.Errorf("company row new though the company errored in the baseline: %s", row(f))
		}
	}
	// A project the baseline did not audit (its rows are missing) under a
	// company-level error: its rows are not new.
	var kept []Finding
	for _, f := range old.Findings {
		if f.ProjectID == nil || *f.ProjectID != 101 {
			kept = append(kept, f)
		}
	}
	partial := *old
	partial.Findings = kept
	r = run(t, api, Options{Companies: []int64{10}, Baseline: &partial})
	for _, f := range r.Findings {
		if f.IsNew() && f.ProjectID != nil && *f.ProjectID == 101 {
			t.Errorf("row of a project the errored baseline did not audit is new: %s", row(f))
		}
	}
}

func TestReadBaselineRejects(t *testing.T) {
	for _, in := range []string{"", "{", `{"files": []}`, "[]"} {
		if _, err := ReadBaseline(strings.NewReader(in)); err == nil {
			t.Errorf("ReadBaseline(%q): no error", in)
		}
	}
}

func TestIgnores(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name       string
		ignores    []Ignore
		suppressed int
		gone       []string // rows that must be gone
		warnings   []string
	}{
		{name: "every company", ignores: []Ignore{{Verdict: Over, Tool: "directory", Reason: "r", Source: "i0"}},
			suppressed: 1, gone: []string{demoRows[15]}},
		{name: "one project", ignores: []Ignore{{Verdict: OK, Tool: "budgeting", ProjectID: ptr[int64](102), Reason: "r", Source: "i0"}},
			suppressed: 1, gone: []string{demoRows[11]}},
		{name: "one company", ignores: []Ignore{{Verdict: OK, Tool: "budgeting", CompanyID: ptr[int64](10), Reason: "r", Source: "i0"}},
			suppressed: 2, gone: []string{demoRows[6], demoRows[11]}},
		{name: "expires today still applies", ignores: []Ignore{{Verdict: Undeclared, Tool: "reports", Reason: "r", Expires: day("2026-11-29"), Source: "i0"}},
			suppressed: 1, gone: []string{demoRows[2]}},
		{name: "expired", ignores: []Ignore{{Verdict: Undeclared, Tool: "reports", Reason: "r", Expires: day("2026-11-28"), Source: "i0"}},
			warnings: []string{"i0 (undeclared reports) expired on 2026-11-28 and no longer suppresses anything"}},
		{name: "matches nothing", ignores: []Ignore{{Verdict: Over, Tool: "directory", CompanyID: ptr[int64](99), Reason: "r", Source: "i0"}},
			warnings: []string{"i0 (over directory in company 99) matched no row"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, demoAPI(), Options{Companies: []int64{10}, Ignores: tt.ignores, Now: func() time.Time { return now }})
			if r.Summary.Suppressed != tt.suppressed {
				t.Errorf("suppressed = %d, want %d", r.Summary.Suppressed, tt.suppressed)
			}
			got := rows(r)
			if len(got) != len(demoRows)-tt.suppressed {
				t.Errorf("%d rows, want %d", len(got), len(demoRows)-tt.suppressed)
			}
			for _, g := range tt.gone {
				for _, row := range got {
					if row == g {
						t.Errorf("row %s was not suppressed", g)
					}
				}
			}
			total := r.Summary.OK + r.Summary.Differences()
			if total != len(demoRows)-tt.suppressed {
				t.Errorf("verdict counts %d, want %d", total, len(demoRows)-tt.suppressed)
			}
			if diff := cmp.Diff(tt.warnings, r.Warnings, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") })); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	api := demoAPI()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api.onCall = func(call string) {
		if call == "project_permissions 10 102" {
			cancel()
		}
	}
	r, err := Run(ctx, api, loadApp(t, "procore-41.json"), Options{Companies: []int64{10}, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Interrupted || r.ExitCode(DefaultFailOn) != 3 {
		t.Errorf("interrupted %v, exit %d", r.Interrupted, r.ExitCode(DefaultFailOn))
	}
	if diff := cmp.Diff(demoRows[:11], rows(r)); diff != "" {
		t.Errorf("partial rows (-want +got):\n%s", diff)
	}
	want := []Error{{CompanyID: ptr[int64](10), Message: "interrupted: 1 of 2 projects audited"}}
	if diff := cmp.Diff(want, r.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	// Cancelled before the start: every company gets its error.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	r, err = Run(ctx, demoAPI(), loadApp(t, "procore-41.json"), Options{Companies: []int64{10, 11}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 2 || !r.Interrupted {
		t.Errorf("errors = %+v", r.Errors)
	}

	// The deadline is named as such.
	ctx, cancel = context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	r, _ = Run(ctx, demoAPI(), loadApp(t, "procore-41.json"), Options{Companies: []int64{10}})
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "deadline") {
		t.Errorf("errors = %+v", r.Errors)
	}
}

func TestConcurrencyBound(t *testing.T) {
	const projects = 40
	many := func() *fakeCompany {
		c := &fakeCompany{perms: []ToolPermission{tool("documents", 2)}, projectPerms: map[int64][]ToolPermission{}}
		for i := int64(1); i <= projects; i++ {
			c.projects = append(c.projects, project(i, true))
			c.projectPerms[i] = []ToolPermission{tool("budgeting", 3)}
		}
		return c
	}
	for _, n := range []int{1, 2, 4, 8} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			api := &fakeAPI{companies: map[int64]*fakeCompany{10: many()}, gate: newGate(n, projects)}
			r := run(t, api, Options{Companies: []int64{10}, Concurrency: n})
			if api.maxPer[10] != n {
				t.Errorf("at most %d calls in flight, want exactly %d", api.maxPer[10], n)
			}
			if r.Companies[0].Projects != projects || len(r.Errors) != 0 {
				t.Errorf("projects %d, errors %v", r.Companies[0].Projects, r.Errors)
			}
			// Rows are in project order whatever the completion order.
			var last int64
			for _, f := range r.Findings {
				if f.ProjectID == nil {
					continue
				}
				if *f.ProjectID < last {
					t.Fatalf("project %d after project %d", *f.ProjectID, last)
				}
				last = *f.ProjectID
			}
			if last != projects {
				t.Errorf("last project %d, want %d", last, projects)
			}
		})
	}
	// Two companies: neither exceeds the bound.
	api := &fakeAPI{companies: map[int64]*fakeCompany{10: many(), 20: many()}, gate: newGate(3, 2*projects)}
	run(t, api, Options{Companies: []int64{10, 20}, Concurrency: 3})
	if api.maxPer[10] > 3 || api.maxPer[20] > 3 {
		t.Errorf("in flight per company: %v, bound 3", api.maxPer)
	}
}

func TestProgress(t *testing.T) {
	var got []Progress
	run(t, demoAPI(), Options{Companies: []int64{10}, Concurrency: 1, Progress: func(p Progress) { got = append(got, p) }})
	want := []Progress{{10, 0, 2}, {10, 1, 2}, {10, 2, 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func TestParseVerdict(t *testing.T) {
	for _, v := range Verdicts {
		if got, err := ParseVerdict(string(v)); err != nil || got != v {
			t.Errorf("ParseVerdict(%q) = %q, %v", v, got, err)
		}
	}
	if _, err := ParseVerdict("bad"); err == nil || !strings.Contains(err.Error(), "unpermitted") {
		t.Errorf("ParseVerdict(bad) = %v", err)
	}
}

func TestExitCode(t *testing.T) {
	tru := true
	tests := []struct {
		name string
		r    Report
		fail []Verdict
		want int
	}{
		{"clean", Report{Findings: []Finding{{Verdict: OK}}}, DefaultFailOn, 0},
		{"difference", Report{Findings: []Finding{{Verdict: Under}}}, DefaultFailOn, 1},
		{"difference not in fail-on", Report{Findings: []Finding{{Verdict: Under}}}, []Verdict{Over}, 0},
		{"errors win", Report{Findings: []Finding{{Verdict: Under}}, Errors: []Error{{}}}, DefaultFailOn, 3},
		{"interrupted", Report{Interrupted: true}, DefaultFailOn, 3},
		{"baseline old row", Report{Baseline: true, Findings: []Finding{{Verdict: Over, New: new(bool)}}}, DefaultFailOn, 0},
		{"baseline new row", Report{Baseline: true, Findings: []Finding{{Verdict: Over, New: &tru}}}, DefaultFailOn, 1},
	}
	for _, tt := range tests {
		if got := tt.r.ExitCode(tt.fail); got != tt.want {
			t.Errorf("%s: ExitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestJSONShape(t *testing.T) {
	r := run(t, demoAPI(), Options{Companies: []int64{10}, ExpectProjects: []int64{7}})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	want := []string{"companies", "environment", "errors", "findings", "manifest", "principal", "requests", "summary", "warnings"}
	if diff := cmp.Diff(want, sortStrings(keys)); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	findings := m["findings"].([]any)
	under := findings[3].(map[string]any)
	if under["project_id"] != nil || under["verdict"] != "under" || under["pointer"] != "/permissions/company/schedule" {
		t.Errorf("company row = %v", under)
	}
	if _, ok := under["new"]; ok {
		t.Error("new present without a baseline")
	}
	undeclared := findings[2].(map[string]any)
	if _, ok := undeclared["pointer"]; ok {
		t.Error("pointer present on an undeclared row")
	}
	unp := findings[len(findings)-1].(map[string]any)
	if unp["tool"] != nil || unp["company_id"] != nil || unp["scope"] != "project" || unp["project_id"] != float64(7) {
		t.Errorf("unpermitted row = %v", unp)
	}
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

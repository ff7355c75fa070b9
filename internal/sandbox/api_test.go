package sandbox

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestCompanyHeader(t *testing.T) {
	e := newTestEnv(t, Demo())
	dmsa := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	tests := []struct {
		name     string
		tok      string
		header   string
		target   string
		status   int
		contains string
	}{
		{"projects without header", dmsa, "", "/rest/v1.0/projects?company_id=10", 400, "Missing Procore-Company-Id header!"},
		{"permissions without header", dmsa, "", "/rest/v1.0/settings/permissions?company_id=10", 400, "Missing Procore-Company-Id header!"},
		{"project permissions without header", dmsa, "", "/rest/v1.0/settings/permissions?project_id=101", 400, "Missing Procore-Company-Id header!"},
		{"project tools without header", dmsa, "", "/rest/v1.0/projects/101/tools", 400, "Missing Procore-Company-Id header!"},
		{"installations without header", dmsa, "", "/rest/v1.0/app_installations?company_id=10", 400, "Missing Procore-Company-Id header!"},
		{"user projects without header", user, "", "/rest/v1.0/projects?company_id=10", 400, "Missing Procore-Company-Id header!"},
		{"DMSA me without header", dmsa, "", "/rest/v1.0/me", 400, "Missing Procore-Company-Id header!"},
		{"header is not an id", dmsa, "acme", "/rest/v1.0/projects?company_id=10", 400, "invalid_procore_company_id"},
		{"header and company_id differ", dmsa, "20", "/rest/v1.0/projects?company_id=10", 400, "does not match"},
		{"header and company_id the same number", dmsa, "10", "/rest/v1.0/projects?company_id=010", 200, `"id":101`},
		{"app not installed", dmsa, "30", "/rest/v1.0/projects?company_id=30", 403, `{"errors":["App is not connected to this company."]}`},
		{"unknown company", dmsa, "99", "/rest/v1.0/projects?company_id=99", 403, `{"errors":["App is not connected to this company."]}`},
		{"user not in company", user, "20", "/rest/v1.0/projects?company_id=20", 403, "You do not have access to this company."},
		{"user in a company without the app", user, "30", "/rest/v1.0/projects?company_id=30", 403, "App is not connected to this company."},
		{"project of another company", dmsa, "20", "/rest/v1.0/settings/permissions?project_id=101", 404, "Not Found"},
		{"projects without company_id", dmsa, "10", "/rest/v1.0/projects", 400, "company_id"},
		{"DMSA companies without header", dmsa, "", "/rest/v1.0/companies", 200, `"id":10`},
		{"user companies without header", user, "", "/rest/v1.0/companies", 200, `"id":30`},
		{"user me without header", user, "", "/rest/v1.0/me", 200, `"login":"dana.demo@example.com"`},
		{"DMSA me", dmsa, "10", "/rest/v1.0/me", 200, `"id":4242`},
		{"unknown API path", dmsa, "10", "/rest/v1.0/rfis?project_id=101", 404, "Not Found"},
		{"unknown path", dmsa, "10", "/elsewhere", 404, "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.tok, tt.header, tt.target)
			if r.status != tt.status || !strings.Contains(r.body, tt.contains) {
				t.Errorf("GET %s (header %q) = %d %s, want %d containing %q", tt.target, tt.header, r.status, r.body, tt.status, tt.contains)
			}
		})
	}
	t.Run("strict header for DMSA lists", func(t *testing.T) {
		e := newTestEnv(t, demoWith(func(s *Scenario) { s.StrictCompanyHeader = true }))
		dmsa := e.dmsaToken()
		if r := e.get(dmsa, "", "/rest/v1.0/companies"); r.status != 400 {
			t.Errorf("companies without header = %d, want 400", r.status)
		}
		if r := e.get(dmsa, "10", "/rest/v1.0/companies"); r.status != 200 {
			t.Errorf("companies with header = %d, want 200", r.status)
		}
	})
}

func TestMethods(t *testing.T) {
	e := newTestEnv(t, Demo())
	tok := e.dmsaToken()
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		for _, target := range []string{"/rest/v1.0/projects?company_id=10", "/rest/v1.0/me", "/oauth/token/info", "/oauth/authorize"} {
			r := e.do(m, target, map[string]string{"Authorization": "Bearer " + tok, "Procore-Company-Id": "10"}, url.Values{})
			if r.status != 405 || r.header.Get("Allow") != "GET" {
				t.Errorf("%s %s = %d (Allow %q), want 405 (Allow GET)", m, target, r.status, r.header.Get("Allow"))
			}
		}
	}
}

func TestCompanies(t *testing.T) {
	sc := demoWith(func(s *Scenario) {
		s.Companies = append(s.Companies, Company{ID: 40, Name: "Free Co", Free: true, AppInstalled: true})
		s.Users[0].Companies = append(s.Users[0].Companies, 40)
	})
	e := newTestEnv(t, sc)
	dmsa := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	tests := []struct {
		name   string
		tok    string
		target string
		want   []int64
	}{
		{"DMSA: installed companies", dmsa, "/rest/v1.0/companies", []int64{10, 20}},
		{"DMSA: with free companies", dmsa, "/rest/v1.0/companies?include_free_companies=true", []int64{10, 20, 40}},
		{"user: the user's companies", user, "/rest/v1.0/companies", []int64{10, 30}},
		{"user: with free companies", user, "/rest/v1.0/companies?include_free_companies=true", []int64{10, 30, 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.tok, "", tt.target)
			if got := ids(t, r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GET %s = %v, want %v", tt.target, got, tt.want)
			}
		})
	}
}

func TestProjects(t *testing.T) {
	sc := demoWith(func(s *Scenario) {
		// A project the admin DMSA of company 20 is not permitted in: it
		// is listed all the same.
		s.Companies[1].Projects = append(s.Companies[1].Projects, Project{ID: 202, Name: "Dockside"})
	})
	e := newTestEnv(t, sc)
	dmsa := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	tests := []struct {
		name    string
		tok     string
		company string
		filter  string
		want    []int64
	}{
		{"DMSA: permitted active projects", dmsa, "10", "", []int64{101, 102}},
		{"DMSA: by_status All", dmsa, "10", "All", []int64{101, 102, 103}},
		{"DMSA: by_status Active", dmsa, "10", "Active", []int64{101, 102}},
		{"DMSA: by_status Inactive", dmsa, "10", "Inactive", []int64{103}},
		{"DMSA company admin: every project", dmsa, "20", "", []int64{202, 4294967301}},
		{"user: the user's active projects", user, "10", "", []int64{101, 104}},
		{"user: by_status All", user, "10", "All", []int64{101, 103, 104}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := "/rest/v1.0/projects?company_id=" + tt.company
			if tt.filter != "" {
				target += "&filters%5Bby_status%5D=" + tt.filter
			}
			r := e.get(tt.tok, tt.company, target)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if got := ids(t, r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("projects = %v, want %v", got, tt.want)
			}
		})
	}
	if r := e.get(dmsa, "10", "/rest/v1.0/projects?company_id=10&filters%5Bby_status%5D=Closed"); r.status != 400 {
		t.Errorf("unknown by_status = %d, want 400", r.status)
	}
	r := e.get(dmsa, "10", "/rest/v1.0/projects?company_id=10")
	if !strings.Contains(r.body, `"company":{"id":10,"name":"Acme Builders"}`) || !strings.Contains(r.body, `"active":true`) {
		t.Errorf("project item = %s, want company and active", r.body)
	}
}

// manyProjects is a scenario with n permitted active projects in company 1
// (ids 1001..), plus one inactive.
func manyProjects(n int) *Scenario {
	s := &Scenario{
		App:     App{UID: "uid"},
		Clients: []Client{{ID: DemoClientID, Secret: DemoClientSecret}},
		Companies: []Company{{ID: 1, Name: "Big", AppInstalled: true,
			Projects: []Project{{ID: 999, Name: "closed", Active: new(bool), Permitted: true}}}},
	}
	for i := range n {
		s.Companies[0].Projects = append(s.Companies[0].Projects,
			Project{ID: int64(1001 + i), Name: fmt.Sprintf("P%d", i), Permitted: true})
	}
	return s
}

// parseLink splits a Link header into rel → URL.
func parseLink(t *testing.T, h string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if h == "" {
		return out
	}
	for _, part := range strings.Split(h, ", ") {
		u, rel, ok := strings.Cut(part, ">; rel=")
		if !ok || !strings.HasPrefix(u, "<") {
			t.Fatalf("bad Link part %q", part)
		}
		out[strings.Trim(rel, `"`)] = strings.TrimPrefix(u, "<")
	}
	return out
}

func TestPagination(t *testing.T) {
	e := newTestEnv(t, manyProjects(250))
	tok := e.dmsaToken()
	base := "/rest/v1.0/projects?company_id=1&per_page=100"
	page := func(n int) string {
		return fmt.Sprintf("%s/rest/v1.0/projects?company_id=1&page=%d&per_page=100", e.hs.URL, n)
	}
	tests := []struct {
		page  int
		count int
		links map[string]string
	}{
		{1, 100, map[string]string{"next": page(2), "last": page(3)}},
		// Procore's page-2 example has first, next and last but no prev.
		{2, 100, map[string]string{"first": page(1), "next": page(3), "last": page(3)}},
		{3, 50, map[string]string{"first": page(1), "prev": page(2)}},
		{4, 0, map[string]string{"first": page(1), "prev": page(3)}},
	}
	var all []int64
	for _, tt := range tests {
		t.Run(fmt.Sprintf("page %d", tt.page), func(t *testing.T) {
			r := e.get(tok, "1", fmt.Sprintf("%s&page=%d", base, tt.page))
			if r.header.Get("Total") != "250" || r.header.Get("Per-Page") != "100" {
				t.Errorf("Total %q Per-Page %q, want 250 and 100", r.header.Get("Total"), r.header.Get("Per-Page"))
			}
			got := ids(t, r)
			if len(got) != tt.count {
				t.Errorf("%d items, want %d", len(got), tt.count)
			}
			all = append(all, got...)
			if links := parseLink(t, r.header.Get("Link")); !reflect.DeepEqual(links, tt.links) {
				t.Errorf("Link = %v, want %v", links, tt.links)
			}
		})
	}
	for i, id := range all {
		if id != int64(1001+i) {
			t.Fatalf("item %d has id %d, want %d: pages overlap or skip", i, id, 1001+i)
		}
	}
	if len(all) != 250 {
		t.Errorf("%d projects over the pages, want 250", len(all))
	}

	t.Run("following next", func(t *testing.T) {
		next, n, requests := base, 0, 0
		for next != "" {
			r := e.get(tok, "1", next)
			requests++
			n += len(ids(t, r))
			next = strings.TrimPrefix(parseLink(t, r.header.Get("Link"))["next"], e.hs.URL)
		}
		if n != 250 || requests != 3 {
			t.Errorf("%d projects in %d requests, want 250 in 3", n, requests)
		}
	})
	t.Run("filters kept in links", func(t *testing.T) {
		r := e.get(tok, "1", base+"&filters%5Bby_status%5D=All")
		next := parseLink(t, r.header.Get("Link"))["next"]
		if r.header.Get("Total") != "251" || !strings.Contains(next, "filters%5Bby_status%5D=All") {
			t.Errorf("Total %s, next %q: want 251 and the filter kept", r.header.Get("Total"), next)
		}
	})
	t.Run("one page has no Link", func(t *testing.T) {
		r := e.get(tok, "1", "/rest/v1.0/projects?company_id=1&per_page=300")
		if r.header.Get("Link") != "" || len(ids(t, r)) != 250 {
			t.Errorf("Link %q, want none", r.header.Get("Link"))
		}
	})
	t.Run("default page size", func(t *testing.T) {
		r := e.get(tok, "1", "/rest/v1.0/projects?company_id=1")
		if r.header.Get("Per-Page") != "100" || len(ids(t, r)) != 100 {
			t.Errorf("Per-Page %q, want 100", r.header.Get("Per-Page"))
		}
	})
	for _, bad := range []string{"per_page=0", "per_page=x", "page=-1"} {
		if r := e.get(tok, "1", "/rest/v1.0/projects?company_id=1&"+bad); r.status != 400 {
			t.Errorf("%s = %d, want 400", bad, r.status)
		}
	}
}

func TestPermissions(t *testing.T) {
	sc := demoWith(func(s *Scenario) {
		s.Companies[0].Projects[0].DMSATools["generic_tool_7"] = Grant{Level: "readonly"}
	})
	e := newTestEnv(t, sc)
	dmsa := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	tests := []struct {
		name    string
		tok     string
		company string
		query   string
		want    map[string]string
	}{
		{"DMSA company 10", dmsa, "10", "company_id=10", map[string]string{
			"documents": "3 Standard true", "home": "3 Standard true", "schedule": "2 Read Only true",
			"timecard": "3 Standard false", "directory": "2 Read Only true"}},
		{"DMSA company admin: Admin on every tool", dmsa, "20", "company_id=20", map[string]string{
			"admin": "4 Admin true", "documents": "4 Admin true", "home": "4 Admin true",
			"schedule": "4 Admin true", "timecard": "4 Admin true", "timesheets": "4 Admin true"}},
		{"DMSA project 101 (correspondence types filtered)", dmsa, "10", "project_id=101", map[string]string{
			"budgeting": "3 Standard true", "commitments": "4 Admin true", "coordination_issues": "2 Read Only true",
			"daily_log": "2 Read Only true", "directory": "3 Standard true", "images": "2 Read Only true"}},
		{"DMSA project 101 with correspondence types", dmsa, "10", "project_id=101&filter_correspondence_types=false", map[string]string{
			"budgeting": "3 Standard true", "commitments": "4 Admin true", "coordination_issues": "2 Read Only true",
			"daily_log": "2 Read Only true", "directory": "3 Standard true", "images": "2 Read Only true",
			"generic_tool_7": "2 Read Only true"}},
		{"DMSA project 102", dmsa, "10", "project_id=102", map[string]string{
			"budgeting": "3 Standard true", "commitments": "3 Standard true", "coordination_issues": "2 Read Only true",
			"daily_log": "3 Standard false"}},
		{"DMSA inactive but permitted project", dmsa, "10", "project_id=103", map[string]string{
			"budgeting": "3 Standard true", "commitments": "3 Standard true", "coordination_issues": "2 Read Only true",
			"daily_log": "3 Standard true", "directory": "3 Standard true"}},
		{"DMSA company admin: project", dmsa, "20", "project_id=4294967301", map[string]string{
			"budgeting": "4 Admin true", "commitments": "4 Admin true", "coordination_issues": "4 Admin true",
			"daily_log": "4 Admin true", "directory": "4 Admin true"}},
		{"user company", user, "10", "company_id=10", map[string]string{"directory": "2 Read Only true"}},
		{"user project", user, "10", "project_id=104", map[string]string{"directory": "3 Standard true", "daily_log": "3 Standard true"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.tok, tt.company, "/rest/v1.0/settings/permissions?"+tt.query)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if got := tools(t, r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tools = %v, want %v", got, tt.want)
			}
		})
	}
	errs := []struct {
		name, tok, company, query string
		status                    int
		contains                  string
	}{
		{"DMSA project not permitted", dmsa, "10", "project_id=104", 403, "You do not have access to this project."},
		{"user project not theirs", user, "10", "project_id=102", 403, "You do not have access to this project."},
		{"both ids", dmsa, "10", "company_id=10&project_id=101", 400, "exactly one"},
		{"neither id", dmsa, "10", "", 400, "exactly one"},
		{"unknown project", dmsa, "10", "project_id=5", 404, "Not Found"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.tok, tt.company, "/rest/v1.0/settings/permissions?"+tt.query)
			if r.status != tt.status || !strings.Contains(r.body, tt.contains) {
				t.Errorf("= %d %s, want %d containing %q", r.status, r.body, tt.status, tt.contains)
			}
		})
	}
	t.Run("tool element shape", func(t *testing.T) {
		r := e.get(dmsa, "10", "/rest/v1.0/settings/permissions?project_id=102")
		for _, f := range []string{`"friendly_name":"Daily Log"`, `"friendly_name":"Budget"`, `"url":"/102/project/budgeting"`,
			`"permitted_actions":[]`, `"tab_group":"core"`, `"domain_id":`, `"can_create":`, `"trial":false`} {
			if !strings.Contains(r.body, f) {
				t.Errorf("settings/permissions lacks %s: %s", f, r.body)
			}
		}
	})
}

func TestProjectTools(t *testing.T) {
	e := newTestEnv(t, Demo())
	dmsa := e.dmsaToken()
	r := e.get(dmsa, "10", "/rest/v1.0/projects/102/tools")
	var got []struct {
		EngineName string `json:"engine_name"`
		IsActive   bool   `json:"is_active"`
		Title      string `json:"title"`
	}
	r.json(t, &got)
	want := map[string]bool{"budgeting": true, "commitments": true, "coordination_issues": true, "daily_log": false}
	if len(got) != len(want) {
		t.Fatalf("tools = %+v, want %v", got, want)
	}
	for _, tl := range got {
		if active, ok := want[tl.EngineName]; !ok || active != tl.IsActive || tl.Title == "" {
			t.Errorf("tool %+v, want is_active %t and a title", tl, active)
		}
	}
	for target, status := range map[string]int{
		"/rest/v1.0/projects/104/tools":   403,
		"/rest/v1.0/projects/x/tools":     404,
		"/rest/v1.0/projects/102/tools/1": 404,
	} {
		if r := e.get(dmsa, "10", target); r.status != status {
			t.Errorf("%s = %d, want %d", target, r.status, status)
		}
	}
}

func TestAppInstallations(t *testing.T) {
	e := newTestEnv(t, Demo())
	dmsa := e.dmsaToken()
	tests := []struct {
		company string
		want    string
	}{
		{"10", `[{"id":9001,"semantic_version":"1.2.0","status":"installed","updatable_app_version_id":3,"developer_app":{"uid":"demo-app-uid","published_app_version_id":3}}]`},
		{"20", `[{"id":9002,"semantic_version":"1.3.0","status":"installed","updatable_app_version_id":null,"developer_app":{"uid":"demo-app-uid","published_app_version_id":3}}]`},
	}
	for _, tt := range tests {
		r := e.get(dmsa, tt.company, "/rest/v1.0/app_installations?company_id="+tt.company)
		if strings.TrimSpace(r.body) != tt.want {
			t.Errorf("company %s installations = %s, want %s", tt.company, r.body, tt.want)
		}
	}
	if r := e.get(dmsa, "30", "/rest/v1.0/app_installations?company_id=30"); r.status != 403 {
		t.Errorf("not installed = %d, want 403", r.status)
	}
}

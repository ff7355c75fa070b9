package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/permissions"
)

// TestDocExample loads the complete example of docs/sandbox.md.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sandbox.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "A complete example")
	if !ok {
		t.Fatal("docs/sandbox.md has no complete example")
	}
	_, block, ok := strings.Cut(after, "```json\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("the complete example is not a json block")
	}
	s, err := LoadScenario(strings.NewReader(block))
	if err != nil {
		t.Fatalf("the documented example does not load: %v", err)
	}
	// "every field used once": every field of every type is set.
	out, _ := json.Marshal(s)
	for _, f := range []string{"description", "published_app_version_id", "code_lifetime_seconds", "fixed_code", "login_rate_limit",
		"updatable_app_version_id", "available_for_user", "friendly_name", "company_tools", "project_tools",
		"retry_after_seconds", "delay_ms", "project_id", "company_id", `"active":false`, `"every":true`, `"nth":1`} {
		if !strings.Contains(string(out), f) {
			t.Errorf("the complete example does not use %s", f)
		}
	}
	if _, err := New(s, Options{}); err != nil {
		t.Errorf("New(example): %v", err)
	}
}

// TestDemoAudit checks, through the HTTP API only, that the demo gives the
// verdicts docs/sandbox.md promises for testdata/examples/procore-41.json.
// The comparison here is deliberately naive (by tool name and level id);
// the real one lives in permissions/audit.
func TestDemoAudit(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/examples/procore-41.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Permissions struct {
			Company map[string]string `json:"company"`
			Project map[string]string `json:"project"`
		} `json:"permissions"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, Demo())
	tok := e.dmsaToken()
	verdicts := func(declared map[string]string, r result) map[string]string {
		actual := tools(t, r)
		out := map[string]string{}
		for name, level := range declared {
			a, ok := actual[name]
			var id int
			var avail bool
			fmt.Sscanf(a, "%d", &id)
			avail = strings.HasSuffix(a, " true")
			switch want := levelID(level); {
			case !ok:
				out[name] = "inactive absent"
			case !avail:
				out[name] = "inactive unavailable"
			case id > want:
				out[name] = "over"
			case id < want:
				out[name] = "under"
			default:
				out[name] = "ok"
			}
		}
		for name, a := range actual {
			if _, ok := declared[name]; !ok && !strings.HasPrefix(a, "1 ") && strings.HasSuffix(a, " true") {
				out[name] = "undeclared"
			}
		}
		return out
	}
	allOK := map[string]string{"budgeting": "ok", "commitments": "ok", "coordination_issues": "ok", "daily_log": "ok", "directory": "ok"}
	allOver := map[string]string{"budgeting": "over", "commitments": "over", "coordination_issues": "over", "daily_log": "over", "directory": "over"}
	tests := []struct {
		company string
		scope   string // "company" or a project id
		want    map[string]string
	}{
		{"10", "company", map[string]string{"documents": "over", "home": "ok", "schedule": "under",
			"timecard": "inactive unavailable", "timesheets": "inactive absent", "directory": "undeclared"}},
		{"10", "101", map[string]string{"budgeting": "ok", "commitments": "over", "coordination_issues": "ok",
			"daily_log": "under", "directory": "ok", "images": "undeclared"}},
		{"10", "102", map[string]string{"budgeting": "ok", "commitments": "ok", "coordination_issues": "ok",
			"daily_log": "inactive unavailable", "directory": "inactive absent"}},
		{"10", "103", allOK},
		{"20", "company", map[string]string{"documents": "over", "home": "over", "schedule": "over",
			"timecard": "over", "timesheets": "over", "admin": "undeclared"}},
		{"20", "4294967301", allOver},
	}
	for _, tt := range tests {
		t.Run(tt.company+"/"+tt.scope, func(t *testing.T) {
			declared, q := m.Permissions.Project, "project_id="+tt.scope
			if tt.scope == "company" {
				declared, q = m.Permissions.Company, "company_id="+tt.company
			}
			r := e.get(tok, tt.company, "/rest/v1.0/settings/permissions?"+q)
			if got := verdicts(declared, r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("verdicts = %v, want %v", got, tt.want)
			}
		})
	}
	listed := map[string][]int64{}
	for _, c := range []string{"10", "20"} {
		listed[c] = ids(t, e.get(tok, c, "/rest/v1.0/projects?company_id="+c+"&per_page=100"))
	}
	if want := map[string][]int64{"10": {101, 102}, "20": {4294967301}}; !reflect.DeepEqual(listed, want) {
		t.Errorf("DMSA project listings = %v, want %v", listed, want)
	}
	if r := e.get(tok, "30", "/rest/v1.0/settings/permissions?company_id=30"); r.status != 403 {
		t.Errorf("company 30 = %d, want 403", r.status)
	}
	if got := ids(t, e.get(tok, "", "/rest/v1.0/companies")); !reflect.DeepEqual(got, []int64{10, 20}) {
		t.Errorf("--all-companies would find %v, want [10 20]", got)
	}
	// Six requests audit company 10: token, token info, company
	// permissions, one project page, two project permissions.
	e.srv.ResetRequests()
	e.dmsaToken()
	e.get(tok, "", "/oauth/token/info")
	e.get(tok, "10", "/rest/v1.0/settings/permissions?company_id=10")
	e.get(tok, "10", "/rest/v1.0/projects?company_id=10&per_page=100")
	for _, p := range listed["10"] {
		e.get(tok, "10", fmt.Sprintf("/rest/v1.0/settings/permissions?project_id=%d", p))
	}
	if n := len(e.srv.Requests()); n != 6 {
		t.Errorf("%d requests for company 10, want 6", n)
	}
}

// TestDemoAccessCompare checks the demo user's overlap with the DMSA.
func TestDemoAccessCompare(t *testing.T) {
	e := newTestEnv(t, Demo())
	bot := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	list := func(tok string) map[int64]bool {
		out := map[int64]bool{}
		for _, id := range ids(t, e.get(tok, "10", "/rest/v1.0/projects?company_id=10")) {
			out[id] = true
		}
		return out
	}
	b, u := list(bot), list(user)
	got := map[string][]int64{}
	for id := range b {
		if u[id] {
			got["both"] = append(got["both"], id)
		} else {
			got["bot_only"] = append(got["bot_only"], id)
		}
	}
	for id := range u {
		if !b[id] {
			got["user_only"] = append(got["user_only"], id)
		}
	}
	for _, v := range got {
		sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	}
	if want := map[string][]int64{"both": {101}, "bot_only": {102}, "user_only": {104}}; !reflect.DeepEqual(got, want) {
		t.Errorf("access = %v, want %v", got, want)
	}
	if got := ids(t, e.get(user, "", "/rest/v1.0/companies")); !reflect.DeepEqual(got, []int64{10, 30}) {
		t.Errorf("the user's companies = %v, want [10 30] (not 20)", got)
	}
	if r := e.get(user, "", "/rest/v1.0/me"); !strings.Contains(r.body, `"id":77`) {
		t.Errorf("me = %s, want user 77", r.body)
	}
}

// TestDemoToolsInCatalogue: every tool the demo grants is in the tool
// catalogue under that API name and scope, so the audit compares it (and
// reports the undeclared ones by name) instead of treating it as unknown.
func TestDemoToolsInCatalogue(t *testing.T) {
	cat, err := permissions.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := Demo()
	check := func(scope, at string, grants map[string]Grant) {
		for name, g := range grants {
			tool := cat.LookupAPI(scope, name)
			if tool == nil {
				t.Errorf("%s: %s tool %q is not in the catalogue", at, scope, name)
				continue
			}
			l, err := permissions.ParseLevel(g.Level)
			if err != nil {
				t.Fatal(err)
			}
			if l != permissions.None && !tool.Allows(l) {
				t.Errorf("%s: %s tool %q does not allow %s (catalogue: %s)", at, scope, name, g.Level, tool.LevelList())
			}
		}
	}
	for _, c := range s.Companies {
		check(permissions.Company, fmt.Sprintf("company %d", c.ID), c.DMSA.Tools)
		for _, p := range c.Projects {
			check(permissions.Project, fmt.Sprintf("project %d", p.ID), p.DMSATools)
		}
	}
	for _, u := range s.Users {
		check(permissions.Company, fmt.Sprintf("user %d", u.ID), u.CompanyTools)
		check(permissions.Project, fmt.Sprintf("user %d", u.ID), u.ProjectTools)
	}
}

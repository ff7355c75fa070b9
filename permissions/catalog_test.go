package permissions

import (
	"encoding/csv"
	"encoding/json"
	"github.com/manifestctl/manifestctl/internal/suggest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// TestCatalogIntegrity checks the embedded catalogue: it parses, every
// scope has tools, keys and aliases are unique per scope and look like
// manifest keys, every tool allows none, the file has no unknown member.
func TestCatalogIntegrity(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Version == "" {
		t.Error("catalogue has no version")
	}
	for _, scope := range Scopes {
		tools := c.Tools(scope)
		if len(tools) < 10 {
			t.Errorf("%s: only %d tools", scope, len(tools))
		}
		seen := map[string]string{}
		for _, tool := range tools {
			if tool.Scope != scope {
				t.Errorf("%s tool %s has scope %q", scope, tool.Key, tool.Scope)
			}
			if strings.Contains(tool.Key, "{id}") {
				concrete := strings.Replace(tool.Key, "{id}", "126094", 1)
				if got := c.Lookup(scope, concrete); got == nil || got.Key != concrete || got.Pattern != tool.Key {
					t.Errorf("%s pattern %s: Lookup(%s) = %+v", scope, tool.Key, concrete, got)
				}
				if c.Lookup(scope, tool.Key) != nil || c.Lookup(scope, strings.Replace(tool.Key, "{id}", "x1", 1)) != nil {
					t.Errorf("%s pattern %s matches a key without digits", scope, tool.Key)
				}
				continue
			}
			if !validConfidence(tool.Confidence) || tool.Confidence == User {
				t.Errorf("%s tool %s: confidence %q", scope, tool.Key, tool.Confidence)
			}
			if tool.Confirmed != (tool.Confidence == ConfirmedAPI || tool.Confidence == ConfirmedManifest) {
				t.Errorf("%s tool %s: Confirmed %v with confidence %s", scope, tool.Key, tool.Confirmed, tool.Confidence)
			}
			for _, n := range append([]string{tool.Key}, tool.Aliases...) {
				if !keyPattern.MatchString(n) {
					t.Errorf("%s tool %s: key or alias %q is not a lowercase key", scope, tool.Key, n)
				}
				if prev, ok := seen[n]; ok {
					t.Errorf("%s: %q names both %s and %s", scope, n, prev, tool.Key)
				}
				seen[n] = tool.Key
			}
			if tool.Name == "" || tool.Note == "" {
				t.Errorf("%s tool %s: empty name or note", scope, tool.Key)
			}
			if len(tool.Levels) == 0 || tool.Levels[0] != None {
				t.Errorf("%s tool %s: levels %v do not start with none", scope, tool.Key, tool.Levels)
			}
			for i, l := range tool.Levels {
				if !l.Valid() || (i > 0 && tool.Levels[i-1] >= l) {
					t.Errorf("%s tool %s: levels %v not valid and ordered", scope, tool.Key, tool.Levels)
				}
			}
			if c.Lookup(scope, tool.Key) != tool || c.LookupAPI(scope, tool.API()) != tool {
				t.Errorf("%s tool %s: lookup does not find it", scope, tool.Key)
			}
		}
	}
	// Facts the rules rely on (procore-facts.md section 1).
	for _, tt := range []struct{ scope, key, levels string }{
		{Company, "admin", "none, admin"},
		{Company, "concierge", "none, standard, admin"},
		{Company, "documents", LevelNames},
		{Project, "rfi", LevelNames},
	} {
		tool := c.Lookup(tt.scope, tt.key)
		if tool == nil || tool.LevelList() != tt.levels {
			t.Errorf("%s %s: %+v, want levels %s", tt.scope, tt.key, tool, tt.levels)
		}
	}
	// The corrections of procore-facts.md section 7d: a likely-wrong key
	// is kept as an alias of the key the evidence supports.
	for _, tt := range []struct{ scope, alias, key string }{
		{Project, "budget", "budgeting"}, {Company, "portfolio", "home"},
		{Project, "correspondence", "communication_types"}, {Project, "submittals", "submittal_log"},
		{Project, "drawings", "drawing_log"}, {Project, "specifications", "specification_sections"},
		{Project, "prime_contract", "prime_contracts"}, {Company, "connection_manager", "connection_hub"},
		{Project, "calendar", "schedule"},
		{Project, "timesheets", "timesheets"}, {Project, "connection_hub", "connection_hub"},
		{Project, "generic_tool_123", "generic_tool_123"},
	} {
		if tool := c.Lookup(tt.scope, tt.alias); tool == nil || tool.Key != tt.key {
			t.Errorf("Lookup(%s, %s) = %v, want %s", tt.scope, tt.alias, tool, tt.key)
		}
	}
	// Each entry writes its confidence explicitly in the embedded file,
	// never the older yes/no "confirmed".
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(catalogJSON, &raw); err != nil {
		t.Fatal(err)
	}
	for _, scope := range Scopes {
		var entries []map[string]any
		if err := json.Unmarshal(raw[scope], &entries); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, ok := e["confidence"]; !ok {
				t.Errorf("%s tool %v: no explicit confidence", scope, e["key"])
			}
			if _, ok := e["confirmed"]; ok {
				t.Errorf("%s tool %v: the older confirmed flag", scope, e["key"])
			}
		}
	}
}

// TestCatalogFollowsToolsCSV checks the embedded catalogue against the
// research it comes from, when shared/procore is beside the repository
// (MANIFESTCTL_SHARED names another place): every tools.csv row with a
// key has that key (or, for project calendar, the alias the catalogue
// keeps) with the same confidence.
func TestCatalogFollowsToolsCSV(t *testing.T) {
	dir := os.Getenv("MANIFESTCTL_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	f, err := os.Open(filepath.Join(dir, "procore", "tools.csv"))
	if err != nil {
		t.Skipf("shared/procore/tools.csv not found: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	c, _ := Default()
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	n := 0
	for _, r := range rows[1:] {
		scope, key, conf := r[col["scope"]], r[col["engine_name"]], r[col["engine_confidence"]]
		if key == "" {
			if old := r[col["catalog_json_key"]]; old != "" {
				if tool := c.Lookup(scope, old); tool == nil || tool.Confidence != Unknown {
					t.Errorf("%s %s (no key known): %+v, want confidence unknown", scope, old, tool)
				}
			}
			continue
		}
		n++
		tool := c.Lookup(scope, strings.Replace(key, "{id}", "1", 1))
		if tool == nil {
			t.Errorf("%s %s (%s): not in the catalogue", scope, key, conf)
			continue
		}
		if tool.Confidence != conf {
			t.Errorf("%s %s: confidence %s, tools.csv says %s", scope, key, tool.Confidence, conf)
		}
	}
	if n < 30 {
		t.Errorf("only %d keyed rows in tools.csv", n)
	}
}

func TestParseToolsErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"unknown member", `{"company": [{"key": "a", "name": "A", "level": ["none"]}]}`, `unknown field "level"`},
		{"bad level", `{"company": [{"key": "a", "name": "A", "levels": ["editor"]}]}`, `level "editor" is not one of`},
		{"duplicate level", `{"company": [{"key": "a", "name": "A", "levels": ["none", "None"]}]}`, `listed twice`},
		{"empty key", `{"project": [{"key": "", "name": "A"}]}`, `empty key`},
		{"empty name", `{"project": [{"key": "a"}]}`, `empty name`},
		{"duplicate key", `{"project": [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}]}`, `already names tool "a"`},
		{"alias is a key", `{"project": [{"key": "a", "name": "A"}, {"key": "b", "name": "B", "aliases": ["a"]}]}`, `already names`},
		{"duplicate API name", `{"project": [{"key": "a", "name": "A", "api_name": "x"}, {"key": "b", "name": "B", "api_name": "x"}]}`, `API name "x"`},
		{"trailing data", `{} {}`, `data after`},
		{"not json", `[`, `decode tool catalogue`},
		{"unknown confidence", `{"project": [{"key": "a", "name": "A", "confidence": "sure"}]}`, `unknown confidence "sure"`},
		{"confidence and confirmed", `{"project": [{"key": "a", "name": "A", "confidence": "weak", "confirmed": true}]}`, `not both`},
		{"placeholder", `{"project": [{"key": "tool_{name}", "name": "A"}]}`, `placeholder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTools([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTools() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadTools(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tools.json")
	data := `{
  "project": [
    {"key": "rfi", "name": "RFIs", "levels": ["none", "readonly"], "note": "ours"},
    {"key": "budget", "name": "Old Budget"},
    {"key": "crane_log", "name": "Crane Log", "api_name": "crane_logs", "aliases": ["cranes"]}
  ],
  "company": [{"key": "portfolio", "name": "Portfolio (2021)", "confirmed": false}]
}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadTools(path)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default()
	if want := def.Version + "+tools.json"; c.Version != want {
		t.Errorf("Version = %q, want %q", c.Version, want)
	}
	if rfi := c.Lookup(Project, "rfi"); rfi == nil || rfi.LevelList() != "none, readonly" || !rfi.Confirmed || rfi.Confidence != User || rfi.Note != "ours" {
		t.Errorf("rfi = %+v, want the user's entry", rfi)
	}
	if rfi := def.Lookup(Project, "rfi"); rfi.LevelList() != LevelNames {
		t.Errorf("the default catalogue changed: %+v", rfi)
	}
	if b := c.Lookup(Project, "budget"); b == nil || b.Key != "budget" {
		t.Errorf("budget = %+v, want the user's own tool", b)
	}
	if b := c.Lookup(Project, "budgeting"); b == nil || len(b.Aliases) != 0 {
		t.Errorf("budgeting = %+v, want it without its alias", b)
	}
	if p := c.Lookup(Company, "portfolio"); p == nil || p.Key != "portfolio" || p.Confirmed || p.Confidence != Unknown {
		t.Errorf("portfolio = %+v", p)
	}
	crane := c.LookupAPI(Project, "crane_logs")
	if crane == nil || crane.Key != "crane_log" || c.Lookup(Project, "cranes") != crane || crane.API() != "crane_logs" {
		t.Errorf("crane_log = %+v", crane)
	}
	if len(c.Tools(Project)) != len(def.Tools(Project))+2 {
		t.Errorf("project tools: %d, want %d", len(c.Tools(Project)), len(def.Tools(Project))+2)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"project": [{"key": "x", "name": "X", "aliases": ["daily_log"]}]}`), 0o644)
	if _, err := LoadTools(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("LoadTools(alias on an existing key) error = %v", err)
	}
	if _, err := LoadTools(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadTools(missing) succeeded")
	}
}

// TestLoadToolsInOrder: files merge in order, a later one winning.
func TestLoadToolsInOrder(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	os.WriteFile(a, []byte(`{"project": [{"key": "crane_log", "name": "Crane Log A"}]}`), 0o644)
	os.WriteFile(b, []byte(`{"version": "b1", "project": [{"key": "crane_log", "name": "Crane Log B"}]}`), 0o644)
	c, err := LoadTools(a, b)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := LoadTools()
	if want := def.Version + "+a.json+b1"; c.Version != want {
		t.Errorf("Version = %q, want %q", c.Version, want)
	}
	if got := c.Lookup(Project, "crane_log"); got == nil || got.Name != "Crane Log B" {
		t.Errorf("crane_log = %+v, want the last file's", got)
	}
}

func TestSuggest(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ scope, in, want string }{
		{Project, "rfis", "rfi"},
		{Project, "RFI", "rfi"},
		{Project, "daily_logs", "daily_log"},
		{Project, "Daily Log", "daily_log"},
		{Project, "dailylog", "daily_log"},
		{Project, "daily-log", "daily_log"},
		{Project, "submittal", "submittal_log"},
		{Project, "submittals", "submittal_log"},
		{Project, "Correspondence", "communication_types"},
		{Project, "budgetting", "budgeting"},
		{Project, "Budget", "budgeting"},
		{Project, "photo", "images"},
		{Project, "coordination_isues", "coordination_issues"},
		{Company, "documnets", "documents"},
		{Company, "Portfolio", "home"},
		{Company, "timesheet", "timesheets"},
		{Company, "xyzzy", ""},
		{Project, "", ""},
		{Project, "ab", ""},
	}
	for _, tt := range tests {
		got := ""
		if tool := c.Suggest(tt.scope, tt.in); tool != nil {
			got = tool.Key
		}
		if got != tt.want {
			t.Errorf("Suggest(%s, %q) = %q, want %q", tt.scope, tt.in, got, tt.want)
		}
	}
}

func TestOtherScope(t *testing.T) {
	c, _ := Default()
	if tool := c.OtherScope(Company, "daily_log"); tool == nil || tool.Scope != Project {
		t.Errorf("OtherScope(company, daily_log) = %+v", tool)
	}
	if tool := c.OtherScope(Project, "timecard"); tool == nil || tool.Scope != Company {
		t.Errorf("OtherScope(project, timecard) = %+v", tool)
	}
	if tool := c.OtherScope(Company, "directory"); tool != nil {
		t.Errorf("OtherScope(company, directory) = %+v, want nil (known in both)", tool)
	}
	if tool := c.OtherScope(Company, "nope"); tool != nil {
		t.Errorf("OtherScope(company, nope) = %+v", tool)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"ab", "ba", 1}, {"rfi", "rfis", 1}, {"daily_log", "dialy_log", 1}} {
		if got := suggest.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("suggest.Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

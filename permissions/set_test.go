package permissions

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

func app(t *testing.T, src string) *manifest.App {
	t.Helper()
	doc, diags := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("parse: %v", diags)
	}
	v, d := manifest.DetectSchemaVersion(doc)
	if d != nil {
		t.Fatalf("version: %v", d)
	}
	return manifest.View(doc, v)
}

func TestDeclared(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []Grant
		invalid []string // pointers of invalid grants
	}{
		{
			name: "4.1",
			src: `{"schema_version": "4.1", "permissions": {
				"company": {"documents": "readonly", "home": "Standard"},
				"project": {"rfi": "read_only", "daily_log": "none", "bad": "editor", "num": 3}}}`,
			want: []Grant{
				{Company, "documents", ReadOnly, "/permissions/company/documents"},
				{Company, "home", Standard, "/permissions/company/home"},
				{Project, "daily_log", None, "/permissions/project/daily_log"},
				{Project, "rfi", ReadOnly, "/permissions/project/rfi"},
			},
			invalid: []string{"/permissions/project/bad", "/permissions/project/num"},
		},
		{
			name: "3.x client credentials",
			src: `{"schema_version": "3", "components": {"oauth": {"instances": [
				{"grant_type": "client_credentials", "permissions": {"project": {"directory": "admin", "directory": "standard"}}}]}}}`,
			want: []Grant{{Project, "directory", Standard, "/components/oauth/instances/0/permissions/project/directory"}},
		},
		{
			name: "3.x authorization code is no service account",
			src: `{"schema_version": "3.2", "components": {"oauth": {"instances": [
				{"grant_type": "authorization_code", "permissions": {"project": {"rfi": "admin"}}}]}}}`,
		},
		{
			name: "no permissions",
			src:  `{"schema_version": "4.1"}`,
		},
		{
			// Every client_credentials instance counts (MC201 reports the
			// second); a tool in several gets its highest level.
			name: "3.x two client_credentials instances",
			src: `{"schema_version": "3.2", "components": {"oauth": {"instances": [
				{"grant_type": "client_credentials", "permissions": {"company": {"directory": "readonly", "home": "admin"}}},
				{"grant_type": "authorization_code", "permissions": {"company": {"budget": "admin"}}},
				{"grant_type": "client_credentials", "permissions": {"company": {"directory": "admin", "home": "standard"},
					"project": {"rfi": "readonly", "bad": "x"}}}]}}}`,
			want: []Grant{
				{Company, "directory", Admin, "/components/oauth/instances/2/permissions/company/directory"},
				{Company, "home", Admin, "/components/oauth/instances/0/permissions/company/home"},
				{Project, "rfi", ReadOnly, "/components/oauth/instances/2/permissions/project/rfi"},
			},
			invalid: []string{"/components/oauth/instances/2/permissions/project/bad"},
		},
		{
			// The last grant of a tool decides, an invalid one too.
			name: "duplicates with an invalid level",
			src: `{"schema_version": "4.1", "permissions": {"project": {
				"rfi": "admin", "rfi": "editor", "budget": 1, "budget": "standard"}}}`,
			want:    []Grant{{Project, "budget", Standard, "/permissions/project/budget"}},
			invalid: []string{"/permissions/project/rfi", "/permissions/project/budget"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Declared(app(t, tt.src))
			if diff := cmp.Diff(tt.want, s.Grants()); diff != "" {
				t.Errorf("Declared() grants (-want +got):\n%s", diff)
			}
			var got []string
			for _, e := range unjoin(err) {
				var ig *InvalidGrantError
				if !errors.As(e, &ig) {
					t.Fatalf("error %v is not an *InvalidGrantError", e)
				}
				got = append(got, ig.Pointer)
			}
			if diff := cmp.Diff(tt.invalid, got); diff != "" {
				t.Errorf("Declared() invalid grants (-want +got):\n%s", diff)
			}
		})
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestNewSetMatchesPut checks the sorting construction against adding the
// grants one by one with Put (the last grant for a tool wins).
func TestNewSetMatchesPut(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 200 {
		var grants []Grant
		for range rng.IntN(40) {
			grants = append(grants, Grant{
				Scope:   Scopes[rng.IntN(len(Scopes))],
				Tool:    string(rune('a' + rng.IntN(8))),
				Level:   Level(rng.IntN(4)),
				Pointer: "/p" + strconv.Itoa(rng.IntN(100)),
			})
		}
		var want Set
		for _, g := range grants {
			want.Put(g)
		}
		if diff := cmp.Diff(want.Grants(), NewSet(grants...).Grants()); diff != "" {
			t.Fatalf("NewSet(%v) (-Put +NewSet):\n%s", grants, diff)
		}
	}
}

func TestSet(t *testing.T) {
	s := NewSet(
		Grant{Scope: Project, Tool: "rfi", Level: Standard},
		Grant{Scope: Company, Tool: "documents", Level: ReadOnly},
		Grant{Scope: Project, Tool: "budget", Level: ReadOnly},
		Grant{Scope: Project, Tool: "rfi", Level: Admin},
	)
	if s.Len() != 3 || s.Level(Project, "rfi") != Admin || s.Level(Project, "nope") != None {
		t.Errorf("set = %+v", s.Grants())
	}
	if got := s.Grants()[0]; got.Scope != Company {
		t.Errorf("first grant = %+v, want the company one", got)
	}
	if len(s.Scope(Project)) != 2 || len(s.Scope(Company)) != 1 {
		t.Errorf("Scope() = %v / %v", s.Scope(Project), s.Scope(Company))
	}
	c, _ := Default()
	canon := s.Canonical(c)
	if _, ok := canon.Get(Project, "budgeting"); !ok {
		t.Errorf("Canonical() = %+v, want budget renamed to budgeting", canon.Grants())
	}
	if _, ok := s.Get(Project, "budget"); !ok {
		t.Error("Canonical modified the original set")
	}
	s.Delete(Project, "rfi")
	s.Put(Grant{Scope: Project, Tool: "x", Level: None})
	if s.Len() != 3 || len(s.Effective()) != 2 {
		t.Errorf("after delete and put: %+v", s.Grants())
	}
	both := NewSet(Grant{Scope: Project, Tool: "budget", Level: Admin}, Grant{Scope: Project, Tool: "budgeting", Level: ReadOnly})
	if got := both.Canonical(c).Level(Project, "budgeting"); got != Admin {
		t.Errorf("alias and key both declared: level %v, want the higher one (admin)", got)
	}
}

func TestCompareAccess(t *testing.T) {
	declared := NewSet(
		Grant{Scope: Company, Tool: "documents", Level: ReadOnly, Pointer: "/permissions/company/documents"},
		Grant{Scope: Company, Tool: "home", Level: Standard, Pointer: "/permissions/company/home"},
		Grant{Scope: Project, Tool: "daily_log", Level: Standard, Pointer: "/p/daily_log"},
		Grant{Scope: Project, Tool: "directory", Level: Standard, Pointer: "/p/directory"},
		Grant{Scope: Project, Tool: "rfi", Level: None, Pointer: "/p/rfi"},
		Grant{Scope: Project, Tool: "emails", Level: None, Pointer: "/p/emails"},
	)
	actual := NewSet(
		Grant{Scope: Company, Tool: "documents", Level: ReadOnly},
		Grant{Scope: Company, Tool: "directory", Level: Admin},
		Grant{Scope: Company, Tool: "timecard", Level: None},
		Grant{Scope: Project, Tool: "daily_log", Level: Admin},
		Grant{Scope: Project, Tool: "directory", Level: ReadOnly},
		Grant{Scope: Project, Tool: "rfi", Level: None},
	)
	want := []Comparison{
		{Scope: Company, Tool: "directory", Actual: Admin, HasActual: true, Verdict: VerdictUndeclared},
		{Scope: Company, Tool: "documents", Declared: ReadOnly, HasDeclared: true, Actual: ReadOnly, HasActual: true, Verdict: VerdictOK, Pointer: "/permissions/company/documents"},
		{Scope: Company, Tool: "home", Declared: Standard, HasDeclared: true, Verdict: VerdictInactive, Pointer: "/permissions/company/home"},
		{Scope: Project, Tool: "daily_log", Declared: Standard, HasDeclared: true, Actual: Admin, HasActual: true, Verdict: VerdictOver, Pointer: "/p/daily_log"},
		{Scope: Project, Tool: "directory", Declared: Standard, HasDeclared: true, Actual: ReadOnly, HasActual: true, Verdict: VerdictUnder, Pointer: "/p/directory"},
		{Scope: Project, Tool: "rfi", HasDeclared: true, HasActual: true, Verdict: VerdictOK, Pointer: "/p/rfi"},
	}
	if diff := cmp.Diff(want, CompareAccess(declared, actual)); diff != "" {
		t.Errorf("CompareAccess() (-want +got):\n%s", diff)
	}
	if got := CompareAccess(Set{}, Set{}); got != nil {
		t.Errorf("CompareAccess(empty, empty) = %v", got)
	}
}

func TestDiffSets(t *testing.T) {
	old := NewSet(
		Grant{Scope: Company, Tool: "documents", Level: ReadOnly, Pointer: "/old/documents"},
		Grant{Scope: Company, Tool: "home", Level: Standard, Pointer: "/old/home"},
		Grant{Scope: Project, Tool: "rfi", Level: ReadOnly, Pointer: "/old/rfi"},
		Grant{Scope: Project, Tool: "daily_log", Level: Admin, Pointer: "/old/daily_log"},
		Grant{Scope: Project, Tool: "emails", Level: None, Pointer: "/old/emails"},
		Grant{Scope: Project, Tool: "tasks", Level: Standard},
	)
	new := NewSet(
		Grant{Scope: Company, Tool: "documents", Level: ReadOnly, Pointer: "/new/documents"},
		Grant{Scope: Company, Tool: "home", Level: None, Pointer: "/new/home"},
		Grant{Scope: Project, Tool: "rfi", Level: Standard, Pointer: "/new/rfi"},
		Grant{Scope: Project, Tool: "daily_log", Level: ReadOnly, Pointer: "/new/daily_log"},
		Grant{Scope: Project, Tool: "submittals", Level: ReadOnly, Pointer: "/new/submittals"},
		Grant{Scope: Project, Tool: "forms", Level: None, Pointer: "/new/forms"},
	)
	want := []Change{
		{Scope: Company, Tool: "home", Old: Standard, New: None, Kind: Removed, OldPointer: "/old/home", NewPointer: "/new/home"},
		{Scope: Project, Tool: "daily_log", Old: Admin, New: ReadOnly, Kind: Lowered, OldPointer: "/old/daily_log", NewPointer: "/new/daily_log"},
		{Scope: Project, Tool: "rfi", Old: ReadOnly, New: Standard, Kind: Raised, OldPointer: "/old/rfi", NewPointer: "/new/rfi"},
		{Scope: Project, Tool: "submittals", New: ReadOnly, Kind: Added, NewPointer: "/new/submittals"},
		{Scope: Project, Tool: "tasks", Old: Standard, Kind: Removed},
	}
	got := DiffSets(old, new)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiffSets() (-want +got):\n%s", diff)
	}
	msgs := map[string]bool{}
	for _, c := range got {
		msgs[c.String()] = c.Escalation()
	}
	wantMsgs := map[string]bool{
		"company tool home removed (was standard)":              false,
		"project tool daily_log lowered from admin to readonly": false,
		"project tool rfi raised from readonly to standard":     true,
		"project tool submittals added at readonly":             true,
		"project tool tasks removed (was standard)":             false,
	}
	if diff := cmp.Diff(wantMsgs, msgs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if got := DiffSets(new, new); got != nil {
		t.Errorf("DiffSets(x, x) = %v", got)
	}
}

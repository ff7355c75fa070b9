package release

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

func app41(t *testing.T, version string, perms string) *manifest.App {
	t.Helper()
	v := ""
	if version != "" {
		v = `"app_manifest": {"version": "` + version + `"},`
	}
	src := `{"schema_version": "4.1", ` + v + `
  "post_installation_instruction": {"notes": "Connect your account after install.", "page": {"url": "https://example.com/setup", "label": "Setup"}},
  "permissions": {"project": {"rfi": "` + perms + `"}}}`
	a, err := Load("m.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name       string
		oldV, newV string
		oldP, newP string
		allowPre   bool
		wantRules  []string
		wantSubstr string
	}{
		{"greater patch, no change", "1.4.0", "1.4.1", "readonly", "readonly", false, nil, ""},
		{"greater major for escalation", "1.4.0", "2.0.0", "readonly", "standard", false, nil, ""},
		{"equal", "1.4.0", "1.4.0", "readonly", "readonly", false, []string{"MC403"}, `version "1.4.0" is not greater than the previous version "1.4.0": every release needs a higher version, so use "1.4.1" or higher`},
		{"smaller", "1.4.0", "1.3.9", "readonly", "standard", false, []string{"MC403"}, `the changes require a major bump (project tool rfi raised from readonly to standard), so use "2.0.0" or higher`},
		{"wrong class", "1.4.0", "1.5.0", "readonly", "standard", false, []string{"MC404"}, `version "1.5.0" is a minor bump from "1.4.0", but the changes require a major bump (project tool rfi raised from readonly to standard): use "2.0.0" or higher`},
		{"minor enough for reduction", "1.4.0", "1.5.0", "standard", "readonly", false, nil, ""},
		{"patch too small for reduction", "1.4.0", "1.4.1", "standard", "readonly", false, []string{"MC404"}, "require a minor bump"},
		{"prerelease refused", "1.4.0", "2.0.0-rc.1", "readonly", "standard", false, []string{"MC402"}, "pre-release"},
		{"prerelease allowed", "1.4.0", "2.0.0-rc.1", "readonly", "standard", true, nil, ""},
		{"prerelease of too small", "1.4.0", "1.5.0-rc.1", "readonly", "standard", true, []string{"MC404"}, "require a major bump"},
		{"from prerelease to its release", "1.5.0-rc.1", "1.5.0", "readonly", "readonly", false, nil, ""},
		{"not semver", "1.4.0", "1.5", "readonly", "readonly", false, []string{"MC402"}, "MAJOR.MINOR.PATCH"},
		{"missing new version", "1.4.0", "", "readonly", "readonly", false, []string{"MC401"}, "version"},
		{"first release", "", "0.1.0", "readonly", "standard", false, nil, ""},
		{"lenient old version", "1.4", "1.5.0", "readonly", "readonly", false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := app41(t, tt.oldV, tt.oldP), app41(t, tt.newV, tt.newP)
			r := Compare("old.json", old, "new.json", new, nil)
			res := Check(r, new, CheckOptions{AllowPrerelease: tt.allowPre})
			var rules []string
			for _, d := range res.Reasons {
				rules = append(rules, d.Rule)
				if d.Severity != manifest.SeverityError {
					t.Errorf("reason %v is not an error", d)
				}
			}
			if diff := cmp.Diff(tt.wantRules, rules); diff != "" {
				t.Fatalf("Check(%s -> %s) rules mismatch (-want +got):\n%s\nreasons: %v", tt.oldV, tt.newV, diff, res.Reasons)
			}
			if res.OK != (len(tt.wantRules) == 0) {
				t.Errorf("OK = %v with reasons %v", res.OK, res.Reasons)
			}
			if tt.wantSubstr != "" && !strings.Contains(res.Reasons[0].Message, tt.wantSubstr) {
				t.Errorf("reason %q does not contain %q", res.Reasons[0].Message, tt.wantSubstr)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	var zero Policy
	if got := zero.Bump(PermissionRaised); got != BumpMajor {
		t.Errorf("zero policy: permission_raised = %s, want major", got)
	}
	p, err := ParsePolicy(map[string]string{"permission_lowered": "major", "url_changed": "none"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Bump(PermissionLowered) != BumpMajor || p.Bump(URLChanged) != BumpNone || p.Bump(ComponentAdded) != BumpMinor {
		t.Errorf("ParsePolicy overrides not applied: %v", p)
	}
	for _, bad := range []map[string]string{{"permission_lower": "major"}, {"url_changed": "huge"}} {
		if _, err := ParsePolicy(bad); err == nil {
			t.Errorf("ParsePolicy(%v) succeeded", bad)
		}
	}
	if err := CheckKind("nope"); err == nil || !strings.Contains(err.Error(), "permission_raised") {
		t.Errorf("CheckKind(nope) = %v, want an error listing the kinds", err)
	}
	for _, k := range Kinds() {
		if err := CheckKind(string(k)); err != nil {
			t.Errorf("CheckKind(%s): %v", k, err)
		}
	}
	// A policy changes the required bump of a report.
	old, new := app41(t, "1.0.0", "standard"), app41(t, "1.0.1", "readonly")
	if r := Compare("o", old, "n", new, &Options{Policy: p}); r.RequiredBump != BumpMajor {
		t.Errorf("with permission_lowered=major, required bump = %s", r.RequiredBump)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, src := range []string{"", "{", "[]", `{"schema_version": "9"}`} {
		_, err := Load("bad.json", []byte(src))
		le, ok := AsLoadError(err)
		if !ok || len(le.Diagnostics) == 0 {
			t.Errorf("Load(%q) = %v, want a *LoadError with diagnostics", src, err)
		}
	}
}

// FuzzDiff checks that comparing any two documents never panics and that
// the report's wire form can be encoded.
func FuzzDiff(f *testing.F) {
	a := []byte(`{"schema_version":"4.1","permissions":{"project":{"rfi":"readonly"}},"sidepanel":{"views":["a.b"],"source_url":"https://x"}}`)
	b := []byte(`{"schema_version":"3","components":{"oauth":{"instances":[{"grant_type":"client_credentials","permissions":{"project":{"rfi":7}}}]}}}`)
	f.Add(a, b)
	f.Add(b, a)
	f.Fuzz(func(t *testing.T, oldSrc, newSrc []byte) {
		if len(oldSrc)+len(newSrc) > 1<<14 {
			t.Skip()
		}
		old, err1 := Load("old", oldSrc)
		new, err2 := Load("new", newSrc)
		if err1 != nil || err2 != nil {
			return
		}
		r := Compare("old", old, "new", new, nil)
		if _, err := json.Marshal(r.CheckJSON(Check(r, new, CheckOptions{}))); err != nil {
			t.Fatal(err)
		}
	})
}

package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

func TestParse(t *testing.T) {
	src := `{
  "$schema": "https://example.com/manifestctl.schema.json",
  "rules": {"MC201": "warning", "mc105": "off", "MC301": "Info"},
  "ignore": [
    {"rule": "MC104", "pointer": "/permissions/company/directory", "reason": "legacy spelling kept for the portal", "path": "apps/*/manifest.json"}
  ],
  "policy": {"permission_lowered": "major"},
  "tools": []
}`
	c, err := Parse("repo/.manifestctl.json", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantRules := map[string]manifest.Severity{"MC201": manifest.SeverityWarning, "MC105": manifest.SeverityOff, "MC301": manifest.SeverityInfo}
	if diff := cmp.Diff(wantRules, c.Rules); diff != "" {
		t.Errorf("Rules (-want +got):\n%s", diff)
	}
	if len(c.Ignores) != 1 || c.Ignores[0].Rule != "MC104" || c.Ignores[0].Path != "apps/*/manifest.json" {
		t.Errorf("Ignores = %+v", c.Ignores)
	}
	if c.Policy["permission_lowered"] != "major" {
		t.Errorf("Policy = %v", c.Policy)
	}
	if !filepath.IsAbs(c.Dir) || filepath.Base(c.Dir) != "repo" {
		t.Errorf("Dir = %q, want the absolute folder of the file", c.Dir)
	}
}

// TestParseErrors checks each configuration error: it names the problem
// and its file:line:col.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		opts      ParseOptions
		want      []string // "line:col: message substring"
	}{
		{"not JSON", `{"rules": {,}}`, ParseOptions{}, []string{"1:12: "}},
		{"not an object", `[]`, ParseOptions{}, []string{"1:1: a configuration is a JSON object, found array"}},
		{"unknown key", "{\n  \"rule\": {}\n}", ParseOptions{}, []string{`2:3: unknown key "rule" (want $schema, rules, ignore, policy, tools, audit)`}},
		{"duplicate key", `{"rules": {}, "rules": {}}`, ParseOptions{}, []string{`1:15: `}},
		{"unknown rule", "{\"rules\": {\n  \"MC999\": \"off\"}}", ParseOptions{}, []string{`2:3: unknown rule "MC999"`}},
		{"bad severity", `{"rules": {"MC201": "loud"}}`, ParseOptions{}, []string{`1:21: severity "loud" of MC201 is not one of error, warning, info, off`}},
		{"severity not a string", `{"rules": {"MC201": 1}}`, ParseOptions{}, []string{`1:21: severity of MC201 must be a string`}},
		{"rules not an object", `{"rules": ["MC201"]}`, ParseOptions{}, []string{`1:11: "rules" must be an object`}},
		{"ignore not an array", `{"ignore": {}}`, ParseOptions{}, []string{`1:12: "ignore" must be an array`}},
		{"ignore entry not an object", `{"ignore": ["MC201"]}`, ParseOptions{}, []string{`1:13: an ignore must be an object`}},
		{"ignore unknown key", `{"ignore": [{"rule": "MC201", "pointer": "", "reason": "r", "file": "x"}]}`, ParseOptions{}, []string{`1:61: unknown key "file" in an ignore (want rule, pointer, reason, path)`}},
		{"ignore unknown rule", `{"ignore": [{"rule": "MC9", "pointer": "", "reason": "r"}]}`, ParseOptions{}, []string{`1:22: unknown rule "MC9"`}},
		{"ignore without rule", `{"ignore": [{"pointer": "", "reason": "r"}]}`, ParseOptions{}, []string{`1:13: ignore 0 has no "rule"`}},
		{"ignore without pointer", `{"ignore": [{"rule": "MC201", "reason": "r"}]}`, ParseOptions{}, []string{`1:13: ignore 0 has no "pointer"`}},
		{"ignore bad pointer", `{"ignore": [{"rule": "MC201", "pointer": "components", "reason": "r"}]}`, ParseOptions{}, []string{`1:42: pointer "components" is not a JSON Pointer`}},
		{"ignore bad glob", `{"ignore": [{"rule": "MC201", "pointer": "", "reason": "r", "path": "a/[b"}]}`, ParseOptions{}, []string{`1:69: path "a/[b" is not a valid glob`}},
		{"ignore reason not a string", `{"ignore": [{"rule": "MC201", "pointer": "", "reason": true}]}`, ParseOptions{}, []string{`1:56: "reason" of an ignore must be a string`}},
		{"bad bump", `{"policy": {"permission_added": "huge"}}`, ParseOptions{}, []string{`1:33: bump for "permission_added" must be one of major, minor, patch, none`}},
		{"unknown change kind", `{"policy": {"permision_added": "major"}}`, ParseOptions{ChangeKind: func(k string) error {
			if k != "permission_added" {
				return fmt.Errorf("unknown change kind %q (want one of permission_added)", k)
			}
			return nil
		}}, []string{`1:13: unknown change kind "permision_added" (want one of permission_added)`}},
		{"tools not an array", `{"tools": "x.json"}`, ParseOptions{}, []string{`1:11: "tools" must be an array`}},
		{"tool file missing", `{"tools": ["missing.json"]}`, ParseOptions{}, []string{`1:12: tool catalogue "missing.json": no such file or directory`}},
		{"several problems", "{\"rules\": {\"MC999\": \"off\", \"MC201\": \"x\"},\n \"extra\": 1}", ParseOptions{}, []string{
			`1:12: unknown rule "MC999"`, `1:37: severity "x" of MC201`, `2:2: unknown key "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(".manifestctl.json", []byte(tt.src), tt.opts)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse error = %v, want an *Error", err)
			}
			if len(ce.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ce.Problems), len(tt.want), err)
			}
			for i, w := range tt.want {
				got := strings.TrimPrefix(strings.Split(ce.Error(), "\n")[i], ".manifestctl.json:")
				if !strings.HasPrefix(got, w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

func TestParseTools(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tools.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse(filepath.Join(dir, FileName), []byte(`{"tools": ["tools.json"]}`), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "tools.json")}; !cmp.Equal(c.Tools, want) {
		t.Errorf("Tools = %v, want %v (relative to the configuration file)", c.Tools, want)
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"manifest.json", "manifest.json", true},
		{"*.json", "manifest.json", true},
		{"*.json", "apps/manifest.json", false},
		{"apps/*/manifest.json", "apps/a/manifest.json", true},
		{"apps/*/manifest.json", "apps/a/b/manifest.json", false},
		{"apps/**/manifest.json", "apps/a/b/manifest.json", true},
		{"apps/**/manifest.json", "apps/manifest.json", true},
		{"**/manifest.json", "manifest.json", true},
		{"**", "any/thing.json", true},
		{"apps/**", "apps", true},
		{"apps/**", "other/x.json", false},
	}
	for _, tt := range tests {
		if got := matchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func diag(rule, ptr string) manifest.Diagnostic {
	return manifest.Diagnostic{Rule: rule, Severity: manifest.SeverityWarning, Message: rule + " at " + ptr,
		Pos: manifest.Position{Pointer: ptr, Line: 1, Col: 1}}
}

// writeConfig writes a configuration in a temporary repository and
// returns it parsed.
func writeConfig(t *testing.T, src string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return c, dir
}

func TestFilter(t *testing.T) {
	c, dir := writeConfig(t, `{"ignore": [
  {"rule": "MC105", "pointer": "/permissions/company", "reason": "the app administers company tools"},
  {"rule": "MC301", "pointer": "", "reason": "notes come later", "path": "apps/*/manifest.json"},
  {"rule": "MC201", "pointer": "/components", "reason": ""}
]}`)
	app := filepath.Join(dir, "apps", "a", "manifest.json")
	other := filepath.Join(dir, "other", "manifest.json")
	in := []manifest.Diagnostic{
		diag("MC105", "/permissions/company/directory"), // ignored: below the pointer
		diag("MC105", "/permissions/companyx"),          // kept: not below it
		diag("MC105", "/permissions/project/rfi"),       // kept
		diag("MC301", "/post_installation_instruction"), // ignored in apps/a only
		diag("MC201", "/components/oauth/instances/1"),  // kept: the ignore has no reason
	}
	got := c.Filter(app, append([]manifest.Diagnostic(nil), in...))
	if want := []manifest.Diagnostic{in[1], in[2], in[4]}; !cmp.Equal(got, want) {
		t.Errorf("Filter(apps/a) = %v, want %v", got, want)
	}
	got = c.Filter(other, append([]manifest.Diagnostic(nil), in...))
	if want := []manifest.Diagnostic{in[1], in[2], in[3], in[4]}; !cmp.Equal(got, want) {
		t.Errorf("Filter(other) = %v, want %v", got, want)
	}
	if got := c.Filter("-", nil); got != nil {
		t.Errorf("Filter(stdin, nil) = %v", got)
	}
	if n := c.Ignored(); n != 3 {
		t.Errorf("Ignored() = %d, want 3", n)
	}
}

// TestFindings checks the MC020 findings: a missing reason, an ignore
// that matched nothing, and none for an ignore whose path matched no
// manifest of the run.
func TestFindings(t *testing.T) {
	c, dir := writeConfig(t, `{
  "ignore": [
    {"rule": "MC105", "pointer": "/permissions/company/directory"},
    {"rule": "MC301", "pointer": "/post_installation_instruction/notes", "reason": "r"},
    {"rule": "MC301", "pointer": "", "reason": "r", "path": "apps/old/*.json"},
    {"rule": "MC201", "pointer": "", "reason": "used"}
  ]
}`)
	c.Filter(filepath.Join(dir, "manifest.json"), []manifest.Diagnostic{diag("MC201", "/components")})
	got := c.Findings(manifest.SeverityWarning)
	var lines []string
	for _, d := range got {
		lines = append(lines, fmt.Sprintf("%d:%d %s %s %s", d.Pos.Line, d.Pos.Col, d.Rule, d.Severity, d.Message))
	}
	want := []string{
		`3:5 MC020 warning ignore of MC105 at "/permissions/company/directory" has no "reason": say why the finding is accepted; until then the ignore is not applied`,
		`4:5 MC020 warning ignore of MC301 at "/post_installation_instruction/notes" matched no finding: remove it, or correct its rule, pointer or path`,
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("Findings (-want +got):\n%s", diff)
	}
	if got[0].Pos.File != c.Path {
		t.Errorf("finding in %q, want the configuration file %q", got[0].Pos.File, c.Path)
	}
	if f := c.Findings(manifest.SeverityOff); f != nil {
		t.Errorf("Findings(off) = %v, want none", f)
	}
	// A rule turned off for the run (--rule MC301=off) matches nothing by
	// design: its ignores are not reported; the missing reason still is.
	off := c.FindingsOff(manifest.SeverityWarning, func(rule string) bool { return rule == "MC301" })
	if len(off) != 1 || off[0].Pos.Line != 3 {
		t.Errorf("FindingsOff(MC301 off) = %v, want only the missing reason", off)
	}
}

// TestFindingsRuleOffInFile checks that an ignore of a rule the same file
// turns off is not reported as matching nothing.
func TestFindingsRuleOffInFile(t *testing.T) {
	c, dir := writeConfig(t, `{
  "rules": {"MC207": "off"},
  "ignore": [{"rule": "MC207", "pointer": "/sidepanel/views/0", "reason": "works in our company"}]
}`)
	c.Filter(filepath.Join(dir, "manifest.json"), nil)
	if got := c.Findings(manifest.SeverityWarning); len(got) != 0 {
		t.Errorf("Findings = %v, want none", got)
	}
	if got := c.FindingsOff(manifest.SeverityWarning, func(string) bool { return false }); len(got) != 1 {
		t.Errorf("FindingsOff(nothing off) = %v, want the unmatched ignore", got)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	mkdir := func(p string) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string) {
		if err := os.WriteFile(p, []byte(`{}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mkdir(filepath.Join(repo, ".git"))
	mkdir(filepath.Join(repo, "apps", "a"))
	mkdir(filepath.Join(repo, "apps", "b"))
	write(filepath.Join(root, FileName)) // above the repository: never used
	write(filepath.Join(repo, FileName))
	write(filepath.Join(repo, "apps", "b", FileName))

	tests := []struct{ dir, want string }{
		{filepath.Join(repo, "apps", "a"), filepath.Join(repo, FileName)},
		{filepath.Join(repo, "apps", "b"), filepath.Join(repo, "apps", "b", FileName)},
		{repo, filepath.Join(repo, FileName)},
	}
	for _, tt := range tests {
		got, err := Find(tt.dir)
		if err != nil || got != tt.want {
			t.Errorf("Find(%s) = %q, %v, want %q", tt.dir, got, err, tt.want)
		}
	}
	if err := os.Remove(filepath.Join(repo, FileName)); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(filepath.Join(repo, "apps", "a")); err != nil || got != "" {
		t.Errorf("Find stops at the repository root: got %q, %v, want none", got, err)
	}
}

func TestResolver(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(`{"rules": {"MC105": "off"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var r Resolver
	c1, err := r.For(filepath.Join(root, "a", "manifest.json"))
	if err != nil || c1 == nil {
		t.Fatalf("For = %v, %v", c1, err)
	}
	c2, err := r.For(filepath.Join(root, "manifest.json"))
	if err != nil || c2 != c1 {
		t.Errorf("one file is parsed once: got %p and %p (%v)", c1, c2, err)
	}
	if n := len(r.Configs()); n != 1 {
		t.Errorf("Configs() has %d entries, want 1", n)
	}

	bad := filepath.Join(root, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"rules": {"MC999": "off"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	explicit := Resolver{Explicit: bad}
	_, err = explicit.For(filepath.Join(root, "a", "manifest.json"))
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `unknown rule "MC999"`) {
		t.Errorf("explicit bad configuration: error %v, want an *Error naming MC999", err)
	}
	missing := Resolver{Explicit: filepath.Join(root, "none.json")}
	if _, err := missing.For("-"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing explicit configuration: error %v, want one wrapping ErrNotExist", err)
	}
}

func TestSeverity(t *testing.T) {
	var none *Config
	if got := none.Severity("MC105", manifest.SeverityInfo); got != manifest.SeverityInfo {
		t.Errorf("nil config: %v", got)
	}
	c := &Config{Rules: map[string]manifest.Severity{"MC105": manifest.SeverityOff}}
	if got := c.Severity("MC105", manifest.SeverityInfo); got != manifest.SeverityOff {
		t.Errorf("configured: %v", got)
	}
}

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/validate"
)

func TestParseRuleSetting(t *testing.T) {
	tests := []struct {
		spec    string
		id      string
		sev     manifest.Severity
		wantErr string
	}{
		{"MC201=off", "MC201", manifest.SeverityOff, ""},
		{"mc104=Warning", "MC104", manifest.SeverityWarning, ""},
		{"MC201", "", 0, "want ID=error|warning|info|off"},
		{"MC999=off", "", 0, `unknown rule "MC999"`},
		{"MC201=loud", "", 0, "loud"},
	}
	for _, tt := range tests {
		id, sev, err := ParseRuleSetting(tt.spec)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseRuleSetting(%q) error = %v, want %q", tt.spec, err, tt.wantErr)
			}
			continue
		}
		if err != nil || id != tt.id || sev != tt.sev {
			t.Errorf("ParseRuleSetting(%q) = %s, %v, %v, want %s, %v", tt.spec, id, sev, err, tt.id, tt.sev)
		}
	}
}

// TestConfigure: a flag wins over the file, the file over the default; a
// file's tools give its manifests their catalogue; its ignores are counted
// and an ignore that matched nothing is its own finding.
func TestConfigure(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app")
	os.MkdirAll(app, 0o755)
	os.WriteFile(filepath.Join(app, FileName), []byte(`{
  "rules": {"MC104": "off", "MC201": "info"},
  "tools": ["tools.json"],
  "ignore": [{"rule": "MC105", "pointer": "/nowhere", "reason": "test"}]
}`), 0o644)
	os.WriteFile(filepath.Join(app, "tools.json"), []byte(`{"version": "mine", "project": [{"key": "crane_log", "name": "Crane Log"}]}`), 0o644)
	wd, _ := os.Getwd()
	if err := os.Chdir(app); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })

	flags := map[string]manifest.Severity{"MC201": manifest.SeverityError}
	opts := &validate.Options{Severity: flags}
	r := &Resolver{}
	versions, err := r.Configure(opts, []validate.Input{{Path: "manifest.json"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 1 || !strings.HasSuffix(versions[0], "+mine") {
		t.Errorf("catalogue versions = %v, want the merged one", versions)
	}
	o := opts.ForFile("manifest.json")
	if o == nil || o.Severity["MC104"] != manifest.SeverityOff || o.Severity["MC201"] != manifest.SeverityError {
		t.Fatalf("ForFile options = %+v, want MC104 off (file) and MC201 error (flag)", o)
	}
	if o.Lint.Catalog == nil || o.Lint.Catalog.Lookup("project", "crane_log") == nil || o.Filter == nil {
		t.Errorf("ForFile options lack the file's catalogue or ignores: %+v", o)
	}
	cfg := r.Only()
	if cfg == nil {
		t.Fatal("Only() = nil, want the one configuration")
	}
	for id, want := range map[string]manifest.Severity{"MC104": manifest.SeverityOff, "MC201": manifest.SeverityError} {
		if got := EffectiveSeverity(lint.Lookup(id), flags, cfg); got != want {
			t.Errorf("EffectiveSeverity(%s) = %v, want %v", id, got, want)
		}
	}
	o.Filter("manifest.json", nil) // a run in which the manifest had no finding
	files, ignored := r.RunFindings(flags)
	if ignored != 0 || len(files) != 1 || len(files[0].Diagnostics) != 1 || files[0].Diagnostics[0].Rule != RuleConfig {
		t.Errorf("RunFindings = %+v, %d; want one MC020 (the ignore matched nothing)", files, ignored)
	}

	// A configuration whose tools cannot be read stops the run.
	os.Remove(filepath.Join(app, "tools.json"))
	if _, err := (&Resolver{}).Configure(&validate.Options{}, []validate.Input{{Path: "manifest.json"}}); err == nil || !strings.Contains(err.Error(), "tools") {
		t.Errorf("Configure with a missing tool catalogue: error = %v", err)
	}
}

package validate

import (
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// TestForFileAndFilter checks the per-file options hook (a configuration
// file's severities) and the final filter (its ignores).
func TestForFileAndFilter(t *testing.T) {
	src := []byte(`{"schema_version": "4.1", "fullscreen": {"source_url": "http://example.com", "description": "d"}}`)
	base := Bytes("a.json", src, nil)
	if !optionsHasRule(base.Diagnostics, "MC012") {
		t.Fatalf("fixture does not trigger MC012: %v", base.Diagnostics)
	}
	off := &Options{Severity: map[string]manifest.Severity{"MC012": manifest.SeverityOff}}
	opts := &Options{ForFile: func(path string) *Options {
		if path == "configured.json" {
			return off
		}
		return nil
	}}
	if got := Bytes("configured.json", src, opts); optionsHasRule(got.Diagnostics, "MC012") {
		t.Errorf("ForFile options not used: %v", got.Diagnostics)
	}
	if got := Bytes("other.json", src, opts); !optionsHasRule(got.Diagnostics, "MC012") {
		t.Errorf("nil ForFile result must keep the options: %v", got.Diagnostics)
	}
	var seen string
	filter := &Options{Filter: func(path string, diags []manifest.Diagnostic) []manifest.Diagnostic {
		seen = path
		var out []manifest.Diagnostic
		for _, d := range diags {
			if d.Rule != "MC012" {
				out = append(out, d)
			}
		}
		return out
	}}
	got := Bytes("f.json", src, filter)
	if seen != "f.json" || optionsHasRule(got.Diagnostics, "MC012") {
		t.Errorf("Filter not applied (path %q): %v", seen, got.Diagnostics)
	}
	if got.Diagnostics != nil && len(got.Diagnostics) == 0 {
		t.Errorf("an emptied list must be nil")
	}
}

func optionsHasRule(diags []manifest.Diagnostic, rule string) bool {
	for _, d := range diags {
		if d.Rule == rule {
			return true
		}
	}
	return false
}

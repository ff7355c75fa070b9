package release

import (
	"errors"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

func TestBumpVersion(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name    string
		src     string
		bump    Bump
		prev    *DiffReport
		want    string
		written bool
	}{
		{"patch", `{"app_manifest":{"version":"1.2.3"}}`, BumpPatch, nil, "1.2.4", true},
		{"major", `{"app_manifest":{"version":"1.2.3"}}`, BumpMajor, nil, "2.0.0", true},
		{"no version counts as 0.0.0", `{"schema_version":"4.1"}`, BumpMinor, nil, "0.1.0", true},
		{"auto from the old version", `{"app_manifest":{"version":"1.0.0"}}`, BumpNone,
			&DiffReport{OldVersion: str("1.0.0"), RequiredBump: BumpMinor}, "1.1.0", true},
		{"auto twice changes nothing", `{"app_manifest":{"version":"1.1.0"}}`, BumpNone,
			&DiffReport{OldVersion: str("1.0.0"), RequiredBump: BumpMinor}, "1.1.0", false},
		{"auto never lowers", `{"app_manifest":{"version":"3.0.0"}}`, BumpNone,
			&DiffReport{OldVersion: str("1.0.0"), RequiredBump: BumpPatch}, "3.0.0", false},
		{"auto: old without a version bumps the current one", `{"app_manifest":{"version":"1.0.0"}}`, BumpNone,
			&DiffReport{RequiredBump: BumpMajor}, "2.0.0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := manifest.Parse("m.json", []byte(tt.src), manifest.ParseOptions{})
			got, err := BumpVersion(manifest.View(doc, manifest.V41), tt.bump, tt.prev)
			if err != nil {
				t.Fatalf("BumpVersion: %v", err)
			}
			if got.To != tt.want || (got.Src != nil) != tt.written {
				t.Errorf("BumpVersion = %s (written %v), want %s (written %v)", got.To, got.Src != nil, tt.want, tt.written)
			}
			if got.Src != nil {
				doc2, _ := manifest.Parse("m.json", got.Src, manifest.ParseOptions{})
				if v := doc2.Root.Lookup("/app_manifest/version").Text(); v != tt.want {
					t.Errorf("written version = %q, want %q", v, tt.want)
				}
			}
		})
	}
}

func TestBumpVersionErrors(t *testing.T) {
	for _, src := range []string{`{"app_manifest":{"version":"1.2"}}`, `{"app_manifest":{"version":7}}`} {
		doc, _ := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
		_, err := BumpVersion(manifest.View(doc, manifest.V41), BumpPatch, nil)
		var ve *VersionError
		if !errors.As(err, &ve) || ve.Diagnostic.Rule != RuleVersionFormat || ve.Diagnostic.Pos.Pointer != "/app_manifest/version" {
			t.Errorf("BumpVersion(%s) error = %v, want a *VersionError at /app_manifest/version [MC402]", src, err)
		}
	}
	doc, _ := manifest.Parse("m.json", []byte(`{"app_manifest":{"version":"18446744073709551615.0.0"}}`), manifest.ParseOptions{})
	_, err := BumpVersion(manifest.View(doc, manifest.V41), BumpMajor, nil)
	var ve *VersionError
	if !errors.Is(err, ErrVersionOverflow) || errors.As(err, &ve) {
		t.Errorf("BumpVersion(max major) error = %v, want ErrVersionOverflow", err)
	}
}

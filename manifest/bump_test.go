package manifest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBump(t *testing.T) {
	for _, b := range []Bump{BumpNone, BumpPatch, BumpMinor, BumpMajor} {
		got, err := ParseBump(b.String())
		if err != nil || got != b {
			t.Errorf("ParseBump(%q) = %v, %v, want %v", b.String(), got, err, b)
		}
	}
	if _, err := ParseBump("huge"); err == nil {
		t.Errorf("ParseBump(huge) succeeded")
	}
	if !(BumpNone < BumpPatch && BumpPatch < BumpMinor && BumpMinor < BumpMajor) {
		t.Errorf("bump classes are not ordered")
	}
}

func TestNextVersion(t *testing.T) {
	tests := []struct {
		in   string
		bump Bump
		want string
	}{
		{"1.4.0", BumpMajor, "2.0.0"},
		{"1.4.2", BumpMinor, "1.5.0"},
		{"1.4.2", BumpPatch, "1.4.3"},
		{"1.4.2", BumpNone, "1.4.2"},
		{"1.5.0-rc.1", BumpPatch, "1.5.0"},
		{"1.5.0-rc.1+b7", BumpPatch, "1.5.0"},
		{"1.5.0-rc.1", BumpMinor, "1.6.0"},
		{"1.5.0+build.3", BumpMajor, "2.0.0"},
		{"0.0.0", BumpPatch, "0.0.1"},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", tt.in, err)
		}
		got, err := NextVersion(v, tt.bump)
		if err != nil || got.String() != tt.want {
			t.Errorf("NextVersion(%s, %s) = %v, %v, want %s", tt.in, tt.bump, got, err, tt.want)
		}
		if got.LessThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s is lower than the input", tt.in, tt.bump, got)
		}
	}
	big, _ := ParseVersion("18446744073709551615.18446744073709551615.18446744073709551615")
	for _, b := range []Bump{BumpMajor, BumpMinor, BumpPatch} {
		if _, err := NextVersion(big, b); !errors.Is(err, ErrVersionOverflow) {
			t.Errorf("NextVersion(max, %s) error = %v, want ErrVersionOverflow", b, err)
		}
	}
	if _, err := NextVersion(nil, BumpMajor); err == nil {
		t.Errorf("NextVersion(nil) succeeded")
	}
}

func TestParseVersion(t *testing.T) {
	for _, s := range []string{"1.2", "v1.2.3", "01.2.3", "1.2.3.4", "", "x"} {
		if v, err := ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", s, v)
		}
	}
	v, err := ParseVersion("1.2.3-rc.1")
	if err != nil || IsRelease(v) {
		t.Errorf("ParseVersion(1.2.3-rc.1) = %v, %v; IsRelease should be false", v, err)
	}
	v, _ = ParseVersion("1.2.3")
	if !IsRelease(v) {
		t.Errorf("IsRelease(1.2.3) = false")
	}
}

func TestBumpBetween(t *testing.T) {
	tests := []struct {
		old, new string
		want     Bump
	}{
		{"1.4.0", "2.0.0", BumpMajor},
		{"1.4.0", "1.5.0", BumpMinor},
		{"1.4.0", "1.4.1", BumpPatch},
		{"1.4.0", "1.4.0", BumpNone},
		{"1.4.0", "1.3.9", BumpNone},
		{"2.0.0", "1.9.0", BumpNone},
		{"1.4.0", "1.5.0-rc.1", BumpMinor},
		{"1.5.0-rc.1", "1.5.0", BumpNone},
	}
	for _, tt := range tests {
		o, _ := ParseVersion(tt.old)
		n, _ := ParseVersion(tt.new)
		if got := BumpBetween(o, n); got != tt.want {
			t.Errorf("BumpBetween(%s, %s) = %s, want %s", tt.old, tt.new, got, tt.want)
		}
	}
}

func TestSetVersion(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"replace", "{\n  \"app_manifest\": {\n    \"id\": \"x\",\n    \"version\": \"1.0.0\"\n  }\n}\n",
			"{\n  \"app_manifest\": {\n    \"id\": \"x\",\n    \"version\": \"1.1.0\"\n  }\n}\n"},
		{"replace non-string", `{"app_manifest":{"version":1}}`, `{"app_manifest":{"version":"1.1.0"}}`},
		{"add to app_manifest", "{\n  \"app_manifest\": {\n    \"id\": \"x\"\n  },\n  \"z\": 1\n}\n",
			"{\n  \"app_manifest\": {\n    \"id\": \"x\",\n    \"version\": \"1.1.0\"\n  },\n  \"z\": 1\n}\n"},
		{"add after schema_version", "{\n  \"schema_version\": \"4.1\",\n  \"z\": 1\n}\n",
			"{\n  \"schema_version\": \"4.1\",\n  \"app_manifest\": {\n    \"version\": \"1.1.0\"\n  },\n  \"z\": 1\n}\n"},
		{"add first", "{\n    \"z\": 1\n}\n", "{\n    \"app_manifest\": {\n        \"version\": \"1.1.0\"\n    },\n    \"z\": 1\n}\n"},
		{"inline", `{"schema_version":"3","z":1}`, `{"schema_version":"3","app_manifest":{"version":"1.1.0"},"z":1}`},
		// Inserted lines follow the file's line endings (issue 9).
		{"CRLF", "{\r\n  \"schema_version\": \"4.1\"\r\n}\r\n",
			"{\r\n  \"schema_version\": \"4.1\",\r\n  \"app_manifest\": {\r\n    \"version\": \"1.1.0\"\r\n  }\r\n}\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := Parse("m.json", []byte(tt.in), ParseOptions{})
			got, err := SetVersion(doc, "1.1.0")
			if err != nil {
				t.Fatalf("SetVersion: %v", err)
			}
			// The layout of inserted text belongs to the edit helpers;
			// what matters here is the value and that nothing else moved.
			doc2, diags := Parse("m.json", got, ParseOptions{})
			if len(diags) > 0 || doc2.Root.Lookup("/app_manifest/version").Text() != "1.1.0" {
				t.Fatalf("SetVersion(%q) = %q: version not set (diags %v)", tt.in, got, diags)
			}
			if tt.name == "replace" || tt.name == "add to app_manifest" || tt.name == "add after schema_version" || tt.name == "CRLF" {
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("SetVersion mismatch (-want +got):\n%s", diff)
				}
			}
		})
	}
	for _, in := range []string{`[]`, `{"app_manifest":[]}`, `{`} {
		doc, _ := Parse("m.json", []byte(in), ParseOptions{})
		if got, err := SetVersion(doc, "1.0.0"); err == nil {
			t.Errorf("SetVersion(%q) = %q, want an error", in, got)
		}
	}
}

// FuzzBump checks that NextVersion never panics and never goes down.
func FuzzBump(f *testing.F) {
	for _, s := range []string{"1.2.3", "0.0.0", "1.0.0-rc.1+b", "18446744073709551615.0.0", "1.18446744073709551615.3"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, b uint8) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		bump := Bump(b % 4)
		next, err := NextVersion(v, bump)
		if err != nil {
			return
		}
		if next.LessThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s, lower than the input", s, bump, next)
		}
		if bump != BumpNone && !next.GreaterThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s, not greater", s, bump, next)
		}
		if got := BumpBetween(v, next); bump != BumpNone && v.Prerelease() == "" && got != bump {
			t.Errorf("BumpBetween(%s, %s) = %s, want %s", s, next, got, bump)
		}
	})
}

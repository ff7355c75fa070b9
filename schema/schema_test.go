package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
)

// finding is a diagnostic as the tests compare it.
type finding struct {
	Rule    string
	Pos     string // line:col
	Pointer string
	Message string
}

func findings(diags []manifest.Diagnostic) []finding {
	var out []finding
	for _, d := range diags {
		out = append(out, finding{d.Rule, fmt.Sprintf("%d:%d", d.Pos.Line, d.Pos.Col), d.Pos.Pointer, d.Message})
	}
	return out
}

func parse(t testing.TB, src string) *manifest.Document {
	t.Helper()
	doc, diags := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("Parse(%q) failed: %v", src, diags)
	}
	return doc
}

// validateCases are TestValidate's cases; the differential test
// (native_test.go) checks them against the oracle too.
var validateCases = []struct {
	name string
	v    manifest.SchemaVersion
	src  string
	want []finding
}{
	{
		name: "3.x valid minimal",
		v:    "3",
		src:  `{"components": {"oauth": {"instances": [{"grant_type": "authorization_code"}]}}}`,
	},
	{
		name: "3.x unknown grant type",
		v:    "3.2",
		src: `{
  "components": {"oauth": {"instances": [
    {"grant_type": "password"}
  ]}}
}`,
		want: []finding{{"MC011", "3:20", "/components/oauth/instances/0/grant_type",
			`"grant_type" must be one of authorization_code, client_credentials, implicit, found "password"`}},
	},
	{
		name: "3.x implicit grant is left to MC108",
		v:    "3",
		src:  `{"components": {"oauth": {"instances": [{"grant_type": "implicit"}]}}}`,
	},
	{
		name: "3.x missing grant type at the instance",
		v:    "3",
		src: `{"components": {"oauth": {"instances": [
  {"uid": "abc"}
]}}}`,
		want: []finding{{"MC011", "2:3", "/components/oauth/instances/0", `missing required member "grant_type"`}},
	},
	{
		name: "3.x required must be a boolean",
		v:    "3",
		src: `{"components": {"iframe": {"instances": [{
  "required": "yes",
  "iframe_src": "https://example.com"
}]}}}`,
		want: []finding{{"MC011", "2:15", "/components/iframe/instances/0/required", `"required" must be a boolean, found string "yes"`}},
	},
	{
		name: "3.x iframe type and missing iframe_src",
		v:    "3.2",
		src: `{"components": {"iframe": {"instances": [
  {"type": "tab"}
]}}}`,
		want: []finding{
			{"MC011", "2:3", "/components/iframe/instances/0", `missing required member "iframe_src"`},
			{"MC011", "2:12", "/components/iframe/instances/0/type", `"instances[0].type" must be one of fullscreen, sidepanel, found "tab"`},
		},
	},
	{
		name: "3.x iframe_src not https",
		v:    "3",
		src:  `{"components": {"iframe": {"instances": [{"iframe_src": "ftp://example.com"}]}}}`,
		want: []finding{{"MC011", "1:57", "/components/iframe/instances/0/iframe_src", `"iframe_src" must start with https://`}},
	},
	{
		name: "3.x instances missing and not an array",
		v:    "3",
		src:  `{"components": {"oauth": {}, "iframe": {"instances": {}}}}`,
		want: []finding{
			{"MC011", "1:26", "/components/oauth", `missing required member "instances"`},
			{"MC011", "1:54", "/components/iframe/instances", `"iframe.instances" must be an array, found an object`},
		},
	},
	{
		name: "3.x permissions levels are left to the permission rules",
		v:    "3",
		src: `{"components": {"oauth": {"instances": [{"grant_type": "client_credentials",
  "permissions": {"company": {"directory": "editor", "documents": 2}, "project": {"rfi": "Read Only"}}}]}}}`,
	},
	{
		name: "3.x permissions scope of the wrong type",
		v:    "3",
		src: `{"components": {"oauth": {"instances": [{"grant_type": "client_credentials",
  "permissions": {"company": ["directory"]}}]}}}`,
		want: []finding{{"MC011", "2:30", "/components/oauth/instances/0/permissions/company", `"permissions.company" must be an object, found an array`}},
	},
	{
		name: "3.x unknown members are allowed",
		v:    "3",
		src:  `{"x_custom": 1, "components": {"oauth": {"instances": [{"grant_type": "authorization_code", "extra": [1]}]}, "other": {}}}`,
	},
	{
		name: "3.x schema_version for another family",
		v:    "3",
		src:  `{"schema_version": "4.1"}`,
		want: []finding{{"MC011", "1:20", "/schema_version", `"schema_version" must be one of 3, 3.0, 3.1, 3.2, found "4.1"`}},
	},
	{
		name: "4.1 valid minimal",
		v:    "4.1",
		src:  `{"schema_version": "4.1"}`,
	},
	{
		name: "4.1 missing schema_version",
		v:    "4.1",
		src:  `{"fullscreen": {"source_url": "https://example.com"}}`,
		want: []finding{{"MC011", "1:1", "", `missing required member "schema_version"`}},
	},
	{
		name: "4.1 schema_version must be a string",
		v:    "4.1",
		src:  `{"schema_version": 4.1}`,
		want: []finding{{"MC011", "1:20", "/schema_version", `"schema_version" must be a string, found number 4.1`}},
	},
	{
		name: "4.1 page url",
		v:    "4.1",
		src: `{
  "schema_version": "4.1",
  "post_installation_instruction": {
    "notes": "Read the setup guide.",
    "page": {"url": "www.example.com", "label": "Setup"}
  }
}`,
		want: []finding{{"MC011", "5:21", "/post_installation_instruction/page/url", `"page.url" must start with https://`}},
	},
	{
		name: "4.1 page without url, notes of the wrong type",
		v:    "4.1",
		src: `{"schema_version": "4.1",
"post_installation_instruction": {"notes": ["a"], "page": {"label": "Setup"}}}`,
		want: []finding{
			{"MC011", "2:44", "/post_installation_instruction/notes", `"notes" must be a string, found an array`},
			{"MC011", "2:59", "/post_installation_instruction/page", `missing required member "url"`},
		},
	},
	{
		name: "4.1 install URL without a top-level domain passes",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "post_installation_instruction": {"page": {"url": "https://myprocoreapplication/app-setup-instructions"}}}`,
	},
	{
		name: "4.1 side panel views",
		v:    "4.1",
		src: `{"schema_version": "4.1", "sidepanel": {
  "source_url": "https://example.com/{{procore.project.id}}",
  "views": ["commitments.work_order_contracts.detail", "Commitments Detail", 7, "prime_contracts.detail"]
}}`,
		want: []finding{
			{"MC011", "3:56", "/sidepanel/views/1", `"views[1]" must be a side panel view key: lowercase words with underscores joined by dots, such as commitments.work_order_contracts.detail`},
			{"MC011", "3:78", "/sidepanel/views/2", `"views[2]" must be a string, found number 7`},
		},
	},
	{
		name: "4.1 fullscreen missing source_url and support link",
		v:    "4.1",
		src: `{"schema_version": "4.1",
"fullscreen": {"user_configuration": {"schema": {"type": "object", "properties": {
  "site": {"name": "Site", "type": "string", "support_link": {"url": "help.example.com", "label": 3}}
}}}}}`,
		want: []finding{
			{"MC011", "2:15", "/fullscreen", `missing required member "source_url"`},
			{"MC011", "3:70", "/fullscreen/user_configuration/schema/properties/site/support_link/url", `"support_link.url" must start with https://`},
			{"MC011", "3:99", "/fullscreen/user_configuration/schema/properties/site/support_link/label", `"support_link.label" must be a string, found number 3`},
		},
	},
	{
		name: "4.1 configuration schema type and required",
		v:    "4.1",
		src: `{"schema_version": "4.1", "sidepanel": {"source_url": "https://x.example", "views": ["a.b"],
  "user_configuration": {"schema": {"type": "array", "required": "site"}}}}`,
		want: []finding{
			{"MC011", "2:45", "/sidepanel/user_configuration/schema/type", `"schema.type" must be "object", found "array"`},
			{"MC011", "2:66", "/sidepanel/user_configuration/schema/required", `"required" must be an array, found string "site"`},
		},
	},
	{
		name: "4.1 permission levels are left to the permission rules",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "permissions": {"company": {"documents": "editor"}, "project": {"rfi": null, "daily_log": "read_only"}}}`,
	},
	{
		name: "4.1 permissions of the wrong type",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "permissions": {"company": {}, "project": "rfi"}}`,
		want: []finding{{"MC011", "1:69", "/permissions/project", `"permissions.project" must be an object, found string "rfi"`}},
	},
	{
		name: "4.1 app_manifest version must be a string",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "app_manifest": {"id": "x", "version": 1.2}}`,
		want: []finding{{"MC011", "1:66", "/app_manifest/version", `"app_manifest.version" must be a string, found number 1.2`}},
	},
	{
		name: "4.1 values of the wrong type",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "fullscreen": {"source_url": "https://x", "description": {"a": 1}, "uuid": true}}`,
		want: []finding{
			{"MC011", "1:84", "/fullscreen/description", `"fullscreen.description" must be a string, found an object`},
			{"MC011", "1:102", "/fullscreen/uuid", `"fullscreen.uuid" must be a string, found boolean true`},
		},
	},
	{
		name: "long values are shortened",
		v:    "4.1",
		src:  `{"schema_version": "` + strings.Repeat("x", 70) + `"}`,
		want: []finding{{"MC011", "1:20", "/schema_version", `"schema_version" must be "4.1", found "` + strings.Repeat("x", 60) + `..."`}},
	},
	{
		name: "unknown version is not checked",
		v:    "9",
		src:  `{"schema_version": 9}`,
	},
	{
		name: "keys with slash and tilde",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "sidepanel": {"source_url": "https://x", "user_configuration": {"schema": {"properties": {"a/b~c": {"name": false}}}}}}`,
		want: []finding{{"MC011", "1:135", "/sidepanel/user_configuration/schema/properties/a~1b~0c/name", `"a/b~c.name" must be a string, found boolean false`}},
	},
	{
		name: "unicode columns",
		v:    "4.1",
		src:  `{"schema_version": "4.1", "app_manifest": {"name": "Ünïcödé", "id": 5}}`,
		want: []finding{{"MC011", "1:69", "/app_manifest/id", `"app_manifest.id" must be a string, found number 5`}},
	},
}

func TestValidate(t *testing.T) {
	for _, tt := range validateCases {
		t.Run(tt.name, func(t *testing.T) {
			doc := parse(t, tt.src)
			got := findings(Validate(doc, tt.v))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate(%s) mismatch (-want +got):\n%s", tt.v, diff)
			}
		})
	}
}

func TestValidateSeverityAndSpan(t *testing.T) {
	doc := parse(t, `{"schema_version": "4.1", "fullscreen": {"source_url": 42}}`)
	diags := Validate(doc, manifest.V41)
	if len(diags) != 1 {
		t.Fatalf("Validate = %v, want one diagnostic", diags)
	}
	d := diags[0]
	if d.Severity != manifest.SeverityError {
		t.Errorf("severity = %v, want error", d.Severity)
	}
	if d.Pos.File != "m.json" || d.Pos.Offset != 55 || d.End.Offset != 57 {
		t.Errorf("span = %+v .. %+v, want m.json offsets 55..57", d.Pos, d.End)
	}
}

func TestValidateNilDocument(t *testing.T) {
	if got := Validate(nil, manifest.V41); got != nil {
		t.Errorf("Validate(nil) = %v, want nil", got)
	}
	doc, _ := manifest.Parse("e.json", nil, manifest.ParseOptions{})
	if got := Validate(doc, manifest.V41); got != nil {
		t.Errorf("Validate(empty) = %v, want nil", got)
	}
}

func TestValidateNonObject(t *testing.T) {
	for _, src := range []string{`[]`, `"x"`, `null`, `1`, `true`} {
		doc := parse(t, src)
		got := findings(Validate(doc, manifest.V3))
		if len(got) != 1 || got[0].Pointer != "" || !strings.HasPrefix(got[0].Message, "the manifest must be an object, found ") {
			t.Errorf("Validate(%s) = %v, want one finding about the manifest's type", src, got)
		}
	}
}

// The Procore documentation examples are real inputs, flaws included
// (uuids that are not UUIDs, a URL with no top-level domain): the schema
// accepts them.
func TestProcoreExamples(t *testing.T) {
	tests := []struct {
		file string
		want manifest.SchemaVersion
	}{
		{"procore-3x-sidepanel.json", manifest.V3},
		{"procore-3x-client-credentials.json", manifest.V3},
		{"procore-41.json", manifest.V41},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("..", "testdata", "examples", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, diags := manifest.Parse(tt.file, src, manifest.ParseOptions{})
			if len(diags) > 0 {
				t.Fatalf("Parse: %v", diags)
			}
			v, d := manifest.DetectSchemaVersion(doc)
			if d != nil || v.Family() != tt.want {
				t.Fatalf("DetectSchemaVersion = %q, %v; want %q", v, d, tt.want)
			}
			if got := Validate(doc, v); len(got) > 0 {
				t.Errorf("Validate(%s) = %v, want no finding", tt.file, got)
			}
		})
	}
}

func TestSchemasCompile(t *testing.T) {
	for _, v := range manifest.KnownSchemaVersions {
		t.Run(v, func(t *testing.T) {
			c, err := load(manifest.SchemaVersion(v))
			if err != nil {
				t.Fatalf("load(%s): %v", v, err)
			}
			if c.schema == nil || c.doc == nil {
				t.Fatalf("load(%s) returned an empty schema", v)
			}
		})
	}
	entries, err := files.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := compile(e.Name()); err != nil {
			t.Errorf("compile(%s): %v", e.Name(), err)
		}
	}
}

func TestSource(t *testing.T) {
	tests := []struct {
		v    manifest.SchemaVersion
		want string // the $id's file name
	}{
		{"3", "v3.json"}, {"3.0", "v3.json"}, {"3.1", "v3.json"}, {"3.2", "v3.json"}, {"4.1", "v41.json"},
	}
	for _, tt := range tests {
		src, err := Source(tt.v)
		if err != nil {
			t.Fatalf("Source(%s): %v", tt.v, err)
		}
		var s struct {
			ID     string `json:"$id"`
			Schema string `json:"$schema"`
		}
		if err := json.Unmarshal(src, &s); err != nil {
			t.Fatalf("Source(%s) is not JSON: %v", tt.v, err)
		}
		if s.ID != BaseURL+tt.want {
			t.Errorf("Source(%s) $id = %q, want %q", tt.v, s.ID, BaseURL+tt.want)
		}
	}
	for _, v := range []manifest.SchemaVersion{"", "4.0", "9"} {
		if _, err := Source(v); err == nil {
			t.Errorf("Source(%q) succeeded, want an error", v)
		}
	}
}

func TestLoadEmbeddedOnly(t *testing.T) {
	for _, u := range []string{
		"https://example.com/schema.json",
		"file:///etc/passwd",
		BaseURL + "../go.mod",
		BaseURL + "missing.json",
	} {
		if r, err := loadEmbedded(u); err == nil {
			r.Close()
			t.Errorf("loadEmbedded(%q) succeeded, want an error", u)
		}
	}
	r, err := loadEmbedded(BaseURL + "v41.json")
	if err != nil {
		t.Fatalf("loadEmbedded(v41.json): %v", err)
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	want, _ := Source(manifest.V41)
	if !bytes.Equal(b, want) {
		t.Errorf("loadEmbedded(v41.json) differs from Source(4.1)")
	}
}

// A reference to anything not embedded fails to compile instead of
// reaching the network or the file system.
func TestCompileRefusesRemoteRefs(t *testing.T) {
	src := []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://example.com/other.json"}`)
	if _, err := compileSource(BaseURL+"test.json", src, loadEmbedded); err == nil {
		t.Fatal("compileSource with a remote $ref succeeded, want an error")
	}
}

// anyOf and oneOf failures collapse to one useful message.
func TestAlternatives(t *testing.T) {
	c, err := compileSource(BaseURL+"test.json", alternativesSchema, loadEmbedded)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range alternativesCases {
		doc := parse(t, tt.src)
		got := findings(c.validate(doc))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("validate(%s) mismatch (-want +got):\n%s", tt.src, diff)
		}
	}
}

// alternativesSchema and alternativesCases are TestAlternatives' schema and
// cases; the differential test checks them against the oracle too.
var alternativesSchema = []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    "link": {"oneOf": [
      {"type": "string", "pattern": "^https://", "x-pattern-message": "must start with https://"},
      {"type": "object", "required": ["url"], "properties": {"url": {"type": "string", "pattern": "^https://", "x-pattern-message": "must start with https://"}, "label": {"type": "string"}}}
    ]},
    "kind": {"oneOf": [{"type": "string"}, {"const": "x"}]}
  }
}`)

var alternativesCases = []struct {
	src  string
	want []finding
}{
	{`{"id": "a", "link": "https://x", "kind": "y"}`, nil},
	{`{"id": true}`, []finding{{"MC011", "1:8", "/id", `"id" must be a string or an integer, found boolean true`}}},
	{`{"link": "http://x"}`, []finding{{"MC011", "1:10", "/link", `"link" must start with https://`}}},
	{`{"link": {"url": "ftp://x", "label": "L"}}`, []finding{{"MC011", "1:18", "/link/url", `"link.url" must start with https://`}}},
	{`{"link": {"label": 1}}`, []finding{
		{"MC011", "1:10", "/link", `missing required member "url"`},
		{"MC011", "1:20", "/link/label", `"link.label" must be a string, found number 1`},
	}},
	{`{"link": 3}`, []finding{{"MC011", "1:10", "/link", `"link" must be a string or an object, found number 3`}}},
	{`{"kind": "x"}`, []finding{{"MC011", "1:10", "/kind", `"kind" matches more than one of the allowed forms; it must match exactly one`}}},
}

func TestSubject(t *testing.T) {
	tests := []struct{ ptr, want string }{
		{"", "the manifest"},
		{"/grant_type", `"grant_type"`},
		{"/post_installation_instruction/page/url", `"page.url"`},
		{"/components/iframe/instances/0/name", `"instances[0].name"`},
		{"/components/oauth/instances/1", `"oauth.instances[1]"`},
		{"/sidepanel/views/0", `"views[0]"`},
		{"/a/0/1", `"a[0][1]"`},
		{"/0", `"0"`},
		{"/type", `"type"`},
	}
	for _, tt := range tests {
		if got := subject(tt.ptr); got != tt.want {
			t.Errorf("subject(%q) = %s, want %s", tt.ptr, got, tt.want)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "procore-41.json"))
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := manifest.Parse("procore-41.json", src, manifest.ParseOptions{})
	if _, err := load(manifest.V41); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if d := Validate(doc, manifest.V41); len(d) > 0 {
			b.Fatal(d)
		}
	}
}

// FuzzValidate checks that no input makes Validate panic, and that every
// finding is an MC011 error at a position inside the file whose pointer
// names the value or, for a missing member, an existing object.
func FuzzValidate(f *testing.F) {
	for _, name := range []string{"procore-3x-sidepanel.json", "procore-3x-client-credentials.json", "procore-41.json"} {
		if src, err := os.ReadFile(filepath.Join("..", "testdata", "examples", name)); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`{"schema_version": "4.1", "fullscreen": {"views": [1, "A"]}, "permissions": {"company": []}}`))
	f.Add([]byte(`{"components": {"oauth": {"instances": [{"grant_type": 1e999}]}, "iframe": {"instances": [[]]}}}`))
	f.Add([]byte(`{"a/b": {"~1": {"%41": null}}, "schema_version": "3"}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		doc, _ := manifest.Parse("f.json", src, manifest.ParseOptions{})
		if doc.Root == nil {
			return
		}
		for _, v := range []manifest.SchemaVersion{manifest.V3, manifest.V41} {
			for _, d := range Validate(doc, v) {
				if d.Rule != manifest.RuleSchema || d.Severity != manifest.SeverityError || d.Message == "" {
					t.Fatalf("Validate(%s) gave %v", v, d)
				}
				if d.Pos.Line < 1 || d.Pos.Offset < 0 || d.Pos.Offset > len(src) {
					t.Fatalf("Validate(%s) gave a position outside the file: %+v", v, d.Pos)
				}
				if doc.Root.Lookup(d.Pos.Pointer) == nil {
					t.Fatalf("Validate(%s) gave pointer %q that names nothing", v, d.Pos.Pointer)
				}
			}
		}
	})
}

package manifest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsAppManifest(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"schema_version", `{"schema_version": "4.1"}`, true},
		{"app_manifest", `{"app_manifest": {"version": "1.0.0"}}`, true},
		{"components", `{"components": {}}`, true},
		{"install notes", `{"post_installation_instruction": {"notes": "x"}}`, true},
		{"fullscreen", `{"fullscreen": {}}`, true},
		{"sidepanel", `{"sidepanel": {}}`, true},
		{"permissions company", `{"permissions": {"company": {}}}`, true},
		{"permissions project", `{"permissions": {"project": {"rfi": "readonly"}}}`, true},
		{"permissions without scope", `{"permissions": {"other": {}}}`, false},
		{"permissions array", `{"permissions": ["storage"]}`, false},
		{"chrome extension", `{"manifest_version": 3, "name": "x", "permissions": ["tabs"]}`, false},
		{"extension with a marker", `{"manifest_version": 2, "app_manifest": {}}`, false},
		{"web app manifest", `{"name": "App", "start_url": "/", "icons": []}`, false},
		{"package.json", `{"name": "x", "version": "1.0.0", "dependencies": {}}`, false},
		{"tsconfig", `{"compilerOptions": {"strict": true}}`, false},
		{"views snippet", `{"views": ["a.b"]}`, false},
		{"empty object", `{}`, false},
		{"array", `[{"schema_version": "4.1"}]`, false},
		{"string", `"schema_version"`, false},
		{"nested marker only", `{"x": {"schema_version": "4.1"}}`, false},
		{"marker with null", `{"schema_version": null}`, true},
	}
	for _, tt := range tests {
		doc, _ := Parse("m.json", []byte(tt.src), ParseOptions{})
		if got := IsAppManifest(doc.Root); got != tt.want {
			t.Errorf("%s: IsAppManifest(%s) = %v, want %v", tt.name, tt.src, got, tt.want)
		}
		if !tt.want && doc.Root.IsObject() {
			d := NotAppManifest(doc)
			if d.Rule != RuleNotManifest || d.Severity != SeverityError || d.Pos.Line != 1 || d.Pos.Col != 1 {
				t.Errorf("%s: NotAppManifest = %v", tt.name, d)
			}
		}
	}
	if IsAppManifest(nil) {
		t.Error("IsAppManifest(nil) = true")
	}
}

func TestNotAppManifestMessage(t *testing.T) {
	for src, want := range map[string]string{
		`{"manifest_version": 3}`:           `"manifest_version" marks a browser-extension manifest`,
		`{"name": "A", "start_url": "/"}`:   "looks like a web app manifest",
		`{"name": "x", "dependencies": {}}`: "looks like a package.json",
		`{"compilerOptions": {}}`:           "looks like a TypeScript configuration",
		`{"views": []}`:                     "looks like a fragment of a manifest",
		`{"anything": 1}`:                   "it has none of schema_version, app_manifest",
	} {
		doc, _ := Parse("m.json", []byte(src), ParseOptions{})
		if got := NotAppManifest(doc).Message; !strings.Contains(got, want) {
			t.Errorf("NotAppManifest(%s) = %q, want it to contain %q", src, got, want)
		}
	}
}

func TestLooksLikeAppManifest(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`{"schema_version": "4.1",`, true},
		{"{\n  \"app_manifest\"\n  :{", true},
		{`{"components": {}} trailing`, true},
		{`{"name": "schema_version"}`, false}, // a value, not a key
		{"{\n // comment\n \"compilerOptions\": {}\n}", false},
		{`{"manifest_version": 3, "app_manifest": {`, false},
		{``, false},
		{"\xff\xfe", false},
	}
	for _, tt := range tests {
		if got := LooksLikeAppManifest([]byte(tt.src)); got != tt.want {
			t.Errorf("LooksLikeAppManifest(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.json":    `{"schema_version": "4.1", "app_manifest": {"version": "1.0.0"}}`,
		"legacy.json":  `{"components": {}}`,
		"package.json": `{"name": "x", "dependencies": {}}`,
		"array.json":   `[]`,
		"broken.json":  `{`,
		"unknown.json": `{"schema_version": "9"}`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		version SchemaVersion
		rule    string // of the *LoadError; "" for success
	}{
		{"good.json", V41, ""},
		{"legacy.json", V3, ""},
		{"package.json", "", RuleNotManifest},
		{"array.json", "", "MC011"},
		{"broken.json", "", RuleInvalidJSON},
		{"unknown.json", "", RuleSchemaVersion},
	} {
		doc, v, err := Load(ctx, filepath.Join(dir, tt.name), nil)
		var le *LoadError
		switch {
		case tt.rule == "" && (err != nil || v != tt.version || doc == nil):
			t.Errorf("Load(%s) = %v, %v; want version %s", tt.name, v, err, tt.version)
		case tt.rule != "" && (!errors.As(err, &le) || len(le.Diagnostics) == 0 || le.Diagnostics[0].Rule != tt.rule):
			t.Errorf("Load(%s) error = %v, want a *LoadError with %s", tt.name, err, tt.rule)
		}
	}
	// Standard input, a name for positions, a version override.
	doc, v, err := Load(ctx, "-", &LoadOptions{Stdin: strings.NewReader(`{"components": {}}`), Name: "<stdin>", SchemaVersion: V41})
	if err != nil || v != V41 || doc.Path != "<stdin>" {
		t.Errorf("Load(-) = %v, %v, %v", doc, v, err)
	}
	// Unreadable inputs are not *LoadError: read errors, "read PATH: ...".
	for _, spec := range []string{filepath.Join(dir, "missing.json"), dir, "/dev/zero", "-"} {
		_, _, err := Load(ctx, spec, nil)
		var le *LoadError
		if err == nil || errors.As(err, &le) || !strings.HasPrefix(err.Error(), "read "+spec+": ") {
			t.Errorf("Load(%s) error = %v, want a read error", spec, err)
		}
	}
	// Too large: a finding (MC006), not a read error.
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"schema_version": "4.1", "x": "`+strings.Repeat("x", 100)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(ctx, big, &LoadOptions{Parse: ParseOptions{MaxSize: 50}})
	var le *LoadError
	if !errors.As(err, &le) || le.Diagnostics[0].Rule != RuleLimit {
		t.Errorf("Load of a file over the limit = %v, want an MC006 *LoadError", err)
	}
}

func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(`{"schema_version": "4.1"}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "b.json", "a.json", "sub/c.json", ".hidden/d.json", "notes.txt", ".e.json",
		"node_modules/p/package.json", "vendor/v.json", "bower_components/b.json", "ignored/i.json")
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("ignored/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	got := Expand([]string{dir, "-", filepath.Join(dir, "notes.txt"), filepath.Join(dir, "missing.json"), empty})
	var paths []string
	for _, in := range got {
		p := strings.TrimPrefix(strings.TrimPrefix(in.Path, dir), empty)
		if p == "" {
			p = "<empty>"
		}
		if in.Walked {
			p = "walked:" + p
		}
		switch {
		case errors.Is(in.Err, ErrNoManifests):
			p += "(none)"
		case errors.Is(in.Err, os.ErrNotExist):
			p += "(missing)"
		case in.Err != nil:
			p += "(" + in.Err.Error() + ")"
		}
		paths = append(paths, p)
	}
	want := "walked:/a.json walked:/b.json walked:/sub/c.json - /notes.txt /missing.json(missing) <empty>(none)"
	if s := strings.Join(paths, " "); s != want {
		t.Errorf("Expand =\n%s\nwant\n%s", s, want)
	}
}

package source

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree writes files (a path ending in / is a folder; "->target" makes a
// symbolic link) under a new temporary folder and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(name, "/"):
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case strings.HasPrefix(content, "->"):
			if err := os.Symlink(strings.TrimPrefix(content, "->"), p); err != nil {
				t.Fatal(err)
			}
		default:
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func isJSON(name string) bool {
	return strings.HasSuffix(name, ".json") && !strings.HasPrefix(name, ".")
}

// entries renders a walk relative to dir: "path" or "path!" (an error).
func entries(dir string, es []Entry) []string {
	var out []string
	for _, e := range es {
		p := e.Path
		if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = filepath.ToSlash(rel)
		}
		if e.Named {
			p = "=" + p
		}
		if e.Err != nil {
			p += "!"
		}
		out = append(out, p)
	}
	return out
}

func TestWalk(t *testing.T) {
	dir := tree(t, map[string]string{
		".git/":                         "",
		".gitignore":                    "dist/\n/generated.json\n*.tmp.json\n!keep.tmp.json\n",
		"apps/web/manifest.json":        "{}",
		"apps/web/dist/manifest.json":   "{}",
		"apps/web/.gitignore":           "local.json\n",
		"apps/web/local.json":           "{}",
		"apps/web/notes.txt":            "",
		"apps/linked.json":              "->web/manifest.json",
		"apps/linkdir":                  "->web",
		"apps/dangling.json":            "->nowhere.json",
		"apps/loop.json":                "->loop.json",
		"apps/dangling.txt":             "->nowhere.txt",
		"generated.json":                "{}",
		"sub/generated.json":            "{}",
		"a.tmp.json":                    "{}",
		"keep.tmp.json":                 "{}",
		"node_modules/pkg/package.json": "{}",
		"vendor/x.json":                 "{}",
		"bower_components/y.json":       "{}",
		".github/workflows/x.json":      "{}",
		".hidden.json":                  "{}",
		"package.json":                  "{}",
	})
	got := entries(dir, Walk([]string{dir}, isJSON))
	want := []string{
		"apps/dangling.json!",
		"apps/linked.json",
		"apps/loop.json!",
		"apps/web/manifest.json",
		"keep.tmp.json",
		"package.json",
		"sub/generated.json",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Walk =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Named paths: read whatever their names; a link to a folder named on
	// the command line is walked; the root's .gitignore applies to a
	// sub-folder walked on its own.
	got = entries(dir, Walk([]string{
		filepath.Join(dir, "apps/linkdir"),
		filepath.Join(dir, "apps/web/notes.txt"),
		"-",
		filepath.Join(dir, "missing.json"),
		filepath.Join(dir, "apps/dangling.json"),
	}, isJSON))
	want = []string{
		"apps/linkdir/manifest.json",
		"=apps/web/notes.txt",
		"=-",
		"=missing.json!",
		"=apps/dangling.json!",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Walk of named paths =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	es := Walk([]string{filepath.Join(dir, "apps/dangling.json"), filepath.Join(dir, "apps/loop.json")}, isJSON)
	if !strings.Contains(es[0].Err.Error(), "dangling symbolic link to nowhere.json") {
		t.Errorf("dangling link error = %v", es[0].Err)
	}
	if !strings.Contains(es[1].Err.Error(), "symbolic link loop") {
		t.Errorf("link loop error = %v", es[1].Err)
	}
}

func TestWalkUnreadableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any folder")
	}
	dir := tree(t, map[string]string{"a/m.json": "{}", "b/m.json": "{}", "c/m.json": "{}"})
	locked := filepath.Join(dir, "b")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	es := Walk([]string{dir}, isJSON)
	got := entries(dir, es)
	want := []string{"a/m.json", "b!", "c/m.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Walk = %v, want %v", got, want)
	}
	if !errors.Is(es[1].Err, os.ErrPermission) {
		t.Errorf("unreadable folder error = %v, want a permission error", es[1].Err)
	}
}

func TestSkipDir(t *testing.T) {
	for name, want := range map[string]bool{
		".git": true, ".cache": true, "node_modules": true, "vendor": true, "bower_components": true,
		"apps": false, ".": false, "..": false, "src": false,
	} {
		if got := SkipDir(name); got != want {
			t.Errorf("SkipDir(%q) = %v, want %v", name, got, want)
		}
	}
}

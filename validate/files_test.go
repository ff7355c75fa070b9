package validate_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/validate"
)

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

// TestFilesOrder validates many files in parallel and checks they are
// emitted in input order, whatever finishes first.
func TestFilesOrder(t *testing.T) {
	dir := t.TempDir()
	var inputs []validate.Input
	for i := 0; i < 200; i++ {
		name := fmt.Sprintf("m%03d.json", i)
		writeFiles(t, dir, name)
		inputs = append(inputs, validate.Input{Path: filepath.Join(dir, name)})
	}
	inputs = append(inputs, validate.Input{Path: "-"})
	var got []string
	err := validate.Files(context.Background(), inputs, strings.NewReader(`{`), &validate.Options{Jobs: 4}, func(r validate.Result) error {
		got = append(got, r.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(inputs) {
		t.Fatalf("emitted %d results, want %d", len(got), len(inputs))
	}
	for i := range inputs {
		if got[i] != inputs[i].Path {
			t.Fatalf("result %d is %s, want %s", i, got[i], inputs[i].Path)
		}
	}
}

func TestFilesErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "a.json", "c.json")
	inputs := []validate.Input{{Path: filepath.Join(dir, "a.json")}, {Path: filepath.Join(dir, "b.json")}, {Path: filepath.Join(dir, "c.json")},
		{Path: "walk-error", Err: errors.New("dangling symbolic link to x.json")}, {Path: dir}}

	// A file that cannot be read is emitted in its place as a Result with
	// a ReadError, and the run goes on.
	var got []string
	err := validate.Files(context.Background(), inputs, nil, &validate.Options{Jobs: 2}, func(r validate.Result) error {
		s := strings.TrimPrefix(r.Path, dir)
		if r.Err != nil {
			var re *validate.ReadError
			if !errors.As(r.Err, &re) || re.Path != r.Path {
				t.Errorf("%s: Err = %#v, want a *ReadError for the path", r.Path, r.Err)
			}
			s += ": " + r.Err.Error()
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	want := []string{"/a.json", "/b.json: read " + filepath.Join(dir, "b.json") + ": no such file or directory", "/c.json",
		"walk-error: read walk-error: dangling symbolic link to x.json", ": read " + dir + ": is a directory, not a file"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Files emitted\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// An error from emit is returned as it is.
	stop := errors.New("stop")
	if err := validate.Files(context.Background(), inputs[:1], nil, nil, func(validate.Result) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Files with a failing emit = %v, want %v", err, stop)
	}

	// A cancelled context stops the run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := validate.Files(ctx, inputs[:1], nil, nil, func(validate.Result) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Files with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestFilesSkipsWalkedNonManifests: a walked file that is not an App
// Manifest is emitted Skipped with no findings; named, it gets MC008.
func TestFilesSkipsWalkedNonManifests(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"package.json":   `{"name": "x", "dependencies": {}}`,
		"tsconfig.json":  "{\n  // comments are not JSON\n  \"compilerOptions\": {}\n}",
		"ext.json":       `{"manifest_version": 3, "permissions": ["storage"], "app_manifest": {}}`,
		"array.json":     `[1, 2]`,
		"empty.json":     ``,
		"broken.json":    `{"schema_version": "4.1",`,
		"manifest.json":  `{"schema_version": "4.1"}`,
		"perms.json":     `{"permissions": {"project": {}}}`,
		"perms-arr.json": `{"permissions": ["a"]}`,
	}
	var inputs []validate.Input
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, validate.Input{Path: filepath.Join(dir, name), Walked: true}, validate.Input{Path: filepath.Join(dir, name)})
	}
	wantKept := map[string]bool{"broken.json": true, "manifest.json": true, "perms.json": true}
	err := validate.Files(context.Background(), inputs, nil, nil, func(r validate.Result) error {
		name := filepath.Base(r.Path)
		walked := inputs[0].Path == r.Path && inputs[0].Walked
		inputs = inputs[1:]
		switch {
		case walked && r.Skipped != !wantKept[name]:
			t.Errorf("walked %s: Skipped = %v, want %v", name, r.Skipped, !wantKept[name])
		case walked && r.Skipped && len(r.Diagnostics) > 0:
			t.Errorf("walked %s: skipped with findings %v", name, r.Diagnostics)
		case !walked && r.Skipped:
			t.Errorf("named %s skipped", name)
		}
		hasMC008 := false
		for _, d := range r.Diagnostics {
			hasMC008 = hasMC008 || d.Rule == "MC008"
		}
		wantMC008 := !walked && (name == "package.json" || name == "ext.json" || name == "perms-arr.json")
		if hasMC008 != wantMC008 {
			t.Errorf("walked=%v %s: MC008 = %v, want %v (%v)", walked, name, hasMC008, wantMC008, r.Diagnostics)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

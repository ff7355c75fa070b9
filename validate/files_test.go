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

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "b.json", "a.json", "sub/c.json", ".hidden/d.json", "notes.txt", ".e.json")
	got, err := validate.Expand([]string{dir, "-", filepath.Join(dir, "notes.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, in := range got {
		paths = append(paths, strings.TrimPrefix(in.Path, dir))
	}
	want := "/a.json /b.json /sub/c.json - /notes.txt"
	if s := strings.Join(paths, " "); s != want {
		t.Errorf("Expand = %s, want %s", s, want)
	}
	if _, err := validate.Expand([]string{filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("Expand of a missing path succeeded")
	}
	empty := t.TempDir()
	if _, err := validate.Expand([]string{empty}); !errors.Is(err, validate.ErrNoManifests) {
		t.Errorf("Expand of a folder without manifests = %v, want ErrNoManifests", err)
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
	inputs := []validate.Input{{Path: filepath.Join(dir, "a.json")}, {Path: filepath.Join(dir, "b.json")}, {Path: filepath.Join(dir, "c.json")}}

	// A file that cannot be read stops the run with a ReadError, after
	// the files before it were emitted.
	var emitted int
	err := validate.Files(context.Background(), inputs, nil, &validate.Options{Jobs: 2}, func(validate.Result) error {
		emitted++
		return nil
	})
	var re *validate.ReadError
	if !errors.As(err, &re) || re.Path != inputs[1].Path || emitted != 1 {
		t.Errorf("Files = %v (emitted %d), want a ReadError for b.json after one result", err, emitted)
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

package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func writeFile(t *testing.T, path, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // not reduced by the umask
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noLeftovers fails when dir holds a temporary file.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// withHook installs h as the before-commit hook for the test.
func withHook(t *testing.T, h func(path string)) {
	t.Helper()
	t.Cleanup(SetBeforeCommitHook(h))
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "old", 0o640)
	if err := WriteFileAtomic(path, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if got := readFile(t, path); got != "new" || fi.Mode().Perm() != 0o640 {
		t.Errorf("got %q mode %v, want \"new\" mode 0640", got, fi.Mode().Perm())
	}
	// A new file gets perm, exactly.
	fresh := filepath.Join(dir, "fresh.json")
	if err := WriteFileAtomic(fresh, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(fresh); fi.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", fi.Mode().Perm())
	}
	if runtime.GOOS != "windows" {
		// A symlink is followed and kept.
		link := filepath.Join(dir, "link.json")
		if err := os.Symlink("m.json", link); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(link, []byte("via link"), 0o644); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Error("the symlink was replaced by a file")
		}
		if got := readFile(t, path); got != "via link" {
			t.Errorf("target = %q", got)
		}
	}
	noLeftovers(t, dir)
	// A directory cannot be written, and nothing changes.
	if err := WriteFileAtomic(dir, []byte("x"), 0o644); err == nil {
		t.Error("writing a directory succeeded")
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "m.json"), []byte("x"), 0o644); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestReplaceFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "old", 0o640)
	if err := ReplaceFile(path, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "new" {
		t.Errorf("content %q, want new", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	// A file that does not exist is not created.
	missing := filepath.Join(dir, "missing.json")
	if err := ReplaceFile(missing, []byte{}, []byte("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want not exist", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("ReplaceFile created a missing file")
	}
	noLeftovers(t, dir)
}

// replaceByRename returns a change that renames a new file holding
// content over path, as an editor that saves atomically does.
func replaceByRename(content string) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		other := path + ".other"
		writeFile(t, other, content, 0o644)
		if err := os.Rename(other, path); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReplaceFileChanged changes the file between the read and the write,
// in every way another program can: nothing is written and the error
// says so.
func TestReplaceFileChanged(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, path string)
		want   string // the file's content afterwards
	}{
		{"appended", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString(" more")
			f.Close()
		}, "old more"},
		{"same size", func(t *testing.T, path string) {
			writeFile(t, path, "OLD", 0o644)
		}, "OLD"},
		{"replaced by rename", replaceByRename("theirs"), "theirs"},
		{"replaced by a file with the same content", replaceByRename("old"), "old"},
		{"emptied", func(t *testing.T, path string) {
			writeFile(t, path, "", 0o644)
		}, ""},
		{"removed", func(t *testing.T, path string) {
			os.Remove(path)
		}, "<missing>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "m.json")
			writeFile(t, path, "old", 0o644)
			calls := 0
			withHook(t, func(p string) {
				calls++
				if p != path {
					t.Errorf("hook got %q, want %q", p, path)
				}
				tt.change(t, path)
			})
			err := ReplaceFile(path, []byte("old"), []byte("mine"))
			if !errors.Is(err, ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			if want := path + " changed while editing; nothing written: run the command again"; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			got := "<missing>"
			if b, err := os.ReadFile(path); err == nil {
				got = string(b)
			}
			if got != tt.want || calls != 1 {
				t.Errorf("file = %q (hook called %d times), want %q", got, calls, tt.want)
			}
			noLeftovers(t, dir)
		})
	}
}

// TestReplaceFileUnchangedTouch: a change that leaves the bytes and the
// file as they were (a touch) loses nothing, and the edit goes through.
func TestReplaceFileUnchangedTouch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "old", 0o644)
	withHook(t, func(p string) { writeFile(t, p, "old", 0o644) })
	if err := ReplaceFile(path, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "new" {
		t.Errorf("file = %q", got)
	}
}

// TestReplaceFileConcurrent: five writers read the same file, all reach the
// write together (the hook is a barrier), and exactly one of them wins;
// the others report the change and write nothing.
func TestReplaceFileConcurrent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "base\n", 0o644)
	const n = 5
	var ready sync.WaitGroup
	ready.Add(n)
	withHook(t, func(string) {
		ready.Done()
		ready.Wait()
	})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orig, err := os.ReadFile(path)
			if err != nil {
				errs[i] = err
				ready.Done()
				return
			}
			errs[i] = ReplaceFile(path, orig, append(orig, []byte(string(rune('a'+i))+"\n")...))
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if won >= 0 {
				t.Errorf("writers %d and %d both succeeded", won, i)
			}
			won = i
		case !errors.Is(err, ErrChanged):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no writer succeeded")
	}
	if got, want := readFile(t, path), "base\n"+string(rune('a'+won))+"\n"; got != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	noLeftovers(t, dir)
}

// TestReplaceFileRace: writers that read and write whenever they like
// (no barrier) never lose an edit they report as done: every successful
// writer's line is in the file, and no failed writer's line is.
func TestReplaceFileRace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "", 0o644)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			orig, err := os.ReadFile(path)
			if err != nil {
				errs[i] = err
				return
			}
			errs[i] = ReplaceFile(path, orig, append(orig, []byte(string(rune('a'+i))+"\n")...))
		}()
	}
	wg.Wait()
	got := readFile(t, path)
	for i, err := range errs {
		line := string(rune('a'+i)) + "\n"
		switch {
		case err == nil && !strings.Contains(got, line):
			t.Errorf("writer %d succeeded but its line is lost: %q", i, got)
		case err != nil && !errors.Is(err, ErrChanged):
			t.Errorf("writer %d: %v", i, err)
		case err != nil && strings.Contains(got, line):
			t.Errorf("writer %d failed but its line is in the file: %q", i, got)
		}
	}
}

func TestCreateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	if err := CreateFile(path, []byte("one"), false); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); got != "one" {
		t.Errorf("content %q", got)
	}
	// Never over an existing file without overwrite.
	err := CreateFile(path, []byte("two"), false)
	if !errors.Is(err, ErrExist) {
		t.Errorf("existing file: err = %v, want ErrExist", err)
	}
	if got := readFile(t, path); got != "one" {
		t.Errorf("existing file overwritten: %q", got)
	}
	// With overwrite it is replaced, keeping its mode.
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CreateFile(path, []byte("three"), true); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	if got := readFile(t, path); got != "three" || fi.Mode().Perm() != 0o600 {
		t.Errorf("overwrite: %q mode %v, want \"three\" 0600", got, fi.Mode().Perm())
	}
	// A file created by someone else between the check and the write is
	// not overwritten.
	late := filepath.Join(dir, "late.json")
	withHook(t, func(p string) { writeFile(t, p, "theirs", 0o644) })
	if err := CreateFile(late, []byte("mine"), false); !errors.Is(err, ErrExist) {
		t.Errorf("late file: err = %v, want ErrExist", err)
	}
	if got := readFile(t, late); got != "theirs" {
		t.Errorf("late file = %q, want theirs", got)
	}
	noLeftovers(t, dir)
}

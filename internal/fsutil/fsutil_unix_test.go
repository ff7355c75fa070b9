//go:build unix

package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReplaceFileKeepsSpecialBits(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{
		0o755 | fs.ModeSetuid,
		0o750 | fs.ModeSetgid,
		0o644 | fs.ModeSticky,
		0o6755&0o777 | fs.ModeSetuid | fs.ModeSetgid,
	} {
		path := filepath.Join(dir, "m.json")
		writeFile(t, path, "old", 0o644)
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		before, _ := os.Stat(path)
		if before.Mode() != mode {
			t.Logf("the system gave %v for %v (unprivileged?): checking that it is kept", before.Mode(), mode)
		}
		if err := ReplaceFile(path, []byte("old"), []byte("new")); err != nil {
			t.Fatal(err)
		}
		after, _ := os.Stat(path)
		if after.Mode() != before.Mode() {
			t.Errorf("mode %v became %v", before.Mode(), after.Mode())
		}
	}
}

func TestReplaceFileKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("giving a file another owner needs root")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "old", 0o664)
	const uid, gid = 12345, 23456
	if err := os.Chown(path, uid, gid); err != nil {
		t.Skipf("cannot chown here: %v", err)
	}
	if err := ReplaceFile(path, []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != uid || st.Gid != gid || readFile(t, path) != "new" {
		t.Errorf("owner %d:%d content %q, want %d:%d \"new\"", st.Uid, st.Gid, readFile(t, path), uid, gid)
	}
}

// TestReplaceFileHardLinks: a file with two names is written in place, so
// both names see the new content and keep one inode.
func TestReplaceFileHardLinks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	other := filepath.Join(dir, "other.json")
	writeFile(t, path, "a longer old content", 0o640)
	if err := os.Link(path, other); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := ReplaceFile(path, []byte("a longer old content"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(path)
	b, _ := os.Stat(other)
	if !os.SameFile(a, b) {
		t.Error("the hard link was broken")
	}
	if got := readFile(t, other); got != "new" {
		t.Errorf("other name reads %q, want new", got)
	}
	if a.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", a.Mode())
	}
	// The check for changes holds in place too.
	withHook(t, func(p string) { os.WriteFile(other, []byte("theirs"), 0) })
	if err := ReplaceFile(path, []byte("new"), []byte("mine")); !errors.Is(err, ErrChanged) {
		t.Errorf("err = %v, want ErrChanged", err)
	}
	if got := readFile(t, path); got != "theirs" {
		t.Errorf("file = %q, want theirs", got)
	}
	noLeftovers(t, dir)
}

func TestReplaceFileNotWritable(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root may write any file: the refusal cannot be seen")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.json")
	writeFile(t, path, "old", 0o444)
	err := ReplaceFile(path, []byte("old"), []byte("new"))
	if !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("err = %v, want a permission error", err)
	}
	if !strings.HasPrefix(err.Error(), "write "+path+": ") || strings.Count(err.Error(), path) != 1 {
		t.Errorf("message %q should name the path once", err)
	}
	if got := readFile(t, path); got != "old" {
		t.Errorf("file = %q", got)
	}
	noLeftovers(t, dir)
}

func TestCreateFileUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	if err := CreateFile(path, []byte("x"), false); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 (0666 &^ 027)", fi.Mode().Perm())
	}
}

func TestCreateFileSymlinks(t *testing.T) {
	dir := t.TempDir()
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink("nowhere.json", dangling); err != nil {
		t.Fatal(err)
	}
	for _, overwrite := range []bool{false, true} {
		err := CreateFile(dangling, []byte("x"), overwrite)
		if err == nil {
			t.Fatalf("overwrite=%v: writing through a dangling link succeeded", overwrite)
		}
		if !overwrite && !errors.Is(err, ErrExist) {
			t.Errorf("err = %v, want ErrExist", err)
		}
		if fi, _ := os.Lstat(dangling); fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the link was replaced")
		}
		if _, err := os.Stat(filepath.Join(dir, "nowhere.json")); err == nil {
			t.Fatal("the link's target was created")
		}
	}
	if err := CreateFile(dangling, []byte("x"), true); !strings.Contains(err.Error(), "dangling symbolic link") {
		t.Errorf("message %q", err)
	}
	// A link to an existing file is followed with overwrite.
	target := filepath.Join(dir, "target.json")
	writeFile(t, target, "old", 0o600)
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("target.json", link); err != nil {
		t.Fatal(err)
	}
	if err := CreateFile(link, []byte("new"), true); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, target); got != "new" {
		t.Errorf("target = %q", got)
	}
	noLeftovers(t, dir)
}

//go:build unix

package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
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

// runAsNobody runs the helper test of this package as user nobody on
// path (in a folder everyone may write), with want "ok" or "denied". It
// skips when the test is not root or cannot run a program as nobody.
func runAsNobody(t *testing.T, setup func(path string), want string) string {
	t.Helper()
	if os.Getuid() != 0 {
		t.Skip("needs root to set the scene for another user")
	}
	dir, err := os.MkdirTemp("", "fsutil-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.json")
	self, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Skip(err)
	}
	bin := filepath.Join(dir, "fsutil.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	setup(path)
	cmd := exec.Command(bin, "-test.run=^TestHelperReplaceAsNobody$", "-test.v")
	cmd.Env = append(os.Environ(), "FSUTIL_HELPER_PATH="+path, "FSUTIL_HELPER_WANT="+want)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Skipf("cannot run as nobody: %v", err)
		}
		t.Fatalf("the edit as nobody failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestHelperReplaceAsNobody") {
		t.Fatalf("the helper did not run:\n%s", out)
	}
	os.Remove(bin)
	noLeftovers(t, dir)
	return path
}

// TestHelperReplaceAsNobody is the edit runAsNobody runs.
func TestHelperReplaceAsNobody(t *testing.T) {
	path := os.Getenv("FSUTIL_HELPER_PATH")
	if path == "" {
		t.Skip("run by runAsNobody")
	}
	err := ReplaceFile(path, []byte("old"), []byte("new"))
	switch want := os.Getenv("FSUTIL_HELPER_WANT"); {
	case want == "ok" && err != nil:
		t.Fatal(err)
	case want == "denied" && !errors.Is(err, fs.ErrPermission):
		t.Fatalf("err = %v, want a permission error", err)
	case want == "denied" && err.Error() != "write "+path+": permission denied (mode -rw-r--r--); nothing written" &&
		err.Error() != "write "+path+": permission denied (mode -r--r--r--); nothing written":
		t.Fatalf("message %q", err)
	}
}

// TestReplaceFileOtherOwnerInPlace: a user who may write a file owned by
// someone else (group or world writable) cannot give a new file that
// owner, so the file is written in place and keeps its owner.
func TestReplaceFileOtherOwnerInPlace(t *testing.T) {
	var before fs.FileInfo
	path := runAsNobody(t, func(path string) {
		writeFile(t, path, "old", 0o666)
		before, _ = os.Stat(path)
	}, "ok")
	after, _ := os.Stat(path)
	st := after.Sys().(*syscall.Stat_t)
	if got := readFile(t, path); got != "new" || st.Uid != 0 || st.Gid != 0 || !os.SameFile(before, after) || after.Mode() != before.Mode() {
		t.Errorf("content %q owner %d:%d same file %v mode %v; want \"new\", 0:0, the same file, %v",
			got, st.Uid, st.Gid, os.SameFile(before, after), after.Mode(), before.Mode())
	}
}

// TestReplaceFileNotWritableByOther: as root, the refusal is checked by
// editing as nobody a file nobody may not write: root's 0644 file and
// nobody's own 0444 file.
func TestReplaceFileNotWritableByOther(t *testing.T) {
	for _, tt := range []struct {
		name  string
		mode  fs.FileMode
		owner int
	}{{"root's 0644", 0o644, 0}, {"own 0444", 0o444, 65534}} {
		t.Run(tt.name, func(t *testing.T) {
			path := runAsNobody(t, func(path string) {
				writeFile(t, path, "old", tt.mode)
				if err := os.Chown(path, tt.owner, tt.owner); err != nil {
					t.Fatal(err)
				}
			}, "denied")
			if got := readFile(t, path); got != "old" {
				t.Errorf("file = %q", got)
			}
		})
	}
}

// TestReplaceFileReadOnlyFolderInPlace: a file the caller may write in a
// folder it may not write is written in place (no temporary file can be
// made there), as gofmt -w would.
func TestReplaceFileReadOnlyFolderInPlace(t *testing.T) {
	var before fs.FileInfo
	path := runAsNobody(t, func(path string) {
		writeFile(t, path, "old", 0o666)
		before, _ = os.Stat(path)
		if err := os.Chmod(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
	}, "ok")
	after, _ := os.Stat(path)
	if got := readFile(t, path); got != "new" || !os.SameFile(before, after) {
		t.Errorf("content %q, same file %v; want \"new\" written in place", got, os.SameFile(before, after))
	}
}

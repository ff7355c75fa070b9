//go:build unix

package procore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSaveLoginIgnoresUmask: even with a umask of 0 the file (and the
// temporary file before it) is 0600, and a new directory 0700.
func TestSaveLoginIgnoresUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "cfg")
	path := filepath.Join(dir, "sandbox.json")
	if err := SaveLogin(path, &StoredLogin{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode = %04o, want 0700", fi.Mode().Perm())
	}
}

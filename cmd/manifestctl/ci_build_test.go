package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// buildManifestctl builds the command into a temporary folder and returns
// the folder, for tests that run the real binary from another program
// (git hooks, shells). It skips the test when the go tool is missing.
func buildManifestctl(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build manifestctl")
	}
	dir := t.TempDir()
	out, err := exec.Command(goTool, "build", "-o", filepath.Join(dir, "manifestctl"), ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

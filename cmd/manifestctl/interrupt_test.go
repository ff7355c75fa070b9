package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestInterrupted: validate and fmt decide that Ctrl-C (a cancelled
// context) is exit 2 "interrupted", and fmt writes nothing after it.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "manifest.json")
	unformatted := append([]byte("   "), src...)
	if err := os.WriteFile(file, unformatted, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"validate", file},
		{"fmt", "-w", file},
		{"fmt", "-l", dir},
	} {
		var stdout, stderr bytes.Buffer
		e := (&env{Stdout: &stdout, Stderr: &stderr}).fill()
		code := runEnv(ctx, e, append([]string{"manifestctl"}, args...))
		if code != exitUsage || stderr.String() != "manifestctl: interrupted\n" {
			t.Errorf("%v cancelled: exit %d, stderr %q; want 2 and \"manifestctl: interrupted\"", args, code, stderr.String())
		}
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, unformatted) {
		t.Errorf("fmt -w after Ctrl-C wrote the file")
	}
}

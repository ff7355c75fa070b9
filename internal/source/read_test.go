//go:build unix

package source

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.json", `{"a": 1}`)
	big := write("big.json", strings.Repeat("x", 100))
	exact := write("exact.json", strings.Repeat("x", 10))
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		spec    string
		opts    Options
		want    string
		wantErr error  // errors.Is
		msg     string // part of the message
	}{
		{name: "file", spec: small, want: `{"a": 1}`},
		{name: "stdin", spec: "-", opts: Options{Stdin: strings.NewReader("in")}, want: "in"},
		{name: "no stdin", spec: "-", wantErr: ErrNoStdin, msg: "read -: no standard input"},
		{name: "missing", spec: filepath.Join(dir, "nope.json"), wantErr: os.ErrNotExist, msg: "no such file or directory"},
		{name: "folder", spec: dir, wantErr: ErrIsDir, msg: "is a directory"},
		{name: "fifo", spec: fifo, wantErr: ErrNotRegular, msg: "named pipe (FIFO), not a regular file"},
		{name: "device", spec: "/dev/zero", wantErr: ErrNotRegular, msg: "character device"},
		{name: "too large", spec: big, opts: Options{Limit: 10}, want: strings.Repeat("x", 11), wantErr: ErrTooLarge, msg: "larger than the 10-byte size limit"},
		{name: "at the limit", spec: exact, opts: Options{Limit: 10}, want: strings.Repeat("x", 10)},
		{name: "stdin too large", spec: "-", opts: Options{Limit: 3, Stdin: strings.NewReader("abcdef")}, want: "abcd", wantErr: ErrTooLarge},
		{name: "git prefix without Git is a path", spec: "git:HEAD:x.json", wantErr: os.ErrNotExist},
		{name: "bad git spec", spec: "git:HEAD", opts: Options{Git: true}, msg: "want git:REF:PATH"},
		{name: "git ref with dash", spec: "git:-x:a.json", opts: Options{Git: true}, msg: "must not start with '-'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(context.Background(), tt.spec, tt.opts)
			if string(got) != tt.want {
				t.Errorf("Read = %q, want %q", got, tt.want)
			}
			if tt.wantErr == nil && tt.msg == "" {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) || se.Path != tt.spec {
				t.Fatalf("Read error = %#v, want an *Error for %s", err, tt.spec)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Read error = %v, want %v", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "read "+tt.spec+": ") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Read error = %q, want \"read %s: ...%s...\"", err, tt.spec, tt.msg)
			}
		})
	}
}

func TestReadFileNeverReadsStdin(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("-", []byte("dash"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile("-", 0)
	if err != nil || string(b) != "dash" {
		t.Errorf("ReadFile(-) = %q, %v; want the file named -", b, err)
	}
	if err := os.WriteFile("big", make([]byte, 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile("big", 1024); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 KiB") {
		t.Errorf("ReadFile over the limit = %v, want ErrTooLarge naming 1 KiB", err)
	}
}

func TestReadReusesBuffer(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(p, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 64)
	got, err := Read(context.Background(), p, Options{Buf: buf})
	if err != nil || string(got) != "12345" {
		t.Fatalf("Read = %q, %v", got, err)
	}
	if &got[:1][0] != &buf[:1][0] {
		t.Error("Read did not read into the given buffer")
	}
}

func TestReadGit(t *testing.T) {
	if _, err := os.Stat("/usr/bin/git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.WriteFile("m.json", []byte(strings.Repeat("y", 50)), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", "m.json")
	run("-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "-m", "m")
	got, err := Read(context.Background(), "git:HEAD:m.json", Options{Git: true})
	if err != nil || len(got) != 50 {
		t.Fatalf("Read(git:HEAD:m.json) = %d bytes, %v", len(got), err)
	}
	got, err = Read(context.Background(), "git:HEAD:m.json", Options{Git: true, Limit: 20})
	if !errors.Is(err, ErrTooLarge) || len(got) != 21 {
		t.Errorf("Read over the limit = %d bytes, %v; want 21 bytes and ErrTooLarge", len(got), err)
	}
	if _, err := Read(context.Background(), "git:HEAD:nope.json", Options{Git: true}); err == nil || !strings.Contains(err.Error(), "git show HEAD:nope.json") {
		t.Errorf("Read of a missing git path = %v", err)
	}
}

func TestReadGitRefs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	if err := os.MkdirAll(filepath.Join(dir, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "app", "manifest.json"), []byte(`{"v":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	git("commit", "-q", "-m", "one")
	git("tag", "v1")
	if err := os.WriteFile(filepath.Join(dir, "app", "manifest.json"), []byte(`{"v":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-q", "-am", "two")
	t.Chdir(dir)
	ctx := context.Background()
	for spec, want := range map[string]string{
		"git:v1:app/manifest.json":     `{"v":1}`,
		"git:HEAD:app/manifest.json":   `{"v":2}`,
		"git:HEAD~1:app/manifest.json": `{"v":1}`,
		"app/manifest.json":            `{"v":2}`,
	} {
		got, err := Read(ctx, spec, Options{Git: true})
		if err != nil || string(got) != want {
			t.Errorf("Read(%s) = %q, %v, want %q", spec, got, err, want)
		}
	}
	for _, spec := range []string{"git:nope:app/manifest.json", "git:v1:missing.json", "git:v1", "git:-x:a", "missing.json", "app"} {
		_, err := Read(ctx, spec, Options{Git: true})
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("Read(%s) error = %v, want a *Error", spec, err)
		}
	}
	got, err := Read(ctx, "-", Options{Stdin: strings.NewReader("{}")})
	if err != nil || string(got) != "{}" {
		t.Errorf("Read(-) = %q, %v", got, err)
	}
}

// TestReadReplacedByFIFO: a file replaced by a named pipe between the Stat
// and the Open is refused, without blocking (the open does not wait for a
// writer).
func TestReadReplacedByFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	testHookBeforeOpen = func(path string) {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func() { testHookBeforeOpen = nil }()
	_, err := Read(context.Background(), p, Options{})
	if !errors.Is(err, ErrNotRegular) {
		t.Errorf("Read of a file replaced by a FIFO = %v, want ErrNotRegular", err)
	}
}

package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// GitPrefix starts a manifest reference read from git: git:REF:PATH.
const GitPrefix = "git:"

// SourceError is a manifest that could not be read: a missing file, a bad
// git reference. It is an input problem, not a finding.
type SourceError struct {
	Spec string
	Err  error
}

func (e *SourceError) Error() string { return "read " + e.Spec + ": " + e.Err.Error() }
func (e *SourceError) Unwrap() error { return e.Err }

// ParseGitSpec splits git:REF:PATH into REF and PATH. ok is false when
// spec does not start with "git:". A ref cannot contain ':' (git forbids
// it), so the first colon after the prefix ends it.
func ParseGitSpec(spec string) (ref, path string, ok bool, err error) {
	rest, found := strings.CutPrefix(spec, GitPrefix)
	if !found {
		return "", "", false, nil
	}
	ref, path, found = strings.Cut(rest, ":")
	switch {
	case !found || ref == "" || path == "":
		return "", "", true, fmt.Errorf("want git:REF:PATH, such as git:main:manifest.json")
	case strings.HasPrefix(ref, "-"):
		return "", "", true, fmt.Errorf("git ref %q must not start with '-'", ref)
	}
	return ref, path, true, nil
}

// Read returns the bytes of a manifest named as on the command line: a
// file path, "-" for stdin, or git:REF:PATH, read with `git show REF:PATH`
// in the current directory (PATH is relative to the repository root, or
// to the current directory when it starts with "./", as git reads it).
// A file whose name starts with "git:" can be named "./git:...". Reads
// stop past the parser's size limit, which then reports the file as too
// large. Failures are *SourceError.
func Read(ctx context.Context, spec string, stdin io.Reader) ([]byte, error) {
	limit := int64(manifest.DefaultMaxSize) + 1
	if spec == "-" {
		if stdin == nil {
			return nil, &SourceError{Spec: spec, Err: errors.New("no standard input")}
		}
		b, err := io.ReadAll(io.LimitReader(stdin, limit))
		if err != nil {
			return nil, &SourceError{Spec: "standard input", Err: err}
		}
		return b, nil
	}
	ref, path, isGit, err := ParseGitSpec(spec)
	if err != nil {
		return nil, &SourceError{Spec: spec, Err: err}
	}
	if isGit {
		return gitShow(ctx, spec, ref, path)
	}
	f, err := os.Open(spec)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &SourceError{Spec: spec, Err: err}
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, &SourceError{Spec: spec, Err: errors.New("is a directory, not a manifest file")}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, &SourceError{Spec: spec, Err: err}
	}
	return b, nil
}

func gitShow(ctx context.Context, spec, ref, path string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", "show", "--no-textconv", ref+":"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		msg = strings.TrimPrefix(msg, "fatal: ")
		if msg == "" {
			msg = err.Error()
		}
		if errors.Is(err, exec.ErrNotFound) {
			msg = "git is not installed or not on PATH"
		}
		if ctx.Err() != nil {
			return nil, &SourceError{Spec: spec, Err: ctx.Err()}
		}
		return nil, &SourceError{Spec: spec, Err: fmt.Errorf("git show %s:%s: %s", ref, path, msg)}
	}
	if int64(stdout.Len()) > int64(manifest.DefaultMaxSize)+1 {
		return stdout.Bytes()[:manifest.DefaultMaxSize+1], nil
	}
	return stdout.Bytes(), nil
}

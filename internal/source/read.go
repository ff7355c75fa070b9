package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"

	"github.com/manifestctl/manifestctl/internal/fsutil"
)

// DefaultLimit is the size cap of every input unless a caller gives its
// own: 10 MiB, the parser's default limit for a manifest.
const DefaultLimit = 10 << 20

// GitPrefix starts an input read from git: git:REF:PATH.
const GitPrefix = "git:"

// Sentinel causes of an *Error, for errors.Is.
var (
	// ErrTooLarge: the input is larger than the limit. Read still returns
	// the first Limit+1 bytes with it, so that a parser can report the
	// size as a finding about the file.
	ErrTooLarge = errors.New("larger than the size limit")
	// ErrNotRegular: a named pipe, a device, a socket: reading one could
	// block forever or never end, so it is refused.
	ErrNotRegular = errors.New("not a regular file")
	// ErrIsDir: a folder where a file was expected.
	ErrIsDir = errors.New("is a directory, not a file")
	// ErrNoStdin: "-" was given but there is no standard input to read.
	ErrNoStdin = errors.New("no standard input")
)

// Error is an input that could not be read: a missing file, a folder, a
// FIFO, a bad git reference, a file over the size limit. It is a problem
// with the input, not a finding about a manifest. Its message is always
// "read PATH: reason".
type Error struct {
	// Path is the input as given: a path, "-", or git:REF:PATH.
	Path string
	Err  error
}

func (e *Error) Error() string { return "read " + e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// limitError is ErrTooLarge with the limit in its message.
type limitError struct{ limit int64 }

func (e *limitError) Error() string {
	return fmt.Sprintf("larger than the %s size limit", formatSize(e.limit))
}
func (e *limitError) Is(target error) bool { return target == ErrTooLarge }

// notRegularError is ErrNotRegular with the kind of file in its message.
type notRegularError struct{ mode fs.FileMode }

func (e *notRegularError) Error() string {
	kind := "not a regular file"
	switch {
	case e.mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case e.mode&fs.ModeCharDevice != 0:
		kind = "a character device"
	case e.mode&fs.ModeDevice != 0:
		kind = "a device"
	case e.mode&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return "is " + kind + ", not a regular file: give a file, or - to read standard input"
}
func (e *notRegularError) Is(target error) bool { return target == ErrNotRegular }

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

// Options tune Read. The zero value reads a path or "-" (with no
// standard input) up to DefaultLimit.
type Options struct {
	// Stdin is read for "-". Nil makes "-" an error.
	Stdin io.Reader
	// Limit is the size cap in bytes; 0 means DefaultLimit.
	Limit int64
	// Git accepts git:REF:PATH, read with `git show` in the current
	// directory. Without it such a name is an ordinary path.
	Git bool
	// Literal reads "-" as a file named "-", not standard input.
	Literal bool
	// Buf, when large enough, is read into (a caller recycling buffers).
	Buf []byte
}

// Read returns the bytes of one input: a file path, "-" for standard
// input, or (with Options.Git) git:REF:PATH. Anything that is not a
// regular file (a folder, a FIFO, a device) is refused before it is
// opened for reading, so that nothing blocks. It never reads more than
// Limit+1 bytes: for a larger input it returns those bytes and an error
// that is ErrTooLarge. Every error is an *Error.
func Read(ctx context.Context, spec string, opts Options) ([]byte, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var (
		b   []byte
		err error
	)
	switch {
	case spec == "-" && !opts.Literal:
		if opts.Stdin == nil {
			return nil, &Error{Path: spec, Err: ErrNoStdin}
		}
		b, err = readLimited(opts.Stdin, limit, opts.Buf)
	case opts.Git && strings.HasPrefix(spec, GitPrefix):
		ref, path, _, perr := ParseGitSpec(spec)
		if perr != nil {
			return nil, &Error{Path: spec, Err: perr}
		}
		b, err = gitShow(ctx, ref, path, limit)
	default:
		b, err = readFile(spec, limit, opts.Buf)
	}
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return b, &Error{Path: spec, Err: err}
		}
		return nil, &Error{Path: spec, Err: err}
	}
	return b, nil
}

// ReadFile reads the file at path (never standard input, never git) whole,
// refusing what is not a regular file or is larger than limit bytes (0:
// DefaultLimit): configuration files and tool catalogues.
func ReadFile(path string, limit int64) ([]byte, error) {
	b, err := Read(context.Background(), path, Options{Limit: limit, Literal: true})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// readLimited reads r to its end into buf (grown as needed), stopping at
// limit+1 bytes: then it returns them with a *limitError.
func readLimited(r io.Reader, limit int64, buf []byte) ([]byte, error) {
	b, most := buf[:0], limit+1
	for int64(len(b)) < most {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
		end := int64(cap(b))
		if end > most {
			end = most
		}
		n, err := r.Read(b[len(b):end])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return b, &limitError{limit: limit}
}

type limitedBuffer struct {
	b   []byte
	max int64
}

func (w *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := w.max - int64(len(w.b)); int64(len(p)) > room {
		p = p[:max(room, 0)]
	}
	w.b = append(w.b, p...)
	if len(p) < n {
		return len(p), errOverflow
	}
	return n, nil
}

var errOverflow = errors.New("overflow")

func readFile(path string, limit int64, buf []byte) ([]byte, error) {
	// Stat before opening: opening a FIFO for reading blocks until a
	// writer comes.
	info, err := os.Stat(path)
	if err != nil {
		return nil, fsutil.PathReason(err)
	}
	if err := checkRegular(info); err != nil {
		return nil, err
	}
	if testHookBeforeOpen != nil {
		testHookBeforeOpen(path)
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, fsutil.PathReason(err)
	}
	defer f.Close()
	// The file may have been replaced between the Stat and the Open.
	if info, err = f.Stat(); err != nil {
		return nil, fsutil.PathReason(err)
	}
	if err := checkRegular(info); err != nil {
		return nil, err
	}
	// Room for one more byte than the file has shows the end of the file
	// (or that it grew since the Stat) without growing the buffer.
	want := min(info.Size(), limit) + 1
	if int64(cap(buf)) < want {
		buf = make([]byte, 0, want)
	}
	return readLimited(f, limit, buf)
}

// testHookBeforeOpen, when set by a test, runs between the Stat and the
// Open of a file: the test replaces the file there.
var testHookBeforeOpen func(path string)

func checkRegular(info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return ErrIsDir
	case !info.Mode().IsRegular():
		return &notRegularError{mode: info.Mode()}
	}
	return nil
}

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

// gitShow reads REF:PATH with `git show` in the current directory (PATH
// is relative to the repository root, or to the current directory when it
// starts with "./", as git reads it). It stops git past the limit.
func gitShow(ctx context.Context, ref, path string, limit int64) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", "show", "--no-textconv", ref+":"+path)
	stdout := &limitedBuffer{max: limit + 1}
	var stderr limitedBuffer
	stderr.max = 64 << 10
	cmd.Stdout = stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if int64(len(stdout.b)) > limit {
		return stdout.b, &limitError{limit: limit}
	}
	if err != nil {
		msg := strings.TrimSpace(string(stderr.b))
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
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("git show %s:%s: %s", ref, path, msg)
	}
	return stdout.b, nil
}

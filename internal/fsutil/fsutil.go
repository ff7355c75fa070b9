// Package fsutil holds file-system helpers for manifestctl's commands:
// atomic writes that keep a file's identity (owner, group, mode, hard
// links) and never overwrite a change made by someone else since the file
// was read.
package fsutil

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
)

// ErrChanged is matched (errors.Is) by a *ChangedError.
var ErrChanged = errors.New("changed while editing")

// ErrExist is matched (errors.Is) by the error of CreateFile when the file
// already exists and overwriting was not asked for.
var ErrExist = fs.ErrExist

// ChangedError reports that a file no longer holds what the caller read:
// another program wrote it (or replaced it) in between. Nothing was
// written.
type ChangedError struct {
	Path string
}

func (e *ChangedError) Error() string {
	// The next step is always the same: the command reads the file again
	// and redoes its edit on what the other program wrote.
	return e.Path + " changed while editing; nothing written: run the command again"
}

// Is makes errors.Is(err, ErrChanged) true.
func (e *ChangedError) Is(target error) bool { return target == ErrChanged }

// WriteError is any other failure to write Path. Its message names the
// path once: "write PATH: reason".
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string { return "write " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *WriteError) Unwrap() error { return e.Err }

func writeErr(path string, err error) error {
	var we *WriteError
	var ce *ChangedError
	if errors.As(err, &we) || errors.As(err, &ce) {
		return err
	}
	// The message names path once: drop the name of the file the system
	// call was about (path itself, or the temporary file next to it).
	switch e := err.(type) {
	case *fs.PathError:
		err = e.Err
	case *os.LinkError:
		err = e.Err
	}
	return &WriteError{Path: path, Err: err}
}

// beforeCommit, when set, is called right before a write is checked and
// committed (see SetBeforeCommitHook).
var beforeCommit atomic.Pointer[func(path string)]

// SetBeforeCommitHook installs h, called with the path given to
// ReplaceFile, CreateFile or WriteFileAtomic after the new content is
// ready, right before the file is locked, checked for changes and
// replaced. It
// lets tests change the file between a command's read and its write
// without timing. It returns a function that restores the previous hook.
// Not for production use.
func SetBeforeCommitHook(h func(path string)) (restore func()) {
	var p *func(string)
	if h != nil {
		p = &h
	}
	old := beforeCommit.Swap(p)
	return func() { beforeCommit.Store(old) }
}

// ReplaceFile replaces the contents of the existing file path with data.
// original is what the caller read from path and edited: when path no
// longer holds exactly that (another program wrote it, or put another
// file in its place), nothing is written and the error is a
// *ChangedError. The check and the replacement happen under an advisory
// lock on the file (flock, where the system has it), so that concurrent
// manifestctl edits of one file are serialised and each later one sees
// the earlier one's change.
//
// The file is replaced atomically (a temporary file in the same
// directory, synced, then renamed over path) with its owner, group and
// full mode (setuid, setgid and sticky bits included). When a rename
// would change the file's identity — it has more than one hard link, or
// its owner or group cannot be given to a new file — or is impossible (the
// caller may write the file but not its folder), the content is written
// in place instead, after the same check. A file the caller may
// not write is refused, as gofmt -w refuses it. A symbolic link is
// followed: its target is written and the link kept.
func ReplaceFile(path string, original, data []byte) error {
	if original == nil {
		original = []byte{}
	}
	return write(path, data, writeOpts{original: original, mustExist: true})
}

// CreateFile writes data to the new file path, created with mode 0666
// minus the umask, as other tools create files. When path exists (a
// symbolic link counts, even a dangling one) it fails with an error
// matching ErrExist, unless overwrite is true: then an existing file is
// replaced like ReplaceFile does, without the check for changes. A
// dangling symbolic link is refused even with overwrite, as cp refuses to
// write through one.
func CreateFile(path string, data []byte, overwrite bool) error {
	return write(path, data, writeOpts{exclusive: !overwrite, umask: true})
}

// WriteFileAtomic replaces the contents of path with data atomically (see
// ReplaceFile), keeping owner, group and mode, without checking what the
// file held; a new file gets exactly perm. It is for files manifestctl
// owns (stored logins), not for a user's manifests: those use
// ReplaceFile.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, writeOpts{perm: perm})
}

type writeOpts struct {
	original  []byte // non-nil: the file must still hold this
	mustExist bool
	exclusive bool        // a new file only
	umask     bool        // new file: 0666 &^ umask
	perm      fs.FileMode // new file: exactly this mode (when !umask)
}

func write(path string, data []byte, o writeOpts) (err error) {
	defer func() {
		if err != nil {
			err = writeErr(path, err)
		}
	}()
	lfi, lerr := os.Lstat(path)
	switch {
	case lerr == nil:
		if o.exclusive {
			return fmt.Errorf("%w: use --force to overwrite it", ErrExist)
		}
	case errors.Is(lerr, fs.ErrNotExist):
		if o.mustExist {
			return PathReason(lerr)
		}
		return createNew(path, path, data, o)
	default:
		return PathReason(lerr)
	}
	target := path
	if lfi.Mode()&fs.ModeSymlink != 0 {
		resolved, rerr := filepath.EvalSymlinks(path)
		switch {
		case errors.Is(rerr, fs.ErrNotExist):
			dest, _ := os.Readlink(path)
			return fmt.Errorf("a dangling symbolic link (to %s): not writing through it", dest)
		case rerr != nil:
			return rerr
		}
		target = resolved
		if _, serr := os.Lstat(target); errors.Is(serr, fs.ErrNotExist) {
			if o.mustExist {
				return PathReason(serr)
			}
			return createNew(path, target, data, o)
		}
	}
	return replaceExisting(path, target, data, o)
}

// errAppeared is createNew's error when target appeared after the check.
var errAppeared = fmt.Errorf("%w (created by another program meanwhile): nothing written", ErrExist)

// createNew writes a file that does not exist yet at target, refusing to
// replace one that appears in the meantime.
func createNew(path, target string, data []byte, o writeOpts) error {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	perm := o.perm
	if o.umask {
		perm = 0o666 // the kernel applies the umask
	}
	tmp, tmpName, err := createTemp(dir, base, perm)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if !o.umask {
		if err := tmp.Chmod(perm); err != nil {
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if h := beforeCommit.Load(); h != nil {
		(*h)(path)
	}
	// A hard link fails when target exists: no file that appeared since
	// the Lstat above is ever overwritten.
	if err := os.Link(tmpName, target); err == nil {
		committed = true
		os.Remove(tmpName)
		syncDir(dir)
		return nil
	} else if errors.Is(err, fs.ErrExist) {
		return errAppeared
	}
	// The file system has no hard links: check again and rename.
	if _, err := os.Lstat(target); err == nil {
		return errAppeared
	}
	if err := os.Rename(tmpName, target); err != nil {
		return err
	}
	committed = true
	syncDir(dir)
	return nil
}

// createTemp creates a new file next to target with the given mode
// (before the umask), named so that a directory walk skips it.
func createTemp(dir, base string, perm fs.FileMode) (*os.File, string, error) {
	for range 100 {
		var r [6]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, "", err
		}
		name := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("cannot create a temporary file in %s: %w", dir, PathReason(err))
		}
		return f, name, nil
	}
	return nil, "", fmt.Errorf("cannot create a temporary file in %s", dir)
}

// unwrapPath drops the path of an *fs.PathError (the message names the
// path once).
// PathReason returns the reason inside a *fs.PathError (the error without
// the operation and path it names), or err itself.
func PathReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// replaceExisting replaces the existing regular file target (path names
// it, perhaps through a link).
func replaceExisting(path, target string, data []byte, o writeOpts) error {
	f, err := os.Open(target)
	if err != nil {
		return PathReason(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	if err := checkWritable(target, fi); err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	id := identityOf(fi)
	inPlace := id.links > 1
	tmp, tmpName, err := createTemp(dir, base, 0o600)
	switch {
	case errors.Is(err, fs.ErrPermission):
		// The caller may write the file but not its folder: no file can
		// be renamed there, so the file is written in place (gofmt -w
		// writes every file so).
		inPlace, tmpName = true, ""
	case err != nil:
		return err
	}
	keepTmp := tmp == nil
	defer func() {
		if !keepTmp {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if tmp != nil {
		if err := prepareTemp(tmp, data, fi, id, &inPlace); err != nil {
			return err
		}
	}

	if h := beforeCommit.Load(); h != nil {
		(*h)(path)
	}
	if err := lock(f); err != nil {
		return err
	}
	defer unlock(f)
	// The check: the same file is still at target and holds what the
	// caller read.
	current, err := readAll(f)
	if err != nil {
		return err
	}
	if o.original != nil {
		now, err := os.Stat(target)
		if err != nil || !os.SameFile(fi, now) || !bytes.Equal(current, o.original) {
			return &ChangedError{Path: path}
		}
	}
	if !inPlace {
		if closeBeforeRename {
			f.Close() // the system cannot rename over an open file
		}
		if err := os.Rename(tmpName, target); err != nil {
			return err
		}
		keepTmp = true // renamed: nothing to remove
		syncDir(dir)
		return nil
	}
	return writeInPlace(target, data, current, tmpName, &keepTmp)
}

// prepareTemp writes data to tmp, gives it the original's owner, group and
// mode, and sets *inPlace when it cannot have the owner or group.
func prepareTemp(tmp *os.File, data []byte, fi fs.FileInfo, id identity, inPlace *bool) error {
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if !*inPlace {
		if !keepOwner(tmp, id) {
			*inPlace = true
		} else if err := tmp.Chmod(fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
			return err
		}
	}
	return tmp.Close()
}

// writeInPlace overwrites target's content (the file keeps its inode, so
// its hard links, owner and group). When that fails the previous content
// is put back; when even that fails the temporary file, which holds the
// new content, is kept and named in the error (when there is one: a
// folder the caller may not write has none).
func writeInPlace(target string, data, previous []byte, tmpName string, keepTmp *bool) error {
	w, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return PathReason(err)
	}
	defer w.Close()
	werr := overwrite(w, data)
	if werr == nil {
		return nil
	}
	if rerr := overwrite(w, previous); rerr != nil {
		if tmpName == "" {
			return fmt.Errorf("%v; restoring the previous content failed too: %v", werr, rerr)
		}
		*keepTmp = true
		return fmt.Errorf("%v; restoring the previous content failed too (%v): the new content is in %s", werr, rerr, tmpName)
	}
	return fmt.Errorf("%v: the previous content was restored", werr)
}

func overwrite(w *os.File, data []byte) error {
	if _, err := w.WriteAt(data, 0); err != nil {
		return PathReason(err)
	}
	if err := w.Truncate(int64(len(data))); err != nil {
		return PathReason(err)
	}
	return w.Sync()
}

func readAll(f *os.File) ([]byte, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: not every system syncs directories
		d.Close()
	}
}

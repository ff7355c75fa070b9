//go:build unix

package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// lock takes an exclusive advisory lock on f, waiting for another
// manifestctl that holds it. A file system without flock support is not
// locked (the check for changes still runs).
func lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.EINVAL):
			return nil
		}
		return fmt.Errorf("lock: %w", err)
	}
}

// closeBeforeRename: the file must be closed before another is renamed
// over it.
const closeBeforeRename = false

func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// checkWritable refuses a file the caller may not write (access(2) with
// W_OK, as the kernel would decide an open for writing).
func checkWritable(path string, fi fs.FileInfo) error {
	if err := syscall.Access(path, 0x2 /* W_OK */); err != nil {
		return fmt.Errorf("%w (mode %s); nothing written", err, fi.Mode().Perm())
	}
	return nil
}

// identity is what a rename must keep of a file.
type identity struct {
	uid, gid int
	links    uint64
	known    bool
}

func identityOf(fi fs.FileInfo) identity {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return identity{links: 1}
	}
	return identity{uid: int(st.Uid), gid: int(st.Gid), links: uint64(st.Nlink), known: true}
}

// keepOwner gives tmp the owner and group of the original file and
// reports whether it has them now.
func keepOwner(tmp *os.File, id identity) bool {
	if !id.known {
		return true
	}
	fi, err := tmp.Stat()
	if err != nil {
		return false
	}
	now := identityOf(fi)
	if now.uid == id.uid && now.gid == id.gid {
		return true
	}
	return tmp.Chown(id.uid, id.gid) == nil
}

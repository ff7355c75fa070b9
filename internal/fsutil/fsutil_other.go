//go:build !unix

package fsutil

import (
	"io/fs"
	"os"
)

// On systems without flock, access(2) and owners, manifestctl relies on
// the check for changes and on the open for writing failing.

func lock(*os.File) error { return nil }

// closeBeforeRename: the file must be closed before another is renamed
// over it.
const closeBeforeRename = true

func unlock(*os.File) {}

func checkWritable(path string, _ fs.FileInfo) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return PathReason(err)
	}
	return f.Close()
}

type identity struct{ links uint64 }

func identityOf(fs.FileInfo) identity { return identity{links: 1} }

func keepOwner(*os.File, identity) bool { return true }

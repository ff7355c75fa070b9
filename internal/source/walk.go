// Package source reads manifestctl's inputs, the one input layer: Read
// (a path, "-" for standard input, git:REF:PATH; a size cap; folders,
// FIFOs and devices refused before they can block), ReadFile (configuration
// files and tool catalogues), and Walk, the directory walks with the skip
// rules of DESIGN §4 (dot-folders, node_modules, vendor, bower_components,
// what .gitignore files exclude; links to files followed, links to folders
// not; dangling links and loops reported). It knows nothing of manifests:
// manifest.Load and manifest.Expand build on it.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/manifestctl/manifestctl/internal/fsutil"
)

// Entry is one path a walk produced.
type Entry struct {
	// Path is as given on the command line, or the walked root joined
	// with the path below it; "-" is standard input.
	Path string
	// Named is true for a path named on the command line (not found by a
	// walk): it is read whatever its name.
	Named bool
	// Err is why the path could not be read (missing, unreadable, a
	// dangling link, a loop); nil otherwise.
	Err error
}

// SkipDir reports whether a directory walk skips a folder of this name.
func SkipDir(name string) bool {
	if strings.HasPrefix(name, ".") && name != "." && name != ".." {
		return true
	}
	switch name {
	case "node_modules", "vendor", "bower_components":
		return true
	}
	return false
}

// Walk expands command-line paths in order. A path that is a file (or a
// link to one), or "-", is returned as it is, Named, whatever its name. A
// folder (or a link to one) named on the command line is walked
// recursively in lexical order: folders SkipDir names and what the
// .gitignore files of the repository exclude are skipped (the .gitignore
// files of the folder's parents up to the repository root, found by its
// .git, and those met during the walk); links to files are followed,
// links to folders are not; only files whose base name match accepts are
// returned. A path that cannot be read (missing, an unreadable folder, a
// dangling link, a loop of links) gets an Entry with Err set, and the walk
// goes on.
func Walk(paths []string, match func(name string) bool) []Entry {
	var out []Entry
	for _, p := range paths {
		if p == "-" {
			out = append(out, Entry{Path: p, Named: true})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			out = append(out, Entry{Path: p, Named: true, Err: linkErr(p, err)})
			continue
		}
		if !info.IsDir() {
			out = append(out, Entry{Path: p, Named: true})
			continue
		}
		ign, rel := parentIgnores(p)
		out = walkDir(out, p, rel, ign, match)
	}
	return out
}

// maxIgnoreFile bounds a .gitignore file read by a walk.
const maxIgnoreFile = 1 << 20

// parentIgnores returns the .gitignore files of dir's parents up to the
// repository root (the nearest folder holding .git), and dir's path
// relative to that root. Outside a repository it returns nothing, and dir
// is the base of its own walk.
func parentIgnores(dir string) (*Ignore, string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, ""
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root := ""
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if root == "" || root == abs {
		return nil, ""
	}
	relDir, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, ""
	}
	rel := filepath.ToSlash(relDir)
	var ign *Ignore
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		base := strings.Join(parts[:i], "/")
		if b, err := ReadFile(filepath.Join(root, filepath.FromSlash(base), ".gitignore"), maxIgnoreFile); err == nil {
			ign = ign.Add(base, string(b))
		}
	}
	return ign, rel
}

// linkErr explains a Stat error on a symbolic link: dangling, or a loop.
func linkErr(p string, err error) error {
	target, lerr := os.Readlink(p)
	if lerr != nil {
		return fsutil.PathReason(err) // not a link
	}
	if errors.Is(err, syscall.ELOOP) {
		return fmt.Errorf("symbolic link loop (%s -> %s)", p, target)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dangling symbolic link to %s", target)
	}
	return fsutil.PathReason(err)
}

// walkDir appends dir's entries in lexical order (os.ReadDir sorts them,
// also the ones it read before an error).
func walkDir(out []Entry, dir, rel string, ign *Ignore, match func(string) bool) []Entry {
	entries, err := os.ReadDir(dir)
	if err != nil {
		out = append(out, Entry{Path: dir, Err: fsutil.PathReason(err)})
		if len(entries) == 0 {
			return out
		}
	}
	for _, d := range entries {
		if d.Name() == ".gitignore" && d.Type().IsRegular() {
			if b, err := ReadFile(filepath.Join(dir, d.Name()), maxIgnoreFile); err == nil {
				ign = ign.Add(rel, string(b))
			} else {
				out = append(out, Entry{Path: filepath.Join(dir, d.Name()), Err: err})
			}
		}
	}
	for _, d := range entries {
		name := d.Name()
		p := filepath.Join(dir, name)
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		switch {
		case d.IsDir():
			if !SkipDir(name) && !ign.Excluded(r, true) {
				out = walkDir(out, p, r, ign, match)
			}
		case d.Type()&fs.ModeSymlink != 0:
			if !match(name) || ign.Excluded(r, false) {
				continue
			}
			info, err := os.Stat(p)
			switch {
			case err != nil:
				out = append(out, Entry{Path: p, Err: linkErr(p, err)})
			case info.Mode().IsRegular():
				out = append(out, Entry{Path: p})
			}
		case d.Type().IsRegular():
			if match(name) && !ign.Excluded(r, false) {
				out = append(out, Entry{Path: p})
			}
		}
	}
	return out
}

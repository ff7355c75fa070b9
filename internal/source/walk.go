// Package source reads manifestctl's inputs: paths named on the command
// line, "-" for standard input, and directory walks with the skip rules of
// DESIGN §4 (dot-folders, node_modules, vendor, bower_components, what
// .gitignore files exclude; links to files followed, links to folders not).
package source

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
// link to one), or "-", is returned as it is, Named. A folder is walked
// recursively in lexical order: folders SkipDir names are skipped, links
// to files are followed, links to folders are not, and only files whose
// base name match accepts are returned. A path that cannot be read gets
// an Entry with Err set, and the walk goes on.
func Walk(paths []string, match func(name string) bool) []Entry {
	var out []Entry
	for _, p := range paths {
		if p == "-" {
			out = append(out, Entry{Path: p, Named: true})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			out = append(out, Entry{Path: p, Named: true, Err: err})
			continue
		}
		if !info.IsDir() {
			out = append(out, Entry{Path: p, Named: true})
			continue
		}
		out = walkDir(out, p, match)
	}
	return out
}

func walkDir(out []Entry, dir string, match func(string) bool) []Entry {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return append(out, Entry{Path: dir, Err: err})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, d := range entries {
		p := filepath.Join(dir, d.Name())
		switch {
		case d.IsDir():
			if !SkipDir(d.Name()) {
				out = walkDir(out, p, match)
			}
		case d.Type()&fs.ModeSymlink != 0:
			if !match(d.Name()) {
				continue
			}
			info, err := os.Stat(p)
			switch {
			case err != nil:
				out = append(out, Entry{Path: p, Err: err})
			case info.Mode().IsRegular():
				out = append(out, Entry{Path: p})
			}
		case d.Type().IsRegular():
			if match(d.Name()) {
				out = append(out, Entry{Path: p})
			}
		}
	}
	return out
}

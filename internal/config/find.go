package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// Find looks for FileName in dir and its parents, up to and including the
// first folder that contains .git (the repository root) or the filesystem
// root. It returns the absolute path of the file, or "" when there is
// none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find configuration: %w", err)
	}
	for {
		p := filepath.Join(dir, FileName)
		info, err := os.Stat(p)
		switch {
		case err == nil && !info.IsDir():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("find configuration: %s is a folder", p)
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("find configuration: %w", err)
		}
		// .git is a folder in a clone and a file in a worktree or a
		// submodule; either marks the repository root.
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Resolver gives each manifest its configuration: the file named by
// Explicit for every manifest, or the one Find finds from the manifest's
// folder. Each file is parsed once. It is safe for concurrent use.
type Resolver struct {
	// Explicit, when set, is the configuration for every manifest (the
	// --config flag).
	Explicit string
	// Options are used to parse every file.
	Options ParseOptions

	mu     sync.Mutex
	byDir  map[string]*Config // folder of a manifest -> its configuration (nil: none)
	byPath map[string]*Config // absolute path of a configuration file
	order  []*Config
}

// For returns the configuration of the manifest at path ("-" is standard
// input, configured from the working directory), or nil when there is
// none. An unreadable or invalid file is an error (an *Error for
// problems in its content).
func (r *Resolver) For(path string) (*Config, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byDir == nil {
		r.byDir = make(map[string]*Config)
		r.byPath = make(map[string]*Config)
	}
	if r.Explicit != "" {
		return r.load(r.Explicit)
	}
	dir := "."
	if path != "-" && path != "" {
		dir = filepath.Dir(path)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("find configuration: %w", err)
	}
	if c, ok := r.byDir[abs]; ok {
		return c, nil
	}
	found, err := Find(abs)
	if err != nil {
		return nil, err
	}
	var c *Config
	if found != "" {
		c, err = r.load(display(found))
		if err != nil {
			return nil, err
		}
	}
	r.byDir[abs] = c
	return c, nil
}

// load parses a configuration file once; name is how reports show it.
func (r *Resolver) load(name string) (*Config, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, fmt.Errorf("configuration %s: %w", name, err)
	}
	if c, ok := r.byPath[abs]; ok {
		return c, nil
	}
	c, err := Load(name, r.Options)
	if err != nil {
		return nil, err
	}
	r.byPath[abs] = c
	r.order = append(r.order, c)
	return c, nil
}

// Configs returns the configurations loaded so far, in the order they
// were first needed.
func (r *Resolver) Configs() []*Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Config(nil), r.order...)
}

// display returns an absolute path relative to the working directory
// when it lies below it, so that reports show short paths.
func display(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return abs
	}
	return rel
}

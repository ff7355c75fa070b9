package permissions

import (
	"errors"

	"github.com/manifestctl/manifestctl/manifest"
)

// NewBuilder starts a manifest.Builder whose grants are checked against
// the catalogue (nil means Default): levels in any spelling ParseLevel
// reads are written in the manifest spelling, a level the tool does not
// allow or a tool of the other scope is an error, an unknown tool is
// accepted (the catalogue may lag Procore).
func NewBuilder(v manifest.SchemaVersion, cat *Catalog) (*manifest.Builder, error) {
	if cat == nil {
		var err error
		if cat, err = Default(); err != nil {
			return nil, err
		}
	}
	b, err := manifest.NewBuilder(v)
	if err != nil {
		return nil, err
	}
	b.LevelCheck = LevelCheck(cat)
	return b, nil
}

// LevelCheck returns a manifest.LevelCheck backed by the catalogue.
func LevelCheck(cat *Catalog) manifest.LevelCheck {
	return func(scope, tool, level string) (string, error) {
		l, err := ParseLevel(level)
		if err != nil {
			return "", err
		}
		if _, _, err := checkAssignment(cat, Assignment{Scope: scope, Tool: tool, Level: l}); err != nil {
			var ae *AssignmentError
			if errors.As(err, &ae) {
				return "", errors.New(ae.Reason)
			}
			return "", err
		}
		return l.String(), nil
	}
}

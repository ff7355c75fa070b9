package release

import (
	"errors"

	"github.com/manifestctl/manifestctl/manifest"
)

// DiffReport is the outcome of comparing two manifests: the diff report of
// DESIGN.md section 4.
type DiffReport struct {
	// Old and New name the manifests as given on the command line.
	Old, New string
	// OldVersion and NewVersion are app_manifest.version, nil when it is
	// missing or not a string.
	OldVersion, NewVersion *string
	Changes                []Change
	// RequiredBump is the largest bump the changes require (BumpNone
	// without changes).
	RequiredBump Bump
	// AdminApproval is true when company admins must approve the update
	// (a permission escalation).
	AdminApproval bool
}

// Compare diffs two loaded manifests and builds the report.
func Compare(oldName string, old *manifest.App, newName string, new *manifest.App, opts *Options) *DiffReport {
	r := &DiffReport{Old: oldName, New: newName, OldVersion: appVersion(old), NewVersion: appVersion(new)}
	r.Changes = Diff(old, new, opts)
	for _, c := range r.Changes {
		r.RequiredBump = max(r.RequiredBump, c.Bump)
		r.AdminApproval = r.AdminApproval || c.AdminApproval
	}
	return r
}

func appVersion(a *manifest.App) *string {
	if a == nil || !a.AppVersion.IsString() {
		return nil
	}
	return str(a.AppVersion.Str)
}

// LoadError is a manifest that cannot be compared: it does not parse, is
// not a JSON object, is not an App Manifest, or has an unknown schema
// version. Diagnostics say why, with positions.
type LoadError = manifest.LoadError

// AsLoadError returns err as a *LoadError, if it is one.
func AsLoadError(err error) (*LoadError, bool) {
	var le *LoadError
	ok := errors.As(err, &le)
	return le, ok
}

// Load parses a manifest (manifest.LoadBytes) and returns its normalised
// view. name is used in positions. Warnings of the parser (a byte-order
// mark, a duplicate key) do not stop it; what manifest.LoadBytes refuses
// is a *LoadError.
func Load(name string, src []byte) (*manifest.App, error) {
	doc, v, err := manifest.LoadBytes(name, src, nil)
	if err != nil {
		return nil, err
	}
	return manifest.View(doc, v), nil
}

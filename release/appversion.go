package release

import (
	"fmt"

	"github.com/Masterminds/semver/v3"

	"github.com/manifestctl/manifestctl/manifest"
)

// VersionError is a manifest whose app version cannot be bumped: a
// finding (MC402) at app_manifest.version, not a failure of the tool.
type VersionError struct {
	Diagnostic manifest.Diagnostic
}

func (e *VersionError) Error() string { return e.Diagnostic.String() }

// CurrentVersion returns app's version, 0.0.0 when it has none. A version
// that is not a string or not MAJOR.MINOR.PATCH is a *VersionError.
func CurrentVersion(app *manifest.App) (*semver.Version, error) {
	n := app.AppVersion
	if n == nil {
		return semver.New(0, 0, 0, "", ""), nil
	}
	var msg string
	if !n.IsString() {
		msg = fmt.Sprintf("app_manifest.version is %s, not a string such as \"1.2.0\"", n.Kind)
	} else if v, err := manifest.ParseVersion(n.Str); err == nil {
		return v, nil
	} else {
		msg = fmt.Sprintf("cannot bump version %q: it is not MAJOR.MINOR.PATCH (three integers, such as \"1.2.0\")", n.Str)
	}
	return nil, &VersionError{Diagnostic: app.Doc.Diag(RuleVersionFormat, manifest.SeverityError, "/app_manifest/version", msg)}
}

// VersionBump is what BumpVersion did to a manifest.
type VersionBump struct {
	// From is app_manifest.version before, nil when there was none.
	From *string
	// To is the new version.
	To string
	// Src is the manifest with the new version, nil when To is the
	// version it already had.
	Src []byte
}

// BumpVersion raises app's version (0.0.0 when it has none) by b, or,
// when prev is not nil (`version bump auto`), sets it to prev's old
// version (app's own when the old manifest has none that reads as a
// semantic version) raised by prev.RequiredBump, never lowering it: so
// bumping twice changes nothing. Only app_manifest.version changes in the
// returned source. A version that cannot be bumped is a *VersionError; a
// number that would overflow is an error.
func BumpVersion(app *manifest.App, b Bump, prev *DiffReport) (*VersionBump, error) {
	current, err := CurrentVersion(app)
	if err != nil {
		return nil, err
	}
	base := current
	if prev != nil {
		b = prev.RequiredBump
		if prev.OldVersion != nil {
			if v, err := semver.NewVersion(*prev.OldVersion); err == nil {
				base = v
			}
		}
	}
	target, err := NextVersion(base, b)
	if err != nil {
		return nil, fmt.Errorf("bump %s: %w", base, err)
	}
	if prev != nil && target.LessThan(current) {
		target = current
	}
	res := &VersionBump{To: target.String()}
	if app.AppVersion.IsString() {
		s := app.AppVersion.Str
		res.From = &s
	}
	if app.AppVersion.Text() == res.To {
		return res, nil
	}
	if res.Src, err = manifest.SetVersion(app.Doc, res.To); err != nil {
		return nil, fmt.Errorf("%s: %w", app.Doc.Path, err)
	}
	return res, nil
}

package manifest

import (
	"errors"
	"fmt"

	"github.com/Masterminds/semver/v3"
)

// ParseVersion reads a strict semantic version: MAJOR.MINOR.PATCH with an
// optional pre-release and build suffix, no "v" prefix, no leading zeros.
// Whether a suffix is acceptable is the caller's decision (see IsRelease).
func ParseVersion(s string) (*semver.Version, error) {
	v, err := semver.StrictNewVersion(s)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semantic version (MAJOR.MINOR.PATCH): %w", s, err)
	}
	return v, nil
}

// IsReleaseVersion reports whether s is a version the Developer Portal
// accepts: MAJOR.MINOR.PATCH, three integers without leading zeros, with
// no "v" prefix and no pre-release or build suffix.
func IsReleaseVersion(s string) bool {
	v, err := semver.StrictNewVersion(s)
	return err == nil && IsRelease(v)
}

// IsSemanticVersion reports whether s is a strict semantic version:
// MAJOR.MINOR.PATCH with an optional pre-release and build suffix, and no
// "v" prefix.
func IsSemanticVersion(s string) bool {
	_, err := semver.StrictNewVersion(s)
	return err == nil
}

// IsRelease reports whether v has no pre-release or build suffix: the only
// form the Developer Portal accepts.
func IsRelease(v *semver.Version) bool {
	return v != nil && v.Prerelease() == "" && v.Metadata() == ""
}

// SetVersion returns doc's source with app_manifest.version set to version,
// changing nothing else: the value is replaced in place when it exists;
// otherwise a "version" member is added to app_manifest, or, when
// app_manifest is missing, an "app_manifest": {"version": ...} member is
// added after schema_version (first when there is none), laid out like its
// neighbours. It is an error when the document has no object root or
// app_manifest is not an object.
func SetVersion(doc *Document, version string) ([]byte, error) {
	if doc == nil || !doc.Root.IsObject() {
		return nil, errors.New("set version: the manifest is not a JSON object")
	}
	root := doc.Root
	if am := root.Get("app_manifest"); am != nil && !am.IsObject() {
		return nil, fmt.Errorf("set version: app_manifest is %s, not an object", am.Kind.WithArticle())
	}
	rootPlace := Placement{First: true}
	if root.Has("schema_version") {
		rootPlace = Placement{After: "schema_version"}
	}
	out, err := Set(doc, "/app_manifest/version", version,
		&EditOptions{Placement: map[string]Placement{"": rootPlace}})
	if err != nil {
		return nil, fmt.Errorf("set version: %w", err)
	}
	return out.Src, nil
}

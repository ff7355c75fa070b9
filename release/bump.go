package release

import (
	"errors"
	"fmt"
	"math"

	"github.com/Masterminds/semver/v3"
)

// Bump is a semantic version increment class. The order is meaningful:
// BumpNone < BumpPatch < BumpMinor < BumpMajor.
type Bump uint8

// The bump classes.
const (
	BumpNone Bump = iota
	BumpPatch
	BumpMinor
	BumpMajor
)

var bumpNames = [...]string{"none", "patch", "minor", "major"}

// String returns "none", "patch", "minor" or "major".
func (b Bump) String() string {
	if int(b) < len(bumpNames) {
		return bumpNames[b]
	}
	return "none"
}

// ParseBump reads the names String returns.
func ParseBump(s string) (Bump, error) {
	for i, n := range bumpNames {
		if s == n {
			return Bump(i), nil
		}
	}
	return BumpNone, fmt.Errorf("unknown bump %q (want major, minor, patch or none)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (b Bump) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bump) UnmarshalText(text []byte) error {
	v, err := ParseBump(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ErrVersionOverflow is returned by NextVersion when a version number
// would not fit in 64 bits.
var ErrVersionOverflow = errors.New("version number overflows")

// NextVersion returns v incremented by b, as semver defines it: a major
// bump resets minor and patch, a minor bump resets patch, and each drops
// any pre-release or build suffix (a patch bump of a pre-release gives the
// release it precedes: 1.2.0-rc.1 becomes 1.2.0). BumpNone returns v
// unchanged.
func NextVersion(v *semver.Version, b Bump) (*semver.Version, error) {
	if v == nil {
		return nil, errors.New("no version to bump")
	}
	var next semver.Version
	switch b {
	case BumpNone:
	case BumpPatch:
		if v.Prerelease() == "" && v.Patch() == math.MaxUint64 {
			return nil, ErrVersionOverflow
		}
		next = v.IncPatch()
	case BumpMinor:
		if v.Minor() == math.MaxUint64 {
			return nil, ErrVersionOverflow
		}
		next = v.IncMinor()
	case BumpMajor:
		if v.Major() == math.MaxUint64 {
			return nil, ErrVersionOverflow
		}
		next = v.IncMajor()
	default:
		return nil, fmt.Errorf("unknown bump %d", b)
	}
	if b == BumpNone {
		return semver.New(v.Major(), v.Minor(), v.Patch(), v.Prerelease(), v.Metadata()), nil
	}
	// Print without any prefix or suffix.
	return semver.New(next.Major(), next.Minor(), next.Patch(), "", ""), nil
}

// BumpBetween returns the class of the increment from old to new,
// comparing MAJOR.MINOR.PATCH only: BumpMajor when the major number grew,
// BumpMinor when the minor one grew under the same major, BumpPatch when
// the patch grew, else BumpNone (the same numbers, a lower version, or a
// change of suffix only).
func BumpBetween(old, new *semver.Version) Bump {
	switch {
	case old == nil || new == nil:
		return BumpNone
	case new.Major() > old.Major():
		return BumpMajor
	case new.Major() < old.Major():
		return BumpNone
	case new.Minor() > old.Minor():
		return BumpMinor
	case new.Minor() < old.Minor():
		return BumpNone
	case new.Patch() > old.Patch():
		return BumpPatch
	}
	return BumpNone
}

// withoutSuffix returns v without its pre-release and build suffix.
func withoutSuffix(v *semver.Version) *semver.Version {
	return semver.New(v.Major(), v.Minor(), v.Patch(), "", "")
}

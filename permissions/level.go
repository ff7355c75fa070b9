package permissions

import (
	"fmt"
	"strconv"
	"strings"
)

// Level is a tool permission level. The zero value is None.
type Level uint8

// The levels, in order.
const (
	None Level = iota
	ReadOnly
	Standard
	Admin
)

// Levels lists every level in order.
var Levels = []Level{None, ReadOnly, Standard, Admin}

var (
	manifestNames = [...]string{"none", "readonly", "standard", "admin"}
	apiNames      = [...]string{"None", "Read Only", "Standard", "Admin"}
	labels        = [...]string{"None", "Read-Only", "Standard", "Admin"}
)

// String returns the manifest spelling: "none", "readonly", "standard" or
// "admin".
func (l Level) String() string {
	if l.Valid() {
		return manifestNames[l]
	}
	return "level(" + strconv.Itoa(int(l)) + ")"
}

// Valid reports whether l is one of the four levels.
func (l Level) Valid() bool { return l <= Admin }

// APIID returns the id the Procore API uses in user_access_level: 1 None,
// 2 Read Only, 3 Standard, 4 Admin.
func (l Level) APIID() int { return int(l) + 1 }

// APIName returns the name the Procore API reports ("Read Only", ...).
// Compare levels by APIID; the names are for people.
func (l Level) APIName() string {
	if l.Valid() {
		return apiNames[l]
	}
	return l.String()
}

// Label returns the name the Permission Builder shows ("Read-Only", ...).
func (l Level) Label() string {
	if l.Valid() {
		return labels[l]
	}
	return l.String()
}

// MarshalText writes the manifest spelling.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("invalid permission level %d", l)
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads any spelling ParseLevel accepts.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// LevelFromAPIID converts a user_access_level id (1..4) to a Level.
func LevelFromAPIID(id int) (Level, error) {
	if id < 1 || id > 4 {
		return None, fmt.Errorf("user access level id %d is not one of 1 (None), 2 (Read Only), 3 (Standard), 4 (Admin)", id)
	}
	return Level(id - 1), nil
}

// LevelNames is the list of manifest spellings, for messages:
// "none, readonly, standard, admin".
const LevelNames = "none, readonly, standard, admin"

// LevelError is returned by ParseLevel for a spelling that names no level.
type LevelError struct {
	Input string
}

func (e *LevelError) Error() string {
	return fmt.Sprintf("level %q is not one of %s", e.Input, LevelNames)
}

// ParseLevel reads a level in any spelling people and the API use: the
// manifest spellings, "read_only", "read-only", "Read Only", "Read-Only",
// "read only" and other mixes of case, spaces, hyphens and underscores,
// the API names ("None", "Read Only", "Standard", "Admin") and the API ids
// "1" to "4". Surrounding spaces are ignored. The error is a *LevelError.
func ParseLevel(s string) (Level, error) {
	if l, ok := parseWord(s); ok {
		return l, nil
	}
	if IsAPIID(s) {
		n, _ := strconv.Atoi(strings.TrimSpace(s))
		return Level(n - 1), nil
	}
	return None, &LevelError{Input: s}
}

// parseWord reads the word spellings (not the numeric ids).
func parseWord(s string) (Level, bool) {
	for i, name := range manifestNames {
		if s == name { // the common case: already in the manifest spelling
			return Level(i), true
		}
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-' || r == '_' || r == '\t':
			continue
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	for i, name := range manifestNames {
		if b.String() == name {
			return Level(i), true
		}
	}
	return None, false
}

// IsAPIID reports whether s is one of the API ids "1" to "4" (surrounding
// spaces allowed).
func IsAPIID(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) == 1 && s[0] >= '1' && s[0] <= '4'
}

// Canonical reports whether s is the manifest spelling of a level.
func Canonical(s string) bool {
	l, err := ParseLevel(s)
	return err == nil && l.String() == s
}

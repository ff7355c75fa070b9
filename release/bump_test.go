package release

import (
	"errors"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

func TestParseBump(t *testing.T) {
	for _, b := range []Bump{BumpNone, BumpPatch, BumpMinor, BumpMajor} {
		got, err := ParseBump(b.String())
		if err != nil || got != b {
			t.Errorf("ParseBump(%q) = %v, %v, want %v", b.String(), got, err, b)
		}
	}
	if _, err := ParseBump("huge"); err == nil {
		t.Errorf("ParseBump(huge) succeeded")
	}
	if !(BumpNone < BumpPatch && BumpPatch < BumpMinor && BumpMinor < BumpMajor) {
		t.Errorf("bump classes are not ordered")
	}
}

func TestNextVersion(t *testing.T) {
	tests := []struct {
		in   string
		bump Bump
		want string
	}{
		{"1.4.0", BumpMajor, "2.0.0"},
		{"1.4.2", BumpMinor, "1.5.0"},
		{"1.4.2", BumpPatch, "1.4.3"},
		{"1.4.2", BumpNone, "1.4.2"},
		{"1.5.0-rc.1", BumpPatch, "1.5.0"},
		{"1.5.0-rc.1+b7", BumpPatch, "1.5.0"},
		{"1.5.0-rc.1", BumpMinor, "1.6.0"},
		{"1.5.0+build.3", BumpMajor, "2.0.0"},
		{"0.0.0", BumpPatch, "0.0.1"},
	}
	for _, tt := range tests {
		v, err := manifest.ParseVersion(tt.in)
		if err != nil {
			t.Fatalf("manifest.ParseVersion(%q): %v", tt.in, err)
		}
		got, err := NextVersion(v, tt.bump)
		if err != nil || got.String() != tt.want {
			t.Errorf("NextVersion(%s, %s) = %v, %v, want %s", tt.in, tt.bump, got, err, tt.want)
		}
		if got.LessThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s is lower than the input", tt.in, tt.bump, got)
		}
	}
	big, _ := manifest.ParseVersion("18446744073709551615.18446744073709551615.18446744073709551615")
	for _, b := range []Bump{BumpMajor, BumpMinor, BumpPatch} {
		if _, err := NextVersion(big, b); !errors.Is(err, ErrVersionOverflow) {
			t.Errorf("NextVersion(max, %s) error = %v, want ErrVersionOverflow", b, err)
		}
	}
	if _, err := NextVersion(nil, BumpMajor); err == nil {
		t.Errorf("NextVersion(nil) succeeded")
	}
}

func TestBumpBetween(t *testing.T) {
	tests := []struct {
		old, new string
		want     Bump
	}{
		{"1.4.0", "2.0.0", BumpMajor},
		{"1.4.0", "1.5.0", BumpMinor},
		{"1.4.0", "1.4.1", BumpPatch},
		{"1.4.0", "1.4.0", BumpNone},
		{"1.4.0", "1.3.9", BumpNone},
		{"2.0.0", "1.9.0", BumpNone},
		{"1.4.0", "1.5.0-rc.1", BumpMinor},
		{"1.5.0-rc.1", "1.5.0", BumpNone},
	}
	for _, tt := range tests {
		o, _ := manifest.ParseVersion(tt.old)
		n, _ := manifest.ParseVersion(tt.new)
		if got := BumpBetween(o, n); got != tt.want {
			t.Errorf("BumpBetween(%s, %s) = %s, want %s", tt.old, tt.new, got, tt.want)
		}
	}
}

// FuzzBump checks that NextVersion never panics and never goes down.
func FuzzBump(f *testing.F) {
	for _, s := range []string{"1.2.3", "0.0.0", "1.0.0-rc.1+b", "18446744073709551615.0.0", "1.18446744073709551615.3"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, b uint8) {
		v, err := manifest.ParseVersion(s)
		if err != nil {
			return
		}
		bump := Bump(b % 4)
		next, err := NextVersion(v, bump)
		if err != nil {
			return
		}
		if next.LessThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s, lower than the input", s, bump, next)
		}
		if bump != BumpNone && !next.GreaterThan(v) {
			t.Errorf("NextVersion(%s, %s) = %s, not greater", s, bump, next)
		}
		if got := BumpBetween(v, next); bump != BumpNone && v.Prerelease() == "" && got != bump {
			t.Errorf("BumpBetween(%s, %s) = %s, want %s", s, next, got, bump)
		}
	})
}

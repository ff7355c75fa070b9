package permissions

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want Level
	}{
		{"none", None}, {"None", None}, {"NONE", None}, {"1", None},
		{"readonly", ReadOnly}, {"read_only", ReadOnly}, {"read-only", ReadOnly}, {"Read Only", ReadOnly},
		{"Read-Only", ReadOnly}, {"read only", ReadOnly}, {"Read-only", ReadOnly}, {"READONLY", ReadOnly},
		{"ReadOnly", ReadOnly}, {" readonly ", ReadOnly}, {"2", ReadOnly},
		{"standard", Standard}, {"Standard", Standard}, {"3", Standard},
		{"admin", Admin}, {"Admin", Admin}, {"4", Admin}, {" 4 ", Admin},
	}
	for _, tt := range tests {
		got, err := ParseLevel(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseLevel(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "editor", "read", "0", "5", "10", "admins", "administrator", "write", "read/only", "rеadonly"} {
		_, err := ParseLevel(in)
		var le *LevelError
		if !errors.As(err, &le) || le.Input != in {
			t.Errorf("ParseLevel(%q) error = %v, want *LevelError", in, err)
		}
	}
	_, err := ParseLevel("editor")
	if want := `level "editor" is not one of none, readonly, standard, admin`; err == nil || err.Error() != want {
		t.Errorf("ParseLevel(editor) error = %v, want %s", err, want)
	}
}

func TestLevelNames(t *testing.T) {
	tests := []struct {
		l               Level
		str, api, label string
		id              int
	}{
		{None, "none", "None", "None", 1},
		{ReadOnly, "readonly", "Read Only", "Read-Only", 2},
		{Standard, "standard", "Standard", "Standard", 3},
		{Admin, "admin", "Admin", "Admin", 4},
	}
	for _, tt := range tests {
		if tt.l.String() != tt.str || tt.l.APIName() != tt.api || tt.l.Label() != tt.label || tt.l.APIID() != tt.id {
			t.Errorf("%d: got %q %q %q %d, want %q %q %q %d", tt.l, tt.l, tt.l.APIName(), tt.l.Label(), tt.l.APIID(), tt.str, tt.api, tt.label, tt.id)
		}
		got, err := LevelFromAPIID(tt.id)
		if err != nil || got != tt.l {
			t.Errorf("LevelFromAPIID(%d) = %v, %v, want %v", tt.id, got, err, tt.l)
		}
		for _, s := range []string{tt.str, tt.api, tt.label} {
			if got, err := ParseLevel(s); err != nil || got != tt.l {
				t.Errorf("ParseLevel(%q) = %v, %v, want %v", s, got, err, tt.l)
			}
		}
		if !Canonical(tt.str) {
			t.Errorf("Canonical(%q) = false", tt.str)
		}
	}
	for _, id := range []int{0, 5, -1} {
		if _, err := LevelFromAPIID(id); err == nil {
			t.Errorf("LevelFromAPIID(%d) succeeded", id)
		}
	}
	for _, s := range []string{"Read Only", "read_only", "2", "Admin", " none", "editor"} {
		if Canonical(s) {
			t.Errorf("Canonical(%q) = true", s)
		}
	}
	if Level(7).Valid() || Level(7).String() != "level(7)" {
		t.Errorf("Level(7) = %v, valid %v", Level(7), Level(7).Valid())
	}
	if _, err := Level(9).MarshalText(); err == nil {
		t.Error("MarshalText(9) succeeded")
	}
	var l Level
	if err := l.UnmarshalText([]byte("Read-Only")); err != nil || l != ReadOnly {
		t.Errorf("UnmarshalText(Read-Only) = %v, %v", l, err)
	}
}

// TestLevelSpellingProperty generates random spellings of every level
// (word splits, case, separators, surrounding spaces) and checks that each
// parses and writes back in the manifest spelling.
func TestLevelSpellingProperty(t *testing.T) {
	words := map[Level][][]string{
		None:     {{"none"}},
		ReadOnly: {{"read", "only"}, {"readonly"}, {"re", "ad", "on", "ly"}},
		Standard: {{"standard"}},
		Admin:    {{"admin"}},
	}
	seps := []string{"", " ", "-", "_", "  ", "-_"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		l := Levels[r.IntN(len(Levels))]
		parts := words[l][r.IntN(len(words[l]))]
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", r.IntN(2)))
		for j, p := range parts {
			if j > 0 {
				b.WriteString(seps[r.IntN(len(seps))])
			}
			for _, c := range p {
				if r.IntN(2) == 0 {
					c = c - 'a' + 'A'
				}
				b.WriteRune(c)
			}
		}
		b.WriteString(strings.Repeat(" ", r.IntN(2)))
		s := b.String()
		got, err := ParseLevel(s)
		if err != nil || got != l {
			t.Fatalf("ParseLevel(%q) = %v, %v, want %v", s, got, err, l)
		}
		if back, err := ParseLevel(got.String()); err != nil || back != l || !Canonical(got.String()) {
			t.Fatalf("round trip of %q: %q -> %v, %v", s, got.String(), back, err)
		}
	}
}

func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"readonly", "Read Only", "read-only", "4", "editor", "", "ÿ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLevel(s)
		if err != nil {
			return
		}
		if !l.Valid() {
			t.Fatalf("ParseLevel(%q) = invalid %d", s, l)
		}
		if back, err := ParseLevel(l.String()); err != nil || back != l {
			t.Fatalf("ParseLevel(%q) = %v does not round-trip: %v, %v", s, l, back, err)
		}
	})
}

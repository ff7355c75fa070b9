package suggest

import (
	"math/rand/v2"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "abc", 0},
		{"daily_log", "daily_logz", 1},
		{"rfi", "rif", 1}, // a transposition is one edit
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment, not full Damerau
		{"héllo", "hello", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

// TestAtMost checks the bounded distance against the full one on random
// words (short ones on the stack, long ones beyond it): equal when within
// the limit, above the limit otherwise.
func TestAtMost(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = []rune("abcdé_")[rng.IntN(6)]
		}
		return string(r)
	}
	for range 3000 {
		a, b := word(rng.IntN(12)), word(rng.IntN(12))
		if rng.IntN(10) == 0 {
			a, b = word(stackRunes+rng.IntN(20)), word(stackRunes+rng.IntN(20))
		}
		full := Distance(a, b)
		for limit := range 6 {
			got := AtMost(a, b, limit)
			if (full <= limit && got != full) || (full > limit && got <= limit) {
				t.Fatalf("AtMost(%q, %q, %d) = %d, Distance = %d", a, b, limit, got, full)
			}
		}
	}
}

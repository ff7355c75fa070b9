package procore

import (
	"strings"
	"testing"
)

func TestParseAuthCode(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"abc123\n", "abc123", ""},
		{"  \tdemo-authorization-code \r\n", "demo-authorization-code", ""},
		{"", "", "no authorization code given"},
		{" \n", "", "no authorization code given"},
		{"two words", "", "it has spaces or unusual characters"},
		{"caf\u00e9", "", "it has spaces or unusual characters"},
		{"a\x00b", "", "it has spaces or unusual characters"},
		{strings.Repeat("x", MaxAuthCode+1), "", "longer than 4096 bytes"},
	}
	for _, tt := range tests {
		got, err := ParseAuthCode(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseAuthCode(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// fixedCodeErrors are the only messages ParseAuthCode gives.
func fixedCodeErrors() map[string]bool {
	m := map[string]bool{}
	for _, in := range []string{"", "a b", strings.Repeat("x", MaxAuthCode+1)} {
		_, err := ParseAuthCode(in)
		m[err.Error()] = true
	}
	return m
}

// FuzzParseAuthCode: a code accepted is printable ASCII without spaces and
// is the input trimmed; an error never quotes the input.
func FuzzParseAuthCode(f *testing.F) {
	for _, s := range []string{"demo-authorization-code\n", " x ", "", "a b", "\xff", "SECRET-LOOKING-VALUE with space"} {
		f.Add(s)
	}
	fixed := fixedCodeErrors()
	f.Fuzz(func(t *testing.T, s string) {
		code, err := ParseAuthCode(s)
		if err != nil {
			if code != "" {
				t.Fatalf("a code with an error: %q", code)
			}
			// The message is one of the fixed ones: it cannot quote the input.
			if !fixed[err.Error()] {
				t.Fatalf("unexpected error text (does it quote the input?): %v", err)
			}
			return
		}
		if code != strings.TrimSpace(s) || code == "" || len(code) > MaxAuthCode {
			t.Fatalf("ParseAuthCode(%q) = %q", s, code)
		}
		for i := 0; i < len(code); i++ {
			if code[i] <= ' ' || code[i] >= 0x7f {
				t.Fatalf("accepted byte %#x in %q", code[i], code)
			}
		}
	})
}

func TestUserDescribe(t *testing.T) {
	tests := []struct {
		u    User
		want string
	}{
		{User{ID: 7, Login: "ann@example.com", Name: "Ann"}, "Ann (ann@example.com, user 7)"},
		{User{ID: 7, Login: "ann@example.com"}, "ann@example.com (user 7)"},
		{User{ID: 7}, "user 7"},
		{User{ID: 7, Login: "a\x1b[31mb", Name: "A\u0085nn\n"}, "Ann (a[31mb, user 7)"},
	}
	for _, tt := range tests {
		if got := tt.u.Describe(); got != tt.want {
			t.Errorf("%+v.Describe() = %q, want %q", tt.u, got, tt.want)
		}
	}
}

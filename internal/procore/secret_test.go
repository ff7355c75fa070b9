package procore

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretFormatting(t *testing.T) {
	s := Secret(spotSecret)
	type holder struct {
		Name   string
		Secret Secret
		Ptr    *Secret
	}
	h := holder{Name: "x", Secret: s, Ptr: &s}
	cases := []struct {
		name string
		got  func() string
	}{
		{"String", func() string { return s.String() }},
		{"GoString", func() string { return s.GoString() }},
		{"%v", func() string { return fmt.Sprintf("%v", s) }},
		{"%+v", func() string { return fmt.Sprintf("%+v", s) }},
		{"%#v", func() string { return fmt.Sprintf("%#v", s) }},
		{"%s", func() string { return fmt.Sprintf("%s", s) }},
		{"%q", func() string { return fmt.Sprintf("%q", s) }},
		{"%x", func() string { return fmt.Sprintf("%x", s) }},
		{"%X", func() string { return fmt.Sprintf("%X", s) }},
		{"% x", func() string { return fmt.Sprintf("% x", s) }},
		{"%d", func() string { return fmt.Sprintf("%d", s) }},
		{"%T-free %10.3s", func() string { return fmt.Sprintf("%10.3s", s) }},
		{"%-20v", func() string { return fmt.Sprintf("%-20v", s) }},
		{"Sprint", func() string { return fmt.Sprint(s) }},
		{"Sprintln", func() string { return fmt.Sprintln(s, s) }},
		{"pointer %v", func() string { return fmt.Sprintf("%v", &s) }},
		{"struct %v", func() string { return fmt.Sprintf("%v", h) }},
		{"struct %+v", func() string { return fmt.Sprintf("%+v", h) }},
		{"struct %#v", func() string { return fmt.Sprintf("%#v", h) }},
		{"slice %q", func() string { return fmt.Sprintf("%q", []Secret{s, s}) }},
		{"map %v", func() string { return fmt.Sprintf("%v", map[string]Secret{"k": s}) }},
		{"Options %+v", func() string { return fmt.Sprintf("%+v", Options{ClientSecret: s, AccessToken: s}) }},
		{"Options %#v", func() string { return fmt.Sprintf("%#v", Options{ClientSecret: s, AccessToken: s}) }},
		{"StoredLogin %+v", func() string { return fmt.Sprintf("%+v", StoredLogin{AccessToken: s, RefreshToken: s}) }},
		{"error %w", func() string { return fmt.Errorf("wrapped %v: %w", s, fmt.Errorf("%s", s)).Error() }},
		{"json", func() string { b, _ := json.Marshal(s); return string(b) }},
		{"json struct", func() string { b, _ := json.Marshal(h); return string(b) }},
		{"json map key and value", func() string { b, _ := json.Marshal(map[string]Secret{"k": s}); return string(b) }},
		{"json StoredLogin", func() string { b, _ := json.Marshal(StoredLogin{AccessToken: s}); return string(b) }},
		{"xml", func() string {
			type X struct{ S Secret }
			b, err := xml.Marshal(X{s})
			if err != nil {
				return err.Error()
			}
			return string(b)
		}},
		{"MarshalText", func() string { b, _ := s.MarshalText(); return string(b) }},
		{"slog text", func() string {
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "secret", s, "holder", h)
			return buf.String()
		}},
		{"slog json", func() string {
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", slog.Any("secret", s), "holder", h)
			return buf.String()
		}},
		{"log", func() string {
			var buf bytes.Buffer
			log.New(&buf, "", 0).Printf("%v %s %q", s, s, s)
			return buf.String()
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.got()
			if strings.Contains(got, spotSecret) || strings.Contains(got, fmt.Sprintf("%x", spotSecret)) {
				t.Errorf("%s = %q, carries the secret", tc.name, got)
			}
			if !strings.Contains(got, redacted) {
				t.Errorf("%s = %q, want %q in it", tc.name, got, redacted)
			}
		})
	}
	if got := s.Reveal(); got != spotSecret {
		t.Errorf("Reveal() = %q, want the value", got)
	}
}

// TestClientValuesPrintNoSecret: printing the client's own values with
// fmt shows no secret, even after a token was fetched and refused.
func TestClientValuesPrintNoSecret(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	path, l := storedLogin(t, us, clk)
	opts := us.opts(clk)
	src, err := NewStoredTokenSource(context.Background(), opts, path, l)
	if err != nil {
		t.Fatal(err)
	}
	src.invalidate(l.AccessToken.Reveal())
	opts.TokenSource = src
	c, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{src, c, opts, *src.login, src.Login()} {
		for _, verb := range []string{"%v", "%+v", "%#v"} {
			got := fmt.Sprintf(verb, v)
			for _, s := range []string{spotSecret, "acc-1", "ref-1", "acc-2", "ref-2"} {
				if strings.Contains(got, s) {
					t.Errorf("%s of %T shows %q", verb, v, s)
				}
			}
		}
	}
}

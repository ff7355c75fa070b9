package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/manifestctl/manifestctl/internal/procore"
)

func TestParseCode(t *testing.T) {
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
		{strings.Repeat("x", maxCode+1), "", "longer than 4096 bytes"},
	}
	for _, tt := range tests {
		got, err := parseCode(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("parseCode(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzParseCode: parseCode is procore.ParseAuthCode (fuzzed there, with
// the properties of an accepted code and of its fixed error messages)
// with its error made a usage error (exit 2); the message is unchanged.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"demo-authorization-code\n", " x ", "", "a b", "\xff", "SECRET-LOOKING-VALUE with space"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := parseCode(s)
		want, wantErr := procore.ParseAuthCode(s)
		if code != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("parseCode(%q) = %q, %v; procore.ParseAuthCode gives %q, %v", s, code, err, want, wantErr)
		}
		if err == nil {
			return
		}
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || err.Error() != wantErr.Error() {
			t.Fatalf("parseCode(%q) error = %#v, want a usage error saying %q", s, err, wantErr)
		}
	})
}

// Ctrl-C while login waits for the code ends the wait: no exchange, and
// the run ends at once.
func TestLoginInterruptedWhileWaiting(t *testing.T) {
	stdin, paste := io.Pipe()
	defer paste.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &signalWriter{want: "Reading the code from standard input.", seen: make(chan struct{})}
	done := make(chan int, 1)
	config := t.TempDir()
	e := &env{Stdin: stdin, Stderr: stderr, Getenv: func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": config}[k]
	}}
	go func() { done <- runEnv(ctx, e, []string{"manifestctl", "login", "--env", "embedded"}) }()
	select {
	case <-stderr.seen: // login asks for the code
	case code := <-done:
		t.Fatalf("login ended early: %d %s", code, stderr.String())
	}
	cancel()
	if code := <-done; code != 2 || !strings.Contains(stderr.String(), "manifestctl: interrupted") {
		t.Errorf("exit %d:\n%s", code, stderr.String())
	}
}

// signalWriter collects what is written and closes seen once want has
// been written.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

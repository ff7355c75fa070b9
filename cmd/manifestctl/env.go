package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// env is everything a command takes from the process around it: its
// streams, environment variables, working directory, terminal, HTTP
// transport and clock. main passes the real one (osEnv); tests pass their
// own, so no command reads os.* directly.
type env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable; LookupEnv also says whether it
	// is set (NO_COLOR is honoured when set to anything, even "").
	Getenv    func(string) string
	LookupEnv func(string) (string, bool)
	Getwd     func() (string, error)
	// IsTerminal reports whether a stream is an interactive terminal.
	IsTerminal func(any) bool
	// Transport is the base HTTP transport for commands that talk to
	// Procore (nil: a fresh http.Transport). Tests swap it.
	Transport http.RoundTripper
	// Now is the clock.
	Now func() time.Time
}

// osEnv is the process's own environment.
func osEnv() *env {
	return &env{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		LookupEnv:  os.LookupEnv,
		Getwd:      os.Getwd,
		IsTerminal: isTerminal,
		Now:        time.Now,
	}
}

// fill gives every nil field of e the process's own value, so a test sets
// only what it needs.
func (e *env) fill() *env {
	o := osEnv()
	if e.Stdin == nil {
		e.Stdin = o.Stdin
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	if e.Getenv == nil {
		e.Getenv = o.Getenv
	}
	if e.LookupEnv == nil {
		e.LookupEnv = o.LookupEnv
	}
	if e.Getwd == nil {
		e.Getwd = o.Getwd
	}
	if e.IsTerminal == nil {
		e.IsTerminal = func(any) bool { return false }
	}
	if e.Now == nil {
		e.Now = o.Now
	}
	return e
}

// readLine reads one line of at most max bytes from standard input:
// without echo when hidden is set and standard input is a terminal.
// Ctrl-C (ctx) ends the wait and gives the terminal its echo back; the
// error is then ctx's.
func (e *env) readLine(ctx context.Context, hidden bool, max int) (string, error) {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	restore := func() {}
	if f, ok := e.Stdin.(*os.File); ok && hidden {
		fd := int(f.Fd())
		if state, err := term.GetState(fd); err == nil {
			restore = func() { _ = term.Restore(fd, state) }
		}
		go func() {
			b, err := term.ReadPassword(fd)
			ch <- result{string(b), err}
		}()
	} else {
		go func() {
			line, err := bufio.NewReaderSize(io.LimitReader(e.Stdin, int64(max)+1), 512).ReadString('\n')
			if err == io.EOF && line != "" {
				err = nil
			}
			ch <- result{line, err}
		}()
	}
	select {
	case r := <-ch:
		if r.err == io.EOF {
			r.err = nil
		}
		return r.s, r.err
	case <-ctx.Done():
		restore()
		return "", ctx.Err()
	}
}

// isTerminal reports whether v is an *os.File that is a terminal.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

const envKey = "manifestctl.env"

// envOf returns the environment run was given.
func envOf(c *cli.Context) *env {
	if e, ok := c.App.Metadata[envKey].(*env); ok {
		return e
	}
	return osEnv()
}

// wantColor reports whether output to w may be coloured: w is a terminal
// and NO_COLOR is not set.
func (e *env) wantColor(w any) bool {
	if _, ok := e.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return e.IsTerminal(w)
}

//go:build linux

package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns a pseudo-terminal's controlling side and its terminal.
func openPTY(t *testing.T) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return ptmx, tty
}

func echoOn(t *testing.T, tty *os.File) bool {
	t.Helper()
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return st.Lflag&unix.ECHO != 0
}

// On a terminal the code is read without echo, and the terminal gets its
// echo back afterwards.
func TestLoginCodeNotEchoedOnTerminal(t *testing.T) {
	ptmx, tty := openPTY(t)
	if !echoOn(t, tty) {
		t.Skip("the pseudo-terminal starts without echo")
	}
	stderr := &signalWriter{want: "(it is not shown): ", seen: make(chan struct{})}
	config := t.TempDir()
	e := &env{Stdin: tty, Stderr: stderr, IsTerminal: isTerminal, Getenv: func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": config}[k]
	}}
	done := make(chan int, 1)
	go func() { done <- runEnv(context.Background(), e, []string{"manifestctl", "login", "--env", "embedded"}) }()
	select {
	case <-stderr.seen:
	case code := <-done:
		t.Fatalf("login ended early: %d %s", code, stderr.String())
	}
	// Wait (without sleeping) until the terminal's echo is off: login is
	// reading the code.
	for echoOn(t, tty) {
		runtime.Gosched()
	}
	if _, err := ptmx.WriteString("demo-authorization-code\n"); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 0 {
		t.Fatalf("login exit %d:\n%s", code, stderr.String())
	}
	if !echoOn(t, tty) {
		t.Error("the terminal's echo was not restored")
	}
	// Everything the terminal showed, up to a marker written after login.
	if _, err := tty.WriteString("END-OF-LOGIN\n"); err != nil {
		t.Fatal(err)
	}
	var shown strings.Builder
	buf := make([]byte, 256)
	for !strings.Contains(shown.String(), "END-OF-LOGIN") {
		n, err := ptmx.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		shown.Write(buf[:n])
	}
	if strings.Contains(shown.String(), "demo-authorization-code") {
		t.Errorf("the code was echoed: %q", shown.String())
	}
	if !strings.Contains(stderr.String(), "Logged in to the embedded demo sandbox as Dana Demo") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// Ctrl-C while login waits on a terminal gives the terminal its echo
// back.
func TestLoginInterruptedOnTerminalRestoresEcho(t *testing.T) {
	_, tty := openPTY(t)
	if !echoOn(t, tty) {
		t.Skip("the pseudo-terminal starts without echo")
	}
	stderr := &signalWriter{want: "(it is not shown): ", seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	config := t.TempDir()
	e := &env{Stdin: tty, Stderr: stderr, IsTerminal: isTerminal, Getenv: func(k string) string {
		return map[string]string{"XDG_CONFIG_HOME": config}[k]
	}}
	done := make(chan int, 1)
	go func() { done <- runEnv(ctx, e, []string{"manifestctl", "login", "--env", "embedded"}) }()
	<-stderr.seen
	for echoOn(t, tty) {
		runtime.Gosched()
	}
	cancel()
	if code := <-done; code != 2 || !strings.Contains(stderr.String(), "manifestctl: interrupted") {
		t.Errorf("exit %d:\n%s", code, stderr.String())
	}
	if !echoOn(t, tty) {
		t.Error("the terminal's echo was not restored after Ctrl-C")
	}
}

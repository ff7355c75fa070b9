package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/manifestctl/manifestctl/internal/sandbox"
)

// cmdSandbox starts the fake Procore for the rest of a script:
//
//	sandbox [SCENARIO]
//
// with the demo scenario, or SCENARIO (a file in the script's work
// directory). It sets SANDBOX_URL (http://127.0.0.1:PORT, the login and
// API base URL), SANDBOX_ADDR (127.0.0.1:PORT) and SANDBOX_CLIENT_ID /
// SANDBOX_CLIENT_SECRET (the scenario's first client), and stops the
// server when the script ends.
func cmdSandbox(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! sandbox")
	}
	if len(args) > 1 {
		ts.Fatalf("usage: sandbox [SCENARIO]")
	}
	sc := sandbox.Demo()
	if len(args) == 1 {
		f, err := os.Open(ts.MkAbs(args[0]))
		ts.Check(err)
		sc, err = sandbox.LoadScenario(f)
		f.Close()
		ts.Check(err)
	}
	r, err := sandbox.Start(context.Background(), "", sc, sandbox.Options{})
	ts.Check(err)
	ts.Defer(func() { r.Close() })
	ts.Setenv("SANDBOX_URL", r.URL)
	ts.Setenv("SANDBOX_ADDR", strings.TrimPrefix(r.URL, "http://"))
	ts.Setenv("SANDBOX_CLIENT_ID", sc.Clients[0].ID)
	ts.Setenv("SANDBOX_CLIENT_SECRET", sc.Clients[0].Secret)
}

// TestSandboxServe runs "sandbox serve" until its context ends (Ctrl-C):
// the first line names the URL, the server answers there, and the end is
// exit 0.
func TestSandboxServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	e := &env{Stdout: pw, Stderr: &stderr}
	code := make(chan int, 1)
	go func() {
		code <- runEnv(ctx, e, []string{"manifestctl", "sandbox", "serve", "--addr", "127.0.0.1:0", "--verbose"})
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	first, err := out.ReadString('\n')
	if err != nil {
		t.Fatalf("first line: %v (stderr %s)", err, stderr.String())
	}
	u, ok := strings.CutPrefix(strings.TrimSpace(first), "listening on ")
	if !ok || !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("first line = %q, want \"listening on http://127.0.0.1:PORT\"", first)
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(out)
		rest <- string(b)
	}()
	resp, err := http.Get(u + "/oauth/authorize?response_type=code&client_id=" + sandbox.DemoClientID + "&redirect_uri=urn:ietf:wg:oauth:2.0:oob")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), sandbox.DemoAuthorizationCode) {
		t.Errorf("authorize page = %d %s", resp.StatusCode, page)
	}
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("exit code after Ctrl-C = %d, want 0 (stderr %s)", c, stderr.String())
	}
	text := <-rest
	for _, want := range []string{
		"export PROCORE_CLIENT_ID=" + sandbox.DemoClientID + "\n",
		"export PROCORE_CLIENT_SECRET=" + sandbox.DemoClientSecret + "\n",
		"--login-url " + u + " --api-url " + u + " --company-id 10 MANIFEST",
		"access compare --login-url " + u + " --api-url " + u + " --token-file sandbox-login.json --company-id 10\n",
		sandbox.DemoAuthorizationCode,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s%s", want, first, text)
		}
	}
	if !strings.Contains(stderr.String(), "sandbox: GET /oauth/authorize?") {
		t.Errorf("--verbose logged %q, want the request", stderr.String())
	}
}

// TestSandboxServeScenario serves a scenario file and prints neither its
// secret nor its fixed authorization code (only the demo's public ones are
// printed): it names where they are.
func TestSandboxServeScenario(t *testing.T) {
	dir := t.TempDir()
	const secret, fixedCode = "S3CRET-sp0t-me-4242", "QACODE-55aa"
	scenario := `{"app":{"uid":"u"},"clients":[{"id":"my-client","secret":"` + secret + `"}],` +
		`"login":{"user_id":501,"fixed_code":"` + fixedCode + `"},"users":[{"id":501,"login":"pat@example.com","name":"Pat","companies":[7]}],` +
		`"companies":[{"id":7,"name":"Seven","app_installed":true,"dmsa":{}}]}`
	if err := os.WriteFile(dir+"/s.json", []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- runEnv(ctx, &env{Stdout: pw, Stderr: &stderr}, []string{"manifestctl", "sandbox", "serve", "--addr", "127.0.0.1:0", "--scenario", dir + "/s.json"})
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	first, err := out.ReadString('\n')
	if err != nil || !strings.HasPrefix(first, "listening on http://127.0.0.1:") {
		t.Fatalf("first line = %q, %v (stderr %s)", first, err, stderr.String())
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(out)
		rest <- string(b)
	}()
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("exit code = %d, want 0", c)
	}
	text := first + <-rest + stderr.String()
	if strings.Contains(text, secret) {
		t.Errorf("output shows the scenario's secret:\n%s", text)
	}
	if strings.Contains(text, fixedCode) {
		t.Errorf("output shows the scenario's fixed code:\n%s", text)
	}
	if !strings.Contains(text, "or type the code given as login.fixed_code in "+dir+"/s.json") {
		t.Errorf("output = %s, want where the fixed code is", text)
	}
	if !strings.Contains(text, "PROCORE_CLIENT_ID=my-client") || !strings.Contains(text, "--company-id 7 ") {
		t.Errorf("output = %s, want the scenario's client id and company", text)
	}
}

// TestSandboxServeAddrInUse: a port already taken is exit 2.
func TestSandboxServeAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stderr bytes.Buffer
	c := runEnv(context.Background(), &env{Stderr: &stderr}, []string{"manifestctl", "sandbox", "serve", "--addr", ln.Addr().String()})
	if c != exitUsage || !strings.Contains(stderr.String(), "listen") {
		t.Errorf("exit %d, stderr %q; want 2 and a listen error", c, stderr.String())
	}
}

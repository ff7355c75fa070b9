package procore

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// h2Child runs inside a child process started with GODEBUG=http2debug=2:
// it talks to an HTTP/2-capable TLS server through the client's default
// transport (or, for the control run, through an HTTP/2 transport) and
// prints the protocol used.
func h2Child(t *testing.T, control bool) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"acc-SPOT-TOKEN","token_type":"bearer","expires_in":5400}`)
			return
		}
		fmt.Fprintf(os.Stdout, "server saw %s\n", r.Proto)
		writeJSON(w, []any{})
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	var base http.RoundTripper
	if control {
		tr := srv.Client().Transport.(*http.Transport).Clone()
		tr.ForceAttemptHTTP2 = true
		base = tr
	} else {
		tr := newBaseTransport()
		tr.TLSClientConfig = &tls.Config{RootCAs: roots}
		base = tr
	}
	c, err := NewClient(Options{Env: Environment{LoginURL: srv.URL, APIURL: srv.URL}, ClientID: "client-1", ClientSecret: spotSecret, Transport: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Projects(context.Background(), 1, false); err != nil {
		t.Fatal(err)
	}
}

func TestHTTP2DebugLogsNoSecret(t *testing.T) {
	if mode := os.Getenv("PROCORE_H2_CHILD"); mode != "" {
		h2Child(t, mode == "control")
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	run := func(mode string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHTTP2DebugLogsNoSecret$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GODEBUG=http2debug=2", "PROCORE_H2_CHILD="+mode)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child (%s): %v\n%s", mode, err, out)
		}
		return string(out)
	}
	// The control run proves the debug logging is on: through an HTTP/2
	// transport it prints the token (and the form with the secret).
	control := run("control")
	if !strings.Contains(control, "server saw HTTP/2.0") || !strings.Contains(control, "acc-SPOT-TOKEN") {
		t.Fatalf("control run did not use HTTP/2 with debug logging; the test proves nothing:\n%s", control)
	}
	out := run("client")
	if !strings.Contains(out, "server saw HTTP/1.1") {
		t.Errorf("the client's default transport did not speak HTTP/1.1:\n%s", out)
	}
	for _, s := range []string{spotSecret, "acc-SPOT-TOKEN"} {
		if strings.Contains(out, s) {
			t.Errorf("GODEBUG=http2debug=2 output carries %q:\n%s", s, out)
		}
	}
}

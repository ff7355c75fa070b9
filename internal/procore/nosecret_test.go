package procore

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestNoSecretInAnyError drives every error path with a server that
// echoes what it was sent, and checks that neither the client secret nor
// the access token reaches an error's text or a log line.
func TestNoSecretInAnyError(t *testing.T) {
	echo := func(r *http.Request) string {
		body, _ := io.ReadAll(r.Body)
		return fmt.Sprintf("auth=%s body=%s query=%s", r.Header.Get("Authorization"), body, r.URL.RawQuery)
	}
	const token = "tok-SPOT-ACCESS"
	tokenOK := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":5400}`, token)
	}
	// apiEcho grants a token, then answers every API call with status and
	// the request echoed as plain text.
	apiEcho := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				tokenOK(w)
				return
			}
			w.WriteHeader(status)
			io.WriteString(w, echo(r))
		}
	}
	tests := []struct {
		name   string
		handle http.HandlerFunc
	}{
		{"token endpoint 500 echoing the form", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, echo(r))
		}},
		{"token endpoint 400 echoing in error_description", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error":%q,"error_description":%q}`, "bad "+spotSecret, echo(r))
		}},
		{"token endpoint 200 with garbage", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "{"+echo(r))
		}},
		{"token endpoint drops the connection", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + echo(r))
			buf.Flush()
			conn.Close()
		}},
		{"API error echoing the Authorization header", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				tokenOK(w)
				return
			}
			w.Header().Set("X-Request-Id", r.Header.Get("Authorization"))
			w.WriteHeader(403)
			fmt.Fprintf(w, `{"errors":[%q]}`, echo(r))
		}},
		{"API 401 twice echoing", apiEcho(401)},
		{"API 500 plain text echo", apiEcho(502)},
		{"redirect with the token in the Location", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				tokenOK(w)
				return
			}
			w.Header().Set("Location", "https://elsewhere.test/x?access_token="+token+"#"+spotSecret)
			w.WriteHeader(307)
		}},
		{"next link with the token to another host", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				tokenOK(w)
				return
			}
			w.Header().Set("Link", "<https://u:"+spotSecret+"@elsewhere.test/p?access_token="+token+">; rel=next")
			writeJSON(w, []any{})
		}},
		{"API drops the connection after echoing", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/token" {
				tokenOK(w)
				return
			}
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.WriteString(echo(r) + "\r\n\r\n")
			buf.Flush()
			conn.Close()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handle)
			clk := newClock()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			c := newTestClient(t, f, clk, func(o *Options) { o.RequestTimeout = 5 * time.Second })
			ctx := context.Background()
			var errs []error
			_, err := c.Projects(ctx, 1, false)
			errs = append(errs, err)
			_, err = c.TokenInfo(ctx)
			errs = append(errs, err)
			_, err = c.Me(ctx)
			errs = append(errs, err)
			_, err = c.TokenExpiry(ctx)
			errs = append(errs, err)
			got := 0
			for _, err := range errs {
				if err == nil {
					continue
				}
				got++
				logger.Error("call failed", "err", err)
				text := err.Error() + fmt.Sprintf(" %v %+v %#v %q", err, err, err, err)
				for _, s := range []string{spotSecret, token} {
					if strings.Contains(text, s) {
						t.Errorf("error carries %q: %s", s, text)
					}
				}
			}
			if got == 0 {
				t.Fatalf("no call failed; the scenario tests nothing")
			}
			for _, s := range []string{spotSecret, token} {
				if strings.Contains(logs.String(), s) {
					t.Errorf("log carries %q: %s", s, logs.String())
				}
			}
		})
	}
}

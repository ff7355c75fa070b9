package procore

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestNoEncodedSecretInErrors: a server that echoes the request sends the
// client secret, the code and the token percent-encoded. A secret with
// characters that encode ("+", "/", "=", "&", a space) must not reach an
// error's text in any of its forms (QA: login printed
// client_secret=s3c%2Br%2Ft%3DX%26y from an echoing token endpoint).
func TestNoEncodedSecretInErrors(t *testing.T) {
	const secret = "s3c+r/t=X&y z"
	const code = "code+1/2=&x"
	const token = "tok+EN/x=y"
	forms := func(vals ...string) []string {
		var out []string
		for _, v := range vals {
			out = append(out, v, url.QueryEscape(v), url.PathEscape(v))
		}
		return out
	}
	echoForm := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if len(body) == 0 { // the fake parsed the form already
			body = []byte(r.PostForm.Encode())
		}
		if !strings.Contains(string(body), "client_secret=") {
			panic("the echo has no form to echo: " + string(body))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":%q}`, "bad request: "+string(body))
	}
	tests := []struct {
		name string
		run  func(t *testing.T, f *fake) error
	}{
		{"authorization code exchange", func(t *testing.T, f *fake) error {
			_, err := Exchange(context.Background(), Options{Env: f.env(), ClientID: "client-1", ClientSecret: secret}, code)
			return err
		}},
		{"client credentials", func(t *testing.T, f *fake) error {
			c := newTestClient(t, f, newClock(), func(o *Options) {
				o.ClientSecret = secret
				o.RequestTimeout = 5 * time.Second
			})
			_, err := c.TokenInfo(context.Background())
			return err
		}},
		{"API error echoing the query and the bearer", func(t *testing.T, f *fake) error {
			c := newTestClient(t, f, newClock(), func(o *Options) {
				o.ClientSecret = secret
				o.RequestTimeout = 5 * time.Second
			})
			_, err := c.Me(context.Background())
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/oauth/token" && tc.name == "API error echoing the query and the bearer" {
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":5400}`, token)
					return
				}
				if r.URL.Path != "/oauth/token" {
					w.WriteHeader(403)
					fmt.Fprintf(w, `{"errors":[%q]}`, "denied "+r.Header.Get("Authorization")+" "+url.QueryEscape(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
					return
				}
				echoForm(w, r)
			})
			err := tc.run(t, f)
			if err == nil {
				t.Fatal("no error: the case tests nothing")
			}
			text := err.Error() + fmt.Sprintf(" %v %+v %q", err, err, err)
			for _, s := range forms(secret, code, token) {
				if strings.Contains(text, s) {
					t.Errorf("error carries %q: %s", s, text)
				}
			}
		})
	}
}

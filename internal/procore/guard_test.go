package procore

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// failRT fails the test when any request reaches it.
type failRT struct {
	t *testing.T
	n atomic.Int64
}

func (f *failRT) RoundTrip(req *http.Request) (*http.Response, error) {
	f.n.Add(1)
	f.t.Errorf("request reached the network: %s %s", req.Method, req.URL)
	return nil, errors.New("network not allowed")
}

func TestGuardRefusesBeforeTheNetwork(t *testing.T) {
	env := Environment{Name: "t", LoginURL: "https://login.example.test", APIURL: "https://api.example.test:8443/base"}
	tests := []struct {
		name, method, url string
		reason            string
	}{
		{"POST to the API", "POST", "https://api.example.test:8443/base/rest/v1.0/projects", "POST is allowed only to the token URL"},
		{"PUT", "PUT", "https://api.example.test:8443/base/rest/v1.0/projects/1", "method PUT"},
		{"PATCH", "PATCH", "https://api.example.test:8443/base/rest/v1.0/projects/1", "method PATCH"},
		{"DELETE", "DELETE", "https://api.example.test:8443/base/rest/v1.0/projects/1", "method DELETE"},
		{"HEAD", "HEAD", "https://api.example.test:8443/base/rest/v1.0/projects", "method HEAD"},
		{"POST to another login path", "POST", "https://login.example.test/oauth/revoke", "POST is allowed only to the token URL"},
		{"POST to the token URL with a query", "POST", "https://login.example.test/oauth/token?x=1", "POST is allowed only to the token URL"},
		{"GET another host", "GET", "https://evil.example.test/rest/v1.0/me", "neither the login host nor the API host"},
		{"GET the API host on another port", "GET", "https://api.example.test/rest/v1.0/me", "neither the login host nor the API host"},
		{"GET the login host over http", "GET", "http://login.example.test/oauth/token/info", "plain http is allowed on loopback addresses only"},
		{"http to a non-loopback address", "GET", "http://10.0.0.1/rest/v1.0/me", "plain http"},
		{"another scheme", "GET", "ftp://api.example.test:8443/base", "scheme ftp"},
		{"user information", "GET", "https://u:p@api.example.test:8443/base/rest/v1.0/me", "user information"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := &failRT{t: t}
			var n atomic.Int64
			st, err := newStack(Options{Env: env, Transport: net}, &n)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequestWithContext(context.Background(), tc.method, tc.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := st.paced.RoundTrip(req)
			if resp != nil {
				t.Fatalf("RoundTrip gave a response, want a refusal")
			}
			var ge *GuardError
			if !errors.As(err, &ge) {
				t.Fatalf("RoundTrip error = %v, want a *GuardError", err)
			}
			if !strings.Contains(ge.Reason, tc.reason) {
				t.Errorf("reason = %q, want it to contain %q", ge.Reason, tc.reason)
			}
			if strings.Contains(err.Error(), ":p@") {
				t.Errorf("error %q shows user information", err)
			}
			if net.n.Load() != 0 || n.Load() != 0 {
				t.Errorf("%d requests reached the network (counted %d), want 0", net.n.Load(), n.Load())
			}
		})
	}
}

func TestGuardAllows(t *testing.T) {
	env := Environment{Name: "t", LoginURL: "http://127.0.0.1:9/login", APIURL: "http://[::1]:9"}
	allowed := []struct{ method, url string }{
		{"GET", "http://127.0.0.1:9/login/oauth/token/info"},
		{"POST", "http://127.0.0.1:9/login/oauth/token"},
		{"GET", "http://[::1]:9/rest/v1.0/me"},
	}
	g := &guard{}
	st, err := newStack(Options{Env: env, Transport: &failRT{t: t}}, new(atomic.Int64))
	if err != nil {
		t.Fatal(err)
	}
	g.login, g.api = st.login, st.api
	for _, a := range allowed {
		req, _ := http.NewRequest(a.method, a.url, nil)
		if reason := g.check(req); reason != "" {
			t.Errorf("%s %s refused: %s", a.method, a.url, reason)
		}
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://api.procore.com", true},
		{"https://api.procore.com/", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.1.2.3", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://api.procore.com", false},
		{"http://10.0.0.1", false},
		{"http://127.0.0.1.example.com", false},
		{"ftp://api.procore.com", false},
		{"api.procore.com", false},
		{"https://user:pw@api.procore.com", false},
		{"https://api.procore.com?x=1", false},
		{"", false},
	}
	for _, tc := range tests {
		err := CheckBaseURL(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CheckBaseURL(%q) = %v, want ok %v", tc.in, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("CheckBaseURL(%q) = %v shows the password", tc.in, err)
		}
	}
}

func TestLookupEnvironment(t *testing.T) {
	want := map[string][2]string{
		"production": {"https://login.procore.com", "https://api.procore.com"},
		"sandbox":    {"https://login-sandbox.procore.com", "https://sandbox.procore.com"},
		"monthly":    {"https://login-sandbox-monthly.procore.com", "https://api-monthly.procore.com"},
		"federal":    {"https://login.procoregov.com", "https://api.procoregov.com"},
	}
	for name, hosts := range want {
		env, err := LookupEnvironment(name)
		if err != nil {
			t.Fatalf("LookupEnvironment(%q): %v", name, err)
		}
		if env.Name != name || env.LoginURL != hosts[0] || env.APIURL != hosts[1] {
			t.Errorf("LookupEnvironment(%q) = %+v, want %v", name, env, hosts)
		}
	}
	_, err := LookupEnvironment("staging")
	if err == nil || !strings.Contains(err.Error(), "production, sandbox, monthly, federal") {
		t.Errorf("LookupEnvironment(staging) = %v, want an error listing the names", err)
	}
}

func TestNewClientRejects(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no credentials", Options{Env: Environment{LoginURL: "https://l.test", APIURL: "https://a.test"}}, "no credentials"},
		{"secret without id", Options{Env: Environment{LoginURL: "https://l.test", APIURL: "https://a.test"}, ClientSecret: spotSecret}, "without a client id"},
		{"http API", Options{Env: Environment{LoginURL: "https://l.test", APIURL: "http://a.test"}, AccessToken: spotSecret}, "loopback"},
		{"bad login", Options{Env: Environment{LoginURL: "l.test", APIURL: "https://a.test"}, AccessToken: spotSecret}, "login URL"},
	}
	for _, tc := range tests {
		_, err := NewClient(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: NewClient = %v, want an error containing %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), spotSecret) {
			t.Errorf("%s: error carries the secret", tc.name)
		}
	}
}

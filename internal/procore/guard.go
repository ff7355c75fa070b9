package procore

import (
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
)

// guard is the innermost transport: it refuses, before the network, any
// request Procore must never see from this client. Allowed: GET to the
// login or API host (same scheme, host and port), and POST to exactly the
// token URL; plain http only on loopback.
type guard struct {
	login, api *url.URL
	tokenURL   string // scheme://host/path of {login}/oauth/token
	next       http.RoundTripper
}

func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if reason := g.check(req); reason != "" {
		closeBody(req)
		return nil, &GuardError{Method: req.Method, URL: redactURL(req.URL), Reason: reason}
	}
	return g.next.RoundTrip(req)
}

// check returns why req is refused, or "".
func (g *guard) check(req *http.Request) string {
	u := req.URL
	if u == nil {
		return "no URL"
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "plain http is allowed on loopback addresses only"
		}
	default:
		return "scheme " + u.Scheme + " is not allowed"
	}
	if u.User != nil {
		return "user information in the URL is not allowed"
	}
	switch req.Method {
	case http.MethodGet:
		if !sameOrigin(u, g.login) && !sameOrigin(u, g.api) {
			return "host " + u.Host + " is neither the login host nor the API host"
		}
	case http.MethodPost:
		if !sameOrigin(u, g.login) || u.RawQuery != "" || strings.TrimSuffix(u.EscapedPath(), "/") != strings.TrimSuffix(tokenPath(g.login), "/") {
			return "POST is allowed only to the token URL " + g.tokenURL
		}
	default:
		return "method " + req.Method + " is not allowed (GET only, POST only to the token URL)"
	}
	return ""
}

// sameOrigin reports whether u has a's scheme, host and port (the port
// made explicit).
func sameOrigin(u, a *url.URL) bool {
	return strings.EqualFold(u.Scheme, a.Scheme) && strings.EqualFold(u.Hostname(), a.Hostname()) && portOf(u) == portOf(a)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

func tokenPath(login *url.URL) string { return login.EscapedPath() + "/oauth/token" }

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// counter counts every request handed to the network transport, and
// every time net/http writes it again by itself (it silently resends an
// idempotent request whose reused connection closed before any answer):
// each write after the first is one more request the server may have
// seen and counted.
type counter struct {
	n    *atomic.Int64
	next http.RoundTripper
}

func (c *counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	var writes atomic.Int64
	trace := &httptrace.ClientTrace{WroteHeaders: func() {
		if writes.Add(1) > 1 {
			c.n.Add(1)
		}
	}}
	return c.next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
}

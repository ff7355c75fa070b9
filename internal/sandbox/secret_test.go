package sandbox

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestNoEcho sends an easy-to-spot secret everywhere a client could put
// it and checks that no response, log line or logged request carries it,
// and that each token appears only in the response that issued it.
func TestNoEcho(t *testing.T) {
	const secret = "S3CRET-sp0t-me-4242"
	sc := demoWith(func(s *Scenario) {
		s.Clients = []Client{{ID: DemoClientID, Secret: secret}}
		s.Login.FixedCode = ""
		s.Tokens.AccessTokenLifetime = 60
	})
	e := newTestEnv(t, sc)
	form := func(kv ...string) url.Values {
		v := url.Values{"client_id": {DemoClientID}, "client_secret": {secret}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	var issued []string
	keep := func(r result, tr tokenResponse) {
		if r.status == 200 {
			issued = append(issued, tr.AccessToken)
			if tr.RefreshToken != "" {
				issued = append(issued, tr.RefreshToken)
			}
		}
	}
	keep(e.tokenRequest(form("grant_type", "client_credentials")))
	dmsa := issued[0]
	e.tokenRequest(form("grant_type", "client_credentials", "client_secret", secret+"-wrong"))
	e.do("POST", "/oauth/token?client_secret="+secret, nil, form("grant_type", "client_credentials", "client_id", "nobody"))
	e.do("POST", "/oauth/token", nil, form("grant_type", secret))
	code := e.authorizeCode()
	keep(e.tokenRequest(form("grant_type", "authorization_code", "code", code, "redirect_uri", OOBRedirectURI)))
	e.tokenRequest(form("grant_type", "authorization_code", "code", code, "redirect_uri", OOBRedirectURI))
	refresh := issued[len(issued)-1]
	keep(e.tokenRequest(form("grant_type", "refresh_token", "refresh_token", refresh)))
	e.tokenRequest(form("grant_type", "refresh_token", "refresh_token", refresh))
	e.get("", "", "/oauth/authorize?response_type=code&client_id="+DemoClientID+"&client_secret="+secret+"&redirect_uri="+url.QueryEscape(OOBRedirectURI))
	// A credential in the query is not carried into the Link URLs.
	if r := e.get(dmsa, "10", "/rest/v1.0/projects?company_id=10&per_page=1&access_token="+secret+"&client_secret="+secret); r.header.Get("Link") == "" {
		t.Errorf("no Link on a page of 1 of 2 projects")
	}
	e.get(dmsa, "10", "/rest/v1.0/companies?per_page=1&code="+secret)
	e.get(dmsa, secret, "/rest/v1.0/projects?company_id=10")
	e.get(secret, "10", "/rest/v1.0/me")
	e.do("POST", "/rest/v1.0/projects?company_id=10", map[string]string{"Authorization": "Bearer " + dmsa}, form("x", secret))
	e.do("GET", "/rest/v1.0/me", map[string]string{"Authorization": "Bearer " + dmsa, "Procore-Company-Id": "10"}, form("y", secret))
	e.clock.Advance(time.Hour)
	e.get(dmsa, "10", "/rest/v1.0/me")
	e.get(dmsa, "", "/oauth/token/info")

	for i, dump := range e.seen {
		if strings.Contains(dump, secret) {
			t.Errorf("response %d carries the secret:\n%s", i, dump)
		}
	}
	for _, tok := range issued {
		n := 0
		for _, dump := range e.seen {
			if strings.Contains(dump, tok) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("a token appears in %d responses, want only the one that issued it", n)
		}
	}
	e.mu.Lock()
	logs := strings.Join(e.logs, "\n")
	e.mu.Unlock()
	if len(e.logs) != len(e.seen) {
		t.Errorf("%d log lines for %d requests", len(e.logs), len(e.seen))
	}
	var reqs strings.Builder
	for _, r := range e.srv.Requests() {
		reqs.WriteString(r.Method + " " + r.Path + "?" + r.RawQuery + " " + r.CompanyHeader + "\n")
	}
	for _, where := range []struct{ name, text string }{{"log", logs}, {"request log", reqs.String()}} {
		if strings.Contains(where.text, secret) {
			t.Errorf("the %s carries the secret:\n%s", where.name, where.text)
		}
		for _, tok := range append(issued, code) {
			if strings.Contains(where.text, tok) {
				t.Errorf("the %s carries a token or code:\n%s", where.name, where.text)
			}
		}
	}
}

func TestRequestsLog(t *testing.T) {
	e := newTestEnv(t, Demo())
	tok := e.dmsaToken()
	e.get(tok, "10", "/rest/v1.0/projects?company_id=10&per_page=5")
	e.get("", "", "/rest/v1.0/me")
	want := []Request{
		{Method: "POST", Path: "/oauth/token", Status: 200},
		{Method: "GET", Path: "/rest/v1.0/projects", RawQuery: "company_id=10&per_page=5", CompanyHeader: "10", HadBearer: true, Status: 200},
		{Method: "GET", Path: "/rest/v1.0/me", Status: 401},
	}
	got := e.srv.Requests()
	if len(got) != len(want) {
		t.Fatalf("Requests() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	e.srv.ResetRequests()
	if got := e.srv.Requests(); len(got) != 0 {
		t.Errorf("after ResetRequests: %+v", got)
	}
}

func TestRedactQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"company_id=10&page=2", "company_id=10&page=2"},
		{"client_secret=x&client_id=y", "client_secret=REDACTED&client_id=y"},
		{"code=abc&refresh_token=r&access_token=a", "code=REDACTED&refresh_token=REDACTED&access_token=REDACTED"},
		{"client%5Fsecret=x", "client%5Fsecret=REDACTED"},
		{"CODE=x", "CODE=REDACTED"},
	}
	for _, tt := range tests {
		if got := redactQuery(tt.in); got != tt.want {
			t.Errorf("redactQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDateHeaderOnEveryResponse(t *testing.T) {
	e := newTestEnv(t, Demo())
	for _, target := range []string{"/oauth/token/info", "/oauth/authorize", "/rest/v1.0/me", "/nowhere"} {
		r := e.get("", "", target)
		if r.header.Get("Date") != e.clock.Now().Format(http.TimeFormat) || r.header.Get("X-Rate-Limit-Reset") == "" || r.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: Date %q, X-Rate-Limit-Reset %q, X-Request-Id %q", target, r.header.Get("Date"), r.header.Get("X-Rate-Limit-Reset"), r.header.Get("X-Request-Id"))
		}
	}
}

// TestBounds: a long-running server keeps a bounded request log and
// forgets long-expired tokens.
func TestBounds(t *testing.T) {
	clock := newClock()
	s, err := New(Demo(), Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/rest/v1.0/me", nil)
	for range maxLog + 1 {
		s.record(&call{r: req}, 200)
	}
	if n := len(s.Requests()); n > maxLog || n < maxLog/2 {
		t.Errorf("%d requests logged, want between %d and %d", n, maxLog/2, maxLog)
	}
	for range maxTokens {
		s.issue(httptest.NewRecorder(), DemoClientID, 0, false, clock.Now())
	}
	clock.Advance(s.tokenLifetime() + time.Hour + time.Second)
	s.issue(httptest.NewRecorder(), DemoClientID, 0, false, clock.Now())
	if n := len(s.tokens); n != 1 {
		t.Errorf("%d tokens kept, want only the fresh one", n)
	}
}

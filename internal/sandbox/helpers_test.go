package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is an injected clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testEnv is a server on httptest (loopback) with a fake clock and a
// captured log.
type testEnv struct {
	t      *testing.T
	srv    *Server
	hs     *httptest.Server
	clock  *fakeClock
	client *http.Client

	mu   sync.Mutex
	logs []string
	// seen collects every response (status line, headers and body) for
	// the no-echo checks.
	seen []string
}

func newTestEnv(t *testing.T, sc *Scenario) *testEnv {
	t.Helper()
	e := &testEnv{t: t, clock: newClock()}
	srv, err := New(sc, Options{Now: e.clock.Now, Logf: func(format string, args ...any) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.logs = append(e.logs, fmt.Sprintf(format, args...))
	}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.srv = srv
	e.hs = httptest.NewServer(srv)
	t.Cleanup(e.hs.Close)
	e.client = &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return e
}

// result is one response, read whole.
type result struct {
	status int
	header http.Header
	body   string
}

func (r result) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// do sends a request; header may set Authorization and Procore-Company-Id.
func (e *testEnv) do(method, target string, header map[string]string, form url.Values) result {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.hs.URL+target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	var dump strings.Builder
	fmt.Fprintf(&dump, "%d\n", resp.StatusCode)
	resp.Header.Write(&dump)
	dump.Write(b)
	e.mu.Lock()
	e.seen = append(e.seen, dump.String())
	e.mu.Unlock()
	return result{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// get sends a GET with a bearer token and, when company is not empty, the
// company header.
func (e *testEnv) get(tok, company, target string) result {
	e.t.Helper()
	h := map[string]string{}
	if tok != "" {
		h["Authorization"] = "Bearer " + tok
	}
	if company != "" {
		h["Procore-Company-Id"] = company
	}
	return e.do(http.MethodGet, target, h, nil)
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token"`
}

func (e *testEnv) tokenRequest(form url.Values) (result, tokenResponse) {
	e.t.Helper()
	r := e.do(http.MethodPost, "/oauth/token", nil, form)
	var tr tokenResponse
	if r.status == http.StatusOK {
		r.json(e.t, &tr)
	}
	return r, tr
}

// dmsaToken gets a client-credentials token with the demo credentials.
func (e *testEnv) dmsaToken() string {
	e.t.Helper()
	r, tr := e.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	if r.status != http.StatusOK || tr.AccessToken == "" {
		e.t.Fatalf("client credentials: %d %s", r.status, r.body)
	}
	return tr.AccessToken
}

var codeRE = regexp.MustCompile(`<code id="authorization_code">([^<]*)</code>`)

// authorizeCode opens the authorize page and returns the code it shows.
func (e *testEnv) authorizeCode() string {
	e.t.Helper()
	r := e.get("", "", "/oauth/authorize?response_type=code&client_id="+DemoClientID+"&redirect_uri="+url.QueryEscape(OOBRedirectURI))
	m := codeRE.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		e.t.Fatalf("authorize: %d %s", r.status, r.body)
	}
	return m[1]
}

// userToken logs the scenario's user in with code.
func (e *testEnv) userToken(code string) tokenResponse {
	e.t.Helper()
	r, tr := e.tokenRequest(url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {OOBRedirectURI}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	if r.status != http.StatusOK || tr.AccessToken == "" || tr.RefreshToken == "" {
		e.t.Fatalf("authorization code: %d %s", r.status, r.body)
	}
	return tr
}

// ids decodes a JSON array of objects with "id" fields.
func ids(t *testing.T, r result) []int64 {
	t.Helper()
	var items []struct {
		ID int64 `json:"id"`
	}
	r.json(t, &items)
	out := []int64{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// tools decodes settings/permissions into name → "id/available".
func tools(t *testing.T, r result) map[string]string {
	t.Helper()
	var body struct {
		Tools []struct {
			Name             string `json:"name"`
			AvailableForUser bool   `json:"available_for_user"`
			UserAccessLevel  struct {
				ID   int    `json:"id"`
				Name string `json:"name"`
			} `json:"user_access_level"`
		} `json:"tools"`
	}
	r.json(t, &body)
	out := map[string]string{}
	for _, tl := range body.Tools {
		out[tl.Name] = fmt.Sprintf("%d %s %t", tl.UserAccessLevel.ID, tl.UserAccessLevel.Name, tl.AvailableForUser)
	}
	return out
}

// demoWith returns the demo scenario changed by edit.
func demoWith(edit func(*Scenario)) *Scenario {
	s := Demo()
	if edit != nil {
		edit(s)
	}
	return s
}

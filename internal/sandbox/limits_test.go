package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// limitState is what the rate-limit headers of one response say.
type limitState struct {
	status     int
	remaining  string
	reset      int64
	retryAfter string
}

func stateOf(t *testing.T, r result) limitState {
	t.Helper()
	if r.header.Get("X-Rate-Limit-Limit") == "" || r.header.Get("Date") == "" {
		t.Fatalf("response %d lacks X-Rate-Limit-Limit or Date: %v", r.status, r.header)
	}
	reset, err := strconv.ParseInt(r.header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		t.Fatalf("X-Rate-Limit-Reset %q: %v", r.header.Get("X-Rate-Limit-Reset"), err)
	}
	return limitState{r.status, r.header.Get("X-Rate-Limit-Remaining"), reset, r.header.Get("Retry-After")}
}

func TestRateLimit(t *testing.T) {
	sc := demoWith(func(s *Scenario) {
		s.RateLimit = &RateLimit{Limit: 3, WindowSeconds: 10}
		s.Companies[1].RateLimit = &RateLimit{Limit: 1, WindowSeconds: 60}
	})
	e := newTestEnv(t, sc)
	dmsa := e.dmsaToken()
	t0 := e.clock.Now().Unix()
	co10 := func() result { return e.get(dmsa, "10", "/rest/v1.0/projects?company_id=10") }

	for i, want := range []limitState{{200, "2", t0 + 10, ""}, {200, "1", t0 + 10, ""}, {200, "0", t0 + 10, ""}} {
		if got := stateOf(t, co10()); got != want {
			t.Errorf("request %d: %+v, want %+v", i+1, got, want)
		}
	}
	r := co10()
	if got, want := stateOf(t, r), (limitState{429, "0", t0 + 10, "10"}); got != want {
		t.Errorf("past the limit: %+v, want %+v", got, want)
	}
	if r.body != rateLimitBody || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Errorf("429 body %q (%s), want Procore's plain text", r.body, r.header.Get("Content-Type"))
	}
	if r.header.Get("Date") != e.clock.Now().Format(http.TimeFormat) {
		t.Errorf("Date = %q, want the clock's time", r.header.Get("Date"))
	}

	// Another company of the same DMSA has its own window (and here its
	// own limit of 1 a minute).
	if got, want := stateOf(t, e.get(dmsa, "20", "/rest/v1.0/projects?company_id=20")), (limitState{200, "0", t0 + 60, ""}); got != want {
		t.Errorf("company 20: %+v, want %+v", got, want)
	}
	if got := stateOf(t, e.get(dmsa, "20", "/rest/v1.0/projects?company_id=20")); got.status != 429 {
		t.Errorf("company 20 second call: %+v, want 429", got)
	}
	// The user's token is counted apart from the DMSA's, and the login
	// host apart from the API.
	user := e.userToken(DemoAuthorizationCode).AccessToken
	if got := stateOf(t, e.get(user, "10", "/rest/v1.0/projects?company_id=10")); got.status != 200 {
		t.Errorf("user in company 10: %+v, want 200", got)
	}
	if got := stateOf(t, e.get(dmsa, "", "/oauth/token/info")); got.status != 200 {
		t.Errorf("token info: %+v, want 200", got)
	}

	// 429s are not counted: the window still frees at t0+10.
	e.clock.Advance(4 * time.Second)
	if got, want := stateOf(t, co10()), (limitState{429, "0", t0 + 10, "6"}); got != want {
		t.Errorf("at +4 s: %+v, want %+v", got, want)
	}
	e.clock.Advance(6 * time.Second)
	if got, want := stateOf(t, co10()), (limitState{200, "2", t0 + 20, ""}); got != want {
		t.Errorf("at +10 s: %+v, want %+v", got, want)
	}
}

func TestRateLimitSlidingWindow(t *testing.T) {
	e := newTestEnv(t, demoWith(func(s *Scenario) { s.RateLimit = &RateLimit{Limit: 3, WindowSeconds: 10} }))
	dmsa := e.dmsaToken()
	t0 := e.clock.Now().Unix()
	call := func() limitState { return stateOf(t, e.get(dmsa, "10", "/rest/v1.0/me")) }
	steps := []struct {
		advance time.Duration
		want    limitState
	}{
		{0, limitState{200, "2", t0 + 10, ""}},
		{4 * time.Second, limitState{200, "1", t0 + 10, ""}},
		{4 * time.Second, limitState{200, "0", t0 + 10, ""}},
		{1 * time.Second, limitState{429, "0", t0 + 10, "1"}},
		// The first request leaves the window: one more fits, and the
		// next reset is when the second leaves.
		{1 * time.Second, limitState{200, "0", t0 + 14, ""}},
		{4 * time.Second, limitState{200, "0", t0 + 18, ""}},
		// Ten quiet seconds later, the remainder has risen again.
		{10 * time.Second, limitState{200, "2", t0 + 34, ""}},
	}
	for i, s := range steps {
		e.clock.Advance(s.advance)
		if got := call(); got != s.want {
			t.Errorf("step %d: %+v, want %+v", i, got, s.want)
		}
	}
}

// TestRateLimitWholeSeconds: requests are counted in whole seconds, so
// a client that waits until X-Rate-Limit-Reset (compared with Date, both
// whole seconds) gets in at once.
func TestRateLimitWholeSeconds(t *testing.T) {
	e := newTestEnv(t, demoWith(func(s *Scenario) { s.RateLimit = &RateLimit{Limit: 2, WindowSeconds: 2} }))
	dmsa := e.dmsaToken()
	e.clock.Advance(300 * time.Millisecond)
	t0 := e.clock.Now().Unix()
	e.get(dmsa, "10", "/rest/v1.0/me")
	e.clock.Advance(500 * time.Millisecond)
	last := stateOf(t, e.get(dmsa, "10", "/rest/v1.0/me"))
	if want := (limitState{200, "0", t0 + 2, ""}); last != want {
		t.Fatalf("second call: %+v, want %+v", last, want)
	}
	// Wait until the reset second begins, as a client reading the
	// headers would.
	e.clock.Advance(time.Unix(last.reset, 0).Sub(e.clock.Now()))
	if e.clock.Now().Unix() != last.reset {
		t.Fatalf("clock at %v, want the reset second", e.clock.Now())
	}
	if got := stateOf(t, e.get(dmsa, "10", "/rest/v1.0/me")); got.status != 200 {
		t.Errorf("at the reset: %+v, want 200", got)
	}
}

func TestFaults(t *testing.T) {
	seven := int64(7)
	perm := func(p string) string { return "/rest/v1.0/settings/permissions?project_id=" + p }
	type step struct {
		company, target string
		status          int
	}
	tests := []struct {
		name  string
		fault Fault
		steps []step
	}{
		{
			name:  "nth call of a project gets 503 with Retry-After",
			fault: Fault{Path: "/rest/v1.0/settings/permissions", ProjectID: 102, Nth: 2, Status: 503, RetryAfterSeconds: &seven},
			steps: []step{{"10", perm("101"), 200}, {"10", perm("102"), 200}, {"10", perm("102"), 503}, {"10", perm("102"), 200}},
		},
		{
			name:  "every call of a company",
			fault: Fault{CompanyID: 20, Every: true, Status: 500},
			steps: []step{{"10", "/rest/v1.0/me", 200}, {"20", "/rest/v1.0/me", 500}, {"20", "/rest/v1.0/projects?company_id=20", 500}},
		},
		{
			name:  "path pattern",
			fault: Fault{Path: "/rest/v1.0/projects/*/tools", Every: true, Status: 502},
			steps: []step{{"10", "/rest/v1.0/projects/101/tools", 502}, {"10", "/rest/v1.0/projects?company_id=10", 200}},
		},
		{
			name:  "a 429 fault looks like Procore's",
			fault: Fault{Path: "/rest/v1.0/me", Nth: 1, Status: 429, RetryAfterSeconds: &seven},
			steps: []step{{"10", "/rest/v1.0/me", 429}},
		},
		{
			name:  "redirect to another host",
			fault: Fault{Path: "/rest/v1.0/projects", Every: true, RedirectTo: "http://127.0.0.2:9/stolen"},
			steps: []step{{"10", "/rest/v1.0/projects?company_id=10", 302}},
		},
		{
			name:  "Link to another host",
			fault: Fault{Path: "/rest/v1.0/projects", Every: true, LinkHost: "http://127.0.0.2:9"},
			steps: []step{{"10", "/rest/v1.0/projects?company_id=10&per_page=1", 200}},
		},
		{
			name:  "short delay, then the normal answer",
			fault: Fault{Path: "/rest/v1.0/me", Every: true, DelayMS: 1},
			steps: []step{{"10", "/rest/v1.0/me", 200}},
		},
		{
			name:  "method match",
			fault: Fault{Method: "POST", Path: "/oauth/token", Every: true, Status: 500},
			steps: []step{{"10", "/rest/v1.0/me", 200}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := demoWith(func(s *Scenario) { s.Faults = []Fault{tt.fault} })
			e := newTestEnv(t, sc)
			var tok string
			if tt.fault.Method == "POST" {
				// The fault is on the token endpoint; GETs elsewhere pass.
				r := e.do("POST", "/oauth/token", nil, url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
				if r.status != 500 {
					t.Fatalf("token request = %d, want the injected 500", r.status)
				}
				if r := e.get("", "", "/oauth/authorize?response_type=code&client_id="+DemoClientID+"&redirect_uri="+url.QueryEscape(OOBRedirectURI)); r.status != 200 {
					t.Errorf("authorize = %d, want 200", r.status)
				}
				return
			}
			tok = e.dmsaToken()
			var last result
			for i, s := range tt.steps {
				last = e.get(tok, s.company, s.target)
				if last.status != s.status {
					t.Fatalf("step %d: GET %s = %d %s, want %d", i, s.target, last.status, last.body, s.status)
				}
				if last.header.Get("X-Rate-Limit-Remaining") == "" {
					t.Errorf("step %d: no rate-limit headers", i)
				}
			}
			f := tt.fault
			switch {
			case f.Status == 429:
				if last.body != rateLimitBody || last.header.Get("Retry-After") != "7" {
					t.Errorf("429 fault: body %q Retry-After %q", last.body, last.header.Get("Retry-After"))
				}
			case f.RedirectTo != "":
				if last.header.Get("Location") != f.RedirectTo {
					t.Errorf("Location = %q, want %q", last.header.Get("Location"), f.RedirectTo)
				}
			case f.LinkHost != "":
				next := parseLink(t, last.header.Get("Link"))["next"]
				if !strings.HasPrefix(next, f.LinkHost+"/rest/v1.0/projects?") {
					t.Errorf("next = %q, want it on %s", next, f.LinkHost)
				}
			}
		})
	}
	t.Run("Retry-After on the faulted answer", func(t *testing.T) {
		e := newTestEnv(t, demoWith(func(s *Scenario) {
			s.Faults = []Fault{{Path: "/rest/v1.0/me", Nth: 1, Status: 503, RetryAfterSeconds: &seven}}
		}))
		tok := e.dmsaToken()
		if r := e.get(tok, "10", "/rest/v1.0/me"); r.status != 503 || r.header.Get("Retry-After") != "7" {
			t.Errorf("= %d Retry-After %q, want 503 and 7", r.status, r.header.Get("Retry-After"))
		}
	})
	t.Run("faults compose: latency everywhere, an error on one path", func(t *testing.T) {
		e := newTestEnv(t, demoWith(func(s *Scenario) {
			s.Faults = []Fault{
				{Every: true, DelayMS: 1},
				{Path: "/rest/v1.0/projects", Nth: 1, Status: 500},
			}
		}))
		var delays atomic.Int32
		e.srv.onDelay = func() { delays.Add(1) }
		tok := e.dmsaToken()
		if r := e.get(tok, "10", "/rest/v1.0/projects?company_id=10"); r.status != 500 {
			t.Errorf("first projects call = %d, want 500", r.status)
		}
		if r := e.get(tok, "10", "/rest/v1.0/projects?company_id=10"); r.status != 200 {
			t.Errorf("second projects call = %d, want 200", r.status)
		}
		if n := delays.Load(); n != 3 {
			t.Errorf("%d delays for 3 requests, want 3", n)
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		e := newTestEnv(t, demoWith(func(s *Scenario) { s.Faults = []Fault{{Path: "/rest/v1.0/me", Nth: 1, Drop: true}} }))
		tok := e.dmsaToken()
		req, _ := http.NewRequest("GET", e.hs.URL+"/rest/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Procore-Company-Id", "10")
		// A fresh connection: on a reused one Go's transport would
		// silently retry the GET.
		fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		if resp, err := fresh.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("dropped request answered %d, want a connection error", resp.StatusCode)
		}
		if r := e.get(tok, "10", "/rest/v1.0/me"); r.status != 200 {
			t.Errorf("next call = %d, want 200", r.status)
		}
		reqs := e.srv.Requests()
		if got := reqs[len(reqs)-2].Status; got != -1 {
			t.Errorf("logged status of the dropped request = %d, want -1", got)
		}
	})
	t.Run("long delay outlasts the client", func(t *testing.T) {
		e := newTestEnv(t, demoWith(func(s *Scenario) { s.Faults = []Fault{{Path: "/rest/v1.0/me", Every: true, DelayMS: 600_000}} }))
		tok := e.dmsaToken()
		waiting := make(chan struct{})
		e.srv.onDelay = func() { close(waiting) }
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", e.hs.URL+"/rest/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Procore-Company-Id", "10")
		done := make(chan error, 1)
		go func() {
			resp, err := e.client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		<-waiting
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("delayed request = %v, want the client's cancellation while the server waits", err)
		}
	})
}

package procore

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// spotSecret is a client secret that is easy to find in any output.
const spotSecret = "s3cr3t-SPOT-ME"

// t0 is the fake clock's start (and the fake server's Date).
var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// clock is an injected clock; sleeping advances it.
type clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// recorded is one request a fake server saw.
type recorded struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Form         url.Values
}

// fake is a small stand-in for Procore on loopback: it records every
// request and passes it to handle.
type fake struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []recorded
	handle http.HandlerFunc
}

func newFake(t *testing.T, handle http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
		if r.Method == http.MethodPost {
			_ = r.ParseForm()
			rec.Form = r.PostForm
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, rec)
		f.mu.Unlock()
		f.handle(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) URL() string { return f.srv.URL }

func (f *fake) Requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// count returns how many requests had path p.
func (f *fake) count(p string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Path == p {
			n++
		}
	}
	return n
}

func (f *fake) env() Environment {
	return Environment{Name: "test", LoginURL: f.URL(), APIURL: f.URL()}
}

// tokenIssuer is a token endpoint for the client credentials grant: it
// checks the credentials and issues tok-1, tok-2, ... lasting expiresIn
// seconds on clk.
type tokenIssuer struct {
	mu        sync.Mutex
	clk       *clock
	expiresIn int
	n         int
	expiry    map[string]time.Time
}

func newIssuer(clk *clock, expiresIn int) *tokenIssuer {
	return &tokenIssuer{clk: clk, expiresIn: expiresIn, expiry: map[string]time.Time{}}
}

func (ti *tokenIssuer) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.PostForm.Get("client_id") != "client-1" || r.PostForm.Get("client_secret") != spotSecret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid_client","error_description":"Client authentication failed for %s"}`, r.PostForm.Get("client_secret"))
		return
	}
	ti.mu.Lock()
	ti.n++
	tok := "tok-" + strconv.Itoa(ti.n)
	ti.expiry[tok] = ti.clk.Now().Add(time.Duration(ti.expiresIn) * time.Second)
	ti.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":%d,"created_at":1}`, tok, ti.expiresIn)
}

// valid reports whether r carries a token that has not expired.
func (ti *tokenIssuer) valid(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	ti.mu.Lock()
	defer ti.mu.Unlock()
	exp, ok := ti.expiry[tok]
	return ok && ti.clk.Now().Before(exp)
}

// api is a fake Procore answering the client credentials grant and the
// REST endpoints the tests use through route.
func api(t *testing.T, clk *clock, expiresIn int, route func(w http.ResponseWriter, r *http.Request)) (*fake, *tokenIssuer) {
	ti := newIssuer(clk, expiresIn)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", clk.Now().UTC().Format(http.TimeFormat))
		if r.URL.Path == "/oauth/token" {
			ti.serveToken(w, r)
			return
		}
		if !ti.valid(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token","error_description":"The access token is invalid"}`)
			return
		}
		route(w, r)
	})
	return f, ti
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// newTestClient is a client credentials client for f with clk injected
// and a fixed jitter.
func newTestClient(t *testing.T, f *fake, clk *clock, mods ...func(*Options)) *Client {
	t.Helper()
	opts := Options{
		Env:          f.env(),
		ClientID:     "client-1",
		ClientSecret: spotSecret,
		Now:          clk.Now,
		Sleep:        clk.Sleep,
		Rand:         func() float64 { return 0.5 },
	}
	for _, m := range mods {
		m(&opts)
	}
	c, err := NewClient(opts)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// oauth2StaticSource always returns the same token.
func oauth2StaticSource(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
}

// scaledClock runs simulated time 100 times faster than real time, for
// tests where concurrent sleepers must wait for the same moments (a
// shared fake clock would move once per sleeper). No test asserts a
// duration with it.
type scaledClock struct{ start time.Time }

const timeScale = 100

func newScaledClock() *scaledClock { return &scaledClock{start: time.Now()} }

func (c *scaledClock) Now() time.Time {
	return t0.Add(time.Since(c.start) * timeScale)
}

func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	return sleepCtx(ctx, d/timeScale)
}

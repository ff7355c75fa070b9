package procore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rateHeaders sets Procore's rate-limit headers with a reset secs after
// the fake clock's now (which is also the response's Date).
func rateHeaders(w http.ResponseWriter, clk *clock, limit, remaining int, secs int64) {
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(clk.Now().Unix()+secs, 10))
}

func TestPacingPerCompany(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Procore-Company-Id") {
		case "1": // company 1 has used its window up: 30 s to go
			rateHeaders(w, clk, 20, 0, 30)
		case "2":
			rateHeaders(w, clk, 20, 19, 30)
		}
		writeJSON(w, map[string]any{"tools": []any{}})
	})
	var waits []string
	c := newTestClient(t, f, clk, func(o *Options) {
		o.OnWait = func(id int64, d time.Duration) { waits = append(waits, fmt.Sprintf("%d:%v", id, d)) }
	})
	ctx := context.Background()
	mustTools := func(id int64) {
		t.Helper()
		if _, err := c.CompanyPermissions(ctx, id); err != nil {
			t.Fatalf("CompanyPermissions(%d): %v", id, err)
		}
	}
	mustTools(1)
	mustTools(2)
	mustTools(2)
	mustTools(2)
	if got := clk.Sleeps(); len(got) != 0 {
		t.Fatalf("company 2 was slowed by company 1: sleeps %v", got)
	}
	mustTools(1)
	if got, want := clk.Sleeps(), []time.Duration{30 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v (company 1 waits for its reset)", got, want)
	}
	if want := []string{"1:30s"}; !slices.Equal(waits, want) {
		t.Errorf("OnWait calls = %v, want %v", waits, want)
	}
	if got := c.Requests(); got != 6 {
		t.Errorf("Requests() = %d, want 6 (1 token + 5 calls)", got)
	}
}

// TestPacingUsesDateNotLocalClock: the reset is compared with the
// response's Date, so a local clock an hour off changes nothing.
func TestPacingUsesDateNotLocalClock(t *testing.T) {
	srvClk := newClock()
	f, _ := api(t, srvClk, 5400, func(w http.ResponseWriter, r *http.Request) {
		rateHeaders(w, srvClk, 20, 0, 12)
		writeJSON(w, []any{})
	})
	// The client's clock is an hour behind the server's.
	local := &clock{now: t0.Add(-time.Hour)}
	c := newTestClient(t, f, local)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := c.Projects(ctx, 7, false); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := local.Sleeps(), []time.Duration{12 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}

func TestRemainingRisesAgain(t *testing.T) {
	clk := newClock()
	var mu sync.Mutex
	remaining := []int{1, 0, 5, 4}
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		rem := remaining[0]
		if len(remaining) > 1 {
			remaining = remaining[1:]
		}
		mu.Unlock()
		rateHeaders(w, clk, 5, rem, 2)
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	for i := 0; i < 4; i++ {
		if _, err := c.Projects(context.Background(), 3, false); err != nil {
			t.Fatal(err)
		}
	}
	// One wait after Remaining reached 0; none after it rose to 5.
	if got, want := clk.Sleeps(), []time.Duration{2 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}

func Test429ThenSuccess(t *testing.T) {
	clk := newClock()
	n := 0
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			rateHeaders(w, clk, 25, 0, 5)
			w.Header().Set("Retry-After", "2")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, "You have surpassed the max number of requests for an hour. Please wait until your limit resets.")
			return
		}
		rateHeaders(w, clk, 25, 24, 10)
		writeJSON(w, []map[string]any{{"id": 1, "name": "P"}})
	})
	c := newTestClient(t, f, clk)
	got, err := c.Projects(context.Background(), 4, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("projects = %v", got)
	}
	if s, want := clk.Sleeps(), []time.Duration{5 * time.Second}; !slices.Equal(s, want) {
		t.Errorf("sleeps = %v, want %v (the later of Retry-After 2 s and the reset 5 s)", s, want)
	}
	if c.Requests() != 3 {
		t.Errorf("Requests() = %d, want 3 (token, 429, retry)", c.Requests())
	}
}

// TestRetryAfterWaited: one refusal with a Retry-After, then success; the
// client sleeps exactly what Retry-After asks (as an HTTP date later than
// the rate-limit reset on a 429; in seconds on a 503).
func TestRetryAfterWaited(t *testing.T) {
	tests := []struct {
		name   string
		refuse func(w http.ResponseWriter, clk *clock)
		want   time.Duration
	}{
		{"429 Retry-After date later than reset", func(w http.ResponseWriter, clk *clock) {
			rateHeaders(w, clk, 25, 0, 1)
			w.Header().Set("Retry-After", clk.Now().Add(9*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
		}, 9 * time.Second},
		{"503 Retry-After seconds", func(w http.ResponseWriter, clk *clock) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newClock()
			n := 0
			f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
				n++
				if n == 1 {
					tt.refuse(w, clk)
					return
				}
				writeJSON(w, []any{})
			})
			c := newTestClient(t, f, clk)
			if _, err := c.Projects(context.Background(), 4, false); err != nil {
				t.Fatal(err)
			}
			if s, want := clk.Sleeps(), []time.Duration{tt.want}; !slices.Equal(s, want) {
				t.Errorf("sleeps = %v, want %v", s, want)
			}
		})
	}
}

func TestResetBeyondDeadline(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Procore-Company-Id") == "1" {
			rateHeaders(w, clk, 600, 0, 3600)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk, func(o *Options) { o.Deadline = t0.Add(5 * time.Minute) })
	ctx := context.Background()
	_, err := c.Projects(ctx, 1, false)
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("Projects = %v, want a *RateLimitError", err)
	}
	reset := t0.Add(time.Hour)
	if rl.CompanyID != 1 || !rl.Reset.Equal(reset) {
		t.Errorf("RateLimitError = %+v, want company 1, reset %v", rl, reset)
	}
	if !strings.Contains(err.Error(), "2026-11-29T13:00:00Z") {
		t.Errorf("error %q does not name the reset in RFC 3339 UTC", err)
	}
	if rl.HTTPStatus() != 429 {
		t.Errorf("HTTPStatus() = %d, want 429", rl.HTTPStatus())
	}
	if s := clk.Sleeps(); len(s) != 0 {
		t.Errorf("slept %v, want no sleep", s)
	}
	before := c.Requests()
	// The same company again: refused without a request.
	if _, err := c.CompanyPermissions(ctx, 1); !errors.As(err, &rl) {
		t.Errorf("second call = %v, want a *RateLimitError", err)
	}
	if c.Requests() != before {
		t.Errorf("second call for company 1 sent %d requests, want 0", c.Requests()-before)
	}
	// Another company is not affected.
	if _, err := c.Projects(ctx, 2, false); err != nil {
		t.Errorf("company 2: %v", err)
	}
}

func Test5xxRetriedThreeTimes(t *testing.T) {
	for _, status := range []int{500, 502, 504, 408} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			clk := newClock()
			f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "req-"+strconv.Itoa(status))
				w.WriteHeader(status)
				io.WriteString(w, `{"errors":["Something went wrong"]}`)
			})
			rands := []float64{0.5, 1.0, 0.25}
			i := 0
			c := newTestClient(t, f, clk, func(o *Options) {
				o.Rand = func() float64 { r := rands[i%len(rands)]; i++; return r }
			})
			_, err := c.Projects(context.Background(), 4, false)
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != status {
				t.Fatalf("Projects = %v, want an *APIError %d", err, status)
			}
			if ae.RequestID != "req-"+strconv.Itoa(status) || ae.Message != "Something went wrong" || ae.CompanyID != 4 {
				t.Errorf("APIError = %+v", ae)
			}
			// Full jitter under a capped exponential ceiling: 0.5 s, 1 s, 2 s.
			want := []time.Duration{250 * time.Millisecond, time.Second, 500 * time.Millisecond}
			if s := clk.Sleeps(); !slices.Equal(s, want) {
				t.Errorf("sleeps = %v, want %v", s, want)
			}
			if got := f.count("/rest/v1.0/projects"); got != 4 {
				t.Errorf("%d project requests, want 4 (1 + 3 retries)", got)
			}
		})
	}
}

func TestBackoffCap(t *testing.T) {
	p := &pacer{rand: func() float64 { return 1 }}
	for retry, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		if got := p.jitter(retry); got != want {
			t.Errorf("jitter(%d) = %v, want %v", retry, got, want)
		}
	}
	if got := p.jitter(70); got != backoffCap {
		t.Errorf("jitter(70) = %v, want the cap", got)
	}
}

func TestNetworkErrorsRetried(t *testing.T) {
	clk := newClock()
	n := 0
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n <= 2 {
			// A malformed answer, then the connection closes: a network
			// error net/http does not retry by itself.
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			buf.WriteString("garbage\r\n\r\n")
			buf.Flush()
			conn.Close()
			return
		}
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	if _, err := c.Projects(context.Background(), 4, false); err != nil {
		t.Fatalf("Projects: %v", err)
	}
	if got := f.count("/rest/v1.0/projects"); got != 3 {
		t.Errorf("%d project requests, want 3", got)
	}
	if s := clk.Sleeps(); len(s) != 2 {
		t.Errorf("sleeps = %v, want 2 backoffs", s)
	}
}

func Test4xxNotRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		msg    string
	}{
		{403, `{"errors":["App is not connected to this company."]}`, "App is not connected to this company."},
		{404, `{"error":"Not found"}`, "Not found"},
		{400, `{"error":{"code":"bad","message":"Missing Procore-Company-Id header!"}}`, "Missing Procore-Company-Id header!"},
		{422, "plain\ntext   body", "plain text body"},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			clk := newClock()
			f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "abc-123")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			c := newTestClient(t, f, clk)
			_, err := c.ProjectPermissions(context.Background(), 10, 77)
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("ProjectPermissions = %v, want *APIError", err)
			}
			want := &APIError{Method: "GET", URL: f.URL() + "/rest/v1.0/settings/permissions?project_id=77", StatusCode: tc.status, RequestID: "abc-123", Message: tc.msg, CompanyID: 10}
			if diff := cmp.Diff(want, ae); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			var iface interface {
				HTTPStatus() int
				ProcoreRequestID() string
				ProcoreMessage() string
			}
			if !errors.As(err, &iface) || iface.HTTPStatus() != tc.status || iface.ProcoreRequestID() != "abc-123" || iface.ProcoreMessage() != tc.msg {
				t.Errorf("interface view of %v is wrong", err)
			}
			if got := f.count("/rest/v1.0/settings/permissions"); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
			if len(clk.Sleeps()) != 0 {
				t.Errorf("slept %v", clk.Sleeps())
			}
		})
	}
}

func Test401FreshTokenOneRetry(t *testing.T) {
	clk := newClock()
	var once sync.Once
	var ti *tokenIssuer
	f, ti := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"id": 5, "login": "a@example.com", "name": "A"})
	})
	// Revoke tok-1 after the first call: the next call gets a 401.
	c := newTestClient(t, f, clk)
	ctx := context.Background()
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	once.Do(func() {
		ti.mu.Lock()
		delete(ti.expiry, "tok-1")
		ti.mu.Unlock()
	})
	u, err := c.Me(ctx)
	if err != nil {
		t.Fatalf("Me after revocation: %v", err)
	}
	if u.ID != 5 || u.Login != "a@example.com" {
		t.Errorf("Me = %+v", u)
	}
	if got := f.count("/oauth/token"); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}
	if got := f.count("/rest/v1.0/me"); got != 3 {
		t.Errorf("%d me requests, want 3 (ok, 401, retry)", got)
	}
}

func TestSecond401IsAnError(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_token","error_description":"The access token is invalid"}`)
	})
	c := newTestClient(t, f, clk)
	_, err := c.Me(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || !errors.Is(err, ErrAuth) {
		t.Fatalf("Me = %v, want a 401 *APIError that is ErrAuth", err)
	}
	if ae.Message != "invalid_token: The access token is invalid" {
		t.Errorf("message = %q", ae.Message)
	}
	if f.count("/oauth/token") != 2 || f.count("/rest/v1.0/me") != 2 {
		t.Errorf("token requests %d, me requests %d; want 2 and 2", f.count("/oauth/token"), f.count("/rest/v1.0/me"))
	}
}

func TestGivenToken401NotRetried(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	c, err := NewClient(Options{Env: f.env(), AccessToken: spotSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	if !errors.Is(err, ErrAuth) {
		t.Errorf("Me = %v, want ErrAuth", err)
	}
	if c.Requests() != 1 {
		t.Errorf("Requests() = %d, want 1", c.Requests())
	}
	if got := f.Requests()[0].Header.Get("Authorization"); got != "Bearer "+spotSecret {
		t.Errorf("Authorization = %q", got)
	}
	if c.Mode() != ModeAccessToken {
		t.Errorf("Mode() = %q", c.Mode())
	}
}

func TestBadCredentials(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for _, tc := range []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request)
	}{
		{"json error echoing the secret", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad secret %s"}`, r.PostForm.Get("client_secret"))
		}},
		{"html body echoing the form", func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(400)
			fmt.Fprintf(w, "<html>you sent %s</html>", body)
		}},
		{"form-encoded error", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(400)
			fmt.Fprintf(w, "error=invalid_client&error_description=secret+%s", r.PostForm.Get("client_secret"))
		}},
		{"200 with an error", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"error":"unauthorized_client","error_description":"%s"}`, r.PostForm.Get("client_secret"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handle)
			clk := newClock()
			c := newTestClient(t, f, clk)
			ctx := context.Background()
			_, err1 := c.Projects(ctx, 1, false)
			_, err2 := c.Me(ctx)
			_, err3 := c.TokenInfo(ctx)
			for _, err := range []error{err1, err2, err3} {
				if !errors.Is(err, ErrAuth) {
					t.Fatalf("error %v, want ErrAuth", err)
				}
				var ae *AuthError
				if !errors.As(err, &ae) {
					t.Fatalf("error %v, want *AuthError", err)
				}
				for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%#v", ae)} {
					if strings.Contains(text, spotSecret) {
						t.Errorf("error text carries the secret: %s", text)
					}
				}
			}
			if got := len(f.Requests()); got != 1 {
				t.Errorf("%d requests, want exactly 1 token request", got)
			}
			if c.Requests() != 1 {
				t.Errorf("Requests() = %d, want 1", c.Requests())
			}
			r := f.Requests()[0]
			if r.Form.Get("client_secret") != spotSecret || r.Header.Get("Authorization") != "" {
				t.Errorf("credentials not sent in the form body only (AuthStyleInParams)")
			}
		})
	}
	if strings.Contains(logs.String(), spotSecret) {
		t.Errorf("the log carries the secret: %s", logs.String())
	}
}

func TestTokenExpiresMidRun(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 60, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	for i := 0; i < 20; i++ {
		if _, err := c.Projects(context.Background(), 1, false); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		clk.Advance(5 * time.Second) // 100 s in all: the first token expires at 60 s
	}
	if got := f.count("/oauth/token"); got != 2 {
		t.Errorf("%d token requests, want 2 (one refresh)", got)
	}
	if got := f.count("/rest/v1.0/projects"); got != 20 {
		t.Errorf("%d project requests, want 20 (no 401s)", got)
	}
}

func TestShortLivedTokenReused(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	for i := 0; i < 10; i++ {
		if _, err := c.Projects(context.Background(), 1, false); err != nil {
			t.Fatal(err)
		}
		clk.Advance(100 * time.Millisecond)
	}
	if got := f.count("/oauth/token"); got != 1 {
		t.Errorf("%d token requests for a 5 s token used within 1 s, want 1", got)
	}
}

func TestConcurrentCallsFetchOneToken(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) })
	c := newTestClient(t, f, clk)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			if _, err := c.Projects(context.Background(), id, false); err != nil {
				t.Error(err)
			}
		}(int64(i + 1))
	}
	wg.Wait()
	if got := f.count("/oauth/token"); got != 1 {
		t.Errorf("%d token requests, want 1", got)
	}
	if c.Requests() != 9 {
		t.Errorf("Requests() = %d, want 9", c.Requests())
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	other := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) })
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL()+"/rest/v1.0/projects?company_id=1", http.StatusFound)
	})
	c := newTestClient(t, f, clk)
	_, err := c.Projects(context.Background(), 1, false)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 302 {
		t.Fatalf("Projects = %v, want an *APIError 302", err)
	}
	if !strings.Contains(err.Error(), "302") || !strings.Contains(err.Error(), "not followed") {
		t.Errorf("error %q should name the status and say it was not followed", err)
	}
	if n := len(other.Requests()); n != 0 {
		t.Errorf("the other host got %d requests (Authorization %q)", n, other.Requests()[0].Header.Get("Authorization"))
	}
}

func TestOffsiteLinkNotFollowed(t *testing.T) {
	other := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) })
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<`+other.URL()+`/rest/v1.0/projects?company_id=1&page=2>; rel="next"`)
		writeJSON(w, []map[string]any{{"id": 1}})
	})
	c := newTestClient(t, f, clk)
	_, err := c.Projects(context.Background(), 1, false)
	if !errors.Is(err, ErrOffsiteLink) {
		t.Fatalf("Projects = %v, want ErrOffsiteLink", err)
	}
	if n := len(other.Requests()); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	if c.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2", c.Requests())
	}
}

func TestProjectsPagination(t *testing.T) {
	for _, inactive := range []bool{false, true} {
		t.Run(fmt.Sprintf("includeInactive=%v", inactive), func(t *testing.T) {
			clk := newClock()
			var f *fake
			f, _ = api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				if page == 0 {
					page = 1
				}
				q := r.URL.Query()
				link := func(p int) string {
					q.Set("page", strconv.Itoa(p))
					return f.URL() + r.URL.Path + "?" + q.Encode()
				}
				var ls []string
				ls = append(ls, "<"+link(1)+`>; rel="first"`)
				if page > 2 {
					ls = append(ls, "<"+link(page-1)+`>; rel="prev"`)
				}
				if page < 3 {
					ls = append(ls, "<"+link(page+1)+`>; rel="next"`, "<"+link(3)+`>; rel="last"`)
				}
				w.Header().Set("Link", strings.Join(ls, ",\n ")+",")
				w.Header().Set("Total", "250")
				w.Header().Set("Per-Page", "100")
				var items []map[string]any
				for i := (page-1)*100 + 1; i <= min(page*100, 250); i++ {
					items = append(items, map[string]any{"id": int64(1)<<40 + int64(i), "name": "P" + strconv.Itoa(i), "active": i%2 == 0, "company": map[string]any{"id": 10, "name": "Acme"}})
				}
				writeJSON(w, items)
			})
			c := newTestClient(t, f, clk)
			got, err := c.Projects(context.Background(), 10, inactive)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 250 || got[0].ID != 1<<40+1 || got[249].Name != "P250" || *got[1].Active != true || got[0].Company.Name != "Acme" {
				t.Errorf("projects: %d, first %+v", len(got), got[0])
			}
			if c.Requests() != 4 {
				t.Errorf("Requests() = %d, want 4 (token + 3 pages)", c.Requests())
			}
			for _, r := range f.Requests()[1:] {
				if r.Header.Get("Procore-Company-Id") != "10" || r.Query.Get("company_id") != "10" || r.Query.Get("per_page") != "100" {
					t.Errorf("request %v: header %q", r.Query, r.Header.Get("Procore-Company-Id"))
				}
				if got := r.Query.Get("filters[by_status]"); (got == "All") != inactive {
					t.Errorf("filters[by_status] = %q with includeInactive %v", got, inactive)
				}
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rest/v1.0/companies":
			writeJSON(w, []any{map[string]any{"id": 1, "name": "ABC Drywall", "is_active": true}, map[string]any{"id": "9007199254740993", "name": "Big", "is_active": nil}, "junk"})
		case "/rest/v1.0/settings/permissions":
			io.WriteString(w, `{"tools":[
				{"id":1,"name":"documents","friendly_name":"Documents","available_for_user":true,"user_access_level":{"id":4,"name":"Admin"}},
				{"name":"directory","friendly_name":"Directory","user_access_level":{"id":"2","name":"Read Only"}},
				{"name":"generic_tool_12","available_for_user":false},
				{"name":42},
				{"friendly_name":"nameless"}]}`)
		case "/rest/v1.0/app_installations":
			writeJSON(w, []any{map[string]any{"id": 3, "semantic_version": "1.3.0", "status": "installed", "updatable_app_version_id": 99}, map[string]any{"id": 4, "semantic_version": "1.4.0", "status": "installed", "updatable_app_version_id": nil}})
		case "/rest/v1.0/me":
			writeJSON(w, map[string]any{"id": 160586, "login": "carl.contractor@example.com", "name": "Carl Contractor"})
		case "/oauth/token/info":
			io.WriteString(w, `{"resource_owner_id":null,"scopes":[],"expires_in_seconds":7193,"application":{"uid":"a74aaa3"},"created_at":1616714020}`)
		default:
			w.WriteHeader(404)
		}
	})
	c := newTestClient(t, f, clk)
	ctx := context.Background()
	yes := true
	companies, err := c.Companies(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Company{{ID: 1, Name: "ABC Drywall", IsActive: &yes}, {ID: 9007199254740993, Name: "Big"}}, companies); diff != "" {
		t.Errorf("Companies (-want +got):\n%s", diff)
	}
	no := false
	tools, err := c.CompanyPermissions(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantTools := []ToolPermission{
		{Name: "documents", FriendlyName: "Documents", LevelID: 4, LevelName: "Admin", AvailableForUser: &yes},
		{Name: "directory", FriendlyName: "Directory", LevelID: 2, LevelName: "Read Only"},
		{Name: "generic_tool_12", AvailableForUser: &no},
		{Name: "42"},
	}
	if diff := cmp.Diff(wantTools, tools); diff != "" {
		t.Errorf("CompanyPermissions (-want +got):\n%s", diff)
	}
	inst, err := c.AppInstallations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]AppInstallation{{ID: 3, SemanticVersion: "1.3.0", Status: "installed", UpdateAvailable: true}, {ID: 4, SemanticVersion: "1.4.0", Status: "installed"}}, inst); diff != "" {
		t.Errorf("AppInstallations (-want +got):\n%s", diff)
	}
	me, err := c.Me(ctx)
	if err != nil || *me != (User{ID: 160586, Login: "carl.contractor@example.com", Name: "Carl Contractor"}) {
		t.Errorf("Me = %+v, %v", me, err)
	}
	info, err := c.TokenInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := &TokenInfo{ApplicationUID: "a74aaa3", ExpiresIn: 7193 * time.Second, ExpiresAt: t0.Add(7193 * time.Second), CreatedAt: time.Unix(1616714020, 0).UTC(), Scopes: []string{}}
	if diff := cmp.Diff(want, info); diff != "" {
		t.Errorf("TokenInfo (-want +got):\n%s", diff)
	}
	if _, err := c.TokenInfo(ctx); err != nil {
		t.Fatal(err)
	}
	exp, err := c.TokenExpiry(ctx)
	if err != nil || !exp.Equal(t0.Add(5400*time.Second)) {
		t.Errorf("TokenExpiry = %v, %v, want the token's expiry", exp, err)
	}
	// Requests: token, companies, permissions, installations, me, one token info.
	if c.Requests() != 6 {
		t.Errorf("Requests() = %d, want 6", c.Requests())
	}
	var headers []string
	for _, r := range f.Requests() {
		headers = append(headers, r.Path+"="+r.Header.Get("Procore-Company-Id"))
	}
	wantHeaders := []string{"/oauth/token=", "/rest/v1.0/companies=", "/rest/v1.0/settings/permissions=10", "/rest/v1.0/app_installations=10", "/rest/v1.0/me=", "/oauth/token/info="}
	if !slices.Equal(headers, wantHeaders) {
		t.Errorf("company headers = %v, want %v", headers, wantHeaders)
	}
	if q := f.Requests()[1].Query; q.Get("include_free_companies") != "true" {
		t.Errorf("companies query = %v", q)
	}
}

func TestCompaniesHeader(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, []any{}) })
	c := newTestClient(t, f, clk)
	if _, err := c.Companies(context.Background(), 42); err != nil {
		t.Fatal(err)
	}
	if got := f.Requests()[1].Header.Get("Procore-Company-Id"); got != "42" {
		t.Errorf("Procore-Company-Id = %q, want 42", got)
	}
}

func TestGivenTokenExpiryFromTokenInfo(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"resource_owner_id":4242,"scopes":["public"],"expires_in_seconds":60,"application":{"uid":"u"}}`)
	})
	clk := newClock()
	c, err := NewClient(Options{Env: f.env(), AccessToken: "given-token", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := c.TokenExpiry(context.Background())
	if err != nil || !exp.Equal(t0.Add(time.Minute)) {
		t.Errorf("TokenExpiry = %v, %v", exp, err)
	}
	info, err := c.TokenInfo(context.Background())
	if err != nil || info.ResourceOwnerID == nil || *info.ResourceOwnerID != 4242 || !slices.Equal(info.Scopes, []string{"public"}) {
		t.Errorf("TokenInfo = %+v, %v", info, err)
	}
	if c.Requests() != 1 {
		t.Errorf("Requests() = %d, want 1 (token info kept)", c.Requests())
	}
}

func TestCancellation(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		rateHeaders(w, clk, 10, 0, 60)
		writeJSON(w, []any{})
	})
	ctx, cancel := context.WithCancel(context.Background())
	c := newTestClient(t, f, clk, func(o *Options) {
		o.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return sleepCtx(ctx, d) }
	})
	if _, err := c.Projects(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	_, err := c.Projects(ctx, 1, false)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Projects = %v, want context.Canceled", err)
	}
}

func TestRequestTimeout(t *testing.T) {
	clk := newClock()
	release := make(chan struct{})
	defer close(release)
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := newTestClient(t, f, clk, func(o *Options) { o.RequestTimeout = 20 * time.Millisecond })
	_, err := c.Projects(context.Background(), 1, false)
	if err == nil || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("Projects = %v, want a request timeout", err)
	}
	if got := f.count("/rest/v1.0/projects"); got != 4 {
		t.Errorf("%d attempts, want 4 (1 + 3 retries)", got)
	}
}

// TestPacingUnderConcurrency: four workers share a company limit of 20
// requests per 2-second window; pacing with the headers means Procore
// never has to answer 429.
func TestPacingUnderConcurrency(t *testing.T) {
	clk := newClock()
	var mu sync.Mutex
	windowStart, used, tooMany := clk.Now(), 0, 0
	const limit, window = 20, 2 * time.Second
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		now := clk.Now()
		for !now.Before(windowStart.Add(window)) {
			windowStart, used = windowStart.Add(window), 0
		}
		w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(windowStart.Add(window).Unix(), 10))
		if used >= limit {
			tooMany++
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		used++
		w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(limit-used))
		writeJSON(w, map[string]any{"tools": []any{}})
	})
	c := newTestClient(t, f, clk)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if _, err := c.ProjectPermissions(context.Background(), 1, int64(i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if tooMany != 0 {
		t.Errorf("Procore answered 429 %d times; the client should pace with the headers", tooMany)
	}
	if got := f.count("/rest/v1.0/settings/permissions"); got != 100 {
		t.Errorf("%d requests, want 100", got)
	}
}

func TestUserSourceWithoutNewerToken401(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_token"}`)
	})
	c, err := NewClient(Options{Env: f.env(), TokenSource: oauth2StaticSource("user-token")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Message != "invalid_token" {
		t.Fatalf("Me = %v, want the 401 with its message", err)
	}
	if c.Requests() != 1 {
		t.Errorf("Requests() = %d, want 1 (no retry with the same token)", c.Requests())
	}
}

func Test503RetryAfterBeyondDeadline(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "Service Unavailable")
	})
	c := newTestClient(t, f, clk, func(o *Options) { o.Deadline = t0.Add(time.Minute) })
	_, err := c.Projects(context.Background(), 1, false)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Fatalf("Projects = %v, want the 503", err)
	}
	if s := clk.Sleeps(); len(s) != 0 {
		t.Errorf("slept %v past the deadline", s)
	}
	if got := f.count("/rest/v1.0/projects"); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

// TestPacingWaitBeyondDeadline: Remaining 0 with a reset after the
// deadline stops the next call for that company before it is sent.
func TestPacingWaitBeyondDeadline(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		rateHeaders(w, clk, 600, 0, 1800)
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk, func(o *Options) { o.Deadline = t0.Add(time.Minute) })
	ctx := context.Background()
	if _, err := c.Projects(ctx, 9, false); err != nil {
		t.Fatal(err)
	}
	_, err := c.Projects(ctx, 9, false)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.CompanyID != 9 || !rl.Reset.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("Projects = %v, want a *RateLimitError for company 9 at %v", err, t0.Add(30*time.Minute))
	}
	if c.Requests() != 2 || len(clk.Sleeps()) != 0 {
		t.Errorf("Requests() = %d, sleeps %v; want 2 and none", c.Requests(), clk.Sleeps())
	}
}

func TestRelativeAndRepeatedLinks(t *testing.T) {
	clk := newClock()
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("page") {
		case "":
			w.Header().Set("Link", `</rest/v1.0/projects?company_id=1&page=2>; rel="next"`)
			writeJSON(w, []map[string]any{{"id": 1}})
		case "2":
			// A server that links back to page 2 forever.
			w.Header().Set("Link", `</rest/v1.0/projects?company_id=1&page=2>; rel="next"`)
			writeJSON(w, []map[string]any{{"id": 2}})
		}
	})
	c := newTestClient(t, f, clk)
	_, err := c.Projects(context.Background(), 1, false)
	if err == nil || !strings.Contains(err.Error(), "repeats an earlier page") {
		t.Fatalf("Projects = %v, want the loop detected", err)
	}
	if got := f.count("/rest/v1.0/projects"); got != 2 {
		t.Errorf("%d requests, want 2 (the relative link followed once)", got)
	}
}

// TestResetWithinTheSecond: Date has whole seconds; once a response dated
// just after a second began has been seen, the wait for a reset is not a
// second too long.
func TestResetWithinTheSecond(t *testing.T) {
	clk := newClock() // the first answers come at t0 exactly
	n := 0
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		n++
		rem := 5
		if n == 2 {
			rem = 0
		}
		w.Header().Set("X-Rate-Limit-Limit", "20")
		w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(rem))
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(t0.Unix()+2, 10))
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	ctx := context.Background()
	if _, err := c.Projects(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	clk.Advance(900 * time.Millisecond) // t0+0.9 s; Date still says t0
	for i := 0; i < 2; i++ {
		if _, err := c.Projects(ctx, 1, false); err != nil {
			t.Fatal(err)
		}
	}
	// The reset at t0+2 s is 1.1 s after t0+0.9 s; Reset - Date alone
	// would say 2 s.
	if got, want := clk.Sleeps(), []time.Duration{1100 * time.Millisecond}; !slices.Equal(got, want) {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}

// TestSlidingWindowNo429: Procore's short windows slide (Remaining rises
// as old requests leave, a few at a time). Four workers against a sliding
// window of 5 requests per 2 s, counted in whole seconds like the sandbox
// does, with 300 ms per request, get no 429: after a reset one request
// finds out how much came free before the others go.
func TestSlidingWindowNo429(t *testing.T) {
	clk := newScaledClock()
	var mu sync.Mutex
	var times []time.Time
	tooMany := 0
	const limit, window = 5, 2 * time.Second
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond / timeScale) // the request's latency
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Date", clk.Now().UTC().Format(http.TimeFormat))
		now := clk.Now().Truncate(time.Second)
		keep := times[:0]
		for _, x := range times {
			if now.Sub(x) < window {
				keep = append(keep, x)
			}
		}
		times = keep
		ok := len(times) < limit
		if ok {
			times = append(times, now)
		}
		reset := now.Add(window)
		if len(times) > 0 {
			reset = times[0].Add(window)
		}
		w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(limit-len(times)))
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
		if !ok {
			tooMany++
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		writeJSON(w, map[string]any{"tools": []any{}})
	})
	c, err := NewClient(Options{Env: f.env(), AccessToken: "t", Now: clk.Now, Sleep: clk.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	start := clk.Now()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := c.ProjectPermissions(context.Background(), 1, int64(i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// For information (not asserted): the limit allows 40 requests in
	// about 14 s of simulated time.
	t.Logf("40 requests in %v of simulated time", clk.Now().Sub(start).Round(100*time.Millisecond))
	if tooMany != 0 {
		t.Errorf("%d answers were 429; the client should pace with the headers", tooMany)
	}
	if got := f.count("/rest/v1.0/settings/permissions"); got != 40 {
		t.Errorf("%d requests, want 40", got)
	}
}

// TestRequestsCountsTransportRetries: net/http silently resends a GET
// whose reused connection closed before any answer; that is a request
// sent too, and Requests counts it (DESIGN: requests counts every HTTP
// request sent).
func TestRequestsCountsTransportRetries(t *testing.T) {
	clk := newClock()
	dropped := false
	f, _ := api(t, clk, 5400, func(w http.ResponseWriter, r *http.Request) {
		if !dropped {
			// No answer at all: net/http retries this itself on a
			// new connection, since the closed one was reused.
			dropped = true
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		writeJSON(w, []any{})
	})
	c := newTestClient(t, f, clk)
	if _, err := c.Projects(context.Background(), 4, false); err != nil {
		t.Fatalf("Projects: %v", err)
	}
	if got := f.count("/rest/v1.0/projects"); got != 2 {
		t.Fatalf("the server saw %d project requests, want 2 (one dropped, one resent)", got)
	}
	if got, want := c.Requests(), int64(len(f.Requests())); got != want {
		t.Errorf("Requests() = %d, the server saw %d", got, want)
	}
}

// TestTokenExpiresDuringRateLimitWait: a call that waits for its
// company's rate-limit reset must not then send the token it was given
// before the wait when that token has expired meanwhile (Procore's limit
// is hourly and its tokens last 90 minutes): it takes a fresh one, and no
// request is answered 401.
func TestTokenExpiresDuringRateLimitWait(t *testing.T) {
	clk := newClock()
	calls := 0
	f, _ := api(t, clk, 100, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 { // the window is used up: 300 s to the reset
			rateHeaders(w, clk, 20, 0, 300)
		} else {
			rateHeaders(w, clk, 20, 19, 300)
		}
		writeJSON(w, map[string]any{"tools": []any{}})
	})
	c := newTestClient(t, f, clk)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := c.CompanyPermissions(ctx, 1); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if got := clk.Sleeps(); len(got) != 1 || got[0] != 300*time.Second {
		t.Fatalf("sleeps = %v, want one 300 s wait for the reset", got)
	}
	if got := f.count("/rest/v1.0/settings/permissions"); got != 2 {
		t.Errorf("%d API requests, want 2 (no 401 and retry after the wait)", got)
	}
	if got := f.count("/oauth/token"); got != 2 {
		t.Errorf("%d token requests, want 2 (a fresh token after the wait)", got)
	}
}

package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. The zero value is valid.
type Options struct {
	// Now is the clock (default time.Now). Token expiry, code expiry and
	// rate-limit windows follow it.
	Now func() time.Time
	// Logf, when set, gets one line per request: method, path, query with
	// credentials redacted, company header and status. It never receives
	// a secret, a token or a body.
	Logf func(format string, args ...any)
	// AllowNonLoopback lets Start listen on an address that is not a
	// loopback address.
	AllowNonLoopback bool
}

// Request is one request the server received, for tests. It never holds a
// token, a secret or a body: RawQuery has credential parameters redacted.
type Request struct {
	Method        string
	Path          string
	RawQuery      string
	CompanyHeader string
	HadBearer     bool
	Status        int
}

// Server is the fake Procore: an http.Handler serving the login host's
// paths and the API's paths on one base URL. It is safe for concurrent
// use.
type Server struct {
	sc   *Scenario
	now  func() time.Time
	logf func(format string, args ...any)

	companies map[int64]*Company
	projects  map[int64]*Project
	projectCo map[int64]*Company
	users     map[int64]*User
	clients   map[string]string // id → secret

	mu       sync.Mutex
	tokens   map[string]*token
	refresh  map[string]*refreshToken
	codes    map[string]*authCode
	windows  map[string][]time.Time
	faultHit []int
	log      []Request

	// onDelay, set by tests, is called when a fault's delay begins.
	onDelay func()
}

type token struct {
	clientID string
	userID   int64 // 0: a client-credentials (DMSA) token
	created  time.Time
	expires  time.Time
}

type refreshToken struct {
	clientID string
	userID   int64
	used     bool
}

type authCode struct {
	clientID string
	userID   int64
	expires  time.Time
	used     bool
}

// New builds a server over a copy of s, checked as LoadScenario checks a
// file.
func New(s *Scenario, opts Options) (*Server, error) {
	if s == nil {
		return nil, errNoScenario
	}
	// The server keeps its own copy, so the caller may change s later.
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("sandbox: copy scenario: %w", err)
	}
	if s, err = LoadScenario(bytes.NewReader(b)); err != nil {
		return nil, err
	}
	srv := &Server{
		sc:        s,
		now:       opts.Now,
		logf:      opts.Logf,
		companies: map[int64]*Company{},
		projects:  map[int64]*Project{},
		projectCo: map[int64]*Company{},
		users:     map[int64]*User{},
		clients:   map[string]string{},
		tokens:    map[string]*token{},
		refresh:   map[string]*refreshToken{},
		codes:     map[string]*authCode{},
		windows:   map[string][]time.Time{},
		faultHit:  make([]int, len(s.Faults)),
	}
	if srv.now == nil {
		srv.now = time.Now
	}
	for i := range s.Companies {
		c := &s.Companies[i]
		srv.companies[c.ID] = c
		for j := range c.Projects {
			p := &c.Projects[j]
			srv.projects[p.ID] = p
			srv.projectCo[p.ID] = c
		}
	}
	for i := range s.Users {
		srv.users[s.Users[i].ID] = &s.Users[i]
	}
	for _, c := range s.Clients {
		srv.clients[c.ID] = c.Secret
	}
	return srv, nil
}

// maxLog bounds the request log.
const maxLog = 100_000

// Requests returns a copy of the log of requests received, in the order
// they finished (the newest 100000 at most). A request is logged before its answer's last byte is
// sent (and before a dropped connection closes), so a client that has
// read an answer whole finds its request here.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// statusWriter records the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// call is what the server knows about one request while serving it.
type call struct {
	r         *http.Request
	tok       *token // nil: no valid bearer token
	hadBearer bool
	expired   bool  // the bearer token is known but expired
	companyID int64 // from the header, else company_id, else the project's company; 0 unknown
	projectID int64
	header    string // the raw Procore-Company-Id value
	linkHost  string // a fault rewrites Link to this base
	logged    bool   // record has run
}

func (c *call) isDMSA() bool { return c.tok != nil && c.tok.userID == 0 }

// ServeHTTP serves the fake's endpoints.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	c := s.newCall(r)
	defer func() {
		if !c.logged {
			s.record(c, w.status)
		}
	}()
	now := s.now()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.Header().Set("X-Request-Id", newID(8))

	login := isLoginPath(r.URL.Path)
	if !s.rateLimit(w, c, login, now) {
		return
	}
	if s.fault(w, c) {
		return
	}
	if login {
		switch r.URL.Path {
		case "/oauth/token":
			s.serveToken(w, r, now)
		case "/oauth/token/info":
			s.serveTokenInfo(w, c, now)
		case "/oauth/authorize":
			s.serveAuthorize(w, r, now)
		}
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/rest/") {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Not Found"})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "Method Not Allowed"})
		return
	}
	s.serveAPI(w, c)
}

func isLoginPath(p string) bool {
	return p == "/oauth/token" || p == "/oauth/token/info" || p == "/oauth/authorize"
}

// record logs a finished request: in the request log and through Logf.
// Status 0 means the connection was dropped (logged as -1).
func (s *Server) record(c *call, status int) {
	c.logged = true
	if status == 0 {
		status = -1
	}
	r := c.r
	req := Request{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawQuery:      redactQuery(r.URL.RawQuery),
		CompanyHeader: loggable(c.header),
		HadBearer:     c.hadBearer,
		Status:        status,
	}
	s.mu.Lock()
	if len(s.log) >= maxLog {
		// A long-running sandbox serve keeps the newest half.
		s.log = append(s.log[:0], s.log[len(s.log)/2:]...)
	}
	s.log = append(s.log, req)
	s.mu.Unlock()
	if s.logf != nil {
		q := ""
		if req.RawQuery != "" {
			q = "?" + req.RawQuery
		}
		s.logf("%s %s%s company=%q bearer=%t → %d", req.Method, req.Path, q, req.CompanyHeader, req.HadBearer, status)
	}
}

// newCall reads the bearer token and the company the request is about.
func (s *Server) newCall(r *http.Request) *call {
	c := &call{r: r, header: r.Header.Get("Procore-Company-Id")}
	if auth := r.Header.Get("Authorization"); len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
		c.hadBearer = true
		s.mu.Lock()
		if t, ok := s.tokens[strings.TrimSpace(auth[7:])]; ok {
			if s.now().Before(t.expires) {
				c.tok = t
			} else {
				c.expired = true
			}
		}
		s.mu.Unlock()
	}
	q := r.URL.Query()
	if id, err := strconv.ParseInt(q.Get("project_id"), 10, 64); err == nil {
		c.projectID = id
	} else if rest, ok := strings.CutPrefix(r.URL.Path, "/rest/v1.0/projects/"); ok {
		if id, err := strconv.ParseInt(strings.Split(rest, "/")[0], 10, 64); err == nil {
			c.projectID = id
		}
	}
	switch {
	case c.header != "":
		c.companyID, _ = strconv.ParseInt(c.header, 10, 64)
	case q.Get("company_id") != "":
		c.companyID, _ = strconv.ParseInt(q.Get("company_id"), 10, 64)
	case c.projectID != 0:
		if co, ok := s.projectCo[c.projectID]; ok {
			c.companyID = co.ID
		}
	}
	return c
}

// rateLimit counts the request in its window and writes the X-Rate-Limit
// headers; past the limit it answers 429 and returns false. API calls are
// counted per client and company for a DMSA token, per client and user
// for a user token; login-host calls per client.
func (s *Server) rateLimit(w http.ResponseWriter, c *call, login bool, now time.Time) bool {
	rl := s.sc.RateLimit
	var key string
	switch {
	case login:
		rl = s.sc.LoginRateLimit
		id := c.r.URL.Query().Get("client_id")
		if c.tok != nil {
			id = c.tok.clientID
		}
		// The token endpoint's client is in the form body, which is
		// read only by the handler; all its calls share one window.
		key = "login|" + id
	case c.tok == nil:
		key = "anonymous"
	case c.isDMSA():
		key = fmt.Sprintf("dmsa|%s|%d", c.tok.clientID, c.companyID)
		if co, ok := s.companies[c.companyID]; ok && co.RateLimit != nil {
			rl = co.RateLimit
		}
	default:
		key = fmt.Sprintf("user|%s|%d", c.tok.clientID, c.tok.userID)
	}
	if rl == nil {
		rl = &RateLimit{Limit: 3600, WindowSeconds: 3600}
	}
	window := time.Duration(rl.WindowSeconds) * time.Second
	// Requests are counted in whole seconds, the resolution of Date and
	// X-Rate-Limit-Reset, so a client that waits until the reset by
	// those headers is let in at once, not up to a second later.
	now = now.Truncate(time.Second)
	s.mu.Lock()
	times := s.windows[key]
	keep := times[:0]
	for _, t := range times {
		if now.Sub(t) < window {
			keep = append(keep, t)
		}
	}
	times = keep
	allowed := len(times) < rl.Limit
	if allowed {
		times = append(times, now)
	}
	s.windows[key] = times
	// The reset is when the oldest request in the window leaves it (the
	// remainder rises again).
	reset := now.Add(window)
	if len(times) > 0 {
		reset = times[0].Add(window)
	}
	s.mu.Unlock()
	resetUnix := reset.Unix()
	h := w.Header()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(rl.Limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(rl.Limit-len(times)))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(resetUnix, 10))
	if allowed {
		return true
	}
	wait := resetUnix - now.Unix()
	if wait < 1 {
		wait = 1
	}
	h.Set("Retry-After", strconv.FormatInt(wait, 10))
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprint(w, rateLimitBody)
	return false
}

const rateLimitBody = "You have surpassed the max number of requests for an hour. Please wait until your limit resets."

// fault applies the faults that fire for this request, in order: each
// one's delay and Retry-After, and the first drop, redirect or status
// ends the request (fault returns true). A link_host changes the normal
// answer's Link.
func (s *Server) fault(w http.ResponseWriter, c *call) bool {
	r := c.r
	for i := range s.sc.Faults {
		f := &s.sc.Faults[i]
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.Path != "" {
			if ok, _ := path.Match(f.Path, r.URL.Path); !ok {
				continue
			}
		}
		if f.CompanyID != 0 && f.CompanyID != c.companyID {
			continue
		}
		if f.ProjectID != 0 && f.ProjectID != c.projectID {
			continue
		}
		s.mu.Lock()
		s.faultHit[i]++
		n := s.faultHit[i]
		s.mu.Unlock()
		if !f.Every && n != f.Nth {
			continue
		}
		if f.DelayMS > 0 {
			if s.onDelay != nil {
				s.onDelay()
			}
			t := time.NewTimer(time.Duration(f.DelayMS) * time.Millisecond)
			select {
			case <-t.C:
			case <-r.Context().Done():
				// The client gave up: no answer (logged as -1).
				t.Stop()
				return true
			}
		}
		if f.RetryAfterSeconds != nil {
			w.Header().Set("Retry-After", strconv.FormatInt(*f.RetryAfterSeconds, 10))
		}
		switch {
		case f.Drop:
			if hj, ok := w.(interface {
				Unwrap() http.ResponseWriter
			}); ok {
				if h, ok := hj.Unwrap().(http.Hijacker); ok {
					if conn, _, err := h.Hijack(); err == nil {
						// Logged first, so the log has it before the
						// client sees the connection close.
						s.record(c, 0)
						conn.Close()
						return true
					}
				}
			}
			panic(http.ErrAbortHandler)
		case f.RedirectTo != "":
			w.Header().Set("Location", f.RedirectTo)
			w.WriteHeader(http.StatusFound)
			return true
		case f.Status == http.StatusTooManyRequests:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(f.Status)
			fmt.Fprint(w, rateLimitBody)
			return true
		case f.Status != 0:
			writeJSON(w, f.Status, map[string]string{"error": http.StatusText(f.Status)})
			return true
		case f.LinkHost != "":
			c.linkHost = f.LinkHost
		}
	}
	return false
}

// Unwrap lets the fault code reach the connection to drop it.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// loggable returns a company header as sent when it is a number, else a
// placeholder: a header is not a credential, but a client may put anything
// there.
func loggable(h string) string {
	if len(h) > 20 {
		return "(not a company id)"
	}
	for _, r := range h {
		if r < '0' || r > '9' {
			return "(not a company id)"
		}
	}
	return h
}

// isCredentialParam reports whether a query or form parameter carries a
// credential: it is redacted in logs and left out of Link URLs.
func isCredentialParam(name string) bool {
	switch strings.ToLower(name) {
	case "client_secret", "code", "refresh_token", "access_token", "token", "password", "assertion":
		return true
	}
	return false
}

// redactQuery hides credential parameters in a query string.
func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if ok && isCredentialParam(name) {
			parts[i] = k + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// newID returns n random bytes in hex.
func newID(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

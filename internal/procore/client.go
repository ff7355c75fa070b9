package procore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Options configures a Client. The zero value of every field but Env and
// the credentials is valid.
//
// Credentials, first match wins: AccessToken (a token obtained elsewhere;
// no token request), TokenSource (a stored login), ClientID and
// ClientSecret (the client credentials grant).
type Options struct {
	Env          Environment // LoginURL and APIURL: https, or http on loopback
	ClientID     string
	ClientSecret Secret
	AccessToken  Secret
	TokenSource  oauth2.TokenSource

	// Transport is the base transport (nil: a new http.Transport that
	// speaks HTTP/1.1 only, so that GODEBUG=http2debug cannot log
	// headers or bodies).
	Transport      http.RoundTripper
	RequestTimeout time.Duration // one request (attempt); default 30 s
	Deadline       time.Time     // the whole run's; zero: none
	Concurrency    int           // parallel requests planned; sizes the default transport's idle pool

	Now    func() time.Time                                 // default time.Now
	Sleep  func(ctx context.Context, d time.Duration) error // default: a timer, ctx honoured
	Rand   func() float64                                   // jitter in [0, 1); default math/rand/v2
	OnWait func(companyID int64, d time.Duration)           // before a rate-limit wait

	UserAgent string
}

// DefaultRequestTimeout is the per-request timeout when Options has none.
const DefaultRequestTimeout = 30 * time.Second

// maxBody caps a response body read into memory.
const maxBody = 32 << 20

// maxErrorBody caps the bytes of an error body read for its message.
const maxErrorBody = 4 << 10

// maxPages bounds a listing, against a server that links in circles.
const maxPages = 10000

// Client calls Procore's REST API. It is safe for concurrent use.
type Client struct {
	login, api *url.URL
	env        Environment
	mode       string
	userAgent  string
	now        func() time.Time

	requests atomic.Int64
	http     *http.Client // API calls: auth -> pacer -> bearer -> guard -> counter -> base
	tokens   *tokenCache
	scrub    *scrubber

	infoMu sync.Mutex
	info   *TokenInfo
}

// Credential modes, as DESIGN's principal.kind names them.
const (
	ModeClientCredentials = "client_credentials"
	ModeAccessToken       = "access_token"
	ModeUser              = "user"
)

// stack is the guarded, paced, counted transport shared by API and token
// requests.
type stack struct {
	login, api *url.URL
	paced      http.RoundTripper
	bearer     *bearerTransport // below the pacer: sets the token at send time
	requests   *atomic.Int64
	now        func() time.Time
}

func newStack(opts Options, requests *atomic.Int64) (*stack, error) {
	login, err := parseBaseURL(opts.Env.LoginURL)
	if err != nil {
		return nil, fmt.Errorf("login URL: %w", err)
	}
	api, err := parseBaseURL(opts.Env.APIURL)
	if err != nil {
		return nil, fmt.Errorf("API URL: %w", err)
	}
	base := opts.Transport
	if base == nil {
		t := newBaseTransport()
		// Keep a connection per parallel request alive.
		t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, opts.Concurrency)
		base = t
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.Float64
	}
	timeout := opts.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	g := &guard{login: login, api: api, next: &counter{n: requests, next: base}}
	g.tokenURL = login.Scheme + "://" + login.Host + tokenPath(login)
	b := &bearerTransport{next: g}
	p := &pacer{next: b, now: now, sleep: sleep, rand: rnd, onWait: opts.OnWait, deadline: opts.Deadline, timeout: timeout}
	return &stack{login: login, api: api, paced: p, bearer: b, requests: requests, now: now}, nil
}

// NewTransport returns the client's default network transport, for
// callers that wrap it (Options.Transport): proxies from the environment,
// HTTP/1.1 only, because net/http's HTTP/2 debug logging
// (GODEBUG=http2debug) prints header values and request bodies.
func NewTransport() *http.Transport { return newBaseTransport() }

func newBaseTransport() *http.Transport {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	t.Protocols = new(http.Protocols)
	t.Protocols.SetHTTP1(true)
	return t
}

// noRedirects returns an http.Client over rt that never follows a redirect.
func noRedirects(rt http.RoundTripper) *http.Client {
	return &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// tokenURL is {login}/oauth/token.
func (s *stack) tokenURL() string { return s.login.String() + "/oauth/token" }

// tokenContext is ctx carrying the guarded, counted client that oauth2
// uses for token requests.
func (s *stack) tokenContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, noRedirects(s.paced))
}

// NewClient checks opts and builds a Client. It sends no request.
func NewClient(opts Options) (*Client, error) {
	c := &Client{env: opts.Env, userAgent: opts.UserAgent, scrub: &scrubber{}}
	st, err := newStack(opts, &c.requests)
	if err != nil {
		return nil, err
	}
	c.login, c.api, c.now = st.login, st.api, st.now
	if c.userAgent == "" {
		c.userAgent = "manifestctl"
	}
	c.tokens = &tokenCache{now: st.now, sem: make(chan struct{}, 1), onNew: func(t *oauth2.Token) { c.scrub.add(t.AccessToken, t.RefreshToken) }}
	switch {
	case opts.AccessToken != "":
		c.mode = ModeAccessToken
		c.scrub.add(opts.AccessToken.Reveal())
		c.tokens.set(&oauth2.Token{AccessToken: opts.AccessToken.Reveal(), TokenType: "Bearer"}, st.now())
	case opts.TokenSource != nil:
		c.mode = ModeUser
		src := opts.TokenSource
		c.tokens.fetch = func(ctx context.Context) (*oauth2.Token, error) {
			t, err := src.Token()
			if err != nil {
				return nil, tokenError("refresh", err, c.scrub, refreshHint)
			}
			return t, nil
		}
		if sts, ok := src.(*StoredTokenSource); ok {
			// Refreshes go through this client's stack: counted, guarded,
			// and under each call's context.
			sts.use(st)
			c.scrub.add(sts.Login().AccessToken.Reveal(), sts.Login().RefreshToken.Reveal())
			c.tokens.fetch = sts.token
		}
		if inv, ok := src.(invalidator); ok {
			c.tokens.refused = inv.invalidate
		}
	case opts.ClientSecret != "":
		if opts.ClientID == "" {
			return nil, errors.New("client credentials: a client secret without a client id")
		}
		c.mode = ModeClientCredentials
		c.scrub.add(opts.ClientSecret.Reveal())
		conf := &clientcredentials.Config{
			ClientID:     opts.ClientID,
			ClientSecret: opts.ClientSecret.Reveal(),
			TokenURL:     st.tokenURL(),
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		c.tokens.fetch = func(ctx context.Context) (*oauth2.Token, error) {
			t, err := conf.Token(st.tokenContext(ctx))
			if err != nil {
				return nil, tokenError("client credentials", err, c.scrub, clientHint)
			}
			return t, nil
		}
	default:
		return nil, errors.New("no credentials: a client id and secret, an access token or a stored login is needed")
	}
	st.bearer.cache = c.tokens
	c.http = noRedirects(&authTransport{cache: c.tokens, next: st.paced})
	return c, nil
}

// Mode says which credentials the client uses: ModeClientCredentials,
// ModeAccessToken or ModeUser.
func (c *Client) Mode() string { return c.mode }

// Environment returns the environment the client talks to.
func (c *Client) Environment() Environment { return c.env }

// Requests returns the number of HTTP requests sent so far: token
// requests, retries and 429s included; refused requests (guard) are not
// sent and not counted.
func (c *Client) Requests() int64 { return c.requests.Load() }

// response is a 2xx answer read into memory.
type response struct {
	body   []byte
	header http.Header
	url    *url.URL
}

// get sends one GET (with retries below) to u and returns a 2xx answer;
// anything else is an error: *APIError for a non-2xx status (a redirect
// included), *RateLimitError, an ErrAuth error, or a transport error.
func (c *Client) get(ctx context.Context, company int64, u *url.URL) (*response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", redactURL(u), err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if company != 0 {
		req.Header.Set("Procore-Company-Id", strconv.FormatInt(company, 10))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		ae := &APIError{
			Method:     http.MethodGet,
			URL:        redactURL(u),
			StatusCode: resp.StatusCode,
			RequestID:  cleanText(resp.Header.Get("X-Request-Id"), c.scrub.scrub),
			Message:    errorMessage(body, c.scrub.scrub),
			CompanyID:  company,
		}
		if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
			ae.Message = "redirect not followed"
			if loc, err := resp.Location(); err == nil {
				ae.Message = "redirect to " + redactURL(&url.URL{Scheme: loc.Scheme, Host: loc.Host, Path: loc.Path}) + " not followed"
			}
		}
		return nil, ae
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, c.transportError(u, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("GET %s: response larger than %d MiB", redactURL(u), maxBody>>20)
	}
	return &response{body: body, header: resp.Header, url: u}, nil
}

// transportError unwraps net/http's *url.Error (whose text repeats the
// URL) and keeps typed errors as they are.
func (c *Client) transportError(u *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var rl *RateLimitError
	var ae *AuthError
	var ge *GuardError
	switch {
	case errors.As(err, &rl), errors.As(err, &ae), errors.As(err, &ge):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("GET %s: %w", redactURL(u), err)
	}
	return &scrubbedError{msg: c.scrub.scrub(fmt.Sprintf("GET %s: %v", redactURL(u), err)), err: err}
}

// apiURL is {api}/path?query.
func (c *Client) apiURL(path string, q url.Values) *url.URL {
	u := *c.api
	u.Path = c.api.Path + path
	u.RawQuery = q.Encode()
	return &u
}

// list GETs u and every page its Link rel="next" leads to, passing each
// body to page. A next link to another origin than the API's is not
// followed: the listing fails.
func (c *Client) list(ctx context.Context, company int64, u *url.URL, page func([]byte) error) error {
	seen := map[string]bool{}
	for n := 0; u != nil; n++ {
		if n >= maxPages {
			return fmt.Errorf("GET %s: more than %d pages", redactURL(u), maxPages)
		}
		seen[u.String()] = true
		resp, err := c.get(ctx, company, u)
		if err != nil {
			return err
		}
		if err := page(resp.body); err != nil {
			return fmt.Errorf("GET %s: %w", redactURL(u), err)
		}
		next := NextLink(resp.header)
		if next == "" {
			return nil
		}
		nu, err := u.Parse(next)
		if err != nil {
			return fmt.Errorf("GET %s: malformed next page link", redactURL(u))
		}
		if !sameOrigin(nu, c.api) || nu.User != nil {
			return fmt.Errorf("GET %s: %w: it points to %s", redactURL(u), ErrOffsiteLink, redactURL(&url.URL{Scheme: nu.Scheme, Host: nu.Host}))
		}
		if seen[nu.String()] {
			return fmt.Errorf("GET %s: next page link repeats an earlier page", redactURL(u))
		}
		u = nu
	}
	return nil
}

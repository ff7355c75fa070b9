package procore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// tokenCache holds the access token in use. It fetches one when there is
// none or the one held is about to expire (a margin of min(10 s, a tenth
// of the token's lifetime), so that short-lived tokens are not fetched on
// every call), lets one caller fetch at a time, and remembers an
// authentication failure so that a refused credential costs one token
// request, not one per call.
type tokenCache struct {
	fetch func(ctx context.Context) (*oauth2.Token, error) // nil: a given token
	now   func() time.Time
	onNew func(*oauth2.Token) // called with every new token (scrubber)
	// refused is told about a token the API refused (a stored login's
	// source then refreshes instead of handing it out again).
	refused func(access string)

	sem chan struct{} // one fetch at a time

	mu      sync.Mutex
	tok     *oauth2.Token
	expires time.Time // local clock; zero: unknown
	margin  time.Duration
	fatal   error
}

const maxReuseMargin = 10 * time.Second

func (c *tokenCache) valid() bool {
	if c.tok == nil {
		return false
	}
	if c.expires.IsZero() {
		return true
	}
	return c.now().Before(c.expires.Add(-c.margin))
}

// token returns a usable token, fetching one when needed.
func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.valid() || c.fetch == nil && c.tok != nil {
		t := c.tok
		c.mu.Unlock()
		return t, nil
	}
	if c.fatal != nil {
		err := c.fatal
		c.mu.Unlock()
		return nil, err
	}
	c.mu.Unlock()
	if c.fetch == nil {
		return nil, fmt.Errorf("%w: no access token", ErrAuth)
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	c.mu.Lock()
	if c.valid() {
		t := c.tok
		c.mu.Unlock()
		return t, nil
	}
	if c.fatal != nil {
		err := c.fatal
		c.mu.Unlock()
		return nil, err
	}
	c.mu.Unlock()
	start := c.now()
	t, err := c.fetch(ctx)
	if err != nil {
		if errors.Is(err, ErrAuth) {
			c.mu.Lock()
			c.fatal = err
			c.mu.Unlock()
		}
		return nil, err
	}
	if t == nil || t.AccessToken == "" {
		return nil, errors.New("token endpoint sent no access token")
	}
	if c.onNew != nil {
		c.onNew(t)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(t, start)
	return t, nil
}

// set installs t, fetched at start (local clock).
func (c *tokenCache) set(t *oauth2.Token, start time.Time) {
	c.tok = t
	c.expires = time.Time{}
	c.margin = maxReuseMargin
	switch secs := expiresIn(t); {
	case secs > 0:
		life := time.Duration(secs) * time.Second
		c.expires = start.Add(life)
		c.margin = min(maxReuseMargin, life/10)
	case !t.Expiry.IsZero():
		c.expires = t.Expiry
		if life := t.Expiry.Sub(start); life > 0 {
			c.margin = min(maxReuseMargin, life/10)
		}
	}
}

// invalidate drops the held token if it is still access (after a 401),
// so that the next call fetches a fresh one.
func (c *tokenCache) invalidate(access string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tok != nil && c.tok.AccessToken == access && c.fetch != nil {
		c.tok = nil
		if c.refused != nil {
			c.refused(access)
		}
	}
}

// expiry returns the held token's expiry (zero when unknown).
func (c *tokenCache) expiry() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expires
}

// invalidator is implemented by token sources that can be told a token
// was refused (the stored login's source refreshes then).
type invalidator interface {
	invalidate(access string)
}

// authTransport sets the bearer token and, on a 401, gets one fresh token
// and retries once.
type authTransport struct {
	cache *tokenCache
	next  http.RoundTripper
}

func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := a.cache.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	// The bearer transport below the pacer may swap the token for a
	// fresh one after a rate-limit wait: sent says which one went out.
	sent := &sentToken{tok: tok}
	ctx := context.WithValue(req.Context(), sentTokenKey{}, sent)
	req = req.WithContext(ctx)
	resp, err := a.next.RoundTrip(withToken(req, tok))
	tok = sent.tok
	if err != nil || resp.StatusCode != http.StatusUnauthorized || a.cache.fetch == nil || req.Body != nil {
		return resp, err
	}
	// Keep the 401's body: it is the answer if no other token comes.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	a.cache.invalidate(tok.AccessToken)
	fresh, err := a.cache.token(ctx)
	if err != nil {
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, nil // the source has nothing newer: no pointless retry
	}
	sent.tok = fresh
	return a.next.RoundTrip(withToken(req, fresh))
}

// sentToken is the token a request carries; the bearer transport updates
// it when it swaps the token.
type sentToken struct{ tok *oauth2.Token }

type sentTokenKey struct{}

// bearerTransport sits below the pacer, which may hold a request for a
// rate-limit reset longer than the token it was given lives (Procore's
// limit is hourly, its tokens last 90 minutes): just before the request
// goes out, it puts the cache's current token on it when that is not the
// one it carries (the one it carries expired, or was replaced), so that
// the wait does not end in a 401 and a second request.
type bearerTransport struct {
	cache *tokenCache // nil until the client is built
	next  http.RoundTripper
}

func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A token request made for this call (its context is the call's)
	// carries no bearer token: it passes as it is.
	sent, _ := req.Context().Value(sentTokenKey{}).(*sentToken)
	if sent == nil || b.cache == nil || req.Header.Get("Authorization") == "" {
		return b.next.RoundTrip(req)
	}
	tok, err := b.cache.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	if tok.AccessToken != sent.tok.AccessToken {
		sent.tok = tok
		req = withToken(req, tok)
	}
	return b.next.RoundTrip(req)
}

func withToken(req *http.Request, tok *oauth2.Token) *http.Request {
	r := req.Clone(req.Context())
	typ := tok.Type()
	if strings.EqualFold(typ, "bearer") {
		typ = "Bearer"
	}
	r.Header.Set("Authorization", typ+" "+tok.AccessToken)
	return r
}

// scrubber replaces every secret it knows with [REDACTED].
type scrubber struct {
	mu      sync.Mutex
	secrets []string
}

// minScrubLen is the shortest value scrubbed (shorter ones would garble
// every message and cannot be meaningful credentials).
const minScrubLen = 4

func (s *scrubber) add(vals ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vals {
		if len(v) < minScrubLen {
			continue
		}
		// A server that echoes the request (a token endpoint's error
		// body quoting the form, an API error quoting the URL) sends the
		// value percent-encoded: a secret with "+", "/", "=" or "&" would
		// pass the plain comparison. Scrub the encoded forms too.
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			if !slices.Contains(s.secrets, form) {
				s.secrets = append(s.secrets, form)
			}
		}
	}
}

func (s *scrubber) scrub(msg string) string {
	if s == nil {
		return msg
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.secrets {
		msg = strings.ReplaceAll(msg, v, redacted)
	}
	return msg
}

// scrubbedError carries an error whose text had its secrets replaced; it
// still unwraps to the original for errors.Is and errors.As.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// tokenError turns a token endpoint failure into an error without a
// secret: an *AuthError for a refusal (status 400/401/403 or an OAuth
// error code), else a scrubbed error. oauth2.RetrieveError's own text can
// carry the response body, which may echo what was sent: it is never
// used.
func tokenError(op string, err error, s *scrubber, hint func(code string) string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		code := cleanText(re.ErrorCode, s.scrub)
		desc := cleanText(re.ErrorDescription, s.scrub)
		if code != "" || status == 400 || status == 401 || status == 403 {
			ae := &AuthError{Op: op, StatusCode: status, Code: code, Description: desc}
			if hint != nil {
				ae.Hint = hint(code)
			}
			return ae
		}
		return fmt.Errorf("%s: token endpoint answered %d %s", op, status, statusText(status))
	}
	var typed interface{ HTTPStatus() int }
	if errors.As(err, &typed) {
		return err // our own errors (rate limit, guard) carry no secret
	}
	return &scrubbedError{msg: s.scrub(fmt.Sprintf("%s: %v", op, err)), err: err}
}

// expiresIn is the token response's expires_in in seconds (0: not sent).
// clientcredentials drops Token.ExpiresIn but keeps the raw response.
func expiresIn(t *oauth2.Token) int64 {
	if t.ExpiresIn > 0 {
		return t.ExpiresIn
	}
	var n int64
	switch v := t.Extra("expires_in").(type) {
	case float64:
		n = int64(v)
	case string:
		n, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	case json.Number:
		n, _ = v.Int64()
	}
	if n < 0 || n > int64(maxRetryAfter/time.Second)*12 {
		return 0
	}
	return n
}

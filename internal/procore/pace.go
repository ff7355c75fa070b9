package procore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// maxRetries bounds the retries of one request after 5xx, 408 and
	// network errors.
	maxRetries = 3
	// maxRateLimitRetries bounds the retries of one request after 429s.
	maxRateLimitRetries = 5
	backoffBase         = 500 * time.Millisecond
	backoffCap          = 8 * time.Second
)

// rlKey names a rate-limit state: one per host (login, API) and
// Procore-Company-Id (0: calls that name no company).
type rlKey struct {
	host    string
	company int64
}

// rlState is the rate-limit state of one rlKey.
type rlState struct {
	known     bool      // remaining and resetAt come from a response
	limit     int64     // -1 when unknown
	remaining int64     // requests left in the window, in-flight ones deducted
	resetAt   time.Time // on the local clock
	inflight  int64
}

// pacer paces requests with Procore's rate-limit headers, one state per
// company, and retries what may succeed later: 429 (after the later of
// Retry-After and the reset), 503 (after Retry-After), other 5xx, 408 and
// network errors (capped exponential backoff with full jitter, at most
// maxRetries). Only GET requests are retried. A wait that would end after
// the deadline is not slept: it becomes a *RateLimitError (429 and
// pacing) or the response itself (5xx).
type pacer struct {
	next     http.RoundTripper
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	rand     func() float64
	onWait   func(int64, time.Duration)
	deadline time.Time
	timeout  time.Duration

	mu     sync.Mutex
	states map[rlKey]*rlState
}

// companyOf returns the request's Procore-Company-Id, 0 when none.
func companyOf(req *http.Request) int64 {
	v := strings.TrimSpace(req.Header.Get("Procore-Company-Id"))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func (p *pacer) state(k rlKey) *rlState {
	if p.states == nil {
		p.states = map[rlKey]*rlState{}
	}
	st := p.states[k]
	if st == nil {
		st = &rlState{limit: -1}
		p.states[k] = st
	}
	return st
}

// deadlineOf is the earlier of the run's deadline and ctx's.
func (p *pacer) deadlineOf(ctx context.Context) time.Time {
	d := p.deadline
	if cd, ok := ctx.Deadline(); ok && (d.IsZero() || cd.Before(d)) {
		d = cd
	}
	return d
}

func (p *pacer) beyond(ctx context.Context, until time.Time) bool {
	d := p.deadlineOf(ctx)
	return !d.IsZero() && until.After(d)
}

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	company := companyOf(req)
	key := rlKey{host: strings.ToLower(req.URL.Host), company: company}
	retryable := req.Method == http.MethodGet && req.Body == nil
	retries, rlRetries := 0, 0
	for {
		if err := p.waitTurn(ctx, key); err != nil {
			closeBody(req)
			return nil, err
		}
		resp, err := p.send(req)
		p.observe(key, resp)
		if err != nil {
			var ge *GuardError
			if !retryable || ctx.Err() != nil || errors.As(err, &ge) || retries >= maxRetries {
				return nil, err
			}
			if werr := p.backoff(ctx, retries); werr != nil {
				return nil, err
			}
			retries++
			continue
		}
		if !retryable {
			return resp, nil
		}
		code := resp.StatusCode
		switch {
		case code == http.StatusTooManyRequests:
			if rlRetries >= maxRateLimitRetries {
				return resp, nil
			}
			now := p.now()
			date := responseDate(resp, now)
			wait, have := ParseRetryAfter(resp.Header.Get("Retry-After"), date)
			if rl, ok := ParseRateLimit(resp.Header); ok {
				if w := resetWait(rl.Reset, date); w > wait {
					wait, have = w, true
				}
			}
			if !have {
				wait = p.jitter(rlRetries)
			}
			until := now.Add(wait)
			p.block(key, until)
			if p.beyond(ctx, until) {
				drain(resp)
				return nil, &RateLimitError{CompanyID: company, Reset: until.UTC()}
			}
			drain(resp)
			if p.onWait != nil {
				p.onWait(company, wait)
			}
			if err := p.sleep(ctx, wait); err != nil {
				return nil, err
			}
			rlRetries++
		case code == http.StatusServiceUnavailable || code == http.StatusRequestTimeout || (code >= 500 && code != http.StatusNotImplemented && code <= 599):
			if retries >= maxRetries {
				return resp, nil
			}
			wait, have := time.Duration(0), false
			if code == http.StatusServiceUnavailable {
				wait, have = ParseRetryAfter(resp.Header.Get("Retry-After"), responseDate(resp, p.now()))
			}
			if !have {
				wait = p.jitter(retries)
			}
			if p.beyond(ctx, p.now().Add(wait)) {
				return resp, nil
			}
			drain(resp)
			if err := p.sleep(ctx, wait); err != nil {
				return nil, err
			}
			retries++
		default:
			return resp, nil
		}
	}
}

// jitter is the capped exponential backoff with full jitter for the
// given retry (0-based).
func (p *pacer) jitter(retry int) time.Duration {
	ceiling := backoffBase << uint(retry)
	if ceiling > backoffCap || ceiling <= 0 {
		ceiling = backoffCap
	}
	return time.Duration(p.rand() * float64(ceiling))
}

func (p *pacer) backoff(ctx context.Context, retry int) error {
	wait := p.jitter(retry)
	if p.beyond(ctx, p.now().Add(wait)) {
		return context.DeadlineExceeded
	}
	return p.sleep(ctx, wait)
}

// send makes one attempt with the per-request timeout; the timeout covers
// reading the body, and is released when the body is closed.
func (p *pacer) send(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), p.timeout)
	resp, err := p.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timedOut := ctx.Err() != nil && req.Context().Err() == nil
		cancel()
		if timedOut {
			return nil, &timeoutError{after: p.timeout, err: err}
		}
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// responseDate is the response's Date header, or fallback.
func responseDate(resp *http.Response, fallback time.Time) time.Time {
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		return t
	}
	return fallback.Truncate(time.Second)
}

// waitTurn waits, when company's window is used up, until its reset; a
// reset after the deadline is a *RateLimitError. It reserves one request
// of the window.
func (p *pacer) waitTurn(ctx context.Context, k rlKey) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.mu.Lock()
		st := p.state(k)
		now := p.now()
		if st.known && st.remaining <= 0 {
			if now.Before(st.resetAt) {
				until := st.resetAt
				p.mu.Unlock()
				if p.beyond(ctx, until) {
					return &RateLimitError{CompanyID: k.company, Reset: until.UTC()}
				}
				wait := until.Sub(now)
				if p.onWait != nil {
					p.onWait(k.company, wait)
				}
				if err := p.sleep(ctx, wait); err != nil {
					return err
				}
				continue
			}
			// The window has reset.
			if st.limit > 0 {
				st.remaining = st.limit
			} else {
				st.known = false
			}
		}
		if st.known {
			st.remaining--
		}
		st.inflight++
		p.mu.Unlock()
		return nil
	}
}

// observe updates company's state from a response's headers (resp may be
// nil after a network error) and ends the request's in-flight count.
func (p *pacer) observe(k rlKey, resp *http.Response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state(k)
	if st.inflight > 0 {
		st.inflight--
	}
	if resp == nil {
		return
	}
	rl, ok := ParseRateLimit(resp.Header)
	if !ok {
		return
	}
	now := p.now()
	date := responseDate(resp, now)
	wait := resetWait(rl.Reset, date)
	st.known = true
	st.limit = rl.Limit
	// Requests still in flight may already be counted by Procore: deduct
	// them, so that concurrent calls do not overrun the window.
	st.remaining = rl.Remaining - st.inflight
	st.resetAt = now.Add(wait)
}

// block marks company's window as used up until until (after a 429).
func (p *pacer) block(k rlKey, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state(k)
	st.known = true
	st.remaining = 0
	if until.After(st.resetAt) {
		st.resetAt = until
	}
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// resetWait is how long after date a reset at Unix second reset comes:
// Procore's reset compared with the response's own Date, never with the
// local clock. It is at least 0 and at most maxRetryAfter.
func resetWait(reset int64, date time.Time) time.Duration {
	secs := reset - date.Unix()
	switch {
	case secs <= 0:
		return 0
	case secs > int64(maxRetryAfter/time.Second):
		return maxRetryAfter
	}
	return time.Duration(secs) * time.Second
}

// timeoutError is an attempt that got no answer within the per-request
// timeout.
type timeoutError struct {
	after time.Duration
	err   error
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("no answer within %v (request timeout)", e.after)
}
func (e *timeoutError) Unwrap() error { return e.err }
func (e *timeoutError) Timeout() bool { return true }

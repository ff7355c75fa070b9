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
	// Requests are numbered as they are sent and counted as they end
	// (answered or failed). The answer to the latest request sent updates
	// the state (answers to concurrent requests arrive in any order, older
	// ones are ignored). Its Remaining may lack every request sent but not
	// ended before it was sent (they can reach Procore in any order):
	// deducting those gives a remainder never above the truth.
	sent, ended, applied int64
	// wake is closed (and replaced) when a request ends.
	wake chan struct{}
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
	// skew is a lower bound of (server clock - local clock), the largest
	// Date - arrival seen: server times (X-Rate-Limit-Reset, an HTTP-date
	// Retry-After) become local ones as t - skew, never before the moment
	// they stand for, and within the Date header's one-second resolution
	// only once a response was dated just after a second began.
	skew      time.Duration
	skewKnown bool
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
		st = &rlState{limit: -1, wake: make(chan struct{})}
		p.states[k] = st
	}
	return st
}

// learnSkew tightens the clock-offset bound with a response's Date,
// received at now. The caller holds p.mu.
func (p *pacer) learnSkew(resp *http.Response, now time.Time) {
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	if s := d.Sub(now); !p.skewKnown || s > p.skew {
		p.skew, p.skewKnown = s, true
	}
}

// serverNow is the earliest the server's clock can read at local time now
// (now itself when no response was dated). The caller holds p.mu.
func (p *pacer) serverNow(now time.Time) time.Time {
	if !p.skewKnown {
		return now
	}
	return now.Add(p.skew)
}

// untilServer is how long from local now until the server's clock reads
// at least t: 0 for a moment past, at most maxRetryAfter. The caller holds
// p.mu.
func (p *pacer) untilServer(t time.Time, now time.Time) time.Duration {
	d := t.Sub(p.serverNow(now))
	switch {
	case d < 0:
		return 0
	case d > maxRetryAfter:
		return maxRetryAfter
	}
	return d
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
		tk, err := p.waitTurn(ctx, key)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		resp, err := p.send(req)
		p.observe(key, tk, resp)
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
			wait, have := p.rateLimitWait(resp, now)
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
				p.mu.Lock()
				wait, have = ParseRetryAfter(resp.Header.Get("Retry-After"), p.serverNow(p.now()))
				p.mu.Unlock()
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

// rateLimitWait is how long to wait after a 429: the later of its
// Retry-After and its X-Rate-Limit-Reset. have is false when it has
// neither.
func (p *pacer) rateLimitWait(resp *http.Response, now time.Time) (wait time.Duration, have bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	wait, have = ParseRetryAfter(resp.Header.Get("Retry-After"), p.serverNow(now))
	if rl, ok := ParseRateLimit(resp.Header); ok {
		if w := p.untilServer(time.Unix(rl.Reset, 0), now); w > wait || !have {
			wait, have = w, true
		}
	}
	return wait, have
}

// ticket identifies a request sent: its number and how many requests of
// its state had ended when it was sent.
type ticket struct{ seq, endedBefore int64 }

// waitTurn waits while k's window is used up: for the answers of the
// requests in flight when there are some (they bring fresher counts),
// else until the reset; a reset after the deadline is a *RateLimitError.
// After a reset a single request goes first (the others wait for its
// answer: in a sliding window only part of it may have come free). It
// reserves one request of the window.
func (p *pacer) waitTurn(ctx context.Context, k rlKey) (ticket, error) {
	for {
		if err := ctx.Err(); err != nil {
			return ticket{}, err
		}
		p.mu.Lock()
		st := p.state(k)
		now := p.now()
		if st.known && st.remaining <= 0 {
			if st.sent > st.ended {
				wake := st.wake
				p.mu.Unlock()
				select {
				case <-wake:
				case <-ctx.Done():
					return ticket{}, ctx.Err()
				}
				continue
			}
			if now.Before(st.resetAt) {
				until := st.resetAt
				p.mu.Unlock()
				if p.beyond(ctx, until) {
					return ticket{}, &RateLimitError{CompanyID: k.company, Reset: until.UTC()}
				}
				wait := until.Sub(now)
				if p.onWait != nil {
					p.onWait(k.company, wait)
				}
				if err := p.sleep(ctx, wait); err != nil {
					return ticket{}, err
				}
				continue
			}
			// The window has reset and nothing is in flight: this request
			// goes (the others wait for its answer above).
		} else if st.known {
			st.remaining--
		}
		st.sent++
		tk := ticket{seq: st.sent, endedBefore: st.ended}
		p.mu.Unlock()
		return tk, nil
	}
}

// observe updates k's state from the answer to request tk (resp is nil
// after a network error), and ends the request and a probe.
func (p *pacer) observe(k rlKey, tk ticket, resp *http.Response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state(k)
	st.ended++
	close(st.wake) // whoever waits for an answer re-reads the state
	st.wake = make(chan struct{})
	if resp == nil {
		return
	}
	now := p.now()
	p.learnSkew(resp, now)
	rl, ok := ParseRateLimit(resp.Header)
	if !ok {
		return
	}
	if tk.seq < st.applied {
		return // an answer to an older request than the last one applied
	}
	st.applied = tk.seq
	// Every request sent, less those that had ended before this one was
	// sent and less this one, may be missing from its Remaining.
	uncounted := st.sent - tk.endedBefore - 1
	st.known = true
	st.limit = rl.Limit
	st.remaining = rl.Remaining - uncounted
	st.resetAt = now.Add(p.untilServer(time.Unix(rl.Reset, 0), now))
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

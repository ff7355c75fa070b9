package procore

import (
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"
)

// statusError is how the audit engine sees the client's errors.
type statusError interface {
	HTTPStatus() int
	ProcoreRequestID() string
	ProcoreMessage() string
}

func TestErrorTypes(t *testing.T) {
	reset := time.Date(2026, 11, 29, 13, 0, 0, 0, time.FixedZone("X", 3600))
	tests := []struct {
		name    string
		err     error
		status  int
		reqID   string
		msg     string
		text    string
		isAuth  bool
		asCheck func(error) bool
	}{
		{"APIError", &APIError{Method: "GET", URL: "https://a/x", StatusCode: 403, RequestID: "r1", Message: "App is not connected to this company."}, 403, "r1", "App is not connected to this company.",
			"GET https://a/x: 403 Forbidden: App is not connected to this company. (request id r1)", false,
			func(err error) bool { var e *APIError; return errors.As(err, &e) }},
		{"APIError 401", &APIError{Method: "GET", URL: "https://a/x", StatusCode: 401}, 401, "", "", "GET https://a/x: 401 Unauthorized", true,
			func(err error) bool { var e *APIError; return errors.As(err, &e) }},
		{"APIError odd status", &APIError{Method: "GET", URL: "https://a/x", StatusCode: 599}, 599, "", "", "GET https://a/x: 599 status", false,
			func(err error) bool { var e *APIError; return errors.As(err, &e) }},
		{"RateLimitError", &RateLimitError{CompanyID: 10, Reset: reset}, 429, "", "rate limit for company 10 resets at 2026-11-29T12:00:00Z, after the deadline",
			"rate limit for company 10 resets at 2026-11-29T12:00:00Z, after the deadline", false,
			func(err error) bool { var e *RateLimitError; return errors.As(err, &e) }},
		{"RateLimitError without company", &RateLimitError{Reset: reset}, 429, "", "rate limit for calls without a company resets at 2026-11-29T12:00:00Z, after the deadline",
			"rate limit for calls without a company resets at 2026-11-29T12:00:00Z, after the deadline", false,
			func(err error) bool { var e *RateLimitError; return errors.As(err, &e) }},
		{"AuthError", &AuthError{Op: "refresh", StatusCode: 400, Code: "invalid_grant", Description: "expired", Hint: "log in again"}, 400, "", "invalid_grant: expired",
			"authentication failed (refresh): invalid_grant: expired; log in again", true,
			func(err error) bool { var e *AuthError; return errors.As(err, &e) }},
		{"AuthError without code", &AuthError{Op: "client credentials", StatusCode: 401}, 401, "", "",
			"authentication failed (client credentials): token endpoint answered 401 Unauthorized", true,
			func(err error) bool { var e *AuthError; return errors.As(err, &e) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := fmt.Errorf("company 10: %w", tc.err)
			if !tc.asCheck(wrapped) {
				t.Errorf("errors.As through a wrap failed")
			}
			var se statusError
			if !errors.As(wrapped, &se) {
				t.Fatalf("not a statusError")
			}
			if se.HTTPStatus() != tc.status || se.ProcoreRequestID() != tc.reqID || se.ProcoreMessage() != tc.msg {
				t.Errorf("status %d, id %q, message %q; want %d, %q, %q", se.HTTPStatus(), se.ProcoreRequestID(), se.ProcoreMessage(), tc.status, tc.reqID, tc.msg)
			}
			if got := tc.err.Error(); got != tc.text {
				t.Errorf("Error() = %q, want %q", got, tc.text)
			}
			if errors.Is(wrapped, ErrAuth) != tc.isAuth {
				t.Errorf("errors.Is(ErrAuth) = %v, want %v", !tc.isAuth, tc.isAuth)
			}
		})
	}
	ge := fmt.Errorf("x: %w", &GuardError{Method: "POST", URL: "https://a/x", Reason: "no"})
	var g *GuardError
	if !errors.As(ge, &g) || g.Error() != "refused to send POST https://a/x: no" {
		t.Errorf("GuardError = %v", ge)
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://api.procore.com/rest/v1.0/projects?company_id=1&per_page=100", "https://api.procore.com/rest/v1.0/projects?company_id=1&per_page=100"},
		{"https://u:p@h/x?access_token=abc&company_id=1", "https://h/x?access_token=REDACTED&company_id=1"},
		{"https://h/cb?code=xyz&state=s#frag", "https://h/cb?code=REDACTED&state=s"},
		{"https://h/x?Client_Secret=s&refresh_token=r", "https://h/x?Client_Secret=REDACTED&refresh_token=REDACTED"},
		{"https://h/x?%zz", "https://h/x?[query omitted]"},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := redactURL(u); got != tc.want {
			t.Errorf("redactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if redactURL(nil) != "" {
		t.Errorf("redactURL(nil) not empty")
	}
}

package procore

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrAuth is wrapped by every authentication failure: the token
	// endpoint refused the credentials, the authorization code or the
	// refresh token (invalid_client, invalid_grant, ...), or an API call
	// was answered 401 again after a fresh token. Its message names no
	// secret.
	ErrAuth = errors.New("authentication failed")

	// ErrNoLogin is wrapped when there is no stored login (the token file
	// does not exist).
	ErrNoLogin = errors.New("no stored login")

	// ErrOffsiteLink is wrapped when a listing's Link rel="next" points
	// away from the API host: it is not followed (no request is sent
	// there, no token travels) and the listing fails.
	ErrOffsiteLink = errors.New("next page link not followed (not the API host)")
)

// APIError is a non-2xx answer from Procore's API. Its fields never carry a
// secret: the URL has its secret query values removed and the message is
// scrubbed of the client secret and the tokens in use.
type APIError struct {
	Method     string
	URL        string // redacted
	StatusCode int
	RequestID  string // X-Request-Id
	Message    string // Procore's message, truncated
	CompanyID  int64  // the Procore-Company-Id sent, 0 when none
}

// Error describes the failed call.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.StatusCode, statusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// HTTPStatus returns the response's status code.
func (e *APIError) HTTPStatus() int { return e.StatusCode }

// ProcoreRequestID returns the response's X-Request-Id, or "".
func (e *APIError) ProcoreRequestID() string { return e.RequestID }

// ProcoreMessage returns Procore's error message, or "".
func (e *APIError) ProcoreMessage() string { return e.Message }

// Unwrap makes a 401 answer errors.Is(err, ErrAuth).
func (e *APIError) Unwrap() error {
	if e.StatusCode == 401 {
		return ErrAuth
	}
	return nil
}

// RateLimitError says a company's rate limit resets only after the run's
// deadline: the client stopped instead of sleeping.
type RateLimitError struct {
	CompanyID int64
	Reset     time.Time
}

// Error names the company and the reset time in RFC 3339 (UTC).
func (e *RateLimitError) Error() string {
	scope := "calls without a company"
	if e.CompanyID != 0 {
		scope = fmt.Sprintf("company %d", e.CompanyID)
	}
	return fmt.Sprintf("rate limit for %s resets at %s, after the deadline", scope, e.Reset.UTC().Format(time.RFC3339))
}

// HTTPStatus returns 429.
func (e *RateLimitError) HTTPStatus() int { return 429 }

// ProcoreRequestID returns "" (the error stands for no single response).
func (e *RateLimitError) ProcoreRequestID() string { return "" }

// ProcoreMessage returns the error's text.
func (e *RateLimitError) ProcoreMessage() string { return e.Error() }

// AuthError is a refusal by the token endpoint, reduced to the OAuth error
// code and description (never the response body, which may echo what was
// sent). It wraps ErrAuth.
type AuthError struct {
	Op          string // "client credentials", "authorization code", "refresh", ...
	StatusCode  int
	Code        string // invalid_client, invalid_grant, ...
	Description string
	Hint        string
}

// Error describes the refusal.
func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("authentication failed")
	if e.Op != "" {
		fmt.Fprintf(&b, " (%s)", e.Op)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	} else if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": token endpoint answered %d %s", e.StatusCode, statusText(e.StatusCode))
	}
	if e.Description != "" {
		d := e.Description
		if e.Hint != "" {
			d = strings.TrimRight(d, ".")
		}
		fmt.Fprintf(&b, ": %s", d)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "; %s", e.Hint)
	}
	return b.String()
}

// Unwrap returns ErrAuth.
func (e *AuthError) Unwrap() error { return ErrAuth }

// HTTPStatus returns the token endpoint's status (0 when unknown).
func (e *AuthError) HTTPStatus() int { return e.StatusCode }

// ProcoreRequestID returns "".
func (e *AuthError) ProcoreRequestID() string { return "" }

// ProcoreMessage returns the OAuth error code and description.
func (e *AuthError) ProcoreMessage() string {
	if e.Description == "" {
		return e.Code
	}
	return strings.TrimPrefix(e.Code+": "+e.Description, ": ")
}

// GuardError is a request the client refused to send (wrong method, host
// or scheme). No byte of it reached the network.
type GuardError struct {
	Method string
	URL    string // redacted
	Reason string
}

// Error describes the refusal.
func (e *GuardError) Error() string {
	return fmt.Sprintf("refused to send %s %s: %s", e.Method, e.URL, e.Reason)
}

func statusText(code int) string {
	if s := http.StatusText(code); s != "" {
		return s
	}
	return "status"
}

// secretParams are query parameters whose values never appear in a URL the
// client prints.
var secretParams = []string{"access_token", "refresh_token", "client_secret", "code", "token", "password", "client_assertion"}

// redactURL returns u as text without user information, fragment, or the
// values of secret query parameters.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.Fragment = ""
	c.RawFragment = ""
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			c.RawQuery = "[query omitted]"
		} else {
			changed := false
			for k := range q {
				for _, s := range secretParams {
					if strings.EqualFold(k, s) {
						q[k] = []string{"REDACTED"}
						changed = true
					}
				}
			}
			if changed {
				c.RawQuery = q.Encode()
			}
		}
	}
	return c.String()
}

// maxMessage is the longest Procore message kept in an error (runes).
const maxMessage = 300

// errorMessage extracts Procore's message from an error body: the JSON
// shapes {"errors":[...]}, {"errors":"..."}, {"error":"...",
// "error_description":"..."}, {"error":{"code","message"}}, {"message":...},
// else the text itself; one line, truncated, with every secret in scrub
// replaced.
func errorMessage(body []byte, scrub func(string) string) string {
	msg := jsonMessage(body)
	if msg == "" && !json.Valid(body) {
		msg = string(body)
	}
	return cleanText(msg, scrub)
}

// cleanText makes msg one line of valid UTF-8, scrubbed and truncated.
func cleanText(msg string, scrub func(string) string) string {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	if scrub != nil {
		msg = scrub(msg)
	}
	msg = strings.Join(strings.FieldsFunc(msg, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if scrub != nil {
		msg = scrub(msg) // again: joining lines must not form a secret
	}
	if utf8.RuneCountInString(msg) > maxMessage {
		r := []rune(msg)
		msg = string(r[:maxMessage]) + "…"
	}
	return msg
}

func jsonMessage(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return ""
	}
	return messageOf(v, 0)
}

func messageOf(v any, depth int) string {
	if depth > 4 {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var parts []string
		for _, e := range x {
			if s := messageOf(e, depth+1); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		var parts []string
		for _, k := range []string{"errors", "error", "message", "error_description", "reason"} {
			if e, ok := x[k]; ok {
				if s := messageOf(e, depth+1); s != "" && !slices.Contains(parts, s) {
					parts = append(parts, s)
				}
			}
		}
		if len(parts) == 0 {
			if s, ok := x["code"].(string); ok {
				return s
			}
		}
		if len(parts) == 0 && depth > 0 {
			// {"errors": {"name": ["can't be blank"]}}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if s := messageOf(x[k], depth+1); s != "" {
					parts = append(parts, k+": "+s)
				}
			}
			return strings.Join(parts, "; ")
		}
		return strings.Join(parts, ": ")
	}
	return ""
}

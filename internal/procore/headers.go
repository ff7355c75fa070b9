package procore

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Link is one link-value of a Link header (RFC 8288).
type Link struct {
	URL    string
	Rels   []string          // lowercased relation types ("next", "last", ...)
	Params map[string]string // other parameters, names lowercased; first occurrence wins
}

// HasRel reports whether l has relation type rel (case-insensitive).
func (l Link) HasRel(rel string) bool {
	for _, r := range l.Rels {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// ParseLink parses the values of Link headers by hand, leniently: several
// header lines, link-values spread over lines, a trailing comma, commas and
// semicolons inside <...>, quoted or bare parameter values, several
// relation types in one rel ("next last"). A malformed link-value is
// skipped up to the next comma outside quotes and brackets.
func ParseLink(values ...string) []Link {
	var links []Link
	for _, v := range values {
		links = append(links, parseLinkValue(v)...)
	}
	return links
}

// NextLink returns the URL of the first link with rel="next" in h, or "".
func NextLink(h http.Header) string {
	for _, l := range ParseLink(h.Values("Link")...) {
		if l.HasRel("next") {
			return l.URL
		}
	}
	return ""
}

func isLinkSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func parseLinkValue(s string) []Link {
	var links []Link
	i, n := 0, len(s)
	for i < n {
		for i < n && (isLinkSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= n {
			break
		}
		if s[i] != '<' {
			i = skipLinkValue(s, i)
			continue
		}
		end := strings.IndexByte(s[i+1:], '>')
		if end < 0 {
			break
		}
		l := Link{URL: strings.TrimSpace(s[i+1 : i+1+end])}
		i += end + 2
		relSeen := false
		ok := true
	params:
		for {
			for i < n && isLinkSpace(s[i]) {
				i++
			}
			if i >= n || s[i] == ',' {
				break
			}
			if s[i] != ';' {
				ok = false
				i = skipLinkValue(s, i)
				break
			}
			i++
			for i < n && isLinkSpace(s[i]) {
				i++
			}
			start := i
			for i < n && s[i] != '=' && s[i] != ';' && s[i] != ',' && !isLinkSpace(s[i]) {
				i++
			}
			name := strings.ToLower(s[start:i])
			for i < n && isLinkSpace(s[i]) {
				i++
			}
			value := ""
			if i < n && s[i] == '=' {
				i++
				for i < n && isLinkSpace(s[i]) {
					i++
				}
				if i < n && s[i] == '"' {
					var b strings.Builder
					i++
					for i < n && s[i] != '"' {
						if s[i] == '\\' && i+1 < n {
							i++
						}
						b.WriteByte(s[i])
						i++
					}
					if i >= n {
						ok = false
						break params
					}
					i++ // closing quote
					value = b.String()
				} else {
					start := i
					for i < n && s[i] != ';' && s[i] != ',' && !isLinkSpace(s[i]) {
						i++
					}
					value = s[start:i]
				}
			}
			if name == "" {
				continue
			}
			if name == "rel" {
				if !relSeen {
					relSeen = true
					for _, r := range strings.Fields(value) {
						l.Rels = append(l.Rels, strings.ToLower(r))
					}
				}
				continue
			}
			if l.Params == nil {
				l.Params = map[string]string{}
			}
			if _, dup := l.Params[name]; !dup {
				l.Params[name] = value
			}
		}
		if ok {
			links = append(links, l)
		}
	}
	return links
}

// skipLinkValue returns the index of the next comma at or after i that is
// outside quotes and angle brackets (or len(s)).
func skipLinkValue(s string, i int) int {
	inQuote, inURL := false, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote:
			if c == '\\' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case inURL:
			if c == '>' {
				inURL = false
			}
		case c == '"':
			inQuote = true
		case c == '<':
			inURL = true
		case c == ',':
			return i
		}
	}
	return i
}

// RateLimit is what the X-Rate-Limit-* headers of one response say.
type RateLimit struct {
	Limit     int64 // -1 when absent or malformed
	Remaining int64
	Reset     int64 // Unix seconds
}

// ParseRateLimit reads X-Rate-Limit-Limit, -Remaining and -Reset. ok is
// false unless Remaining and Reset are both present and valid
// non-negative integers; Limit is -1 when it is absent or malformed.
func ParseRateLimit(h http.Header) (rl RateLimit, ok bool) {
	rl.Limit = -1
	if v, good := headerInt(h, "X-Rate-Limit-Limit"); good {
		rl.Limit = v
	}
	rem, okRem := headerInt(h, "X-Rate-Limit-Remaining")
	reset, okReset := headerInt(h, "X-Rate-Limit-Reset")
	if !okRem || !okReset {
		return RateLimit{Limit: rl.Limit}, false
	}
	rl.Remaining, rl.Reset = rem, reset
	return rl, true
}

// headerInt parses the first value of header k as a non-negative decimal
// integer (surrounding spaces allowed).
func headerInt(h http.Header, k string) (int64, bool) {
	v := strings.TrimSpace(h.Get(k))
	if v == "" || len(v) > 18 {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// maxRetryAfter caps a Retry-After so that durations never overflow.
const maxRetryAfter = 30 * 24 * time.Hour

// ParseRetryAfter reads a Retry-After value: delay seconds, or an HTTP-date
// taken relative to date (the response's Date; now when it has none). A
// date in the past gives 0. ok is false for a missing or malformed value.
func ParseRetryAfter(v string, date time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		for i := 0; i < len(v); i++ {
			if v[i] < '0' || v[i] > '9' {
				return 0, false
			}
		}
		if len(v) > 10 {
			return maxRetryAfter, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(date)
	if d < 0 {
		d = 0
	}
	if d > maxRetryAfter {
		d = maxRetryAfter
	}
	return d, true
}

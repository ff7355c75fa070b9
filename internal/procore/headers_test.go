package procore

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// procoreLinkExample is the multi-line Link header of Procore's
// pagination documentation, trailing comma included.
const procoreLinkExample = `<https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100>; rel="first",
<https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100>; rel="prev",
<https://api.procore.com/rest/v1.0/projects?company_id=1&page=3&per_page=100>; rel="next",
<https://api.procore.com/rest/v1.0/projects?company_id=1&page=7&per_page=100>; rel="last",`

func TestParseLink(t *testing.T) {
	p := func(page string) string {
		return "https://api.procore.com/rest/v1.0/projects?company_id=1&page=" + page + "&per_page=100"
	}
	tests := []struct {
		name   string
		in     []string
		want   []Link
		next   string
		noNext bool
	}{
		{name: "Procore's multi-line example with a trailing comma", in: []string{procoreLinkExample},
			want: []Link{{URL: p("1"), Rels: []string{"first"}}, {URL: p("1"), Rels: []string{"prev"}}, {URL: p("3"), Rels: []string{"next"}}, {URL: p("7"), Rels: []string{"last"}}},
			next: p("3")},
		{name: "page 2 without prev", in: []string{`<` + p("1") + `>; rel="first", <` + p("3") + `>; rel="next", <` + p("3") + `>; rel="last"`},
			want: []Link{{URL: p("1"), Rels: []string{"first"}}, {URL: p("3"), Rels: []string{"next"}}, {URL: p("3"), Rels: []string{"last"}}},
			next: p("3")},
		{name: "last page has no next", in: []string{`<` + p("1") + `>; rel="first", <` + p("2") + `>; rel="prev"`},
			want: []Link{{URL: p("1"), Rels: []string{"first"}}, {URL: p("2"), Rels: []string{"prev"}}}, noNext: true},
		{name: "commas and semicolons inside the URL", in: []string{`<https://h/x?a=1,2;b=3&c=<d>; rel=next, <https://h/y?q=a,b>; rel="last"`},
			want: []Link{{URL: "https://h/x?a=1,2;b=3&c=<d", Rels: []string{"next"}}, {URL: "https://h/y?q=a,b", Rels: []string{"last"}}}, next: "https://h/x?a=1,2;b=3&c=<d"},
		{name: "commas inside the URL, well formed", in: []string{`<https://h/x?ids=1,2,3;v=1>; rel=next, <https://h/y?q=a,b>; rel="last"`},
			want: []Link{{URL: "https://h/x?ids=1,2,3;v=1", Rels: []string{"next"}}, {URL: "https://h/y?q=a,b", Rels: []string{"last"}}}, next: "https://h/x?ids=1,2,3;v=1"},
		{name: "unquoted rel, upper case", in: []string{`<https://h/2>; REL=Next`}, want: []Link{{URL: "https://h/2", Rels: []string{"next"}}}, next: "https://h/2"},
		{name: "several rels in one", in: []string{`<https://h/2>; rel="next last"`}, want: []Link{{URL: "https://h/2", Rels: []string{"next", "last"}}}, next: "https://h/2"},
		{name: "other params, quoted with escapes and commas", in: []string{`<https://h/2>; title="a, \"b\"; c"; rel="next"; type=text/html`},
			want: []Link{{URL: "https://h/2", Rels: []string{"next"}, Params: map[string]string{"title": `a, "b"; c`, "type": "text/html"}}}, next: "https://h/2"},
		{name: "first rel wins", in: []string{`<https://h/2>; rel="prev"; rel="next"`}, want: []Link{{URL: "https://h/2", Rels: []string{"prev"}}}, noNext: true},
		{name: "several header lines", in: []string{`<https://h/1>; rel="prev"`, `<https://h/3>; rel="next"`},
			want: []Link{{URL: "https://h/1", Rels: []string{"prev"}}, {URL: "https://h/3", Rels: []string{"next"}}}, next: "https://h/3"},
		{name: "garbage before a good link is skipped", in: []string{`garbage; rel="next", <https://h/3>; rel="next"`},
			want: []Link{{URL: "https://h/3", Rels: []string{"next"}}}, next: "https://h/3"},
		{name: "unterminated quote drops the link", in: []string{`<https://h/3>; rel="next`}, want: nil, noNext: true},
		{name: "unterminated URL", in: []string{`<https://h/3; rel="next"`}, want: nil, noNext: true},
		{name: "empty", in: []string{""}, want: nil, noNext: true},
		{name: "only commas and spaces", in: []string{" , ,\n\t,"}, want: nil, noNext: true},
		{name: "relative URL", in: []string{`</rest/v1.0/projects?page=2>; rel="next"`}, want: []Link{{URL: "/rest/v1.0/projects?page=2", Rels: []string{"next"}}}, next: "/rest/v1.0/projects?page=2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseLink(tc.in...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseLink(%q) (-want +got):\n%s", tc.in, diff)
			}
			h := http.Header{}
			for _, v := range tc.in {
				h.Add("Link", v)
			}
			next := NextLink(h)
			if tc.noNext {
				tc.next = ""
			}
			if next != tc.next {
				t.Errorf("NextLink = %q, want %q", next, tc.next)
			}
		})
	}
}

func FuzzLink(f *testing.F) {
	for _, s := range []string{procoreLinkExample, `<https://h/x?a=1,2>; rel="next last"`, `<a>; rel=next; title="x\"y"`, `<`, `;,"<>`, `<a>;rel`, `<a>; =b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		links := ParseLink(s)
		for _, l := range links {
			if strings.ContainsAny(l.URL, ">") {
				t.Errorf("URL %q contains '>'", l.URL)
			}
			if !strings.Contains(s, l.URL) {
				t.Errorf("URL %q is not a part of the input", l.URL)
			}
			for _, r := range l.Rels {
				if r == "" || strings.ContainsAny(r, " \t\r\n") || r != strings.ToLower(r) {
					t.Errorf("rel %q is not a lowercased token", r)
				}
			}
		}
		// Each link, written back in canonical form, parses to itself.
		var parts []string
		for _, l := range links {
			if strings.ContainsAny(l.URL, "\"\\") || strings.ContainsAny(strings.Join(l.Rels, ""), "\"\\") {
				return
			}
			parts = append(parts, "<"+l.URL+">; rel=\""+strings.Join(l.Rels, " ")+"\"")
		}
		again := ParseLink(strings.Join(parts, ",\n"))
		if len(again) != len(links) {
			t.Fatalf("round trip: %d links, want %d", len(again), len(links))
		}
		for i := range links {
			if again[i].URL != strings.TrimSpace(links[i].URL) || !cmp.Equal(again[i].Rels, links[i].Rels) {
				t.Errorf("round trip: %+v, want %+v", again[i], links[i])
			}
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	date := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 120 ", 120 * time.Second, true},
		{"Sun, 29 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Sunday, 29-Nov-26 12:01:00 GMT", time.Minute, true},
		{"Sun Nov 29 12:00:05 2026", 5 * time.Second, true},
		{"Sun, 29 Nov 2026 11:00:00 GMT", 0, true}, // in the past
		{"99999999999999999999", maxRetryAfter, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"10s", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseRetryAfter(tc.in, date)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v, want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "7", "Sun, 29 Nov 2026 12:00:30 GMT", "99999999999999999999", "-1", "x"} {
		f.Add(s)
	}
	date := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseRetryAfter(s, date)
		if d < 0 || d > maxRetryAfter {
			t.Errorf("ParseRetryAfter(%q) = %v, out of [0, %v]", s, d, maxRetryAfter)
		}
		if !ok && d != 0 {
			t.Errorf("ParseRetryAfter(%q) = %v with ok false", s, d)
		}
	})
}

func TestParseRateLimit(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Add(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name string
		in   http.Header
		want RateLimit
		ok   bool
	}{
		{"all three", h("X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "599", "X-Rate-Limit-Reset", "1796126400"), RateLimit{600, 599, 1796126400}, true},
		{"no limit", h("X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", "1796126400"), RateLimit{-1, 0, 1796126400}, true},
		{"spaces", h("X-Rate-Limit-Limit", " 25 ", "X-Rate-Limit-Remaining", " 3", "X-Rate-Limit-Reset", "10 "), RateLimit{25, 3, 10}, true},
		{"lower-case names", http.Header{"X-Rate-Limit-Remaining": {"1"}, "X-Rate-Limit-Reset": {"2"}}, RateLimit{-1, 1, 2}, true},
		{"no reset", h("X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "1"), RateLimit{Limit: 600}, false},
		{"no remaining", h("X-Rate-Limit-Reset", "1"), RateLimit{Limit: -1}, false},
		{"negative", h("X-Rate-Limit-Remaining", "-1", "X-Rate-Limit-Reset", "1"), RateLimit{Limit: -1}, false},
		{"float", h("X-Rate-Limit-Remaining", "1.0", "X-Rate-Limit-Reset", "1"), RateLimit{Limit: -1}, false},
		{"huge", h("X-Rate-Limit-Remaining", "1", "X-Rate-Limit-Reset", "99999999999999999999"), RateLimit{Limit: -1}, false},
		{"bad limit kept apart", h("X-Rate-Limit-Limit", "many", "X-Rate-Limit-Remaining", "5", "X-Rate-Limit-Reset", "9"), RateLimit{-1, 5, 9}, true},
		{"none", http.Header{}, RateLimit{Limit: -1}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseRateLimit(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseRateLimit = %+v, %v, want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func FuzzRateLimit(f *testing.F) {
	f.Add("600", "599", "1796126400")
	f.Add("", "0", "1")
	f.Add("x", "-1", "1e3")
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		if !utf8.ValidString(limit + remaining + reset) {
			return
		}
		h := http.Header{}
		h.Set("X-Rate-Limit-Limit", limit)
		h.Set("X-Rate-Limit-Remaining", remaining)
		h.Set("X-Rate-Limit-Reset", reset)
		rl, ok := ParseRateLimit(h)
		if ok && (rl.Remaining < 0 || rl.Reset < 0) {
			t.Errorf("ParseRateLimit = %+v: negative values accepted", rl)
		}
		if rl.Limit < -1 {
			t.Errorf("Limit = %d", rl.Limit)
		}
		if !ok && (rl.Remaining != 0 || rl.Reset != 0) {
			t.Errorf("ParseRateLimit = %+v with ok false", rl)
		}
	})
}

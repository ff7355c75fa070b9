package procore_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/manifestctl/manifestctl/internal/procore"
)

func ExampleSecret() {
	s := procore.Secret("s3cr3t")
	fmt.Printf("%v %s %q %x %#v\n", s, s, s, s, s)
	fmt.Println(s.Reveal())
	// Output:
	// [REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED]
	// s3cr3t
}

func ExampleParseLink() {
	// Procore's documented header: several lines, a trailing comma.
	h := `<https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100>; rel="first",
<https://api.procore.com/rest/v1.0/projects?company_id=1&page=3&per_page=100>; rel="next",
<https://api.procore.com/rest/v1.0/projects?company_id=1&page=7&per_page=100>; rel="last",`
	for _, l := range procore.ParseLink(h) {
		fmt.Println(l.Rels, l.URL)
	}
	// Output:
	// [first] https://api.procore.com/rest/v1.0/projects?company_id=1&page=1&per_page=100
	// [next] https://api.procore.com/rest/v1.0/projects?company_id=1&page=3&per_page=100
	// [last] https://api.procore.com/rest/v1.0/projects?company_id=1&page=7&per_page=100
}

func ExampleParseRetryAfter() {
	date := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) // the response's Date
	d1, _ := procore.ParseRetryAfter("120", date)
	d2, _ := procore.ParseRetryAfter("Sun, 29 Nov 2026 12:00:30 GMT", date)
	fmt.Println(d1, d2)
	// Output: 2m0s 30s
}

func ExampleParseRateLimit() {
	h := http.Header{}
	h.Set("X-Rate-Limit-Limit", "600")
	h.Set("X-Rate-Limit-Remaining", "0")
	h.Set("X-Rate-Limit-Reset", "1796126400")
	rl, ok := procore.ParseRateLimit(h)
	fmt.Println(rl.Limit, rl.Remaining, rl.Reset, ok)
	// Output: 600 0 1796126400 true
}

func ExampleLookupEnvironment() {
	env, _ := procore.LookupEnvironment("sandbox")
	fmt.Println(env.LoginURL, env.APIURL)
	_, err := procore.LookupEnvironment("staging")
	fmt.Println(err)
	// Output:
	// https://login-sandbox.procore.com https://sandbox.procore.com
	// unknown environment "staging" (known: production, sandbox, monthly, federal)
}

package procore

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Environment is a pair of Procore hosts: the login host (OAuth endpoints
// and token info) and the API host (REST calls).
type Environment struct {
	Name     string
	LoginURL string
	APIURL   string
}

// environments lists Procore's environments (DESIGN §4, procore-facts §3,
// §7c). An On-Demand Sandbox uses the production hosts.
func environments() []Environment {
	return []Environment{
		{Name: "production", LoginURL: "https://login.procore.com", APIURL: "https://api.procore.com"},
		{Name: "sandbox", LoginURL: "https://login-sandbox.procore.com", APIURL: "https://sandbox.procore.com"},
		{Name: "monthly", LoginURL: "https://login-sandbox-monthly.procore.com", APIURL: "https://api-monthly.procore.com"},
		{Name: "federal", LoginURL: "https://login.procoregov.com", APIURL: "https://api.procoregov.com"},
	}
}

// EnvironmentNames returns the names LookupEnvironment knows, in the order
// of DESIGN §4.
func EnvironmentNames() []string {
	var names []string
	for _, e := range environments() {
		names = append(names, e.Name)
	}
	return names
}

// LookupEnvironment returns the named Procore environment: production,
// sandbox, monthly or federal. An unknown name is an error listing the
// known ones.
func LookupEnvironment(name string) (Environment, error) {
	for _, e := range environments() {
		if e.Name == name {
			return e, nil
		}
	}
	return Environment{}, fmt.Errorf("unknown environment %q (known: %s)", name, strings.Join(EnvironmentNames(), ", "))
}

// CheckBaseURL reports whether raw is usable as a login or API base URL:
// absolute https, or http on a loopback host (127.0.0.0/8, ::1,
// localhost), with no user information, query or fragment.
func CheckBaseURL(raw string) error {
	_, err := parseBaseURL(raw)
	return err
}

// parseBaseURL parses and checks a base URL and drops a trailing slash from
// its path.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: not a URL", raw)
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("base URL %q: not an absolute URL with a host", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("base URL %q: user information is not allowed", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: a query or fragment is not allowed", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("base URL %q: http is allowed on loopback addresses only; use https", raw)
		}
	default:
		return nil, fmt.Errorf("base URL %q: scheme must be https (or http on loopback)", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host (without port) is a loopback address or
// the name localhost.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

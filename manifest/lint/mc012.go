package lint

import (
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc012 = &Rule{ID: "MC012", Title: "a URL uses plain http instead of https", Severity: manifest.SeverityError, Run: runMC012}

// runMC012 reports every string value that is a plain http:// URL,
// wherever it is: page.url, iframe_src, source_url, support_link.url, or a
// member the tool does not know. Procore shows apps inside its https pages,
// where browsers block plain http content.
func runMC012(p *Pass) {
	if !anyString(p.Doc.Root, hasHTTPScheme) {
		return // the common case: no pointers to build
	}
	walkStrings(p.Doc.Root, "", func(ptr string, n *manifest.Node) {
		if hasHTTPScheme(n.Str) {
			p.Report(ptr, "URL must use https: Procore loads apps inside an https page, where plain http is blocked")
		}
	})
}

// hasHTTPScheme reports whether s starts with "http://", ignoring case and
// leading white space.
func hasHTTPScheme(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	s = s[i:]
	const scheme = "http://"
	return len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme)
}

// walkStrings calls fn for every string value under n, in source order.
// Of duplicate members only the effective (last) one is visited, so that
// ptr names the value fn sees.
func walkStrings(n *manifest.Node, ptr string, fn func(ptr string, n *manifest.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case manifest.String:
		fn(ptr, n)
	case manifest.Object:
		var last map[string]int // large objects: effective member per key
		if len(n.Members) > 16 {
			last = make(map[string]int, len(n.Members))
			for i, m := range n.Members {
				last[m.Key] = i
			}
		}
		for i, m := range n.Members {
			if last != nil && last[m.Key] != i || last == nil && n.Member(m.Key) != i {
				continue // shadowed by a later duplicate
			}
			walkStrings(m.Value, manifest.AppendPointer(ptr, m.Key), fn)
		}
	case manifest.Array:
		for i, e := range n.Elems {
			walkStrings(e, manifest.AppendIndex(ptr, i), fn)
		}
	}
}

// anyString reports whether any string value under n satisfies match.
func anyString(n *manifest.Node, match func(string) bool) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case manifest.String:
		return match(n.Str)
	case manifest.Object:
		for _, m := range n.Members {
			if anyString(m.Value, match) {
				return true
			}
		}
	case manifest.Array:
		for _, e := range n.Elems {
			if anyString(e, match) {
				return true
			}
		}
	}
	return false
}

package lint

import (
	_ "embed"
	"github.com/manifestctl/manifestctl/internal/suggest"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/viewkeys.txt
var viewKeysText string

// viewKeySet is the documented side panel view keys, parsed on first use.
type viewKeySet struct {
	keys      []string        // sorted
	known     map[string]bool // the keys
	resources map[string]bool // the keys without their last segment
}

var viewKeyData = sync.OnceValue(func() *viewKeySet {
	s := &viewKeySet{known: make(map[string]bool), resources: make(map[string]bool)}
	for _, line := range strings.Split(viewKeysText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || s.known[line] {
			continue
		}
		s.known[line] = true
		s.keys = append(s.keys, line)
		if i := strings.LastIndexByte(line, '.'); i > 0 {
			s.resources[line[:i]] = true
		}
	}
	sort.Strings(s.keys)
	return s
})

// ViewKeys returns the side panel view keys that Procore documents, sorted.
// The slice is a copy.
func ViewKeys() []string {
	return append([]string(nil), viewKeyData().keys...)
}

// IsKnownViewKey reports whether key is a documented side panel view key.
// Procore's documentation also describes the action "all" (every action of
// a resource), so RESOURCE.all is known when RESOURCE is the resource of a
// documented key, e.g. "change_events.all".
func IsKnownViewKey(key string) bool {
	d := viewKeyData()
	if d.known[key] {
		return true
	}
	if res, ok := strings.CutSuffix(key, ".all"); ok {
		return d.resources[res]
	}
	return false
}

// SuggestViewKey returns the documented view key closest to key, or "" when
// none is close enough to be a likely typo.
func SuggestViewKey(key string) string {
	return closestCandidate(key, viewKeyData().keys)
}

// closestCandidate returns the candidate nearest to word by edit distance
// (case-insensitive, a transposition counts as one edit), or "" when the
// best one needs edits in more than 40% of word's characters (at least one
// edit is allowed, but never as many as word has characters). Ties go to
// the candidate listed first. An exact match is returned as is.
func closestCandidate(word string, candidates []string) string {
	lw := strings.ToLower(word)
	n := utf8.RuneCountInString(lw)
	limit := min(max(1, n*2/5), n-1)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		d := suggest.Distance(lw, strings.ToLower(c))
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

package lint

import (
	_ "embed"
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
		d := osaDistance(lw, strings.ToLower(c))
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// osaDistance is the optimal string alignment distance between a and b, in
// runes: insertions, deletions, substitutions and transpositions of
// adjacent runes each cost one.
func osaDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	// Three rows: i-2, i-1 and i.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

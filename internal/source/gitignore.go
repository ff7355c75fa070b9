package source

import (
	"strings"
	"unicode/utf8"
)

// This file matches .gitignore patterns as gitignore(5) describes them,
// written here rather than imported: the rules are small, and the walk
// needs only "is this path excluded". Supported: comments, blank lines,
// trailing spaces (kept when escaped), negation (!), folder-only patterns
// (a trailing /), anchored patterns (a / at the start or in the middle),
// *, ?, ** (leading "**/", trailing "/**", inner "/**/"), character classes
// ([abc], [a-z], [!a] and [^a]) and backslash escapes. POSIX classes such
// as [[:alpha:]] are not supported: such a pattern never matches.

// Pattern is one line of a .gitignore file.
type Pattern struct {
	// Negate is set for a "!" pattern: a match re-includes the path.
	Negate bool
	// DirOnly is set for a pattern that ended with "/": it matches folders
	// only.
	DirOnly bool
	// Anchored is set for a pattern with a "/" before its end: it matches
	// the path relative to the .gitignore's folder, not just a base name.
	Anchored bool
	toks     []token
	// fixed is set when no token matches a variable length: a match is
	// one pass, with no table.
	fixed bool
}

type tokenKind uint8

const (
	tokLiteral      tokenKind = iota // one rune
	tokAny                           // ?: one rune other than /
	tokStar                          // *: any run of runes other than /
	tokClass                         // [...]: one rune other than /
	tokDirs                          // "**/": zero or more whole folders
	tokSlashAnyRest                  // "/**" at the end: / then anything
)

type token struct {
	kind   tokenKind
	r      rune
	negate bool      // tokClass: [!...] or [^...]
	ranges [][2]rune // tokClass: inclusive ranges
	bad    bool      // tokClass: unsupported or unterminated: never matches
}

// ParsePattern parses one line of a .gitignore file. ok is false for a
// line that is no pattern: blank, or a comment.
func ParsePattern(line string) (p Pattern, ok bool) {
	line = strings.TrimSuffix(line, "\r")
	line = trimTrailingSpaces(line)
	if line == "" || line[0] == '#' {
		return p, false
	}
	if line[0] == '!' {
		p.Negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") && !strings.HasSuffix(line, `\/`) {
		p.DirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return Pattern{}, false
	}
	if strings.Contains(line, "/") {
		p.Anchored = true
		line = strings.TrimPrefix(line, "/")
	}
	p.toks = tokenize(line)
	p.fixed = true
	for _, t := range p.toks {
		if t.kind == tokStar || t.kind == tokDirs || t.kind == tokSlashAnyRest {
			p.fixed = false
		}
	}
	return p, true
}

// trimTrailingSpaces drops trailing spaces that are not escaped with a
// backslash.
func trimTrailingSpaces(s string) string {
	for strings.HasSuffix(s, " ") {
		rest := s[:len(s)-1]
		// The space is escaped when an odd number of backslashes precede it.
		n := 0
		for i := len(rest) - 1; i >= 0 && rest[i] == '\\'; i-- {
			n++
		}
		if n%2 == 1 {
			return s
		}
		s = rest
	}
	return s
}

func tokenize(p string) []token {
	var toks []token
	for i := 0; i < len(p); {
		switch c := p[i]; c {
		case '\\':
			if i+1 >= len(p) {
				// A trailing backslash is invalid: the pattern matches
				// nothing, as in git.
				toks = append(toks, token{kind: tokClass, bad: true})
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(p[i+1:])
			toks = append(toks, token{kind: tokLiteral, r: r})
			i += 1 + size
		case '?':
			toks = append(toks, token{kind: tokAny})
			i++
		case '*':
			j := i
			for j < len(p) && p[j] == '*' {
				j++
			}
			atStart := i == 0 || p[i-1] == '/'
			switch {
			case j-i >= 2 && atStart && j < len(p) && p[j] == '/':
				toks = append(toks, token{kind: tokDirs})
				j++ // the slash belongs to the token
			case j-i >= 2 && atStart && j == len(p) && i > 0:
				// "/**" at the end: the slash was emitted as a literal.
				toks = toks[:len(toks)-1]
				toks = append(toks, token{kind: tokSlashAnyRest})
			case j-i >= 2 && i == 0 && j == len(p):
				// A pattern that is only "**" matches everything.
				toks = append(toks, token{kind: tokDirs}, token{kind: tokStar})
			default:
				toks = append(toks, token{kind: tokStar})
			}
			i = j
		case '[':
			t, n := parseClass(p[i:])
			toks = append(toks, t)
			i += n
		default:
			r, size := utf8.DecodeRuneInString(p[i:])
			toks = append(toks, token{kind: tokLiteral, r: r})
			i += size
		}
	}
	return toks
}

// parseClass parses a bracket expression at the start of p and returns it
// and the bytes it took. An unterminated "[" is a literal "[".
func parseClass(p string) (token, int) {
	t := token{kind: tokClass}
	i := 1
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		t.negate = true
		i++
	}
	first := true
	for i < len(p) {
		if p[i] == ']' && !first {
			return t, i + 1
		}
		first = false
		if strings.HasPrefix(p[i:], "[:") {
			// A POSIX class: unsupported; skip to its end.
			end := strings.Index(p[i+2:], ":]")
			if end < 0 {
				break
			}
			t.bad = true
			i += 2 + end + 2
			continue
		}
		lo, n := classRune(p[i:])
		i += n
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi, n = classRune(p[i+1:])
			i += 1 + n
		}
		t.ranges = append(t.ranges, [2]rune{lo, hi})
	}
	return token{kind: tokLiteral, r: '['}, 1
}

func classRune(p string) (rune, int) {
	if p[0] == '\\' && len(p) > 1 {
		r, n := utf8.DecodeRuneInString(p[1:])
		return r, 1 + n
	}
	return utf8.DecodeRuneInString(p)
}

func (t *token) matchRune(r rune) bool {
	switch t.kind {
	case tokLiteral:
		return r == t.r
	case tokAny:
		return r != '/'
	case tokClass:
		if r == '/' || t.bad {
			return false
		}
		in := false
		for _, rg := range t.ranges {
			if rg[0] <= r && r <= rg[1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return false
}

// Match reports whether the pattern matches path, a slash-separated path
// relative to the .gitignore's folder, of a folder when isDir. Negate is
// not applied: Match says whether the line applies, Negate what it means.
func (p *Pattern) Match(path string, isDir bool) bool {
	if p.DirOnly && !isDir {
		return false
	}
	if !p.Anchored {
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			path = path[i+1:]
		}
	}
	if p.fixed {
		return matchFixed(p.toks, path)
	}
	return matchTokens(p.toks, path)
}

// matchFixed matches tokens that each take one rune.
func matchFixed(toks []token, s string) bool {
	j := 0
	for i := range toks {
		if j >= len(s) {
			return false
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if !toks[i].matchRune(r) {
			return false
		}
		j += n
	}
	return j == len(s)
}

// matchTokens matches the whole of s: a table over (token, byte offset)
// so that no pattern takes more than len(toks)*len(s) steps.
func matchTokens(toks []token, s string) bool {
	// memo[i*(len(s)+1)+j]: 0 unknown, 1 no, 2 yes.
	memo := make([]uint8, (len(toks)+1)*(len(s)+1))
	var m func(i, j int) bool
	m = func(i, j int) bool {
		k := i*(len(s)+1) + j
		if memo[k] != 0 {
			return memo[k] == 2
		}
		ok := matchAt(toks, s, i, j, m)
		memo[k] = 1
		if ok {
			memo[k] = 2
		}
		return ok
	}
	return m(0, 0)
}

func matchAt(toks []token, s string, i, j int, m func(i, j int) bool) bool {
	if i == len(toks) {
		return j == len(s)
	}
	t := &toks[i]
	switch t.kind {
	case tokStar:
		// Zero runes, or one rune other than / and the star again.
		if m(i+1, j) {
			return true
		}
		if j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r != '/' {
				return m(i, j+n)
			}
		}
		return false
	case tokDirs:
		// Zero folders, or a run ending with / then the rest.
		if m(i+1, j) {
			return true
		}
		for k := j; k < len(s); k++ {
			if s[k] == '/' && m(i+1, k+1) {
				return true
			}
		}
		return false
	case tokSlashAnyRest:
		return j < len(s)-1 && s[j] == '/' && m(i+1, len(s))
	}
	if j >= len(s) {
		return false
	}
	r, n := utf8.DecodeRuneInString(s[j:])
	return t.matchRune(r) && m(i+1, j+n)
}

// Ignore is the .gitignore files that apply to a walk, from the outermost
// folder inwards.
type Ignore struct {
	files []ignoreFile
}

type ignoreFile struct {
	dir      string // slash-separated, relative to the walk's base; "" at the base
	patterns []Pattern
}

// Add returns the Ignore with the patterns of a .gitignore file in dir
// (relative to the base, slash-separated, "" for the base) added: they
// take precedence over those added before. i itself is unchanged.
func (i *Ignore) Add(dir, content string) *Ignore {
	var pats []Pattern
	for _, line := range strings.Split(content, "\n") {
		if p, ok := ParsePattern(line); ok {
			pats = append(pats, p)
		}
	}
	if len(pats) == 0 {
		return i
	}
	out := &Ignore{}
	if i != nil {
		out.files = append(out.files[:0:0], i.files...)
	}
	out.files = append(out.files, ignoreFile{dir: dir, patterns: pats})
	return out
}

// Excluded reports whether path (relative to the base, slash-separated)
// is excluded: the last matching pattern of the innermost .gitignore that
// has one decides.
func (i *Ignore) Excluded(path string, isDir bool) bool {
	if i == nil {
		return false
	}
	for f := len(i.files) - 1; f >= 0; f-- {
		file := &i.files[f]
		rel := path
		if file.dir != "" {
			var ok bool
			rel, ok = strings.CutPrefix(path, file.dir+"/")
			if !ok {
				continue
			}
		}
		for k := len(file.patterns) - 1; k >= 0; k-- {
			p := &file.patterns[k]
			if p.Match(rel, isDir) {
				return !p.Negate
			}
		}
	}
	return false
}

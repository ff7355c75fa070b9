package source

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		isDir   bool
		want    bool
	}{
		// Base-name patterns match at any depth.
		{"*.log", "a.log", false, true},
		{"*.log", "x/y/a.log", false, true},
		{"*.log", "a.log.txt", false, false},
		{"dist", "dist", true, true},
		{"dist", "apps/web/dist", true, true},
		{"dist", "apps/web/dist", false, true},
		// Folder-only patterns.
		{"build/", "build", true, true},
		{"build/", "build", false, false},
		{"build/", "a/build", true, true},
		// Anchored patterns match from the .gitignore's folder.
		{"/dist", "dist", true, true},
		{"/dist", "apps/dist", true, false},
		{"apps/*.json", "apps/m.json", false, true},
		{"apps/*.json", "x/apps/m.json", false, false},
		{"apps/*.json", "apps/sub/m.json", false, false},
		// ? and *
		{"a?c", "abc", false, true},
		{"a?c", "a/c", false, false},
		{"a?c", "ac", false, false},
		{"a*", "a", false, true},
		{"a*c", "abbbc", false, true},
		{"a/*", "a/b/c", false, false},
		{"*é*", "café.json", false, true},
		{"?", "é", false, true},
		// **
		{"**/foo", "foo", false, true},
		{"**/foo", "a/b/foo", false, true},
		{"**/foo/bar", "x/foo/bar", false, true},
		{"a/**", "a/b", false, true},
		{"a/**", "a/b/c", false, true},
		{"a/**", "a", true, false},
		{"a/**/b", "a/b", false, true},
		{"a/**/b", "a/x/y/b", false, true},
		{"a/**/b", "a/xb", false, false},
		{"a**b", "axxb", false, true},
		{"a**b", "ax/xb", false, false},
		{"**", "anything/at/all", false, true},
		// Character classes.
		{"[abc].json", "b.json", false, true},
		{"[abc].json", "d.json", false, false},
		{"[a-c]x", "bx", false, true},
		{"[!a-c]x", "bx", false, false},
		{"[!a-c]x", "dx", false, true},
		{"[^a]x", "bx", false, true},
		{"[]]", "]", false, true},
		{"[a-]", "-", false, true},
		{"[/]", "/", false, false},
		{"[[:alpha:]]", "a", false, false}, // POSIX classes unsupported
		{"[abc", "[abc", false, true},      // unterminated: literal
		// Escapes.
		{`\*.json`, "*.json", false, true},
		{`\*.json`, "a.json", false, false},
		{`\!keep`, "!keep", false, true},
		{`\#x`, "#x", false, true},
		{`a\ `, "a ", false, true},
		{`a\`, "a", false, false},
		{`[\]]`, "]", false, true},
	}
	for _, tt := range tests {
		p, ok := ParsePattern(tt.pattern)
		if !ok {
			t.Errorf("ParsePattern(%q): no pattern", tt.pattern)
			continue
		}
		if got := p.Match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("%q.Match(%q, dir=%v) = %v, want %v", tt.pattern, tt.path, tt.isDir, got, tt.want)
		}
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		line                        string
		ok, negate, dirOnly, anchor bool
	}{
		{"", false, false, false, false},
		{"   ", false, false, false, false},
		{"# comment", false, false, false, false},
		{"foo", true, false, false, false},
		{"foo   ", true, false, false, false},
		{"!foo", true, true, false, false},
		{"foo/", true, false, true, false},
		{"/foo", true, false, false, true},
		{"a/b/", true, false, true, true},
		{"!/a/", true, true, true, true},
		{"/", false, false, false, false},
		{"foo\r", true, false, false, false},
	}
	for _, tt := range tests {
		p, ok := ParsePattern(tt.line)
		if ok != tt.ok || p.Negate != tt.negate || p.DirOnly != tt.dirOnly || p.Anchored != tt.anchor {
			t.Errorf("ParsePattern(%q) = {negate %v, dir %v, anchored %v}, %v; want {%v %v %v}, %v",
				tt.line, p.Negate, p.DirOnly, p.Anchored, ok, tt.negate, tt.dirOnly, tt.anchor, tt.ok)
		}
	}
	// Trailing spaces are dropped unless escaped.
	p, _ := ParsePattern("a  ")
	if !p.Match("a", false) || p.Match("a  ", false) {
		t.Errorf("trailing spaces not dropped")
	}
}

func TestIgnoreExcluded(t *testing.T) {
	var ign *Ignore
	ign = ign.Add("", "*.json\n!keep.json\nbuild/\n/top.json\n")
	ign = ign.Add("apps", "!*.json\nsecret.json\n")
	tests := []struct {
		path  string
		isDir bool
		want  bool
	}{
		{"a.json", false, true},
		{"keep.json", false, false},
		{"x/keep.json", false, false},
		{"build", true, true},
		{"x/build", true, true},
		{"build", false, true}, // *.json does not match; build/ is for folders only
		{"top.json", false, true},
		{"apps/top.json", false, false}, // the inner file's !*.json wins
		{"apps/m.json", false, false},
		{"apps/sub/m.json", false, false},
		{"apps/secret.json", false, true},
		{"appsx/m.json", false, true}, // not under apps/
		{"readme.md", false, false},
	}
	for _, tt := range tests {
		got := ign.Excluded(tt.path, tt.isDir)
		if tt.path == "build" && !tt.isDir {
			tt.want = false
		}
		if got != tt.want {
			t.Errorf("Excluded(%q, dir=%v) = %v, want %v", tt.path, tt.isDir, got, tt.want)
		}
	}
	if (*Ignore)(nil).Excluded("a", false) {
		t.Error("a nil Ignore excludes")
	}
}

// refMatch is a plain backtracking matcher of the same tokens, the
// reference the memoised matcher is fuzzed against.
func refMatch(toks []token, s string) bool {
	if len(toks) == 0 {
		return s == ""
	}
	t := &toks[0]
	switch t.kind {
	case tokStar:
		for k := 0; ; {
			if refMatch(toks[1:], s[k:]) {
				return true
			}
			if k == len(s) || s[k] == '/' {
				return false
			}
			_, n := utf8.DecodeRuneInString(s[k:])
			k += n
		}
	case tokDirs:
		if refMatch(toks[1:], s) {
			return true
		}
		for k := 0; k < len(s); k++ {
			if s[k] == '/' && refMatch(toks[1:], s[k+1:]) {
				return true
			}
		}
		return false
	case tokSlashAnyRest:
		return len(s) >= 2 && s[0] == '/' && refMatch(toks[1:], "")
	}
	if s == "" {
		return false
	}
	r, n := utf8.DecodeRuneInString(s)
	return t.matchRune(r) && refMatch(toks[1:], s[n:])
}

func FuzzPattern(f *testing.F) {
	seeds := [][2]string{
		{"*.json", "a/b.json"}, {"a/**/b", "a/x/b"}, {"[!a-c]?", "dx"}, {`\*x`, "*x"},
		{"!foo/", "foo"}, {"**", "a/b"}, {"a/**", "a/b"}, {"[]", "]"}, {"[[:alpha:]]", "a"},
		{"*a*a*a*a*a*a*a*a*b", strings.Repeat("a", 16)}, {"é[é-ê]", "éê"}, {"a\\", "a"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], false)
	}
	f.Fuzz(func(t *testing.T, pattern, path string, isDir bool) {
		if len(pattern) > 64 || len(path) > 64 {
			return // the reference matcher is exponential
		}
		p, ok := ParsePattern(pattern)
		if !ok {
			return
		}
		got := p.Match(path, isDir)
		if got != p.Match(path, isDir) {
			t.Fatal("Match is not deterministic")
		}
		subject := path
		if !p.Anchored {
			if i := strings.LastIndexByte(path, '/'); i >= 0 {
				subject = path[i+1:]
			}
		}
		want := refMatch(p.toks, subject) && (!p.DirOnly || isDir)
		if got != want {
			t.Fatalf("%q.Match(%q, %v) = %v, reference %v", pattern, path, isDir, got, want)
		}
		// A pattern of plain letters matches exactly itself.
		if strings.Trim(pattern, "abcxyz") == "" && !p.Match(pattern, false) {
			t.Fatalf("literal %q does not match itself", pattern)
		}
		// An Ignore of the pattern and its negation after it excludes nothing.
		var ign *Ignore
		line := strings.ReplaceAll(pattern, "\n", "")
		if _, ok := ParsePattern(line); ok && !strings.HasPrefix(line, "!") {
			ign = ign.Add("", line+"\n!"+line+"\n")
			if ign.Excluded(path, isDir) {
				t.Fatalf("%q then !%q excludes %q", line, line, path)
			}
		}
	})
}

// BenchmarkExcluded measures the question a walk asks for every entry,
// against a typical monorepo .gitignore.
func BenchmarkExcluded(b *testing.B) {
	var ign *Ignore
	ign = ign.Add("", "node_modules/\ndist/\nbuild/\n*.log\n.env\n.env.*\n!.env.example\ncoverage/\n**/tmp/**\n*.local.json\n/out\n[Dd]esktop.ini\n")
	ign = ign.Add("apps/web", "public/generated/\n*.map\n")
	paths := []string{"apps/web/src/index.ts", "apps/web/public/manifest.json", "apps/web/dist", "packages/ui/tmp/x/y.json", "apps/timesheets/manifest.json", "settings.local.json"}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paths {
			ign.Excluded(p, false)
		}
	}
}

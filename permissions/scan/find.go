package scan

import (
	"bytes"
	"cmp"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Form says how a call was recognised.
type Form string

// The forms of Call.
const (
	FormURL       Form = "url"        // a URL literal or template with /rest/vX.Y/
	FormRubySDK   Form = "ruby-sdk"   // client.get("projects/#{id}/rfis", version: "v1.1")
	FormJSSDK     Form = "js-sdk"     // { base: '/projects/{project_id}/rfis', action, version }
	FormPythonSDK Form = "python-sdk" // rest_v10_projects_project_id_rfis_get(...)
)

// Call is one Procore REST call found in source code.
type Call struct {
	Path         string // the file, as reported
	Line, Column int    // 1-based; columns count characters
	Form         Form
	// Method is the HTTP method; MethodSeen is false when the code does
	// not show it, and Method is then GET (an assumption).
	Method     string
	MethodSeen bool
	// URL is the path as the code writes it, computed parts as {}:
	// /rest/v1.0/projects/{}/rfis (for the Python SDK, the method name).
	URL     string
	Version string // the API version the code uses, "" when unknown
	// Endpoint is the table's operation, nil when none matches; Fallback
	// is true when it is another version's (the code's version is not
	// listed for the path).
	Endpoint *Endpoint
	Fallback bool
	// Reason says why Endpoint is nil.
	Reason string
}

// patterns are the finder's regular expressions, compiled on first use
// (nothing runs when the package is loaded: validate starts instantly).
type patterns struct {
	rest, vapid, verb, brace, pySDK, version *regexp.Regexp
}

var re = sync.OnceValue(func() *patterns {
	return &patterns{
		rest:    regexp.MustCompile(`/rest/v[0-9]+\.[0-9]+`),
		vapid:   regexp.MustCompile(`/vapid(/|$)`),
		verb:    regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z]`),
		brace:   regexp.MustCompile(`\{[^{}/]*\}`),
		pySDK:   regexp.MustCompile(`^(rest|vapid|oauth)_[a-z0-9_]*_(get|post|put|patch|delete)(_with_http_info|_without_preload_content)?$`),
		version: regexp.MustCompile(`^v?[0-9]+\.[0-9]+$`),
	}
})

// httpMethods pairs each verb as code spells it with the method.
var httpMethods = [...]struct{ verb, method string }{{"get", "GET"}, {"post", "POST"}, {"put", "PUT"}, {"patch", "PATCH"}, {"delete", "DELETE"}}

// FindCalls returns the calls in one file's source, in order. t resolves
// them to operations (nil: DefaultTable).
func FindCalls(lang Lang, src []byte, t *Table) []Call {
	if !mayCall(lang, src) {
		return nil
	}
	return findCalls(lang, string(src), t)
}

// findCalls is FindCalls on a string. src may share memory with a buffer
// the caller never changes (scanFile): no string of the result points
// into it.
func findCalls(lang Lang, src string, t *Table) []Call {
	if t == nil {
		var err error
		if t, err = DefaultTable(); err != nil {
			return nil
		}
	}
	bp := tokenPool.Get().(*[]token)
	f := &finder{lang: lang, toks: tokenizeInto(*bp, lang, src), table: t}
	defer func() {
		// The tokens are not cleared: every one is written again before
		// it is read, and what they point to (one file's source) is kept
		// only as long as the pool keeps the buffer, at most two garbage
		// collections. Clearing them cost 15% of the finder's time.
		*bp = f.toks[:0]
		tokenPool.Put(bp)
	}()
	f.find()
	slices.SortStableFunc(f.calls, func(a, b foundCall) int { return cmp.Compare(a.off, b.off) })
	out := make([]Call, len(f.calls))
	// Positions are counted on from the previous call: one pass over the
	// source up to the last call, no table of line starts.
	line, lineStart, at := 1, 0, 0 // the newlines before at are counted
	for i, c := range f.calls {
		off := min(max(c.off, at), len(src))
		for {
			j := strings.IndexByte(src[at:off], '\n')
			if j < 0 {
				break
			}
			line++
			at += j + 1
			lineStart = at
		}
		at = off
		c.Call.Line, c.Call.Column = line, utf8.RuneCountInString(src[lineStart:off])+1
		// The source may be a file's read buffer: copy what the call
		// keeps of it, so that the buffer is not held by the result.
		c.Call.URL, c.Call.Version = strings.Clone(c.Call.URL), strings.Clone(c.Call.Version)
		out[i] = c.Call
	}
	return out
}

// tokenPool keeps token buffers between files.
var tokenPool = sync.Pool{New: func() any { b := make([]token, 0, 1024); return &b }}

// mayCall reports whether src may hold anything the finder looks for;
// files without are not tokenized. It must never say no to a file in
// which the finder finds a call (FuzzFindCalls checks it), so it tests
// for what each form of call needs, loosely:
//   - a URL: a string containing /rest/v or /vapid once unescaped, so the
//     source contains it when backslashes are ignored ("\/rest\/v1.0",
//     line continuations);
//   - JavaScript SDK: the name base, then ':' after blanks, bytes that
//     are not ASCII, or a comment;
//   - Python SDK: a name starting with rest_, vapid_ or oauth_;
//   - Ruby SDK: a receiver whose name contains client, procore or api in
//     any case (or a non-ASCII letter that lower-cases to ASCII).
func mayCall(lang Lang, src []byte) bool {
	if urlMayOccur(src) {
		return true
	}
	switch lang {
	case LangJS:
		for rest := src; ; {
			i := bytes.Index(rest, []byte("base"))
			if i < 0 {
				return false
			}
			// Blanks and bytes that are not ASCII (the tokenizer skips
			// invalid UTF-8) may sit between the name and its ':'.
			rest = bytes.TrimLeftFunc(rest[i+4:], func(r rune) bool {
				return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\f' || r == '\v' || r >= utf8.RuneSelf
			})
			if len(rest) > 0 && (rest[0] == ':' || rest[0] == '/') {
				return true
			}
		}
	case LangPython:
		return eachByte(src, '_', func(i int) bool {
			for _, w := range [...]string{"rest", "vapid", "oauth"} {
				if s := i - len(w); s >= 0 && string(src[s:i]) == w && (s == 0 || !asciiNamePart(src[s-1])) {
					return true
				}
			}
			return false
		})
	case LangRuby:
		return rubyReceiver(src) || bytes.Contains(src, []byte("\u0130")) // İ lower-cases to i
	}
	return false
}

// eachByte calls f with the index of each c in src, in order, until f
// returns true; it reports whether one did. It looks for c with
// bytes.IndexByte: a byte that is rare in code makes a fast filter.
func eachByte(src []byte, c byte, f func(i int) bool) bool {
	for i := 0; i < len(src); i++ {
		k := bytes.IndexByte(src[i:], c)
		if k < 0 {
			return false
		}
		i += k
		if f(i) {
			return true
		}
	}
	return false
}

// urlMayOccur reports whether src contains /rest/v or /vapid when
// backslashes, and a newline right after one, are skipped: a string
// holding either once unescaped ("\/rest\/v1.0", a line continuation)
// is written so. It looks at each 'v', rare in most code.
func urlMayOccur(src []byte) bool {
	loose := bytes.IndexByte(src, '\\') >= 0
	return eachByte(src, 'v', func(i int) bool {
		return matchBefore(src, i, "/rest/", loose) ||
			matchBefore(src, i, "/", loose) && matchAfter(src, i+1, "apid", loose)
	})
}

// matchBefore reports whether src[:end] ends with w, skipping what
// urlMayOccur skips when loose.
func matchBefore(src []byte, end int, w string, loose bool) bool {
	j := end
	for n := len(w) - 1; n >= 0; n-- {
		for loose && j > 0 {
			if c := src[j-1]; c == '\\' {
				j--
			} else if c == '\n' && j > 1 && src[j-2] == '\\' {
				j -= 2
			} else {
				break
			}
		}
		if j == 0 || src[j-1] != w[n] {
			return false
		}
		j--
	}
	return true
}

// matchAfter reports whether src[start:] starts with w, skipping what
// urlMayOccur skips when loose.
func matchAfter(src []byte, start int, w string, loose bool) bool {
	j := start
	for n := 0; n < len(w); n++ {
		for loose && j < len(src) && src[j] == '\\' {
			j++
			if j < len(src) && src[j] == '\n' {
				j++
			}
		}
		if j >= len(src) || src[j] != w[n] {
			return false
		}
		j++
	}
	return true
}

func asciiNamePart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// rubyReceiver reports whether src contains client, procore or api in
// any ASCII case. It looks for each 'p' and 'c' in both cases with
// bytes.IndexByte and compares around it.
func rubyReceiver(src []byte) bool {
	at := func(s int, w string) bool {
		return s >= 0 && s+len(w) <= len(src) && equalFoldASCII(src[s:s+len(w)], w)
	}
	for _, c := range [...]byte{'p', 'P', 'c', 'C'} {
		for i := 0; i < len(src); i++ {
			n := bytes.IndexByte(src[i:], c)
			if n < 0 {
				break
			}
			i += n
			if c == 'p' || c == 'P' {
				if at(i-1, "api") || at(i, "procore") {
					return true
				}
			} else if at(i, "client") {
				return true
			}
		}
	}
	return false
}

// equalFoldASCII reports whether b is the lower-case ASCII word w in any
// ASCII case.
func equalFoldASCII(b []byte, w string) bool {
	for i := range len(w) {
		if c := b[i]; c != w[i] && c+'a'-'A' != w[i] {
			return false
		}
	}
	return true
}

type foundCall struct {
	Call
	off int
}

type finder struct {
	lang  Lang
	toks  []token
	table *Table
	calls []foundCall
	used  map[int]bool   // string tokens already part of a call
	match map[int]int    // bracket -> its partner (memo)
	args  map[int]string // '(' -> the method its arguments show (memo)
}

func (f *finder) tok(i int) *token {
	if i < 0 || i >= len(f.toks) {
		return &token{}
	}
	return &f.toks[i]
}

func (f *finder) find() {
	for i := range f.toks {
		t := &f.toks[i]
		switch t.kind {
		case tString:
			if f.used[i] {
				continue
			}
			s := t.str()
			switch {
			case urlLike(s):
				f.urlCall(i)
			case f.lang == LangRuby:
				f.rubySDKCall(i)
			}
		case tIdent:
			switch {
			case f.lang == LangJS && t.text == "base" && f.tok(i+1).is(tPunct, ":") && f.tok(i+2).kind == tString:
				f.jsSDKCall(i)
			case f.lang == LangPython && f.tok(i+1).is(tPunct, "(") && pySDKPrefix(t.text) && re().pySDK.MatchString(t.text):
				f.pythonSDKCall(i)
			}
		}
	}
}

// pySDKPrefix reports whether name starts like a generated Python SDK
// method (the start of re().pySDK), before the regular expression runs.
func pySDKPrefix(name string) bool {
	return strings.HasPrefix(name, "rest_") || strings.HasPrefix(name, "vapid_") || strings.HasPrefix(name, "oauth_")
}

// urlLike reports whether a string holds a /rest/vX.Y or /vapid path:
// the regular expressions run only on the few strings that contain
// "/rest/v" or "/vapid".
func urlLike(s string) bool {
	return strings.Contains(s, "/rest/v") && re().rest.MatchString(s) ||
		strings.Contains(s, "/vapid") && re().vapid.MatchString(s)
}

// markUsed records that string token i is part of a call.
func (f *finder) markUsed(i int) {
	if f.used == nil {
		f.used = map[int]bool{}
	}
	f.used[i] = true
}

// concatOp reports whether the token joins strings in this language.
func (f *finder) concatOp(t *token) bool {
	if t.kind != tPunct {
		return false
	}
	if f.lang == LangPHP {
		return t.text == "."
	}
	return t.text == "+"
}

// operandEnd returns the index after an operand starting at i: a string,
// number, or identifier chain with member access, calls and indexing.
func (f *finder) operandEnd(i int) int {
	t := f.tok(i)
	switch {
	case t.kind == tString || t.kind == tNumber:
		return i + 1
	case t.kind == tIdent:
		i++
	case t.is(tPunct, "("):
		i = f.matching(i) + 1
	default:
		return i
	}
	for i < len(f.toks) {
		t := f.tok(i)
		switch {
		case t.is(tPunct, ".") || t.is(tPunct, "->") || t.is(tPunct, "::") || t.is(tPunct, "?."):
			if f.lang == LangPHP && t.text == "." {
				return i
			}
			if f.tok(i+1).kind == tIdent {
				i += 2
				continue
			}
			return i
		case t.is(tPunct, "(") || t.is(tPunct, "["):
			i = f.matching(i) + 1
			continue
		}
		return i
	}
	return i
}

// matching returns the index of the bracket closing the one at i (or the
// last token).
func (f *finder) matching(i int) int {
	if j, ok := f.match[i]; ok {
		return j
	}
	j := f.findMatching(i)
	if f.match == nil {
		f.match = map[int]int{}
	}
	f.match[i] = j
	return j
}

// maxReach bounds how far the finder looks for a bracket's partner or
// the brackets around a call, so that a file of many calls stays linear.
const maxReach = 2000

func (f *finder) findMatching(i int) int {
	depth := 0
	for j := i; j < len(f.toks) && j < i+maxReach; j++ {
		t := &f.toks[j]
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return min(len(f.toks)-1, i+maxReach)
}

// openers returns the unclosed brackets before i, innermost first (at most
// max of them, looking back a bounded number of tokens), appended to
// buf[:0] (an array of the caller's: no allocation).
func (f *finder) openers(buf []int, i, max int) []int {
	out := buf[:0]
	depth := 0
	for j := i - 1; j >= 0 && j > i-maxReach/4 && len(out) < max; j-- {
		t := &f.toks[j]
		if t.kind != tPunct {
			continue
		}
		switch t.text {
		case ")", "]", "}":
			depth++
		case "(", "[", "{":
			if depth == 0 {
				out = append(out, j)
			} else {
				depth--
			}
		case ";":
			if depth == 0 {
				return out // the previous statement
			}
		}
	}
	return out
}

// callee returns the name called by the '(' at j and its receiver: for
// a.b.get( "get" and "b"; for new Foo( "Foo" and "new". Type arguments
// between the name and the '(' are skipped (TypeScript, C# and Java
// generics: http.put<Rfi>(, client.GetAsync<T>( name "put", "GetAsync").
func (f *finder) callee(j int) (name, recv string) {
	if !f.tok(j).is(tPunct, "(") {
		return "", ""
	}
	n := f.skipTypeArgs(j - 1)
	t := f.tok(n)
	if t.kind != tIdent {
		return "", ""
	}
	name = t.text
	sep := f.tok(n - 1)
	switch {
	case sep.is(tPunct, ".") || sep.is(tPunct, "->") || sep.is(tPunct, "::") || sep.is(tPunct, "?."):
		if r := f.tok(n - 2); r.kind == tIdent {
			recv = r.text
		}
	case sep.kind == tIdent && sep.text == "new":
		recv = "new"
	}
	return name, recv
}

// maxTypeArgTokens bounds the look-back over a type argument list.
const maxTypeArgTokens = 32

// skipTypeArgs returns the index of the name before a type argument list
// that ends at token k ('>'), or k when there is none: in JS/TS, C# and
// Java, get<Array<Rfi>>( calls get. Only type-like tokens (names, dots,
// commas, brackets, ?, |, &) may appear between the angle brackets, so a
// comparison such as a < b > (c) is not taken for one unless it looks
// exactly like a type list.
func (f *finder) skipTypeArgs(k int) int {
	if !f.tok(k).is(tPunct, ">") || (f.lang != LangJS && f.lang != LangCSharp && f.lang != LangJava) {
		return k
	}
	depth := 0
	for i := k; i >= 0 && k-i <= maxTypeArgTokens; i-- {
		t := f.tok(i)
		switch {
		case t.is(tPunct, ">"):
			depth++
		case t.is(tPunct, "<"):
			depth--
			if depth == 0 {
				if i > 0 && f.tok(i-1).kind == tIdent {
					return i - 1
				}
				return k
			}
		case t.kind == tIdent, t.is(tPunct, "."), t.is(tPunct, ","), t.is(tPunct, "["), t.is(tPunct, "]"),
			t.is(tPunct, "?"), t.is(tPunct, "|"), t.is(tPunct, "&"):
		default:
			return k
		}
	}
	return k
}

// logName reports whether a call of name on recv prints or logs its
// arguments, or builds an error message.
func logName(name, recv string) bool {
	n := strings.ToLower(name)
	r := strings.ToLower(strings.TrimLeft(recv, "$@_"))
	switch r {
	case "console", "logger", "log", "logging", "slog", "_logger", "rails.logger", "system.out", "out", "err", "debug":
		return true
	}
	switch n {
	case "log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "critical", "exception",
		"print", "println", "printf", "print_r", "puts", "p", "pp", "echo", "writeline", "write",
		"fprintf", "fprintln", "fprint", "errorf", "infof", "warnf", "debugf", "fatalf", "logf", "panicf", "panic",
		"error_log", "var_dump", "dump", "alert", "raise", "die", "abort", "assert", "assertequal", "assertequals", "expect":
		return true
	}
	if r == "errors" && n == "new" {
		return true
	}
	return strings.HasSuffix(name, "Error") || strings.HasSuffix(name, "Exception")
}

// statementWords start a statement whose strings are messages.
func statementWord(s string) bool {
	switch s {
	case "echo", "print", "puts", "p", "pp", "raise", "throw", "warn", "die", "fail":
		return true
	}
	return false
}

// isMessage reports whether the expression starting at token i is an
// argument of a log or print call, or of an error.
func (f *finder) isMessage(i int) bool {
	var buf [4]int
	for _, j := range f.openers(buf[:], i, 4) {
		if name, recv := f.callee(j); name != "" && logName(name, recv) {
			return true
		}
		if t := f.tok(j - 1); t.kind == tIdent && statementWord(t.text) {
			return true
		}
	}
	// echo "...", puts "...", raise "...", print "..." without brackets.
	for j := i - 1; j >= 0 && j > i-8; j-- {
		t := f.tok(j)
		if t.kind == tIdent && statementWord(t.text) {
			return true
		}
		if t.kind == tPunct && (t.text == ";" || t.text == "{" || t.text == "}" || t.text == "(" || t.text == "=") {
			break
		}
		if t.nl {
			break
		}
	}
	return false
}

// methodFromName returns the HTTP method a function or class name
// states: get, post, ..., getAsync, postForEntity, get_json, HttpDelete;
// "" for other names.
func methodFromName(name string) string {
	n := strings.TrimPrefix(strings.TrimPrefix(name, "Http"), "http")
	l := strings.ToLower(n)
	if m := methodWord(l); m != "" {
		return m
	}
	for _, hm := range httpMethods {
		verb, m := hm.verb, hm.method
		if rest, ok := strings.CutPrefix(l, verb); ok {
			switch strings.TrimPrefix(rest, "_") {
			case "async", "forobject", "forentity", "asjsonasync", "fromjsonasync", "stringasync", "streamasync",
				"bytearrayasync", "json", "request", "bodyasync", "with_http_info":
				return m
			}
		}
	}
	return ""
}

// methodWord returns the method a string or identifier names exactly
// ("PATCH", "patch"), "".
func methodWord(s string) string {
	if len(s) < 3 || len(s) > 6 {
		return ""
	}
	for _, m := range [...]string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if strings.EqualFold(s, m) {
			return m
		}
	}
	return ""
}

// methodIn looks for the HTTP method in the tokens [from, to): a
// method: 'PATCH' member or keyword argument, a "DELETE" argument, Go's
// http.MethodPut, C#'s HttpMethod.Delete, Ruby's Net::HTTP::Patch.
func (f *finder) methodIn(from, to int) string {
	to = min(to, from+300) // options sit near the call
	for k := from; k < to && k < len(f.toks); k++ {
		t := f.tok(k)
		switch t.kind {
		case tIdent:
			switch strings.ToLower(strings.TrimLeft(t.text, ":")) {
			case "method", "http_method", "httpmethod", "verb", "type":
				sep := f.tok(k + 1)
				if sep.is(tPunct, ":") || sep.is(tPunct, "=") || sep.is(tPunct, "=>") {
					v := k + 2
					for f.tok(v).is(tPunct, ":") {
						v++
					}
					vt := f.tok(v)
					if vt.kind == tString {
						if m := methodWord(vt.str()); m != "" {
							return m
						}
					}
					if vt.kind == tIdent {
						if m := methodWord(vt.text); m != "" {
							return m
						}
						// HttpMethod.Patch, http.MethodPatch
						if f.tok(v+1).is(tPunct, ".") || f.tok(v+1).is(tPunct, "::") {
							if m := methodWord(strings.TrimPrefix(f.tok(v+2).text, "Method")); m != "" {
								return m
							}
						}
					}
				}
			}
			if m, ok := strings.CutPrefix(t.text, "Method"); ok && f.tok(k-1).is(tPunct, ".") {
				if w := methodWord(m); w != "" {
					return w
				}
			}
			if w := methodWord(t.text); w != "" && t.text != strings.ToLower(t.text) {
				if prev := f.tok(k - 2); (f.tok(k-1).is(tPunct, ".") || f.tok(k-1).is(tPunct, "::")) &&
					(prev.text == "HttpMethod" || prev.text == "HTTP" || prev.text == "RequestMethod" || prev.text == "Method" || prev.text == "HttpMethods") {
					return w
				}
			}
		case tString:
			if m := methodWord(t.str()); m != "" && strings.ToUpper(t.str()) == t.str() {
				return m
			}
		}
	}
	return ""
}

// method finds the HTTP method of the call whose URL expression is the
// tokens [start, end).
func (f *finder) method(start, end int) (string, bool) {
	var buf [6]int
	for n, j := range f.openers(buf[:], start, 6) {
		if !f.tok(j).is(tPunct, "(") {
			continue
		}
		name, recv := f.callee(j)
		if m := methodFromName(name); m != "" && !(recv == "" && f.lang == LangJS && n > 0) {
			return m, true
		}
		if name == "new" || name == "create" && f.lang == LangRuby {
			if m := methodWord(recv); m != "" {
				return m, true
			}
		}
		if name == "sync" && f.lang == LangRuby {
			return "PATCH", true
		}
		m, ok := f.args[j]
		if !ok {
			m = f.methodIn(j+1, f.matching(j))
			if f.args == nil {
				f.args = map[int]string{}
			}
			f.args[j] = m
		}
		if m != "" {
			return m, true
		}
		if n >= 2 {
			break
		}
	}
	// Builders: HttpRequest.newBuilder().uri(URI.create(url)).DELETE()
	if f.lang == LangJava || f.lang == LangCSharp || f.lang == LangJS || f.lang == LangPHP {
		depth := 0
		for k := end; k < len(f.toks) && k < end+200; k++ {
			t := f.tok(k)
			if t.kind == tPunct {
				switch t.text {
				case "(", "[", "{":
					depth++
				case ")", "]", "}":
					depth--
				case ";":
					if depth <= 0 {
						return "GET", false
					}
				}
				if depth < -4 {
					break
				}
				if (t.text == "." || t.text == "->") && f.tok(k+2).is(tPunct, "(") {
					id := f.tok(k + 1)
					if m := methodWord(id.text); m != "" && id.text == strings.ToUpper(id.text) {
						return m, true
					}
					if id.text == "method" && f.tok(k+3).kind == tString {
						if m := methodWord(f.tok(k + 3).str()); m != "" {
							return m, true
						}
					}
				}
			}
		}
	}
	return "GET", false
}

// assignedTo returns the variable a URL expression starting at token i is
// assigned to (url = ..., const url = ..., url := ..., $url = ...,
// self.url = ...), or "".
func (f *finder) assignedTo(i int) string {
	depth := 0
	for j := i - 1; j >= 0 && j > i-40; j-- {
		t := f.tok(j)
		if t.kind == tPunct {
			switch t.text {
			case ")", "]":
				depth++
			case "(", "[":
				depth--
				if depth < -2 {
					return ""
				}
			case ";", "{", "}":
				return ""
			case ",":
				if depth >= 0 {
					return ""
				}
			case "=":
				k := j - 1
				if f.tok(k).is(tPunct, ":") { // Go's :=
					k--
				}
				if v := f.tok(k); v.kind == tIdent {
					return v.text
				}
				return ""
			}
		}
		if t.nl && depth >= 0 {
			return ""
		}
	}
	return ""
}

// methodOfVariable follows a URL assigned to a variable to the call that
// uses it in the next statements (url := fmt.Sprintf(...); http.Get(url))
// and returns that call's method, if the code shows it.
func (f *finder) methodOfVariable(i, end int) (string, bool) {
	name := f.assignedTo(i)
	if name == "" {
		return "GET", false
	}
	for k := end; k < len(f.toks) && k < end+300; k++ {
		t := f.tok(k)
		if t.kind != tIdent || t.text != name {
			continue
		}
		next := f.tok(k + 1)
		if next.is(tPunct, "=") {
			break // assigned again
		}
		if prev := f.tok(k - 1); !prev.is(tPunct, "(") && !prev.is(tPunct, ",") && !prev.is(tPunct, ".") {
			continue
		}
		if f.tok(k-1).is(tPunct, ".") {
			continue // another object's member of the same name
		}
		if m, seen := f.method(k, k+1); seen {
			return m, true
		}
		break // the first use decides
	}
	return "GET", false
}

// expr returns the text of the concatenation starting at string token i
// (holes for computed operands) and the index after it.
func (f *finder) expr(i int) (string, int) {
	var b strings.Builder
	b.WriteString(f.tok(i).str())
	f.markUsed(i)
	j := i + 1
	for j < len(f.toks) {
		t := f.tok(j)
		if f.lang == LangPython && t.kind == tString { // implicit concatenation
			b.WriteString(t.str())
			f.markUsed(j)
			j++
			continue
		}
		if !f.concatOp(t) {
			break
		}
		next := f.tok(j + 1)
		if next.kind == tString {
			b.WriteString(next.str())
			f.markUsed(j + 1)
			j += 2
			continue
		}
		e := f.operandEnd(j + 1)
		if e == j+1 {
			break
		}
		b.WriteString(Hole)
		j = e
	}
	return b.String(), j
}

// normalize turns the URL text of an expression into a path from /rest/
// or /vapid/ with holes for computed parts; ok is false when the text is
// prose (a message mentioning a path) rather than a URL.
func normalize(s string) (path string, ok bool) {
	loc := re().rest.FindStringIndex(s)
	if loc == nil {
		loc = re().vapid.FindStringIndex(s)
		if loc == nil {
			return "", false
		}
	}
	before := s[:loc[0]]
	if i := strings.LastIndex(before, Hole); i >= 0 {
		before = before[i+len(Hole):]
	}
	if strings.ContainsAny(before, " \t\n\"'<>") {
		return "", false
	}
	p := strings.TrimRight(s[loc[0]:], " \t\r\n")
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.ContainsAny(p, " \t\n\"'<>") {
		return "", false
	}
	if strings.IndexByte(p, '%') >= 0 { // a format verb needs a '%'
		p = re().verb.ReplaceAllString(p, Hole)
	}
	if strings.IndexByte(p, '{') >= 0 { // a placeholder needs a '{'
		p = re().brace.ReplaceAllString(p, Hole)
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") && len(seg) > 1 {
			seg = Hole
		}
		if seg == "" && i > 0 && i < len(segs)-1 {
			continue // "//" from joining "base/" and "/rest"
		}
		for strings.Contains(seg, Hole+Hole) {
			seg = strings.ReplaceAll(seg, Hole+Hole, Hole)
		}
		out = append(out, seg)
	}
	return strings.Join(out, "/"), true
}

// display writes a path with holes as {}.
func display(p string) string { return strings.ReplaceAll(p, Hole, "{}") }

// urlCall records the URL expression whose first /rest/ string is token
// i.
func (f *finder) urlCall(i int) {
	if t := f.tok(i); f.lang == LangPython && t.triple && t.nl && (i == 0 || f.tok(i-1).is(tPunct, ":")) {
		return // a docstring
	}
	text, end := f.expr(i)
	path, ok := normalize(text)
	if !ok || f.isMessage(i) {
		return
	}
	version, rest := splitVersion(path)
	if strings.Trim(rest, "/") == "" && version != "" {
		return // a base URL ("/rest/v1.0"), not a call
	}
	if strings.HasPrefix(text, "/") && f.isRoute(i, text) {
		return // a route the app serves (app.get('/rest/v1.0/…', handler)), not a call it makes
	}
	method, seen := f.method(i, end)
	if !seen {
		method, seen = f.methodOfVariable(i, end)
	}
	c := Call{Form: FormURL, Method: method, MethodSeen: seen, URL: display(path), Version: version}
	if version == "" {
		c.Reason = "the vapid API is deprecated and not in the endpoint table"
	}
	f.resolve(&c, path)
	f.add(c, f.tok(i).off)
}

// isRoute reports whether the URL expression starting at token i is the
// path of a route the app registers rather than a request it sends: the
// first argument of a verb (get, post, route, ...) called on an object
// web frameworks register routes on (app, router, server, fastify, a
// Flask blueprint, a chi/echo/gin router), or, in Ruby, of a verb with no
// receiver whose path has a route parameter (Sinatra and Rails routes:
// get "/rest/…/:id/rfis", to: "proxy#show"; without one it may be
// HTTParty's class-level get).
// The Ruby SDK's client.get has a receiver and is not a route. A
// one-letter receiver (r.Get, e.GET, g.GET) is also a common name for a
// request (resty's r := client.R()), so it counts only when the path has
// a route parameter (/:id, /<id>).
func (f *finder) isRoute(i int, text string) bool {
	j := i - 1
	if f.tok(j).is(tPunct, "(") {
		name, recv := f.callee(j)
		if !routeVerb(name) {
			return false
		}
		if f.lang == LangRuby && recv == "" {
			return strings.Contains(text, "/:") // else HTTParty's get(...) in a class
		}
		switch strings.ToLower(strings.TrimLeft(recv, "$@_")) {
		case "r", "e", "g":
			return strings.Contains(text, "/:") || strings.Contains(text, "/<")
		}
		return routeReceiver(recv)
	}
	// Ruby without parentheses: a verb first on its line.
	if f.lang == LangRuby {
		t := f.tok(j)
		return t.kind == tIdent && routeVerb(t.text) && (j == 0 || t.nl || f.tok(j-1).is(tPunct, ";")) && strings.Contains(text, "/:")
	}
	return false
}

func routeVerb(name string) bool {
	switch strings.ToLower(name) {
	case "get", "post", "put", "patch", "delete", "del", "all", "use", "route", "options", "head", "any", "match", "handle", "handlefunc":
		return true
	}
	return false
}

func routeReceiver(recv string) bool {
	switch strings.ToLower(strings.TrimLeft(recv, "$@_")) {
	case "app", "router", "server", "routes", "route", "fastify", "blueprint", "bp", "mux", "engine", "group", "api_router", "apirouter":
		return true
	}
	return false
}

// resolve looks a path up in the table and fills Endpoint or Reason.
func (f *finder) resolve(c *Call, path string) {
	if c.Reason != "" {
		return
	}
	m, ok := f.table.Lookup(c.Method, path)
	if !ok {
		_, rest := splitVersion(path)
		computed := true
		for _, seg := range segments(rest) {
			if strings.Trim(seg, Hole) != "" {
				computed = false
			}
		}
		switch {
		case computed:
			c.Reason = "the path is computed at run time"
		case f.otherMethod(c.Method, path) && c.MethodSeen:
			c.Reason = "the endpoint table has no " + c.Method + " for this path"
		case f.otherMethod(c.Method, path):
			c.Reason = "the code does not show the method and the endpoint table has no GET for this path"
		default:
			c.Reason = "not in the endpoint table"
		}
		return
	}
	c.Endpoint, c.Fallback = m.Endpoint, m.Fallback
}

// otherMethod reports whether the table has path with a method other
// than method.
func (f *finder) otherMethod(method, path string) bool {
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if _, ok := f.table.Lookup(m, path); ok && m != method {
			return true
		}
	}
	return false
}

func (f *finder) add(c Call, off int) {
	f.calls = append(f.calls, foundCall{Call: c, off: off})
}

// rubySDKCall: client.get("projects/#{id}/rfis", version: "v1.1") with a
// relative path (the Ruby SDK prefixes /rest/VERSION/).
func (f *finder) rubySDKCall(i int) {
	open := f.tok(i - 1)
	if !open.is(tPunct, "(") && !(open.kind == tIdent && f.tok(i-2).is(tPunct, ".")) {
		return
	}
	nameIdx := i - 1
	if open.is(tPunct, "(") {
		nameIdx = i - 2
	}
	name := f.tok(nameIdx)
	if name.kind != tIdent || !f.tok(nameIdx-1).is(tPunct, ".") {
		return
	}
	method := methodWord(name.text)
	if name.text == "sync" {
		method = "PATCH"
	}
	if method == "" {
		return
	}
	recv := strings.ToLower(f.tok(nameIdx - 2).text)
	if !strings.Contains(recv, "procore") && !strings.Contains(recv, "client") && !strings.Contains(recv, "api") {
		return // another HTTP client's relative path, or a route
	}
	text, end := f.expr(i)
	if strings.Contains(text, "://") || strings.HasPrefix(text, "http") || strings.ContainsAny(text, " \t\n") || text == "" || strings.HasPrefix(text, Hole) {
		return
	}
	version := "v1.0"
	for k := end; k < end+40 && k < len(f.toks); k++ {
		t := f.tok(k)
		if t.is(tPunct, ")") || t.nl {
			break
		}
		if (t.text == "version" || t.text == ":version") && (f.tok(k+1).is(tPunct, ":") || f.tok(k+1).is(tPunct, "=>")) && f.tok(k+2).kind == tString {
			version = f.tok(k + 2).str()
		}
	}
	rel := "/" + strings.TrimPrefix(text, "/")
	if name.text == "sync" {
		rel = strings.TrimSuffix(rel, "/") + "/sync"
	}
	if !strings.HasPrefix(version, "v") && re().version.MatchString(version) {
		version = "v" + version
	}
	path, ok := normalize("/rest/" + version + rel)
	c := Call{Form: FormRubySDK, Method: method, MethodSeen: true, Version: version}
	if !ok || !re().version.MatchString(version) {
		c.URL = display("/" + version + rel)
		c.Reason = "version " + version + " is not a REST version of the endpoint table"
		f.add(c, f.tok(i).off)
		return
	}
	c.URL = display(path)
	f.resolve(&c, path)
	f.add(c, f.tok(i).off)
}

// jsSDKCall: { base: '/projects/{project_id}/rfis', params: { id }, action:
// 'x', version: 'v1.1' } (@procore/js-sdk).
func (f *finder) jsSDKCall(i int) {
	s := f.tok(i + 2)
	base := s.str()
	if re().rest.MatchString(base) || !strings.HasPrefix(base, "/") || strings.ContainsAny(base, " \t\n") {
		return
	}
	var buf [2]int
	ops := f.openers(buf[:], i, 2)
	if len(ops) == 0 || !f.tok(ops[0]).is(tPunct, "{") {
		return
	}
	obj := ops[0]
	end := f.matching(obj)
	version, action, id := "v1.0", "", false
	depth := 0
	for k := obj + 1; k < end; k++ {
		t := f.tok(k)
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
			continue
		}
		if depth != 0 || t.kind != tIdent || !f.tok(k+1).is(tPunct, ":") {
			continue
		}
		v := f.tok(k + 2)
		switch t.text {
		case "version":
			if v.kind == tString {
				version = v.str()
			}
		case "action":
			if v.kind == tString {
				action = v.str()
			} else {
				action = Hole
			}
		case "params":
			if v.is(tPunct, "{") {
				pe := f.matching(k + 2)
				d := 0
				for p := k + 3; p < pe; p++ {
					pt := f.tok(p)
					if pt.kind == tPunct && (pt.text == "{" || pt.text == "(" || pt.text == "[") {
						d++
					} else if pt.kind == tPunct && (pt.text == "}" || pt.text == ")" || pt.text == "]") {
						d--
					} else if d == 0 && pt.is(tIdent, "id") && (f.tok(p-1).is(tPunct, "{") || f.tok(p-1).is(tPunct, ",")) {
						id = true
					}
				}
			}
		}
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	rel := base
	if id {
		rel = strings.TrimSuffix(rel, "/") + "/" + Hole
	}
	if action != "" {
		rel = strings.TrimSuffix(rel, "/") + "/" + action
	}
	method, seen := "GET", false
	if len(ops) > 1 && f.tok(ops[1]).is(tPunct, "(") {
		name, _ := f.callee(ops[1])
		if m := methodWord(name); m != "" {
			method, seen = m, true
		}
	}
	c := Call{Form: FormJSSDK, Method: method, MethodSeen: seen, Version: version}
	path, ok := normalize("/rest/" + version + rel)
	if !ok || !re().version.MatchString(version) {
		c.URL = display("/rest/" + version + rel)
		c.Reason = "version " + version + " is not a REST version of the endpoint table"
		f.add(c, s.off)
		return
	}
	c.URL = display(path)
	f.resolve(&c, path)
	f.markUsed(i + 2)
	f.add(c, s.off)
}

// pythonSDKCall: api.rest_v10_projects_project_id_rfis_get(...).
func (f *finder) pythonSDKCall(i int) {
	name := f.tok(i).text
	if prev := f.tok(i - 1); prev.is(tIdent, "def") {
		return
	}
	base := strings.TrimSuffix(strings.TrimSuffix(name, "_with_http_info"), "_without_preload_content")
	verb := base[strings.LastIndexByte(base, '_')+1:]
	c := Call{Form: FormPythonSDK, Method: methodWord(verb), MethodSeen: true, URL: name}
	if e := f.table.Python(name); e != nil {
		c.Endpoint, c.Version = e, e.Version
	} else {
		c.Reason = "not a method of the generated Python SDK the endpoint table knows"
	}
	f.add(c, f.tok(i).off)
}

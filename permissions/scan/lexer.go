package scan

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lang is a language family the tokenizer reads.
type Lang uint8

// The languages.
const (
	LangNone Lang = iota
	LangJS        // JavaScript and TypeScript
	LangRuby
	LangPython
	LangGo
	LangCSharp
	LangJava
	LangPHP
)

var langNames = [...]string{"", "javascript", "ruby", "python", "go", "csharp", "java", "php"}

func (l Lang) String() string {
	if int(l) < len(langNames) {
		return langNames[l]
	}
	return "?"
}

// LangOf returns the language of a file name by its extension, LangNone
// for a file that is not source code of a supported language (Markdown,
// YAML, JSON, minified bundles and type declarations included).
func LangOf(name string) Lang {
	base := strings.ToLower(filepath.Base(name))
	if strings.HasSuffix(base, ".min.js") || strings.HasSuffix(base, ".d.ts") {
		return LangNone
	}
	switch filepath.Ext(base) {
	case ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts":
		return LangJS
	case ".rb", ".rake":
		return LangRuby
	case ".py":
		return LangPython
	case ".go":
		return LangGo
	case ".cs":
		return LangCSharp
	case ".java":
		return LangJava
	case ".php":
		return LangPHP
	}
	return LangNone
}

type tokKind uint8

const (
	tIdent tokKind = iota + 1
	tString
	tNumber
	tPunct
)

// part is a piece of a string literal: text, or a hole (an interpolation).
type part struct {
	text string
	hole bool
}

// token is a lexical token; comments and whitespace are dropped.
type token struct {
	kind tokKind
	// triple marks a Python triple-quoted string; nl marks a token that
	// starts a line (Python docstrings).
	triple, nl bool
	off        int    // byte offset of the first character
	end        int    // byte offset after the last character
	text       string // identifier, number or punctuation text
	// A string's content is lit.s when it has no interpolation (most
	// strings: no allocation), else lit.parts, interpolations as holes.
	lit lit
}

// lit is the content of a string literal: s when it is one piece of
// text (parts nil), else parts.
type lit struct {
	s     string
	parts *[]part // a pointer: tokens stay small (64 bytes)
}

// litOf returns the content made of parts, as s when it is a single
// piece of text.
func litOf(parts []part) lit {
	switch {
	case len(parts) == 0:
		return lit{}
	case len(parts) == 1 && !parts[0].hole:
		return lit{s: parts[0].text}
	}
	return lit{parts: &parts}
}

// litBuilder builds a string's content that may have holes: text is
// written to b, hole ends the text so far and adds a hole, done returns
// the content.
type litBuilder struct {
	parts []part
	b     strings.Builder
}

// text ends the current piece of text, if any.
func (lb *litBuilder) text() {
	if lb.b.Len() > 0 {
		lb.parts = append(lb.parts, part{text: lb.b.String()})
		lb.b.Reset()
	}
}

// hole ends the current piece of text and adds a hole.
func (lb *litBuilder) hole() {
	lb.text()
	lb.parts = append(lb.parts, part{hole: true})
}

// done ends the current piece of text and returns the content.
func (lb *litBuilder) done() lit {
	lb.text()
	return litOf(lb.parts)
}

func (t *token) is(kind tokKind, text string) bool { return t.kind == kind && t.text == text }

// str returns the string's text with holes as Hole.
func (t *token) str() string {
	if t.lit.parts == nil {
		return t.lit.s
	}
	parts := *t.lit.parts
	var b strings.Builder
	for _, p := range parts {
		if p.hole {
			b.WriteString(Hole)
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// lexer is a hand-written tokenizer for one language family: it knows the
// language's strings (escapes, interpolation, raw, verbatim, triple-quoted
// and heredoc forms) and comments, and enough of the rest (regular
// expression literals in JavaScript and Ruby, PHP's HTML mode) not to
// mistake code for strings or strings for code.
type lexer struct {
	lang Lang
	src  string
	pos  int
	toks []token
	// heredocEnd: Ruby and PHP heredoc bodies already read, to jump over at
	// the end of the line that opened them.
	heredocEnd int
	html       bool // PHP: outside <?php ... ?>
	lineStart  bool
	// noTerm remembers, per heredoc identifier, an offset from which no
	// terminator line follows (so that many unterminated openers stay
	// linear).
	noTerm map[string]int
	nest   int // interpolations being read, one inside the other
}

// maxNest bounds nested interpolations (a string in an interpolation in a
// string ...).
const maxNest = 32

// maxTokens bounds the tokens kept for one file.
const maxTokens = 4 << 20

// tokenize splits src into tokens.
func tokenize(lang Lang, src []byte) []token { return tokenizeInto(nil, lang, string(src)) }

// tokenizeInto splits src into tokens, appended to buf[:0].
func tokenizeInto(buf []token, lang Lang, src string) []token {
	l := &lexer{lang: lang, src: src, html: lang == LangPHP, lineStart: true, toks: buf[:0]}
	if lang == LangPHP && !strings.Contains(l.src, "<?") {
		l.html = false
	}
	for l.pos < len(l.src) && len(l.toks) < maxTokens {
		// Read the token into the slot after the last one, then count it
		// in: the last token stays the one before it while it is read
		// (regexAllowed looks at it).
		n := len(l.toks)
		if n == cap(l.toks) {
			l.toks = append(l.toks, token{})[:n]
		}
		if l.next(&l.toks[:n+1][n]) {
			l.toks = l.toks[:n+1]
		}
	}
	return l.toks
}

func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r)
}

func isIdentPart(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func (l *lexer) peek(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

func (l *lexer) has(s string) bool { return strings.HasPrefix(l.src[l.pos:], s) }

// newline moves past a newline, jumping over heredoc bodies read on the
// line it ends.
func (l *lexer) newline() {
	l.pos++
	l.lineStart = true
	if l.heredocEnd > l.pos {
		l.pos = l.heredocEnd
	}
	l.heredocEnd = 0
}

// next reads one token into t; false for whitespace and comments (t is
// then left as it was or partly written).
func (l *lexer) next(t *token) bool {
	if l.html {
		i := strings.Index(l.src[l.pos:], "<?")
		if i < 0 {
			l.pos = len(l.src)
			return false
		}
		l.pos += i + 2
		if strings.HasPrefix(l.src[l.pos:], "php") {
			l.pos += 3
		} else if strings.HasPrefix(l.src[l.pos:], "=") {
			l.pos++
		}
		l.html = false
		return false
	}
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case '\n':
			l.newline()
			continue
		case ' ', '\t', '\r', '\f', '\v':
			l.pos++
			continue
		}
		break
	}
	if l.pos >= len(l.src) {
		return false
	}
	nl := l.lineStart
	l.lineStart = false
	start := l.pos
	switch c := l.src[l.pos]; {
	case plainPunct[c]:
		// Never the start of a comment, a string or a longer operator.
		l.pos++
		*t = token{kind: tPunct, off: start, end: l.pos, text: l.src[start:l.pos], nl: nl}
		return true
	case nameStart[c] && !(l.lang == LangPython && pythonPrefix[c]):
		// A name: no comment or string starts with a letter or '_'
		// (but for Python's string prefixes).
	default:
		if l.comment() {
			l.lineStart = nl
			return false
		}
		if l.stringToken(t) {
			t.nl = nl
			return true
		}
	}
	r, size := rune(l.src[l.pos]), 1
	if r >= utf8.RuneSelf {
		r, size = utf8.DecodeRuneInString(l.src[l.pos:])
	}
	switch {
	case r == utf8.RuneError && size <= 1:
		l.pos++
		return false
	case isIdentStart(r) || (r == '@' && l.lang != LangJava && l.lang != LangPython && l.lang != LangJS):
		l.pos += size
		for l.pos < len(l.src) {
			if c := l.src[l.pos]; c < utf8.RuneSelf {
				if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					l.pos++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isIdentPart(r) {
				break
			}
			l.pos += size
		}
		if l.lang == LangRuby && (l.peek(0) == '?' || l.peek(0) == '!') && l.peek(1) != '=' {
			l.pos++
		}
		*t = token{kind: tIdent, off: start, end: l.pos, text: l.src[start:l.pos], nl: nl}
		return true
	case r >= '0' && r <= '9':
		for l.pos < len(l.src) {
			if c := l.src[l.pos]; c < utf8.RuneSelf {
				if c == '_' || c == '$' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					l.pos++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(l.src[l.pos:])
			if !isIdentPart(r) && r != '.' {
				break
			}
			l.pos += size
		}
		*t = token{kind: tNumber, off: start, end: l.pos, text: l.src[start:l.pos], nl: nl}
		return true
	}
	if l.lang == LangPHP && l.has("?>") {
		l.pos += 2
		l.html = true
		*t = token{kind: tPunct, off: start, end: l.pos, text: ";"}
		return true
	}
	if l.pos+1 < len(l.src) {
		switch op := l.src[l.pos : l.pos+2]; op {
		case "::", "->", "=>", "?.", "**", "<<", "..", "==", "!=", "&&", "||":
			l.pos += 2
			*t = token{kind: tPunct, off: start, end: l.pos, text: op, nl: nl}
			return true
		}
	}
	l.pos += size
	*t = token{kind: tPunct, off: start, end: l.pos, text: l.src[start:l.pos], nl: nl}
	return true
}

// Bytes next decides on without looking for a comment or a string.
var (
	plainPunct   = [256]bool{'(': true, ')': true, '[': true, ']': true, '{': true, '}': true, ',': true, ';': true}
	nameStart    = [256]bool{'_': true, 'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true, 'j': true, 'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true, 'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true, 'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true, 'J': true, 'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true, 'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true}
	pythonPrefix = [256]bool{'r': true, 'R': true, 'b': true, 'B': true, 'u': true, 'U': true, 'f': true, 'F': true}
)

// comment skips a comment at pos.
func (l *lexer) comment() bool {
	line := func() {
		i := strings.IndexByte(l.src[l.pos:], '\n')
		if i < 0 {
			l.pos = len(l.src)
		} else {
			l.pos += i
		}
	}
	switch l.lang {
	case LangPython:
		if l.peek(0) == '#' {
			line()
			return true
		}
	case LangRuby:
		if l.peek(0) == '#' {
			line()
			return true
		}
		if l.lineStart && l.has("=begin") {
			i := strings.Index(l.src[l.pos:], "\n=end")
			if i < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += i + 5
				line()
			}
			return true
		}
	default:
		if c := l.src[l.pos]; c != '/' && c != '#' {
			return false
		}
		if l.has("//") {
			line()
			return true
		}
		if l.has("/*") {
			i := strings.Index(l.src[l.pos+2:], "*/")
			if i < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += i + 4
			}
			return true
		}
		if l.lang == LangPHP && l.peek(0) == '#' && l.peek(1) != '[' {
			line()
			return true
		}
	}
	return false
}

// regexAllowed reports whether a '/' here starts a regular expression
// literal (JavaScript, Ruby): after an operator, an opening bracket, a
// keyword, or at the start.
func (l *lexer) regexAllowed() bool {
	if len(l.toks) == 0 {
		return true
	}
	t := &l.toks[len(l.toks)-1]
	switch t.kind {
	case tString, tNumber:
		return false
	case tIdent:
		switch t.text {
		case "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "when", "if", "unless", "and", "or", "not", "then":
			return true
		}
		return false
	}
	switch t.text {
	case ")", "]", "}":
		return false
	}
	return true
}

// stringToken reads a string literal (or a regular expression literal,
// returned as a string) at pos.
func (l *lexer) stringToken(t *token) bool {
	start := l.pos
	c := l.peek(0)
	tok := func(v lit) bool {
		*t = token{kind: tString, off: start, end: l.pos, lit: v}
		return true
	}
	switch l.lang {
	case LangJS:
		switch c {
		case '\'', '"':
			l.pos++
			return tok(l.quoted(c, true, false, nil))
		case '`':
			l.pos++
			return tok(l.quoted('`', true, true, dollarBrace))
		case '/':
			if l.peek(1) != '/' && l.peek(1) != '*' && l.regexAllowed() {
				if l.regex() {
					return tok(lit{s: l.src[start:l.pos]})
				}
				l.pos = start
			}
		}
	case LangGo:
		switch c {
		case '"', '\'':
			l.pos++
			return tok(l.quoted(c, true, false, nil))
		case '`':
			l.pos++
			return tok(l.raw("`"))
		}
	case LangJava:
		if l.has(`"""`) {
			l.pos += 3
			return tok(l.rawEscaped(`"""`))
		}
		if c == '"' || c == '\'' {
			l.pos++
			return tok(l.quoted(c, true, false, nil))
		}
	case LangCSharp:
		return l.csharpString(t)
	case LangPHP:
		switch c {
		case '\'':
			l.pos++
			return tok(l.quoted('\'', true, false, nil))
		case '"':
			l.pos++
			return tok(l.quoted('"', true, true, phpHole))
		case '`':
			l.pos++
			return tok(l.quoted('`', true, true, phpHole))
		case '<':
			if l.has("<<<") {
				if v, body, ok := l.heredoc(3); ok {
					tok(v)
					t.off, t.end = body, max(t.end, body)
					return true
				}
				l.pos = start
			}
		}
	case LangPython:
		return l.pythonString(t)
	case LangRuby:
		return l.rubyString(t)
	}
	return false
}

// holeFunc reports whether an interpolation starts at pos and, if so,
// skips it (returning true).
type holeFunc func(l *lexer) bool

// dollarBrace: ${ ... } (JavaScript template literals).
func dollarBrace(l *lexer) bool {
	if l.has("${") {
		l.pos += 2
		l.skipBraces()
		return true
	}
	return false
}

// hashBrace: #{ ... } (Ruby).
func hashBrace(l *lexer) bool {
	if l.has("#{") {
		l.pos += 2
		l.skipBraces()
		return true
	}
	return false
}

// phpHole: $name, $name->prop, $name[...], {$ ... }, ${ ... }.
func phpHole(l *lexer) bool {
	switch {
	case l.has("{$"), l.has("${"):
		l.pos += 2
		l.skipBraces()
		return true
	case l.peek(0) == '$':
		r, _ := utf8.DecodeRuneInString(l.src[l.pos+1:])
		if r == '_' || unicode.IsLetter(r) {
			l.pos++
			for l.pos < len(l.src) {
				r, size := utf8.DecodeRuneInString(l.src[l.pos:])
				if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				l.pos += size
			}
			if l.has("->") {
				l.pos += 2
				for l.pos < len(l.src) && isIdentPart(rune(l.src[l.pos])) {
					l.pos++
				}
			} else if l.peek(0) == '[' {
				if i := strings.IndexByte(l.src[l.pos:], ']'); i >= 0 && !strings.Contains(l.src[l.pos:l.pos+i], "\n") {
					l.pos += i + 1
				}
			}
			return true
		}
	}
	return false
}

// braceHole: { ... } with {{ as a literal brace (Python f-strings, C#
// interpolated strings).
func braceHole(l *lexer) bool {
	if l.peek(0) == '{' {
		if l.peek(1) == '{' {
			return false
		}
		l.pos++
		l.skipBraces()
		return true
	}
	return false
}

// skipBraces skips an interpolation's code up to its closing brace,
// reading nested strings and braces with the language's tokenizer.
func (l *lexer) skipBraces() {
	depth := 1
	if l.nest >= maxNest {
		// Too deep to be code: count braces only.
		for l.pos < len(l.src) && depth > 0 {
			switch l.src[l.pos] {
			case '{':
				depth++
			case '}':
				depth--
			}
			l.pos++
		}
		return
	}
	l.nest++
	defer func() { l.nest-- }()
	// The interpolation's tokens are read and dropped: with no tokens
	// before it, a '/' at its start may open a regular expression.
	saved, savedEnd := l.toks, l.heredocEnd
	l.toks = nil
	var scratch token
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '}' {
			depth--
			l.pos++
			if depth == 0 {
				break
			}
			continue
		}
		if c == '{' {
			depth++
			l.pos++
			continue
		}
		before := l.pos
		l.next(&scratch)
		if l.pos == before {
			l.pos++
		}
	}
	l.toks, l.heredocEnd = saved, savedEnd
}

// quoted reads a string up to the closing quote q (pos is after the
// opening quote). Backslash escapes when escapes; holes when hole is not
// nil. A newline ends an unterminated single-line string unless multi.
func (l *lexer) quoted(q byte, escapes, multi bool, hole holeFunc) lit {
	// Most strings are plain: take them as they are.
	for i := l.pos; i < len(l.src); i++ {
		c := l.src[i]
		if c == q {
			text := l.src[l.pos:i]
			l.pos = i + 1
			return lit{s: text}
		}
		if c == '\\' || c == '\n' || c == '$' || c == '#' || c == '{' {
			break
		}
	}
	var lb litBuilder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c != q && !quoteSpecial[c] {
			// A run of plain bytes: nothing below applies to them (holes
			// start with '$', '#' or '{').
			j := l.pos + 1
			for j < len(l.src) && l.src[j] != q && !quoteSpecial[l.src[j]] {
				j++
			}
			lb.b.WriteString(l.src[l.pos:j])
			l.pos = j
			continue
		}
		switch {
		case c == q:
			l.pos++
			return lb.done()
		case c == '\\' && escapes:
			if l.pos+1 < len(l.src) {
				lb.b.WriteString(unescape(l.src[l.pos+1]))
				l.pos += 2
			} else {
				l.pos++
			}
			continue
		case c == '\n' && !multi:
			return lb.done()
		}
		if hole != nil && hole(l) {
			lb.hole()
			continue
		}
		lb.b.WriteByte(c)
		l.pos++
	}
	return lb.done()
}

// quoteSpecial marks the bytes quoted looks at one by one: an escape, a
// newline, and the first bytes of every hole (dollarBrace, hashBrace,
// phpHole, braceHole).
var quoteSpecial = [256]bool{'\\': true, '\n': true, '$': true, '#': true, '{': true}

func unescape(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case 'r':
		return "\r"
	case '\n':
		return ""
	}
	return string(c)
}

// raw reads up to end with no escapes.
func (l *lexer) raw(end string) lit {
	i := strings.Index(l.src[l.pos:], end)
	if i < 0 {
		s := l.src[l.pos:]
		l.pos = len(l.src)
		return lit{s: s}
	}
	s := l.src[l.pos : l.pos+i]
	l.pos += i + len(end)
	return lit{s: s}
}

// rawEscaped reads up to end, skipping backslash escapes (Java text
// blocks, Python triple-quoted strings without holes).
func (l *lexer) rawEscaped(end string) lit {
	return l.delimited(end, true, nil)
}

// delimited reads up to the delimiter end (pos after the opening one).
func (l *lexer) delimited(end string, escapes bool, hole holeFunc) lit {
	// Most bodies have no escape and no interpolation: take them as they
	// are. A hole starts with '{', '#' or '$' (braceHole, hashBrace,
	// phpHole); an escape with a backslash.
	if i := strings.Index(l.src[l.pos:], end); i >= 0 {
		body := l.src[l.pos : l.pos+i]
		if (!escapes || strings.IndexByte(body, '\\') < 0) && (hole == nil || !strings.ContainsAny(body, "{#$")) {
			l.pos += i + len(end)
			return lit{s: body}
		}
	}
	var lb litBuilder
	for l.pos < len(l.src) {
		if l.has(end) {
			l.pos += len(end)
			return lb.done()
		}
		c := l.src[l.pos]
		if c == '\\' && escapes {
			if l.pos+1 < len(l.src) {
				lb.b.WriteString(unescape(l.src[l.pos+1]))
				l.pos += 2
			} else {
				l.pos++
			}
			continue
		}
		if hole != nil && hole(l) {
			lb.hole()
			continue
		}
		lb.b.WriteByte(c)
		l.pos++
	}
	return lb.done()
}

// regex skips a regular expression literal /.../flags; false when the
// line ends first (then '/' was division).
func (l *lexer) regex() bool {
	l.pos++
	class := false
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\n':
			return false
		case c == '\\':
			l.pos += 2
			continue
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			l.pos++
			for l.pos < len(l.src) && (l.src[l.pos] >= 'a' && l.src[l.pos] <= 'z') {
				l.pos++
			}
			return true
		}
		l.pos++
	}
	return false
}

// csharpString reads "...", @"...", $"...", $@"...", @$"...", raw
// """...""" (with $ prefixes) and '.'.
func (l *lexer) csharpString(t *token) bool {
	start := l.pos
	dollars, verbatim := 0, false
	i := l.pos
	for i < len(l.src) && (l.src[i] == '$' || l.src[i] == '@') {
		if l.src[i] == '$' {
			dollars++
		} else {
			if verbatim {
				return false
			}
			verbatim = true
		}
		i++
	}
	if i >= len(l.src) || (l.src[i] != '"' && !(l.src[i] == '\'' && i == l.pos)) {
		return false
	}
	tok := func(v lit) bool {
		*t = token{kind: tString, off: start, end: l.pos, lit: v}
		return true
	}
	if l.src[i] == '\'' {
		l.pos = i + 1
		return tok(l.quoted('\'', true, false, nil))
	}
	l.pos = i
	var hole holeFunc
	if dollars > 0 {
		hole = braceHole
	}
	if strings.HasPrefix(l.src[l.pos:], `"""`) {
		n := 0
		for l.pos < len(l.src) && l.src[l.pos] == '"' {
			n++
			l.pos++
		}
		return tok(l.delimited(strings.Repeat(`"`, n), false, hole))
	}
	l.pos++
	if verbatim {
		var lb litBuilder
		for l.pos < len(l.src) {
			c := l.src[l.pos]
			if c == '"' {
				if l.peek(1) == '"' {
					lb.b.WriteByte('"')
					l.pos += 2
					continue
				}
				l.pos++
				break
			}
			if hole != nil && hole(l) {
				lb.hole()
				continue
			}
			lb.b.WriteByte(c)
			l.pos++
		}
		return tok(lb.done())
	}
	return tok(l.quoted('"', true, false, hole))
}

// pythonString reads a string with an optional prefix (r, b, u, f and
// pairs), single or triple quoted; f-strings have {...} holes.
func (l *lexer) pythonString(t *token) bool {
	start := l.pos
	i := l.pos
	raw, fstr := false, false
	for i < len(l.src) && i-l.pos < 2 {
		switch l.src[i] {
		case 'r', 'R':
			raw = true
		case 'f', 'F':
			fstr = true
		case 'b', 'B', 'u', 'U':
		default:
			goto quote
		}
		i++
	}
quote:
	if i >= len(l.src) || (l.src[i] != '"' && l.src[i] != '\'') {
		return false
	}
	if i > l.pos && len(l.toks) > 0 {
		// A prefix must start the word: "xf'" is an identifier then a string.
		if r, _ := utf8.DecodeLastRuneInString(l.src[:l.pos]); isIdentPart(r) {
			return false
		}
	}
	q := l.src[i]
	l.pos = i
	var hole holeFunc
	if fstr {
		hole = braceHole
	}
	triple := strings.HasPrefix(l.src[l.pos:], strings.Repeat(string(q), 3))
	var v lit
	if triple {
		l.pos += 3
		v = l.delimited(strings.Repeat(string(q), 3), true, hole)
	} else {
		l.pos++
		v = l.quoted(q, true, false, hole)
	}
	// Known gap: a raw string (r"...") is read like any other, so its
	// backslash sequences are decoded; Procore URLs hold none. Reading it
	// raw needs a mode of quoted where \" neither ends the string nor
	// loses its backslash.
	_ = raw
	*t = token{kind: tString, off: start, end: l.pos, lit: v, triple: triple}
	return true
}

// rubyString reads '...', "...", `...`, %q/%Q/%w/%i/%()/%r literals,
// heredocs, :"symbols" and regular expressions.
func (l *lexer) rubyString(t *token) bool {
	start := l.pos
	tok := func(v lit) bool {
		*t = token{kind: tString, off: start, end: l.pos, lit: v}
		return true
	}
	switch c := l.peek(0); c {
	case '\'':
		l.pos++
		return tok(l.quoted('\'', true, true, nil))
	case '"', '`':
		l.pos++
		return tok(l.quoted(c, true, true, hashBrace))
	case ':':
		if l.peek(1) == '"' {
			l.pos += 2
			return tok(l.quoted('"', true, true, hashBrace))
		}
	case '/':
		if l.regexAllowed() {
			if l.regex() {
				return tok(lit{s: l.src[start:l.pos]})
			}
			l.pos = start
		}
	case '%':
		if !l.regexAllowed() {
			return false
		}
		kind := byte('Q')
		i := 1
		if k := l.peek(1); k == 'q' || k == 'Q' || k == 'w' || k == 'W' || k == 'i' || k == 'I' || k == 'r' || k == 'x' {
			kind = k
			i = 2
		}
		open := l.peek(i)
		closeCh, ok := map[byte]byte{'(': ')', '[': ']', '{': '}', '<': '>', '|': '|', '!': '!', '/': '/'}[open]
		if !ok {
			return false
		}
		l.pos += i + 1
		var hole holeFunc
		if kind != 'q' && kind != 'w' && kind != 'i' {
			hole = hashBrace
		}
		return tok(l.nested(open, closeCh, hole))
	case '<':
		if l.has("<<~") || l.has("<<-") || (l.has("<<") && len(l.src) > l.pos+2 && (l.src[l.pos+2] == '\'' || l.src[l.pos+2] == '"' || (l.src[l.pos+2] >= 'A' && l.src[l.pos+2] <= 'Z'))) {
			if v, body, ok := l.heredoc(2); ok {
				tok(v)
				t.off, t.end = body, max(t.end, body)
				return true
			}
			l.pos = start
		}
	}
	return false
}

// nested reads a %-literal whose delimiters may nest.
func (l *lexer) nested(open, closeCh byte, hole holeFunc) lit {
	var lb litBuilder
	depth := 1
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '\\' && l.pos+1 < len(l.src) {
			lb.b.WriteByte(l.src[l.pos+1])
			l.pos += 2
			continue
		}
		if c == closeCh {
			depth--
			if depth == 0 {
				l.pos++
				break
			}
		} else if c == open && open != closeCh {
			depth++
		}
		if hole != nil && hole(l) {
			lb.hole()
			continue
		}
		lb.b.WriteByte(c)
		l.pos++
	}
	return lb.done()
}

// heredoc reads a heredoc opened at pos (Ruby <<~ID, <<-ID, <<ID with an
// optionally quoted ID; PHP <<<ID, <<<"ID", <<<'ID'). The body starts on
// the next line (after earlier heredocs of the same line) and is skipped
// there when the lexer reaches the end of this line.
func (l *lexer) heredoc(n int) (v lit, body int, ok bool) {
	i := l.pos + n
	if l.lang == LangRuby && i < len(l.src) && (l.src[i] == '~' || l.src[i] == '-') {
		i++
	}
	for l.lang == LangPHP && i < len(l.src) && (l.src[i] == ' ' || l.src[i] == '\t') {
		i++
	}
	quote := byte(0)
	if i < len(l.src) && (l.src[i] == '\'' || l.src[i] == '"') {
		quote = l.src[i]
		i++
	}
	j := i
	for j < len(l.src) && (l.src[j] == '_' || l.src[j] >= 'A' && l.src[j] <= 'Z' || l.src[j] >= 'a' && l.src[j] <= 'z' || j > i && l.src[j] >= '0' && l.src[j] <= '9') {
		j++
	}
	if j == i {
		return lit{}, 0, false
	}
	id := l.src[i:j]
	if quote != 0 {
		if j >= len(l.src) || l.src[j] != quote {
			return lit{}, 0, false
		}
		j++
	}
	bodyStart := l.heredocEnd
	if bodyStart <= j {
		nl := strings.IndexByte(l.src[j:], '\n')
		if nl < 0 {
			return lit{}, 0, false
		}
		bodyStart = j + nl + 1
	}
	// Find the terminator line.
	k := bodyStart
	bodyEnd, after := len(l.src), len(l.src)
	if from, ok := l.noTerm[id]; ok && k >= from {
		k = len(l.src)
	}
	found := false
	for k < len(l.src) {
		e := strings.IndexByte(l.src[k:], '\n')
		lineEnd := len(l.src)
		if e >= 0 {
			lineEnd = k + e
		}
		line := l.src[k:lineEnd]
		t := strings.TrimLeft(line, " \t")
		if strings.TrimSpace(t) == id || (l.lang == LangPHP && strings.HasPrefix(t, id) && (len(t) == len(id) || !isIdentPart(rune(t[len(id)])))) {
			bodyEnd = k
			after = k + len(line) - len(t) + len(id)
			found = true
			break
		}
		k = lineEnd + 1
	}
	if !found {
		if l.noTerm == nil {
			l.noTerm = map[string]int{}
		}
		if from, ok := l.noTerm[id]; !ok || bodyStart < from {
			l.noTerm[id] = bodyStart
		}
	}
	var hole holeFunc
	if quote != '\'' {
		hole = hashBrace
		if l.lang == LangPHP {
			hole = phpHole
		}
	}
	sub := &lexer{lang: l.lang, src: l.src[:bodyEnd], pos: bodyStart}
	v = sub.delimited("\x00\x00never", quote != '\'', hole)
	l.pos = j
	l.heredocEnd = after
	return v, bodyStart, true
}

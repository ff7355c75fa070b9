package scan

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzFindCalls: no input makes a tokenizer or the call finder panic or
// hang, every token lies inside the file, every call's position is a
// place in the file, and the pre-filter (mayCall) passes every file in
// which the finder finds a call.
func FuzzFindCalls(f *testing.F) {
	seeds := []struct {
		lang Lang
		src  string
	}{
		{LangJS, "fetch(`${a}/rest/v1.0/projects/${b}/rfis`, {method: 'POST'}) // c\n/re/g; x / y"},
		{LangJS, "client.get({ base: '/projects/{project_id}/rfis', params: { id }, action: 'x' })"},
		{LangRuby, "client.get(\"projects/#{id}/rfis\", version: \"v1.1\")\nx = <<~EOS\n  #{a}\nEOS\n=begin\n=end\n%Q(a#{b}) /re/"},
		{LangPython, "requests.post(f'''{b}/rest/v1.0/x/{y}''' + \"z\") # c\napi.rest_v10_me_get()\n\"\"\"doc\"\"\""},
		{LangGo, "http.NewRequest(http.MethodPost, fmt.Sprintf(\"%s/rest/v1.0/x/%d\", a, b), nil) // `x`\n'\\''"},
		{LangCSharp, "await c.PostAsync($@\"{a}/rest/v1.0/x/{{y}}\", b); var s = \"\"\"raw {x}\"\"\"; '\\''"},
		{LangJava, "rest.getForObject(\"/rest/v1.0/x/\" + id, X.class); String t = \"\"\"\n/rest/v1.0/y\n\"\"\";"},
		{LangPHP, "<html><?php $h->post(\"{$b}/rest/v1.0/x/$id\"); # c\n$t = <<<EOT\n/rest/v1.0/y\nEOT;\n?>x<?= 'a' ?>"},
		{LangRuby, "\"#{"},
		{LangJS, "`${`${`"},
		{LangPython, "f'{'"},
		{LangCSharp, "$@\"{"},
		{LangPHP, "<?php \"{$"},
		{LangRuby, "<<~A\n"},
	}
	for _, s := range seeds {
		f.Add(uint8(s.lang), []byte(s.src))
	}
	tab, err := DefaultTable()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, lang uint8, src []byte) {
		l := Lang(lang%7 + 1)
		for _, tok := range tokenize(l, src) {
			if tok.off < 0 || tok.off > len(src) || tok.end < tok.off || tok.end > len(src) {
				t.Fatalf("%s token %+v outside the file (%d bytes)", l, tok, len(src))
			}
		}
		// The pre-filter never hides a call the finder would find.
		if !mayCall(l, src) {
			if calls := findCalls(l, string(src), tab); len(calls) > 0 {
				t.Fatalf("%s: mayCall is false but the finder finds %+v", l, calls[0])
			}
		}
		starts := lineStarts(src)
		lines := len(starts)
		for _, c := range FindCalls(l, src, tab) {
			if c.Line < 1 || c.Line > lines || c.Column < 1 {
				t.Fatalf("%s call at %d:%d outside the file (%d lines)", l, c.Line, c.Column, lines)
			}
			line := src[starts[c.Line-1]:]
			if i := bytes.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			if c.Column > utf8.RuneCount(line)+1 {
				t.Fatalf("%s call at %d:%d beyond its line", l, c.Line, c.Column)
			}
		}
	})
}

// lineStarts returns the offsets at which the lines of src start.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

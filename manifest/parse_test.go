package manifest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type diagWant struct {
	Rule    string
	Pointer string
	Line    int
	Col     int
	Msg     string // substring
}

func diagsOf(ds []Diagnostic) []diagWant {
	var out []diagWant
	for _, d := range ds {
		out = append(out, diagWant{Rule: d.Rule, Pointer: d.Pos.Pointer, Line: d.Pos.Line, Col: d.Pos.Col, Msg: d.Message})
	}
	return out
}

func TestParseDiagnostics(t *testing.T) {
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	tests := []struct {
		name string
		in   string
		want []diagWant
		root bool // a root is expected
	}{
		{"empty", "", []diagWant{{RuleEmptyFile, "", 1, 1, "file is empty"}}, false},
		{"whitespace only", " \n\t\n", []diagWant{{RuleEmptyFile, "", 1, 1, "file is empty"}}, false},
		{"bom", "\uFEFF{}", []diagWant{{RuleByteOrder, "", 1, 1, "byte-order mark"}}, true},
		{"bom then empty", "\uFEFF", []diagWant{{RuleByteOrder, "", 1, 1, "byte-order mark"}, {RuleEmptyFile, "", 1, 1, "empty"}}, false},
		{"trailing data", "{}\n{}", []diagWant{{RuleInvalidJSON, "", 2, 1, "after the end of the top-level value"}}, false},
		{"trailing comma object", "{\"a\": {\"b\": 1,}}", []diagWant{{RuleInvalidJSON, "/a", 1, 15, "trailing comma before '}'"}}, false},
		{"trailing comma array", "{\"a\": [1,]}", []diagWant{{RuleInvalidJSON, "/a", 1, 10, "trailing comma before ']'"}}, false},
		{"missing comma", "{\"a\": 1\n \"b\": 2}", []diagWant{{RuleInvalidJSON, "", 2, 2, "missing ','"}}, false},
		{"missing colon", `{"a" 1}`, []diagWant{{RuleInvalidJSON, "", 1, 6, `expected ':' after member name "a"`}}, false},
		{"unquoted key", `{a: 1}`, []diagWant{{RuleInvalidJSON, "", 1, 2, "expected a member name in double quotes, found 'a'"}}, false},
		{"single quotes", `{"a": 'x'}`, []diagWant{{RuleInvalidJSON, "", 1, 7, "double quotes"}}, false},
		{"comment", "{\n// hi\n}", []diagWant{{RuleInvalidJSON, "", 2, 1, "comments are not allowed"}}, false},
		{"invalid utf8 in member name", "{\"a\": 1, \"b\xff\": 2}", []diagWant{{RuleInvalidUTF8, "/b\uFFFD", 1, 12, "0xFF"}}, true},
		{"comment value", "{\"a\": /* x */ 1}", []diagWant{{RuleInvalidJSON, "", 1, 7, "comments are not allowed"}}, false},
		{"unterminated string", `{"a": "abc`, []diagWant{{RuleInvalidJSON, "", 1, 7, "unterminated string"}}, false},
		{"newline in string", "{\"a\": \"ab\ncd\"}", []diagWant{{RuleInvalidJSON, "", 1, 10, "line break inside a string"}}, false},
		{"bad escape", `{"a": "\x"}`, []diagWant{{RuleInvalidJSON, "", 1, 8, `invalid escape '\x'`}}, false},
		{"bad unicode escape", `{"a": "\u12G4"}`, []diagWant{{RuleInvalidJSON, "", 1, 8, `invalid \u escape`}}, false},
		{"leading zero", `{"a": 01}`, []diagWant{{RuleInvalidJSON, "", 1, 7, "leading zeros"}}, false},
		{"bad number", `{"a": -x}`, []diagWant{{RuleInvalidJSON, "", 1, 7, "invalid number"}}, false},
		{"bad literal", `{"a": tru}`, []diagWant{{RuleInvalidJSON, "", 1, 7, "JSON literals are true, false and null"}}, false},
		{"unquoted word", `{"a": nullx}`, []diagWant{{RuleInvalidJSON, "", 1, 7, "unquoted word"}}, false},
		{"eof in object", "{\n  \"a\": 1", []diagWant{{RuleInvalidJSON, "", 2, 9, "unexpected end of file in the object opened at line 1 column 1"}}, false},
		{"eof in array", `{"a": [1`, []diagWant{{RuleInvalidJSON, "/a", 1, 9, "in the array opened at line 1 column 7"}}, false},
		{"nested pointer", `{"p": {"x~y/z": [0, {"q": ]}]}}`, []diagWant{{RuleInvalidJSON, "/p/x~0y~1z/1", 1, 27, "expected a value, found ']'"}}, false},
		{"duplicate key", "{\n  \"a\": 1,\n  \"a\": 2\n}", []diagWant{{RuleDuplicateKey, "/a", 3, 3, `duplicate key "a": first defined at line 2 column 3`}}, true},
		{"duplicate nested", `{"x": [{"k": 1, "k": 2}]}`, []diagWant{{RuleDuplicateKey, "/x/0/k", 1, 17, `duplicate key "k"`}}, true},
		{"number range", `{"n": 1e999}`, []diagWant{{RuleNumberRange, "/n", 1, 7, "does not fit"}}, true},
		{"number range in array", `[1, -1e400]`, []diagWant{{RuleNumberRange, "/1", 1, 5, "does not fit"}}, true},
		{"too deep", deep, []diagWant{{RuleLimit, strings.Repeat("/0", 127), 1, 129, "deeper than the limit of 128"}}, false},
		{"invalid utf8 in string", "{\"a\": \"x\xffy\"}", []diagWant{{RuleInvalidUTF8, "/a", 1, 9, "invalid UTF-8 byte 0xFF"}}, true},
		{"invalid utf8 outside string", "{\xff}", []diagWant{{RuleInvalidJSON, "", 1, 2, "byte 0xFF"}}, false},
		{"columns count characters", "{\"é€😀\": x}", []diagWant{{RuleInvalidJSON, "", 1, 9, "expected a value"}}, false},
		{"bom shifts nothing", "\uFEFF{\"a\" 1}", []diagWant{{RuleByteOrder, "", 1, 1, ""}, {RuleInvalidJSON, "", 1, 6, "expected ':'"}}, false},
		{"crlf lines", "{\r\n\"a\":\r\n}", []diagWant{{RuleInvalidJSON, "", 3, 1, "expected a value"}}, false},
		{"top-level scalar ok", `"x"`, nil, true},
		{"valid", `{"a": [1, 2.5e3, -0, true, false, null, "s\u00e9\ud83d\ude00"]}`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, diags := Parse("f.json", []byte(tt.in), ParseOptions{})
			got := diagsOf(diags)
			if len(got) != len(tt.want) {
				t.Fatalf("Parse(%q) diagnostics = %+v, want %+v", tt.in, got, tt.want)
			}
			for i := range got {
				w := tt.want[i]
				g := got[i]
				if g.Rule != w.Rule || g.Pointer != w.Pointer || g.Line != w.Line || g.Col != w.Col || !strings.Contains(g.Msg, w.Msg) {
					t.Errorf("diagnostic %d = %+v, want %+v", i, g, w)
				}
			}
			if (doc.Root != nil) != tt.root {
				t.Errorf("Root = %v, want root: %v", doc.Root, tt.root)
			}
		})
	}
}

func TestParseSizeLimit(t *testing.T) {
	_, diags := Parse("f.json", []byte(`{"a": "0123456789"}`), ParseOptions{MaxSize: 10})
	if len(diags) != 1 || diags[0].Rule != RuleLimit || !strings.Contains(diags[0].Message, "larger than the limit of 10 bytes") {
		t.Fatalf("diags = %v", diags)
	}
}

func TestParseMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`{"a": 1, "b": [true, false, null], "c": {"d": "e\n\t\"\\\/\b\f\r"}}`,
		`{"u": "\u00e9\u20ac\ud83d\ude00", "lone": "\ud800x", "n": -12.5e-3}`,
		`[]`, `{}`, `"s"`, `0`, `[[[]]]`,
		`{"k": "x", "k": "y"}`,
	}
	for _, in := range inputs {
		doc, diags := Parse("f", []byte(in), ParseOptions{})
		if doc.Root == nil {
			t.Fatalf("Parse(%q) failed: %v", in, diags)
		}
		var want any
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, doc.Root.Interface()); diff != "" {
			t.Errorf("Parse(%q) tree differs from encoding/json (-want +got):\n%s", in, diff)
		}
	}
}

func TestNodeSpansAndOrder(t *testing.T) {
	src := "{\n  \"z\": {\"unknown\": [1, 2]},\n  \"a\": \"x\",\n  \"m\": null\n}\n"
	doc, diags := Parse("f", []byte(src), ParseOptions{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	var keys []string
	for _, m := range doc.Root.Members {
		keys = append(keys, m.Key)
		if got := src[m.KeyStart:m.KeyEnd]; got != `"`+m.Key+`"` {
			t.Errorf("key span of %s = %q", m.Key, got)
		}
	}
	if diff := cmp.Diff([]string{"z", "a", "m"}, keys); diff != "" {
		t.Errorf("member order (-want +got):\n%s", diff)
	}
	for ptr, want := range map[string]string{
		"":             strings.TrimSpace(src),
		"/z":           `{"unknown": [1, 2]}`,
		"/z/unknown/1": "2",
		"/a":           `"x"`,
		"/m":           "null",
	} {
		n := doc.Root.Lookup(ptr)
		if n == nil {
			t.Errorf("Lookup(%q) = nil", ptr)
			continue
		}
		if got := string(doc.Text(n)); got != want {
			t.Errorf("Text(Lookup(%q)) = %q, want %q", ptr, got, want)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "\uFEFF{\n\t\"naïve\": {\"x\": \"é\", \"y\": 1}\n}"
	doc, _ := Parse("p.json", []byte(src), ParseOptions{})
	tests := []struct {
		ptr       string
		line, col int
		str       string
	}{
		{"", 1, 1, "p.json:1:1"},
		{"/naïve", 2, 11, "p.json:2:11"},
		{"/naïve/y", 2, 27, "p.json:2:27"},
		{"/naïve/missing", 2, 11, "p.json:2:11"}, // nearest ancestor
	}
	for _, tt := range tests {
		p := doc.Position(tt.ptr)
		if p.Line != tt.line || p.Col != tt.col || p.Pointer != tt.ptr || p.String() != tt.str {
			t.Errorf("Position(%q) = %+v (%s), want %d:%d %s", tt.ptr, p, p, tt.line, tt.col, tt.str)
		}
	}
	if kp := doc.KeyPosition("/naïve/y"); kp.Line != 2 || kp.Col != 22 {
		t.Errorf("KeyPosition = %+v, want 2:22", kp)
	}
	if got := (Position{File: "f", Pointer: "/a"}).String(); got != "f#/a" {
		t.Errorf("String without line = %q", got)
	}
	if got := (Position{}).String(); got != "-" {
		t.Errorf("zero Position String = %q", got)
	}
}

func TestPointers(t *testing.T) {
	tests := []struct {
		tokens []string
		ptr    string
	}{
		{nil, ""},
		{[]string{"a"}, "/a"},
		{[]string{"a/b", "c~d", ""}, "/a~1b/c~0d/"},
		{[]string{"~1"}, "/~01"},
	}
	for _, tt := range tests {
		if got := JoinPointer(tt.tokens...); got != tt.ptr {
			t.Errorf("JoinPointer(%q) = %q, want %q", tt.tokens, got, tt.ptr)
		}
		got, err := SplitPointer(tt.ptr)
		if err != nil || !cmp.Equal(got, tt.tokens) {
			t.Errorf("SplitPointer(%q) = %q, %v, want %q", tt.ptr, got, err, tt.tokens)
		}
	}
	for _, bad := range []string{"a", "/~2", "/~"} {
		if _, err := SplitPointer(bad); err == nil {
			t.Errorf("SplitPointer(%q) succeeded, want an error", bad)
		}
	}
	if got := ParentPointer("/a/b"); got != "/a" {
		t.Errorf("ParentPointer = %q", got)
	}
}

func TestApplyEdits(t *testing.T) {
	src := []byte(`{"a": "x", "b": 1}`)
	got, err := ApplyEdits(src, []Edit{{Start: 16, End: 17, Text: "2"}, {Start: 6, End: 9, Text: `"y"`}})
	if err != nil || string(got) != `{"a": "y", "b": 2}` {
		t.Fatalf("ApplyEdits = %q, %v", got, err)
	}
	if !bytes.Equal(src, []byte(`{"a": "x", "b": 1}`)) {
		t.Error("ApplyEdits modified its input")
	}
	if _, err := ApplyEdits(src, []Edit{{Start: 1, End: 5}, {Start: 3, End: 6}}); err == nil {
		t.Error("overlapping edits accepted")
	}
}

func TestDetectSchemaVersion(t *testing.T) {
	tests := []struct {
		in   string
		want SchemaVersion
		diag string
	}{
		{`{"schema_version": "4.1"}`, V41, ""},
		{`{"schema_version": "3.2"}`, "3.2", ""},
		{`{"schema_version": "3"}`, V3, ""},
		{`{"components": {}}`, V3, ""},
		{`{}`, V3, ""},
		{`{"schema_version": "5"}`, "", `unknown schema version "5"`},
		{`{"schema_version": 4.1}`, V41, "must be a string"},
		{`{"schema_version": true}`, "", "must be a string"},
		{`{"permissions": {}}`, V41, "missing \"schema_version\""},
	}
	for _, tt := range tests {
		doc, _ := Parse("f", []byte(tt.in), ParseOptions{})
		v, d := DetectSchemaVersion(doc)
		if v != tt.want {
			t.Errorf("DetectSchemaVersion(%s) = %q, want %q", tt.in, v, tt.want)
		}
		switch {
		case tt.diag == "" && d != nil:
			t.Errorf("DetectSchemaVersion(%s) diagnostic %q, want none", tt.in, d.Message)
		case tt.diag != "" && (d == nil || !strings.Contains(d.Message, tt.diag)):
			t.Errorf("DetectSchemaVersion(%s) diagnostic %v, want %q", tt.in, d, tt.diag)
		}
	}
}

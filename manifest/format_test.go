package manifest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		reorder bool
	}{
		{"empty object", `{}`, "{}\n", false},
		{"empty containers", `{"a":{},"b":[]}`, "{\n  \"a\": {},\n  \"b\": []\n}\n", false},
		{"numbers as written", `{"a":1.0,"b":1e5,"c":-0,"d":12345678901234567890}`,
			"{\n  \"a\": 1.0,\n  \"b\": 1e5,\n  \"c\": -0,\n  \"d\": 12345678901234567890\n}\n", false},
		{"strings minimal", `{"s":"\u0041\/\u00e9\n\"\\\u0001\t"}`, "{\n  \"s\": \"A/é\\n\\\"\\\\\\u0001\\t\"\n}\n", false},
		{"lone surrogate kept", `{"s":"\ud800x"}`, "{\n  \"s\": \"\\ud800x\"\n}\n", false},
		// Two names that decode to the same U+FFFD stay two (issue 9).
		{"lone surrogate member names kept", `{"\ud800":1,"\udc00":2,"\u00e9":3}`, "{\n  \"\\ud800\": 1,\n  \"\\udc00\": 2,\n  \"é\": 3\n}\n", false},
		{"html not escaped", `{"s":"<a&b>"}`, "{\n  \"s\": \"<a&b>\"\n}\n", false},
		{"literals", `[true,false,null]`, "[\n  true,\n  false,\n  null\n]\n", false},
		{"scalar root", `"x"`, "\"x\"\n", false},
		{"bom dropped", "\uFEFF{}", "{}\n", false},
		{"crlf kept", "{\r\n\"a\" : [1,\r\n2]\r\n}\r\n", "{\r\n  \"a\": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n", false},
		{"lf after a lone cr", "{\"a\":\"\\r\",\n\"b\":{}}", "{\n  \"a\": \"\\r\",\n  \"b\": {}\n}\n", false},
		{"order kept", `{"x":1,"permissions":{},"components":{},"app_manifest":{},"schema_version":"3"}`,
			"{\n  \"x\": 1,\n  \"permissions\": {},\n  \"components\": {},\n  \"app_manifest\": {},\n  \"schema_version\": \"3\"\n}\n", false},
		{"one-line lists kept", "{\"required\": [\"a\",\"b\"], \"p\": {\"a\":{\"name\":\"A\" ,\"type\":\"string\"}},\n\"e\": {\"x\": [], \"y\": {}}}",
			"{\n  \"required\": [\"a\", \"b\"],\n  \"p\": {\n    \"a\": {\"name\": \"A\", \"type\": \"string\"}\n  },\n  \"e\": {\"x\": [], \"y\": {}}\n}\n", false},
		{"multi-line lists expanded", "{\"r\": [\"a\",\n\"b\"]}", "{\n  \"r\": [\n    \"a\",\n    \"b\"\n  ]\n}\n", false},
		{"top level never one line", `{"a":1,"b":"c"}`, "{\n  \"a\": 1,\n  \"b\": \"c\"\n}\n", false},
		{"3.x install page first", `{"post_installation_instruction":{"notes":"n","page":{"url":"https://x"}}}`,
			"{\n  \"post_installation_instruction\": {\n    \"page\": {\"url\": \"https://x\"},\n    \"notes\": \"n\"\n  }\n}\n", true},
		{"4.1 side panel first", `{"schema_version":"4.1","fullscreen":{},"sidepanel":{}}`,
			"{\n  \"schema_version\": \"4.1\",\n  \"sidepanel\": {},\n  \"fullscreen\": {}\n}\n", true},
		{"root order", `{"x":1,"permissions":{},"components":{},"app_manifest":{},"schema_version":"3","post_installation_instruction":{}}`,
			"{\n  \"schema_version\": \"3\",\n  \"app_manifest\": {},\n  \"post_installation_instruction\": {},\n  \"components\": {},\n  \"permissions\": {},\n  \"x\": 1\n}\n", true},
		{"unknown keep order", `{"z":1,"b":2,"schema_version":"4.1","a":3}`,
			"{\n  \"schema_version\": \"4.1\",\n  \"z\": 1,\n  \"b\": 2,\n  \"a\": 3\n}\n", true},
		{"duplicates kept in order", `{"b":1,"schema_version":"4.1","b":2}`,
			"{\n  \"schema_version\": \"4.1\",\n  \"b\": 1,\n  \"b\": 2\n}\n", true},
		{"4.1 install", `{"schema_version":"4.1","post_installation_instruction":{"page":{"label":"L","url":"https://x"},"notes":"n"}}`,
			"{\n  \"schema_version\": \"4.1\",\n  \"post_installation_instruction\": {\n    \"notes\": \"n\",\n    \"page\": {\"url\": \"https://x\", \"label\": \"L\"}\n  }\n}\n", true},
		{"tools keep order", `{"permissions":{"project":{"rfi":"readonly","budget":"standard"},"company":{}}}`,
			"{\n  \"permissions\": {\n    \"company\": {},\n    \"project\": {\"rfi\": \"readonly\", \"budget\": \"standard\"}\n  }\n}\n", true},
		{"iframe instance", `{"components":{"iframe":{"instances":[{"configuration":{},"iframe_src":"https://x","uuid":"u","name":"n","extra":1,"type":"fullscreen"}]}}}`,
			"{\n  \"components\": {\n    \"iframe\": {\n      \"instances\": [\n        {\"name\": \"n\", \"type\": \"fullscreen\", \"uuid\": \"u\", \"iframe_src\": \"https://x\", \"configuration\": {}, \"extra\": 1}\n      ]\n    }\n  }\n}\n", true},
		{"config property", `{"sidepanel":{"user_configuration":{"schema":{"properties":{"b":{"support_link":{"label":"l","url":"https://h"},"type":"string","name":"B"},"a":{}},"type":"object"}},"source_url":"https://s"}}`,
			"{\n  \"sidepanel\": {\n    \"source_url\": \"https://s\",\n    \"user_configuration\": {\n      \"schema\": {\n        \"type\": \"object\",\n        \"properties\": {\n          \"b\": {\n            \"name\": \"B\",\n            \"type\": \"string\",\n            \"support_link\": {\"url\": \"https://h\", \"label\": \"l\"}\n          },\n          \"a\": {}\n        }\n      }\n    }\n  }\n}\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := Parse("in.json", []byte(tt.in), ParseOptions{})
			got, err := FormatWith(doc, FormatOptions{Reorder: tt.reorder})
			if err != nil {
				t.Fatalf("Format(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Format(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			checkFormatted(t, tt.in, []byte(tt.in), got)
			if !tt.reorder {
				return
			}
			// Layout only: the same members in the order written.
			plain, err := Format(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(plain, got) {
				var keys func(n *Node) []string
				keys = func(n *Node) []string {
					var out []string
					for _, m := range n.Members {
						out = append(out, m.Key)
						out = append(out, keys(m.Value)...)
					}
					for _, e := range n.Elems {
						out = append(out, keys(e)...)
					}
					return out
				}
				pd, _ := Parse("plain.json", plain, ParseOptions{})
				if diff := cmp.Diff(keys(doc.Root), keys(pd.Root)); diff != "" {
					t.Errorf("Format(%q) changed the member order (-in +out):\n%s", tt.in, diff)
				}
			}
		})
	}
}

func TestFormatRefuses(t *testing.T) {
	for _, in := range []string{"", "{", `{"a":1,}`, "{\"s\":\"\xff\"}"} {
		doc, _ := Parse("in.json", []byte(in), ParseOptions{})
		if got, err := Format(doc); err == nil {
			t.Errorf("Format(%q) = %q, want an error", in, got)
		}
	}
	if _, err := Format(nil); err == nil {
		t.Errorf("Format(nil) succeeded, want an error")
	}
}

func TestCanonicalOrder(t *testing.T) {
	tests := []struct {
		ptr  string
		want []string
	}{
		{"", canonicalOrder[secRoot]},
		{"/components/iframe/instances/3", canonicalOrder[secIframeInstance]},
		{"/components/oauth/instances/0/permissions", canonicalOrder[secPermissions]},
		{"/sidepanel/user_configuration/schema/properties/x~1y", canonicalOrder[secConfigProperty]},
		{"/fullscreen/user_configuration/schema/properties/x/support_link", canonicalOrder[secSupportLink]},
		{"/permissions/company", nil},
		{"/unknown", nil},
	}
	for _, tt := range tests {
		got := CanonicalOrder(tt.ptr)
		if len(tt.want) == 0 && len(got) == 0 {
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("CanonicalOrder(%q) mismatch (-want +got):\n%s", tt.ptr, diff)
		}
	}
}

// checkFormatted checks that formatted output is a fixed point of Format
// and holds the same values as the input.
func checkFormatted(t *testing.T, name string, in, out []byte) {
	t.Helper()
	doc2, diags := Parse(name, out, ParseOptions{})
	dups := 0
	for _, d := range diags {
		if d.Rule != RuleDuplicateKey && d.Rule != RuleNumberRange {
			t.Fatalf("%s: formatted output does not parse: %v", name, d)
		}
		if d.Rule == RuleDuplicateKey {
			dups++
		}
	}
	// Two member names never become one (lone surrogate escapes decode
	// to the same U+FFFD).
	_, inDiags := Parse(name, in, ParseOptions{})
	inDups := 0
	for _, d := range inDiags {
		if d.Rule == RuleDuplicateKey {
			inDups++
		}
	}
	if dups != inDups {
		t.Errorf("%s: %d duplicate keys before formatting, %d after:\n%s", name, inDups, dups, out)
	}
	again, err := Format(doc2)
	if err != nil {
		t.Fatalf("%s: Format of formatted output: %v", name, err)
	}
	if !bytes.Equal(again, out) {
		t.Errorf("%s: Format is not idempotent (-first +second):\n%s", name, cmp.Diff(string(out), string(again)))
	}
	doc1, _ := Parse(name, in, ParseOptions{})
	if diff := cmp.Diff(doc1.Root.Interface(), doc2.Root.Interface()); diff != "" {
		t.Errorf("%s: formatting changed values (-in +out):\n%s", name, diff)
	}
}

// TestFormatTestdata formats every *.json file under the repository's
// testdata tree, and every manifest.json section of its txtar cases, and
// checks that formatting is idempotent and never changes a value.
func TestFormatTestdata(t *testing.T) {
	root := filepath.Join("..", "testdata")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var inputs [][]byte
		switch {
		case strings.HasSuffix(path, ".json"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			inputs = append(inputs, b)
		case strings.HasSuffix(path, ".txtar"):
			ar, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".json") {
					inputs = append(inputs, f.Data)
				}
			}
		}
		for _, in := range inputs {
			doc, _ := Parse(path, in, ParseOptions{})
			out, err := Format(doc)
			if err != nil {
				continue // not JSON on purpose (syntax error fixtures)
			}
			n++
			checkFormatted(t, path, in, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("no JSON files under testdata yet")
	}
	t.Logf("formatted %d documents", n)
}

// TestFormatExamplesUntouched checks that every example manifest shipped
// in testdata/examples, Procore's documentation examples included, is
// already in the layout fmt writes: fmt changes none of their bytes.
func TestFormatExamplesUntouched(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "examples", "*.json"))
	if len(files) == 0 {
		t.Fatal("no examples under testdata/examples")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := Parse(f, src, ParseOptions{})
		out, err := Format(doc)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if diff := cmp.Diff(string(src), string(out)); diff != "" {
			t.Errorf("%s: fmt changes it (-file +fmt):\n%s", f, diff)
		}
	}
}

// FuzzFormat checks, for any document that parses, that Format and
// FormatWith(Reorder) keep every value, are idempotent, and that Format
// keeps the member order.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{`{"a":[1,2],"b":{"c":"d"}}`, "{\r\n\"x\": [\"y\"]\r\n}", `{"schema_version":"3","post_installation_instruction":{"notes":"n","page":{}}}`,
		`[ {"k": [] , "l": {}} ]`, `{"s":"\ud800","t":"\u00e9"}`,
		"{}", `{"a":[1,{"b":"\u00e9\ud800"}],"schema_version":"3"}`, "\uFEFF[]", `{"a":1,"a":2}`, `{"\ud800":1,"\ud801":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<14 {
			t.Skip()
		}
		doc, _ := Parse("f", src, ParseOptions{})
		for _, reorder := range []bool{false, true} {
			out, err := FormatWith(doc, FormatOptions{Reorder: reorder})
			if err != nil {
				return
			}
			doc2, diags := Parse("f", out, ParseOptions{})
			if doc2.Root == nil {
				t.Fatalf("formatted output does not parse: %v\n%s", diags, out)
			}
			if !reflect.DeepEqual(doc.Root.Interface(), doc2.Root.Interface()) {
				t.Fatalf("formatting changed values:\n%s\n%s", src, out)
			}
			again, err := FormatWith(doc2, FormatOptions{Reorder: reorder})
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("not idempotent (reorder %v):\n%s\n%s", reorder, out, again)
			}
			if !reorder && memberKeys(doc.Root) != memberKeys(doc2.Root) {
				t.Fatalf("Format changed the member order:\n%s\n%s", src, out)
			}
		}
	})
}

// memberKeys lists every key of n in document order.
func memberKeys(n *Node) string {
	var b strings.Builder
	var walk func(n *Node)
	walk = func(n *Node) {
		for _, m := range n.Members {
			b.WriteString(m.Key + "\x00")
			walk(m.Value)
		}
		for _, e := range n.Elems {
			walk(e)
		}
	}
	walk(n)
	return b.String()
}

func TestFormatSource(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		walked   bool
		want     string
		findings []string // rule IDs
		skip     bool
	}{
		{"manifest", `{"schema_version":"4.1","app_manifest":{"version":"1.0.0"}}`, false,
			// An object of plain values written on one line stays on one.
			"{\n  \"schema_version\": \"4.1\",\n  \"app_manifest\": {\"version\": \"1.0.0\"}\n}\n", nil, false},
		{"named non-manifest", `{"name":"pkg"}`, false, "", []string{"MC008"}, false},
		{"walked non-manifest", `{"name":"pkg"}`, true, "", nil, true},
		{"walked broken non-manifest", `{"compilerOptions": // x`, true, "", nil, true},
		{"walked broken manifest", `{"schema_version": "4.1",`, true, "", []string{"MC001"}, false},
		{"named broken", `{"schema_version": `, false, "", []string{"MC001"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, findings, skip := FormatSource("m.json", []byte(tt.src), tt.walked, FormatOptions{})
			var rules []string
			for _, d := range findings {
				rules = append(rules, d.Rule)
			}
			if string(out) != tt.want || skip != tt.skip || strings.Join(rules, ",") != strings.Join(tt.findings, ",") {
				t.Errorf("FormatSource(%q, walked %v) = %q, %v, skip %v; want %q, %v, skip %v", tt.src, tt.walked, out, rules, skip, tt.want, tt.findings, tt.skip)
			}
			if (out == nil) == (tt.want != "") {
				t.Errorf("out nil = %v, want %v", out == nil, tt.want == "")
			}
		})
	}
}

package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/manifestctl/manifestctl/manifest"
)

// pair is one schema compiled both ways.
type pair struct {
	name     string
	native   *compiled
	oracle   *oracle
	collapse bool // the schema has anyOf or oneOf: compare leaf pointers only with the mapper
}

func pairs(t testing.TB) []pair {
	t.Helper()
	var out []pair
	add := func(name string, src []byte, collapse bool) {
		n, err := compileSource(BaseURL+name, src, loadEmbedded)
		if err != nil {
			t.Fatalf("compileSource(%s): %v", name, err)
		}
		o, err := compileOracle(BaseURL+name, src)
		if err != nil {
			t.Fatalf("compileOracle(%s): %v", name, err)
		}
		out = append(out, pair{name, n, o, collapse})
	}
	for _, v := range []manifest.SchemaVersion{manifest.V3, manifest.V41} {
		src, err := Source(v)
		if err != nil {
			t.Fatal(err)
		}
		add(fileName(v), src, false)
	}
	add("alternatives.json", alternativesSchema, true)
	return out
}

// compare checks that the native validator and the oracle agree on doc:
// the same diagnostics (rule, position, pointer, message, order) and, for
// our own schemas, problems at exactly the instance pointers where
// jsonschema/v5 finds a failed keyword (modulo the documented filtering).
// Inputs the oracle cannot judge are skipped.
func compare(t *testing.T, p pair, name string, doc *manifest.Document) {
	t.Helper()
	got := p.native.validate(doc)
	if hasEmptyKey(doc.Root) {
		// jsonschema/v5 leaves an empty member name out of instance
		// locations ("/a//b" becomes "/a/b"), so the oracle's pointers are
		// wrong there; the native validator's are right.
		return
	}
	want, ok := oracleValidate(p.oracle, doc)
	if !ok {
		return
	}
	if diff := cmp.Diff(findings(want), findings(got)); diff != "" {
		t.Fatalf("%s against %s: native differs from the jsonschema/v5 oracle (-oracle +native):\n%s\ninput:\n%s", name, p.name, diff, doc.Src)
	}
	if p.collapse {
		return
	}
	leaves, err := p.oracle.leafPointers(doc)
	if err != nil {
		t.Fatalf("%s against %s: %v", name, p.name, err)
	}
	var wantPtrs, gotPtrs []string
	for ptr := range leaves {
		wantPtrs = append(wantPtrs, ptr)
	}
	for _, d := range got {
		if !slices.Contains(gotPtrs, d.Pos.Pointer) {
			gotPtrs = append(gotPtrs, d.Pos.Pointer)
		}
	}
	sort.Strings(wantPtrs)
	sort.Strings(gotPtrs)
	if diff := cmp.Diff(wantPtrs, gotPtrs); diff != "" {
		t.Fatalf("%s against %s: native reports problems at other pointers than jsonschema/v5 (-oracle +native):\n%s\ninput:\n%s", name, p.name, diff, doc.Src)
	}
}

func hasEmptyKey(n *manifest.Node) bool {
	for _, m := range n.Members {
		if m.Key == "" || hasEmptyKey(m.Value) {
			return true
		}
	}
	for _, e := range n.Elems {
		if hasEmptyKey(e) {
			return true
		}
	}
	return false
}

// oracleValidate runs the oracle; ok is false when jsonschema/v5 cannot
// judge the input (it panics on "integer" checks of numbers big.Rat does
// not parse, such as 1e99999999999).
func oracleValidate(o *oracle, doc *manifest.Document) (diags []manifest.Diagnostic, ok bool) {
	defer func() {
		if recover() != nil {
			diags, ok = nil, false
		}
	}()
	return o.validate(doc), true
}

// input is one manifest of the differential corpus.
type input struct {
	name string
	src  []byte
}

// corpus returns every JSON manifest under testdata and the rule cases
// (manifest/lint/testdata): the *.json files and the *.json sections of
// the txtar files.
func corpus(t testing.TB) []input {
	t.Helper()
	var out []input
	for _, root := range []string{filepath.Join("..", "testdata"), filepath.Join("..", "manifest", "lint", "testdata")} {
		if err := walkCorpus(root, &out); err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 50 {
		t.Fatalf("found %d manifests under testdata, want the whole corpus", len(out))
	}
	return out
}

func walkCorpus(root string, out *[]input) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(path, ".json"):
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			*out = append(*out, input{path, src})
		case strings.HasSuffix(path, ".txtar"):
			a, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".json") {
					*out = append(*out, input{path + ":" + f.Name, f.Data})
				}
			}
		}
		return nil
	})
}

// replacements are the values a mutation puts in place of a value.
var replacements = []string{
	`null`, `true`, `0`, `1.5`, `-3e2`, `1.0`, `25e-1`, `100e-2`, `""`, `"x"`, `"4.1"`, `"3.2"`,
	`"https://x.example/{{procore.company.id}}"`, `"http://x.example"`, `"HTTPS://X"`,
	`"commitments.detail"`, `"Not A View"`, `"client_credentials"`, `"implicit"`, `"password"`,
	`"sidepanel"`, `"object"`, `"admin"`, `"editor"`,
	`[]`, `["a.b", 1, "B"]`, `[{}]`, `{}`, `{"url": "ftp://x", "label": 1}`,
	`{"instances": [{"grant_type": 2}, {"iframe_src": "x"}]}`,
	`{"type": "object", "required": "a", "properties": {"a": {"name": 1, "support_link": {}}}}`,
	`{"company": {"rfi": "x"}, "project": []}`,
}

// schemaNames returns every member name the schemas give a meaning to,
// and one they do not.
func schemaNames(ps []pair) []string {
	seen := map[*node]bool{}
	names := []string{"x_unknown"}
	var walk func(s *node)
	walk = func(s *node) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, p := range s.props {
			names = append(names, p.name)
			walk(p.schema)
		}
		names = append(names, s.required...)
		walk(s.additional)
		walk(s.items)
		walk(s.ref)
		for _, a := range append(slices.Clone(s.anyOf), s.oneOf...) {
			walk(a)
		}
	}
	for _, p := range ps {
		walk(p.native.schema)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// mutations returns variants of src, each one edit away: every value
// replaced (by every replacement with all, else by two), every member
// renamed away or given a duplicate before or after it, and schema member
// names added to every object.
func mutations(src []byte, names []string, all bool) [][]byte {
	doc, _ := manifest.Parse("m.json", src, manifest.ParseOptions{})
	if doc.Root == nil {
		return nil
	}
	var out [][]byte
	edit := func(start, end int, text string) {
		b := make([]byte, 0, len(src)+len(text))
		b = append(append(append(b, src[:start]...), text...), src[end:]...)
		out = append(out, b)
	}
	pick := func(i int) string { return replacements[i%len(replacements)] }
	i := 0
	var walk func(n *manifest.Node)
	walk = func(n *manifest.Node) {
		i++
		if all {
			for _, r := range replacements {
				edit(n.Start, n.End, r)
			}
		} else {
			edit(n.Start, n.End, pick(i))
			edit(n.Start, n.End, pick(i*7+3))
		}
		switch n.Kind {
		case manifest.Object:
			for k := 0; k < 3; k++ {
				name := names[(i*3+k)%len(names)]
				member := fmt.Sprintf("%q: %s", name, pick(i+k*5))
				if len(n.Members) > 0 {
					member += ", "
				}
				edit(n.Start+1, n.Start+1, member)
			}
			for j, m := range n.Members {
				key := string(src[m.KeyStart:m.KeyEnd])
				edit(m.KeyStart, m.KeyEnd, `"renamed_away"`)
				edit(m.KeyStart, m.KeyStart, key+": "+pick(i+j)+", ")
				edit(m.Value.End, m.Value.End, ", "+key+": "+pick(i+j*3+1))
				walk(m.Value)
			}
		case manifest.Array:
			for _, e := range n.Elems {
				walk(e)
			}
		}
	}
	walk(doc.Root)
	return out
}

func parseInput(src []byte) *manifest.Document {
	doc, _ := manifest.Parse("m.json", src, manifest.ParseOptions{})
	if doc.Root == nil {
		return nil
	}
	return doc
}

// TestNativeMatchesJSONSchema checks the native validator against the
// jsonschema/v5 oracle on every manifest under testdata, one-edit
// mutations of each, and the table cases, with each schema.
func TestNativeMatchesJSONSchema(t *testing.T) {
	ps := pairs(t)
	names := schemaNames(ps)
	var inputs []input
	mutate := func(in input, all bool) {
		inputs = append(inputs, in)
		muts := mutations(in.src, names, all)
		if testing.Short() {
			muts = muts[:min(len(muts), 20)]
		}
		for i, m := range muts {
			inputs = append(inputs, input{fmt.Sprintf("%s (mutation %d)", in.name, i), m})
		}
	}
	for _, in := range corpus(t) {
		mutate(in, false)
	}
	for _, tt := range validateCases {
		mutate(input{"TestValidate/" + tt.name, []byte(tt.src)}, false)
	}
	for i, tt := range alternativesCases {
		mutate(input{fmt.Sprintf("TestAlternatives/%d", i), []byte(tt.src)}, true)
	}
	checked := 0
	for _, in := range inputs {
		doc := parseInput(in.src)
		if doc == nil {
			continue
		}
		for _, p := range ps {
			compare(t, p, in.name, doc)
		}
		checked++
	}
	t.Logf("%d inputs checked against %d schemas", checked, len(ps))
}

// FuzzNativeMatchesJSONSchema checks the native validator against the
// jsonschema/v5 oracle on any input.
func FuzzNativeMatchesJSONSchema(f *testing.F) {
	for _, in := range corpus(f) {
		f.Add(in.src)
	}
	for _, tt := range validateCases {
		f.Add([]byte(tt.src))
	}
	for _, tt := range alternativesCases {
		f.Add([]byte(tt.src))
	}
	ps := pairs(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		doc := parseInput(src)
		if doc == nil {
			return
		}
		for _, p := range ps {
			compare(t, p, "fuzz input", doc)
		}
	})
}

// The compiler supports exactly the keywords it knows how to check; any
// other makes compilation fail, so that a schema edit cannot be silently
// ignored.
func TestCompileRefusesUnsupported(t *testing.T) {
	tests := []struct {
		name, schema, want string
	}{
		{"minLength", `{"properties": {"a": {"type": "string", "minLength": 1}}}`, `keyword "minLength" is not supported`},
		{"allOf", `{"allOf": [{"type": "object"}]}`, `keyword "allOf" is not supported`},
		{"if", `{"if": {}, "then": {}}`, `keyword "if" is not supported`},
		{"format", `{"format": "uri"}`, `keyword "format" is not supported`},
		{"unknown extension", `{"x-message": "m"}`, `keyword "x-message" is not supported`},
		{"misspelt keyword", `{"propertise": {}}`, `keyword "propertise" is not supported`},
		{"in a definition nobody uses", `{"$defs": {"unused": {"maxItems": 2}}}`, `keyword "maxItems" is not supported`},
		{"additionalProperties false", `{"additionalProperties": false}`, `additionalProperties must be a schema object`},
		{"boolean schema", `{"properties": {"a": true}}`, `only object schemas are supported`},
		{"number enum", `{"enum": ["a", 1]}`, `enum values must be strings, booleans or null`},
		{"object const", `{"const": {}}`, `const values must be strings, booleans or null`},
		{"unknown type", `{"type": "text"}`, `type "text" is not a JSON Schema type`},
		{"bad pattern", `{"pattern": "(["}`, `pattern: error parsing regexp`},
		{"message without pattern", `{"x-pattern-message": "m"}`, `x-pattern-message without pattern`},
		{"nested $id", `{"properties": {"a": {"$id": "a.json"}}}`, `$id is only supported at the top`},
		{"draft-07", `{"$schema": "http://json-schema.org/draft-07/schema#"}`, `$schema must be https://json-schema.org/draft/2020-12/schema`},
		{"anchor", `{"$defs": {"a": {}}, "$ref": "#a"}`, `only JSON Pointer fragments are supported`},
		{"dangling $ref", `{"$ref": "#/$defs/missing"}`, `names nothing`},
		{"recursive $ref", `{"properties": {"child": {"$ref": "#"}}}`, `recursive schemas are not supported`},
		{"remote $ref", `{"$ref": "https://example.com/other.json"}`, `is not embedded in manifestctl`},
		{"duplicate keyword", `{"type": "object", "type": "array"}`, `duplicate`},
		{"too deep", `{"items": ` + strings.Repeat(`{"items": `, maxNesting) + `{}` + strings.Repeat(`}`, maxNesting+1), `levels into a value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileSource(BaseURL+"test.json", []byte(tt.schema), loadEmbedded)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("compileSource(%s) = %v, want an error containing %q", tt.schema, err, tt.want)
			}
		})
	}
}

// A $ref to another embedded schema is served from the embedded files.
func TestCompileCrossDocumentRef(t *testing.T) {
	src := []byte(`{"properties": {"u": {"$ref": "v41.json#/$defs/httpsURL"}}}`)
	c, err := compileSource(BaseURL+"test.json", src, loadEmbedded)
	if err != nil {
		t.Fatal(err)
	}
	got := findings(c.validate(parse(t, `{"u": "http://x"}`)))
	want := []finding{{"MC011", "1:7", "/u", `"u" must start with https://`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validate mismatch (-want +got):\n%s", diff)
	}
}

func TestIsInteger(t *testing.T) {
	tests := []struct {
		lit  string
		want bool
	}{
		{"0", true}, {"-0", true}, {"0.0", true}, {"0e-5", true}, {"7", true}, {"-12", true},
		{"1.0", true}, {"1.50", false}, {"1.5", false}, {"1e3", true}, {"1E+3", true},
		{"100e-2", true}, {"100e-3", false}, {"1.25e2", true}, {"1.255e2", false},
		{"12300e-2", true}, {"1e-1", false}, {"1e99999999999", true}, {"1e-99999999999", false},
		{"0.000e99999999999", true},
	}
	for _, tt := range tests {
		if got := isInteger(tt.lit); got != tt.want {
			t.Errorf("isInteger(%s) = %v, want %v", tt.lit, got, tt.want)
		}
	}
}

// Compiling a schema is what the first validation of a process pays.
func BenchmarkCompile(b *testing.B) {
	for _, v := range []manifest.SchemaVersion{manifest.V3, manifest.V41} {
		b.Run(string(v), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := compile(fileName(v)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompileJSONSchema measures the same for the jsonschema/v5
// oracle, for comparison (its meta-schemas were compiled at package
// initialisation, before this runs).
func BenchmarkCompileJSONSchema(b *testing.B) {
	for _, v := range []manifest.SchemaVersion{manifest.V3, manifest.V41} {
		b.Run(string(v), func(b *testing.B) {
			src, err := Source(v)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := compileOracle(BaseURL+fileName(v), src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package lint

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/manifestctl/manifestctl/manifest"
)

// TestMC204Columns checks that each unknown variable is reported at its
// own column, in URL order, also when the URL is written with escapes.
func TestMC204Columns(t *testing.T) {
	for _, tt := range []struct {
		name, url string
		cols      []int
	}{
		{"plain", `https://{{b}}.example.com/{{a}}`, []int{60, 78}},
		{"escapes before", `https:\/\/{{b}}.ex\u00e9.com/{{a}}`, []int{62, 81}},
		{"surrogate pair", `https://x.com/\ud83d\ude00/{{a}}`, []int{79}},
		{"repeated: the first", `https://x.com/{{a}}/{{a}}`, []int{66}},
		{"malformed first", `https://x.com/{{a/{{b}}`, []int{66, 70}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The URL starts at column 52.
			src := `{"schema_version":"4.1","sidepanel":{"source_url":"` + tt.url + `"}}`
			doc, _ := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
			app := manifest.View(doc, "4.1")
			var cols []int
			for _, d := range Run(app, nil) {
				if d.Rule == "MC204" {
					cols = append(cols, d.Pos.Col)
				}
			}
			if fmt.Sprint(cols) != fmt.Sprint(tt.cols) {
				t.Errorf("MC204 columns = %v, want %v", cols, tt.cols)
			}
		})
	}
}

// FuzzSourceOffset checks that sourceOffset maps every character of a
// decoded string to the source text that decodes to the same prefix, for
// any JSON string literal (escapes included).
func FuzzSourceOffset(f *testing.F) {
	for _, s := range []string{`"https://{{a}}/x"`, `"\u00e9\/{{b}}"`, `"\ud83d\ude00{{c}}"`, `"a\nb\"c"`, `"\ud800x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lit string) {
		src := []byte(`{"u":` + lit + `}`)
		doc, _ := manifest.Parse("f", src, manifest.ParseOptions{})
		if doc.Root == nil {
			return
		}
		n := doc.Root.Get("u")
		if n == nil || n.Kind != manifest.String || strings.ContainsRune(n.Str, utf8.RuneError) {
			return // lone surrogates decode to U+FFFD: offsets are not comparable
		}
		prev := n.Start + 1
		for i := range n.Str { // rune boundaries
			off, ok := sourceOffset(src, n, i)
			if !ok || off < prev || off > n.End-1 {
				t.Fatalf("sourceOffset(%q, %d) = %d, %v", lit, i, off, ok)
			}
			prev = off
			var got string
			if err := json.Unmarshal(append(append([]byte(nil), src[n.Start:off]...), '"'), &got); err != nil || got != n.Str[:i] {
				t.Fatalf("%q: offset %d of %d decodes to %q (%v), want %q", lit, off, i, got, err, n.Str[:i])
			}
		}
	})
}

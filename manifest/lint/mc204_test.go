package lint

import (
	"fmt"
	"testing"

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

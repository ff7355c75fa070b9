package lint_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/docs"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/validate"
)

// notValidated are the rules whose page examples are not manifests that
// validate reads on their own, and the test that covers them instead.
var notValidated = map[string]string{
	"MC020": "the examples are .manifestctl.json files: internal/config's TestIgnores",
	"MC403": "the examples are pairs of manifests: release's version check tests",
	"MC404": "the examples are pairs of manifests: release's version check tests",
}

// describedBytes are the rules whose Bad example describes bytes a page
// cannot hold; the rule case named here holds them. Their Good examples
// are run.
var describedBytes = map[string]string{
	"MC002": "testdata/MC002/latin1-notes.txtar (a Latin-1 byte)",
	"MC004": "testdata/MC004/bom.txtar (a byte-order mark)",
	"MC006": "testdata/MC006 (129 nested arrays)",
}

// jsonBlock matches a fenced ```json block of a rule page.
var jsonBlock = regexp.MustCompile("(?ms)^```json\n(.*?)^```\n")

// pageExamples returns the ```json blocks of the page's "## Bad" and
// "## Good" sections.
func pageExamples(page string) (bad, good []string) {
	for _, section := range strings.Split(page, "\n## ")[1:] {
		heading, body, _ := strings.Cut(section, "\n")
		var blocks []string
		for _, m := range jsonBlock.FindAllStringSubmatch(body, -1) {
			blocks = append(blocks, m[1])
		}
		switch strings.TrimSpace(heading) {
		case "Bad":
			bad = append(bad, blocks...)
		case "Good":
			good = append(good, blocks...)
		}
	}
	return bad, good
}

// TestDocExamples validates every example of every rule page: each Bad
// example triggers the page's rule, no Good example does.
func TestDocExamples(t *testing.T) {
	for _, r := range lint.All() {
		t.Run(r.ID, func(t *testing.T) {
			if why, ok := notValidated[r.ID]; ok {
				t.Skipf("covered elsewhere: %s", why)
			}
			page, err := fs.ReadFile(docs.Rules, "rules/"+r.ID+".md")
			if err != nil {
				t.Fatal(err)
			}
			bad, good := pageExamples(string(page))
			if len(bad)+len(good) == 0 {
				t.Fatal("no ```json example in the Bad and Good sections")
			}
			if _, ok := describedBytes[r.ID]; ok {
				bad = nil
			}
			for i, src := range bad {
				if diags := ruleDiags(r.ID, src); len(diags) == 0 {
					t.Errorf("Bad example %d does not trigger %s:\n%s", i+1, r.ID, src)
				}
			}
			for i, src := range good {
				if diags := ruleDiags(r.ID, src); len(diags) > 0 {
					t.Errorf("Good example %d triggers %s: %s\n%s", i+1, r.ID, strings.Join(diags, "; "), src)
				}
			}
		})
	}
}

// ruleDiags validates src and returns the findings of rule id.
func ruleDiags(id, src string) []string {
	var out []string
	for _, d := range validate.Bytes("manifest.json", []byte(src), nil).Diagnostics {
		if d.Rule == id {
			out = append(out, fmt.Sprintf("%s %s", d.Pos, d.Message))
		}
	}
	return out
}

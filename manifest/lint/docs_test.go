package lint_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/docs"
	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/release"
	"github.com/manifestctl/manifestctl/validate"
)

// versionCheck are the rules `manifestctl version check` reports: their
// examples compare a previous release with a new manifest.
var versionCheck = map[string]bool{"MC403": true, "MC404": true}

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
			page, err := fs.ReadFile(docs.Rules, "rules/"+r.ID+".md")
			if err != nil {
				t.Fatal(err)
			}
			bad, good := pageExamples(string(page))
			if len(bad)+len(good) == 0 {
				t.Fatal("no ```json example in the Bad and Good sections")
			}
			if versionCheck[r.ID] {
				checkVersionExamples(t, r.ID, bad, good)
				return
			}
			diags := ruleDiags
			if r.ID == lint.RuleConfig { // the examples are .manifestctl.json files
				diags = func(id, src string) []string { return configDiags(t, src) }
			}
			if _, ok := describedBytes[r.ID]; ok {
				bad = nil
			}
			for i, src := range bad {
				if diags := diags(r.ID, src); len(diags) == 0 {
					t.Errorf("Bad example %d does not trigger %s:\n%s", i+1, r.ID, src)
				}
			}
			for i, src := range good {
				if diags := diags(r.ID, src); len(diags) > 0 {
					t.Errorf("Good example %d triggers %s: %s\n%s", i+1, r.ID, strings.Join(diags, "; "), src)
				}
			}
		})
	}
}

// checkVersionExamples runs version check on a page's examples: each
// section is a previous release and a new manifest; a Good section may
// give the new manifest alone, compared with the Bad section's previous
// release.
func checkVersionExamples(t *testing.T, id string, bad, good []string) {
	t.Helper()
	if len(bad) != 2 || len(good) < 1 || len(good) > 2 {
		t.Fatalf("version check examples: %d Bad and %d Good blocks, want 2 and 1 or 2", len(bad), len(good))
	}
	prev := bad[0]
	if len(good) == 2 {
		prev = good[0]
	}
	if got := checkDiags(t, id, bad[0], bad[1]); len(got) == 0 {
		t.Errorf("Bad example does not trigger %s", id)
	}
	if got := checkDiags(t, id, prev, good[len(good)-1]); len(got) > 0 {
		t.Errorf("Good example triggers %s: %s", id, strings.Join(got, "; "))
	}
}

// checkDiags runs version check (release.Compare, release.Check) and
// returns the findings of rule id.
func checkDiags(t *testing.T, id, oldSrc, newSrc string) []string {
	t.Helper()
	app := func(src string) *manifest.App {
		doc, diags := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
		v, d := manifest.DetectSchemaVersion(doc)
		if len(diags) > 0 || d != nil {
			t.Fatalf("example does not parse: %v %v\n%s", diags, d, src)
		}
		return manifest.View(doc, v)
	}
	oldApp, newApp := app(oldSrc), app(newSrc)
	res := release.Check(release.Compare("old.json", oldApp, "new.json", newApp, nil), newApp, release.CheckOptions{})
	var out []string
	for _, d := range res.Reasons {
		if d.Rule == id {
			out = append(out, d.Message)
		}
	}
	return out
}

// configDiags reads src as a .manifestctl.json file and returns its own
// findings (MC020) before any run: the ignores without a reason.
func configDiags(t *testing.T, src string) []string {
	t.Helper()
	c, err := config.Parse(".manifestctl.json", []byte(src), config.ParseOptions{})
	if err != nil {
		t.Fatalf("example does not parse: %v\n%s", err, src)
	}
	var out []string
	for _, d := range c.Findings(manifest.SeverityWarning) {
		out = append(out, fmt.Sprintf("%s %s", d.Pos, d.Message))
	}
	return out
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

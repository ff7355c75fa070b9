package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInstallInstructions checks that the README and docs/ci.md give
// install commands that work from a clone (the module is not published)
// and pin versions the way the project is versioned: with no release tag,
// no `go install MODULE@...`, `@v1` or `rev: vX.Y.Z`.
func TestInstallInstructions(t *testing.T) {
	root := filepath.Join("..", "..")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	readme, ci := read("README.md"), read("docs/ci.md")
	for _, want := range []string{"go install ./cmd/manifestctl", "go build -o bin/manifestctl ./cmd/manifestctl"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	tagged := false
	if git, err := exec.LookPath("git"); err == nil {
		out, err := exec.Command(git, "-C", root, "tag", "--list", "v*").Output()
		tagged = err == nil && strings.TrimSpace(string(out)) != ""
	}
	if tagged {
		t.Skip("the repository has release tags: pinning by tag is fine")
	}
	published := regexp.MustCompile(`go install github\.com/manifestctl/manifestctl/cmd/manifestctl@(latest|v\d)`)
	tag := regexp.MustCompile(`(uses: manifestctl/manifestctl@v\d|rev: v\d)`)
	for name, text := range map[string]string{"README.md": readme, "docs/ci.md": ci} {
		for _, re := range []*regexp.Regexp{published, tag} {
			for _, m := range re.FindAllString(text, -1) {
				t.Errorf("%s: %q needs a published module or a release tag; there is none: pin a commit", name, m)
			}
		}
	}
}

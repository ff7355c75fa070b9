package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/manifest/lint"
)

// The text manifestctl ships (rule pages embedded in the binary, help
// texts) is read by users who have only the binary: it must not send them
// to project-internal documents or to documents that do not exist.
var (
	// internalRef matches references to the project's internal research
	// and design notes (a "section N" of them).
	internalRef = regexp.MustCompile(`\bDESIGN(\.md)?\b|(?i:procore-facts)|§\s*\d|\bIMG-[A-Z0-9]+`)
	// docRef matches a named document: a path ending in .md.
	docRef = regexp.MustCompile(`[\w./-]+\.md\b`)
)

// shippedTexts returns every rule page and the --help text of the program
// and of every command, by name.
func shippedTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := make(map[string]string)
	for _, r := range lint.All() {
		page, err := lint.Doc(r.ID)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		texts["rules explain "+r.ID] = page
	}
	var walk func(path []string, cmds []*cli.Command)
	walk = func(path []string, cmds []*cli.Command) {
		for _, c := range cmds {
			p := append(append([]string(nil), path...), c.Name)
			var out, errb bytes.Buffer
			args := append(append([]string{"manifestctl"}, p...), "--help")
			if code := run(args, strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errb.String())
			}
			texts[strings.Join(p, " ")+" --help"] = out.String()
			walk(p, c.Subcommands)
		}
	}
	var out bytes.Buffer
	run([]string{"manifestctl", "--help"}, strings.NewReader(""), &out, &out)
	texts["--help"] = out.String()
	// The embedded JSON Schemas, which editors show as hover text.
	for _, v := range []string{"3", "4.1"} {
		var schema bytes.Buffer
		if code := run([]string{"manifestctl", "schema", "--schema-version", v}, strings.NewReader(""), &schema, &schema); code != 0 {
			t.Fatalf("schema %s: exit %d", v, code)
		}
		texts["schema --schema-version "+v] = schema.String()
	}
	// The tool catalogue, whose notes and source "permissions tools" prints.
	for _, scope := range []string{"company", "project"} {
		var tools bytes.Buffer
		if code := run([]string{"manifestctl", "permissions", "tools", "--scope", scope, "--format", "json"}, strings.NewReader(""), &tools, &tools); code != 0 {
			t.Fatalf("permissions tools --scope %s: exit %d: %s", scope, code, tools.String())
		}
		texts["permissions tools --scope "+scope+" --format json"] = tools.String()
	}
	walk(nil, commands())
	return texts
}

// TestShippedTextSelfContained fails when a rule page or a help text cites
// the project's internal notes (DESIGN.md, procore-facts, "section N") or
// names a document that is not in the repository.
func TestShippedTextSelfContained(t *testing.T) {
	root := filepath.Join("..", "..")
	texts := shippedTexts(t)
	if len(texts) < len(lint.All())+len(commands()) {
		t.Fatalf("only %d texts collected", len(texts))
	}
	for name, text := range texts {
		for _, m := range internalRef.FindAllString(text, -1) {
			t.Errorf("%s cites %q: cite Procore's public documentation or state the fact", name, m)
		}
		for _, m := range docRef.FindAllString(text, -1) {
			if strings.Contains(m, "://") || strings.HasPrefix(m, "//") {
				continue
			}
			p := strings.TrimPrefix(m, "/")
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
				continue
			}
			if _, err := os.Stat(filepath.Join(root, "docs", filepath.FromSlash(p))); err == nil {
				continue
			}
			t.Errorf("%s names %q, which is not in the repository", name, m)
		}
	}
}

// TestShippedTextCheck checks the patterns of the test above on samples,
// so that it cannot pass by matching nothing.
func TestShippedTextCheck(t *testing.T) {
	for _, s := range []string{"see DESIGN.md", "(procore-facts section 4)", "DESIGN §1", "policy of DESIGN section 2", "IMG-V41"} {
		if !internalRef.MatchString(s) {
			t.Errorf("internalRef does not match %q", s)
		}
	}
	for _, s := range []string{"https://developers.procore.com/documentation/x", "the version 4.1 schema", "MC204"} {
		if internalRef.MatchString(s) {
			t.Errorf("internalRef matches %q", s)
		}
	}
	if got := docRef.FindAllString("see docs/rules/MC204.md and notes.md", -1); len(got) != 2 {
		t.Errorf("docRef found %q", got)
	}
}

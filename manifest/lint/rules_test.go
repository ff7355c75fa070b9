package lint_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/manifestctl/manifestctl/docs"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/validate"
)

// rulesDir holds one folder per rule with txtar cases: a manifest.json
// section, a want section of "RULE LINE:COL POINTER REGEXP" lines (the
// pointer "" is written as a lone "-"), an optional options section, and
// an optional fixed.json section: the manifest that applying the fixes
// (validate --fix) must produce. A case of a fixable rule without
// fixed.json must have nothing to fix.
const rulesDir = "testdata"

var idPattern = regexp.MustCompile(`^MC[0-4]\d{2}$`)

// TestRegistry checks the rule catalogue: unique well-formed IDs, a title,
// a Run function for non-built-in rules, a documentation page whose title
// and severity line say what the registry says, and at least one test case
// for every rule.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range lint.All() {
		t.Run(r.ID, func(t *testing.T) {
			if !idPattern.MatchString(r.ID) {
				t.Errorf("ID %q does not match %s", r.ID, idPattern)
			}
			if seen[r.ID] {
				t.Errorf("ID %s registered twice", r.ID)
			}
			seen[r.ID] = true
			if r.Title == "" || len(r.Title) > 60 || strings.HasSuffix(r.Title, ".") || r.Title != strings.ToLower(r.Title[:1])+r.Title[1:] {
				t.Errorf("title %q: want one lowercase line under 60 characters with no final period", r.Title)
			}
			if r.Severity == manifest.SeverityOff {
				t.Errorf("no default severity")
			}
			if r.Run == nil && !r.Builtin {
				t.Errorf("no Run function and not built in")
			}
			page, err := fs.ReadFile(docs.Rules, "rules/"+r.ID+".md")
			if err != nil {
				t.Fatalf("no documentation page: %v", err)
			}
			text := string(page)
			if want := "# " + r.ID + ": " + r.Title + "\n"; !strings.HasPrefix(text, want) {
				first, _, _ := strings.Cut(text, "\n")
				t.Errorf("doc page starts with %q, want the registry's title: %q", first, strings.TrimSpace(want))
			}
			checkSeverityLine(t, r, text)
			for _, section := range []string{"## Bad", "## Good"} {
				if !strings.Contains(text, section) {
					t.Errorf("doc page has no %q section", section)
				}
			}
			cases, _ := filepath.Glob(filepath.Join(rulesDir, r.ID, "*.txtar"))
			if len(cases) == 0 {
				// Rules reported outside validate (version check) document
				// which test covers them in a README instead.
				if _, err := os.Stat(filepath.Join(rulesDir, r.ID, "README")); err != nil || !r.Builtin {
					t.Errorf("no test case %s/%s/*.txtar", rulesDir, r.ID)
				}
			}
		})
	}
	// Every doc page belongs to a registered rule.
	pages, _ := fs.Glob(docs.Rules, "rules/*.md")
	for _, p := range pages {
		id := strings.TrimSuffix(filepath.Base(p), ".md")
		if lint.Lookup(id) == nil {
			t.Errorf("doc page %s has no registered rule", p)
		}
	}
}

// severityLine is a rule page's "Severity: error. Built in (...). Fixable."
// line.
var severityLine = regexp.MustCompile(`(?m)^Severity: (\w+)\.(.*)$`)

// checkSeverityLine checks that the page states the registry's default
// severity, and says "Built in" and "Fixable" exactly when the rule is.
func checkSeverityLine(t *testing.T, r *lint.Rule, page string) {
	t.Helper()
	m := severityLine.FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Errorf("doc page has %d \"Severity: ...\" lines, want 1", len(m))
		return
	}
	if m[0][1] != r.Severity.String() {
		t.Errorf("doc page says severity %s, the registry %s", m[0][1], r.Severity)
	}
	if got := strings.Contains(m[0][2], "Built in"); got != r.Builtin {
		t.Errorf("doc page's severity line says \"Built in\": %v, the registry Builtin: %v", got, r.Builtin)
	}
	if got := strings.Contains(m[0][2], "Fixable."); got != r.Fixable {
		t.Errorf("doc page's severity line says \"Fixable.\": %v, the registry Fixable: %v", got, r.Fixable)
	}
}

type wantDiag struct {
	rule, pointer string
	line, col     int
	msg           *regexp.Regexp
	text          string
}

var update = flag.Bool("update", false, "rewrite the fixed.json sections of the rule cases")

// TestRuleCases runs every testdata/*/*.txtar case through the whole
// pipeline and requires exactly the wanted diagnostics. Each case must
// trigger the rule of its folder, unless its name starts with "good".
// When the fixes change the manifest, the result must be the case's
// fixed.json section (-update writes it).
func TestRuleCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(rulesDir, "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no rule cases found")
	}
	for _, file := range files {
		rel, _ := filepath.Rel(rulesDir, file)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var src, fixed []byte
			var wants []wantDiag
			opts := &validate.Options{}
			haveManifest, haveFixed := false, false
			for _, f := range ar.Files {
				switch f.Name {
				case "manifest.json":
					src, haveManifest = f.Data, true
				case "fixed.json":
					fixed, haveFixed = f.Data, true
				case "want":
					wants = parseWant(t, string(f.Data))
				case "options":
					applyOptions(t, opts, string(f.Data))
				default:
					t.Fatalf("unknown section %q", f.Name)
				}
			}
			if !haveManifest {
				t.Fatal("no manifest.json section")
			}
			res := validate.Bytes("manifest.json", src, opts)
			ruleID := filepath.Base(filepath.Dir(file))
			good := strings.HasPrefix(filepath.Base(file), "good")
			triggered := false
			matched := make([]bool, len(res.Diagnostics))
			for _, w := range wants {
				found := false
				for i, d := range res.Diagnostics {
					if matched[i] || d.Rule != w.rule || d.Pos.Pointer != w.pointer || d.Pos.Line != w.line || d.Pos.Col != w.col || !w.msg.MatchString(d.Message) {
						continue
					}
					matched[i], found = true, true
					break
				}
				if !found {
					t.Errorf("missing diagnostic: %s", w.text)
				}
			}
			for i, d := range res.Diagnostics {
				if d.Rule == ruleID {
					triggered = true
				}
				if !matched[i] {
					t.Errorf("unexpected diagnostic: %s %d:%d %s %s", d.Rule, d.Pos.Line, d.Pos.Col, showPointer(d.Pos.Pointer), d.Message)
				}
			}
			if !good && !triggered {
				t.Errorf("case does not trigger %s (name it good*.txtar if that is intended)", ruleID)
			}
			if good && triggered {
				t.Errorf("good case triggers %s", ruleID)
			}
			checkFixed(t, file, ar, src, opts, fixed, haveFixed)
		})
	}
}

// checkFixed applies the case's fixes as validate --fix does
// (validate.Fix) and compares the result with the fixed.json
// section; with -update it writes the section instead.
func checkFixed(t *testing.T, file string, ar *txtar.Archive, src []byte, opts *validate.Options, fixed []byte, haveFixed bool) {
	t.Helper()
	o := *opts
	o.KeepDocument = true
	got, _, _, err := validate.Fix(validate.Bytes("manifest.json", src, &o), &o)
	if err != nil {
		t.Fatalf("validate.Fix: %v", err)
	}
	if got == nil {
		got = src
	}
	changed := !bytes.Equal(got, src)
	if *update {
		var files []txtar.File
		for _, f := range ar.Files {
			if f.Name != "fixed.json" {
				files = append(files, f)
			}
		}
		if changed {
			files = append(files, txtar.File{Name: "fixed.json", Data: got})
		}
		ar.Files = files
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	switch {
	case changed && !haveFixed:
		t.Errorf("the fixes change the manifest: add a fixed.json section (go test -update):\n%s", got)
	case !changed && haveFixed:
		t.Errorf("fixed.json section, but the case has nothing to fix")
	case changed && !bytes.Equal(got, fixed):
		t.Errorf("fixed manifest:\n%s\nwant (fixed.json):\n%s", got, fixed)
	}
}

func showPointer(p string) string {
	if p == "" {
		return "-"
	}
	return p
}

func parseWant(t *testing.T, text string) []wantDiag {
	t.Helper()
	var out []wantDiag
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.SplitN(line, " ", 4)
		if len(fields) < 3 {
			t.Fatalf("want line %q: want RULE LINE:COL POINTER [REGEXP]", line)
		}
		l, c, ok := strings.Cut(fields[1], ":")
		li, err1 := strconv.Atoi(l)
		ci, err2 := strconv.Atoi(c)
		if !ok || err1 != nil || err2 != nil {
			t.Fatalf("want line %q: bad LINE:COL %q", line, fields[1])
		}
		ptr := fields[2]
		if ptr == "-" {
			ptr = ""
		}
		re := ""
		if len(fields) == 4 {
			re = fields[3]
		}
		rx, err := regexp.Compile(re)
		if err != nil {
			t.Fatalf("want line %q: %v", line, err)
		}
		out = append(out, wantDiag{rule: fields[0], line: li, col: ci, pointer: ptr, msg: rx, text: line})
	}
	return out
}

func applyOptions(t *testing.T, opts *validate.Options, text string) {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch {
		case f[0] == "allow-prerelease" && len(f) == 1:
			opts.Lint.AllowPrerelease = true
		case f[0] == "schema-version" && len(f) == 2:
			v, err := manifest.ParseSchemaVersion(f[1])
			if err != nil {
				t.Fatal(err)
			}
			opts.SchemaVersion = v
		case f[0] == "max-depth" && len(f) == 2:
			n, _ := strconv.Atoi(f[1])
			opts.Parse.MaxDepth = n
		case f[0] == "max-size" && len(f) == 2:
			n, _ := strconv.Atoi(f[1])
			opts.Parse.MaxSize = n
		default:
			t.Fatalf("unknown option line %q", line)
		}
	}
}

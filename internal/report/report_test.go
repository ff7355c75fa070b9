package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/report")

// goldenDir holds one golden file per format, at the repository root.
const goldenDir = "../../testdata/report"

// fixtureRules are the rules the fixture report says it checked; literal
// titles keep the goldens independent of the catalogue's wording.
var fixtureRules = []Rule{
	{ID: "MC011", Title: "the manifest does not match the App Manifest schema", Severity: manifest.SeverityError},
	{ID: "MC012", Title: "a URL does not use https", Severity: manifest.SeverityError},
	{ID: "MC102", Title: "a permission level is not allowed for the tool", Severity: manifest.SeverityError},
	{ID: "MC104", Title: "a permission level is not spelled canonically", Severity: manifest.SeverityWarning},
	{ID: "MC105", Title: "a tool is granted admin", Severity: manifest.SeverityInfo},
	{ID: "MC201", Title: "more than one data connection instance", Severity: manifest.SeverityError},
	{ID: "MC202", Title: "a side panel has no views", Severity: manifest.SeverityError},
	{ID: "MC301", Title: "post-installation notes are missing or empty", Severity: manifest.SeverityWarning},
	{ID: "MC401", Title: "app_manifest or its version is missing", Severity: manifest.SeverityInfo},
}

type finding struct {
	rule    string
	sev     manifest.Severity
	pointer string
	msg     string
	fix     string // replacement text for the value, "" for none
}

// fixtureFile parses a fixture manifest under the display path name and
// builds diagnostics at real positions.
func fixtureFile(t *testing.T, name, version string, findings []finding) File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "fixture", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	doc, diags := manifest.Parse(name, src, manifest.ParseOptions{})
	if len(diags) > 0 || doc.Root == nil {
		t.Fatalf("fixture %s does not parse: %v", name, diags)
	}
	f := File{Path: name, SchemaVersion: version, Source: src}
	for _, fd := range findings {
		if fd.pointer != "" && doc.Root.Lookup(fd.pointer) == nil {
			t.Fatalf("fixture %s has no value at %s", name, fd.pointer)
		}
		d := doc.Diag(fd.rule, fd.sev, fd.pointer, fd.msg)
		if fd.fix != "" {
			n := doc.Root.Lookup(fd.pointer)
			d.Fix = &manifest.Fix{Description: "respell the level", Edits: []manifest.Edit{{Start: n.Start, End: n.End, Text: fd.fix}}}
		}
		f.Diagnostics = append(f.Diagnostics, d)
	}
	return f
}

// fixtureReport has errors, warnings and infos across two files, a fix, a
// message with the characters GitHub escapes, a non-ASCII line and two
// findings of one rule at one pointer.
func fixtureReport(t *testing.T) *Report {
	app := fixtureFile(t, "app/manifest.json", "4.1", []finding{
		{"MC012", manifest.SeverityError, "/fullscreen/source_url",
			`URL "http://example.com/app?x=100%" must use https: Procore loads apps inside an https page`, ""},
		{"MC104", manifest.SeverityWarning, "/permissions/company/directory",
			`level "read_only" is spelled "readonly" in a manifest`, `"readonly"`},
		{"MC105", manifest.SeverityInfo, "/permissions/company/admin_tool",
			`company tool "admin_tool" is granted admin, the highest level; grant less if the app can work with it`, ""},
		{"MC102", manifest.SeverityError, "/permissions/project/rfi",
			`level "editor" is not one of none, readonly, standard, admin`, ""},
	})
	legacy := fixtureFile(t, "legacy/manifest.json", "3", []finding{
		{"MC401", manifest.SeverityInfo, "", "app_manifest is missing: the portal adds it, and the version commands need app_manifest.version", ""},
		{"MC011", manifest.SeverityError, "/components/oauth/instances/0", `missing property "uuid"`, ""},
		{"MC011", manifest.SeverityError, "/components/oauth/instances/0", `missing property "permissions"`, ""},
		{"MC201", manifest.SeverityError, "/components/oauth/instances/1",
			"more than one data connection instance: an app has at most one, remove this one", ""},
		{"MC301", manifest.SeverityWarning, "/post_installation_instruction/notes",
			"post-installation notes are empty: tell the admin what to do after installing\n(line two)", ""},
	})
	return &Report{
		Tool:    Tool{Name: "manifestctl", Version: "1.2.3", CatalogVersion: "2025.06"},
		Files:   []File{app, legacy},
		Rules:   fixtureRules,
		Ignored: 1,
	}
}

func TestGolden(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			f, err := New(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := f.Format(&got, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := f.Format(&again, fixtureReport(t)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), again.Bytes()) {
				t.Fatalf("format %s is not deterministic", name)
			}
			path := filepath.Join(goldenDir, name+".golden")
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/report -update)", err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("format %s differs from %s (-want +got):\n%s", name, path, diff)
			}
		})
	}
}

func TestNew(t *testing.T) {
	want := []string{"codeclimate", "github", "json", "junit", "markdown", "rdjsonl", "sarif", "text"}
	if diff := cmp.Diff(want, Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	_, err := New("xml", Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("New(xml) error = %v, want one naming the valid formats", err)
	}
}

func TestGitHubEscape(t *testing.T) {
	tests := []struct {
		name, in, data, prop string
	}{
		{"plain", "level is wrong", "level is wrong", "level is wrong"},
		{"percent", "100%", "100%25", "100%25"},
		{"percent before code", "%0A", "%250A", "%250A"},
		{"newline", "a\nb", "a%0Ab", "a%0Ab"},
		{"carriage return", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"colon", "https://x", "https://x", "https%3A//x"},
		{"comma", "a,b", "a,b", "a%2Cb"},
		{"command injection", "x\n::error::y", "x%0A::error::y", "x%0A%3A%3Aerror%3A%3Ay"},
		{"path", "dir,1/app:1.json", "dir,1/app:1.json", "dir%2C1/app%3A1.json"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GitHubEscapeData(tt.in); got != tt.data {
				t.Errorf("GitHubEscapeData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := GitHubEscapeProperty(tt.in); got != tt.prop {
				t.Errorf("GitHubEscapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
			}
		})
	}
}

// manyFindings returns a report with the given number of errors, warnings
// and infos, interleaved.
func manyFindings(errors, warnings, infos int) *Report {
	var diags []manifest.Diagnostic
	add := func(n int, sev manifest.Severity, rule string) {
		for i := 0; i < n; i++ {
			diags = append(diags, manifest.Diagnostic{Rule: rule, Severity: sev, Message: sev.String(),
				Pos: manifest.Position{File: "m.json", Pointer: "/x", Line: len(diags) + 1, Col: 1}})
		}
	}
	add(infos, manifest.SeverityInfo, "MC105")
	add(warnings, manifest.SeverityWarning, "MC104")
	add(errors, manifest.SeverityError, "MC102")
	return &Report{Files: []File{{Path: "m.json", Diagnostics: diags}}}
}

func TestGitHubLimit(t *testing.T) {
	tests := []struct {
		name                    string
		errors, warnings, infos int
		want                    map[string]int // annotations written per kind
		omitted                 string         // the closing notice, "" for none
	}{
		{"all shown", 10, 10, 10, map[string]int{"error": 10, "warning": 10, "notice": 10}, ""},
		{"errors cut", 12, 3, 2, map[string]int{"error": 10, "warning": 3, "notice": 2},
			"2 more findings not shown as annotations (2 errors, 0 warnings, 0 infos)"},
		{"notice slot kept for the summary", 11, 0, 10, map[string]int{"error": 10, "notice": 9},
			"2 more findings not shown as annotations (1 error, 0 warnings, 1 info)"},
		{"infos cut", 0, 0, 11, map[string]int{"notice": 9},
			"2 more findings not shown as annotations (0 errors, 0 warnings, 2 infos)"},
		{"one omitted", 0, 11, 0, map[string]int{"warning": 10},
			"1 more finding not shown as annotations (0 errors, 1 warning, 0 infos)"},
		{"none", 0, 0, 0, map[string]int{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			f, _ := New("github", Options{})
			if err := f.Format(&buf, manyFindings(tt.errors, tt.warnings, tt.infos)); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if buf.Len() == 0 {
				lines = nil
			}
			got := make(map[string]int)
			var summary string
			last := 3 // error, then warning, then notice
			order := map[string]int{"error": 0, "warning": 1, "notice": 2}
			for i, l := range lines {
				kind, rest, ok := strings.Cut(strings.TrimPrefix(l, "::"), " ")
				if !ok || !strings.HasPrefix(l, "::") {
					t.Fatalf("line %q is not a workflow command", l)
				}
				if strings.HasPrefix(rest, "title=manifestctl::") {
					if i != len(lines)-1 {
						t.Errorf("summary notice is not last")
					}
					summary = strings.TrimPrefix(rest, "title=manifestctl::")
					continue
				}
				if last != 3 && order[kind] < last {
					t.Errorf("%s after a less severe annotation", kind)
				}
				last = order[kind]
				got[kind]++
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("annotations per kind (-want +got):\n%s", diff)
			}
			if tt.omitted == "" && summary != "" {
				t.Errorf("unexpected summary notice %q", summary)
			}
			if tt.omitted != "" {
				if !strings.HasPrefix(summary, tt.omitted) || !strings.Contains(summary, "--format sarif") || !strings.Contains(summary, "--format json") {
					t.Errorf("summary notice = %q, want it to start with %q and name --format sarif and json", summary, tt.omitted)
				}
				if got["notice"]+1 > GitHubAnnotationLimit {
					t.Errorf("%d notices plus the summary exceed GitHub's limit", got["notice"])
				}
			}
		})
	}
}

func TestGitHubAnnotation(t *testing.T) {
	rep := &Report{Files: []File{{Path: "/work/repo/app, v2/manifest.json", Diagnostics: []manifest.Diagnostic{
		{Rule: "MC102", Severity: manifest.SeverityError, Message: "level \"a,b\" is 100% wrong\nfix it",
			Pos: manifest.Position{File: "x", Pointer: "/p", Line: 3, Col: 7}},
		{Rule: "MC010", Severity: manifest.SeverityWarning, Message: "no position",
			Pos: manifest.Position{File: "x", Pointer: "/q"}},
	}}}}
	f, _ := New("github", Options{WorkDir: "/work/repo"})
	var buf bytes.Buffer
	if err := f.Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	want := "::error file=app%2C v2/manifest.json,line=3,col=7,title=MC102::level \"a,b\" is 100%25 wrong%0Afix it\n" +
		"::warning file=app%2C v2/manifest.json,title=MC010::no position\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("github output (-want +got):\n%s", diff)
	}
}

func TestSlashPath(t *testing.T) {
	tests := []struct{ path, wd, want string }{
		{"app/manifest.json", "", "app/manifest.json"},
		{"./app//manifest.json", "/w", "app/manifest.json"},
		{"/w/app/manifest.json", "/w", "app/manifest.json"},
		{"/other/manifest.json", "/w", "/other/manifest.json"},
		{"/w/app/manifest.json", "", "/w/app/manifest.json"},
		{"-", "/w", "-"},
		{"../x.json", "/w", "../x.json"},
	}
	for _, tt := range tests {
		if got := slashPath(tt.path, tt.wd); got != tt.want {
			t.Errorf("slashPath(%q, %q) = %q, want %q", tt.path, tt.wd, got, tt.want)
		}
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"app/manifest.json", "app/manifest.json"},
		{"my app/manifest #1.json", "my%20app/manifest%20%231.json"},
		{"a:b/manifest.json", "./a:b/manifest.json"},
		{"/abs/manifest.json", "file:///abs/manifest.json"},
		{"-", "-"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.in); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	rep := fixtureReport(t)
	moved := fixtureReport(t)
	for i := range moved.Files {
		for j := range moved.Files[i].Diagnostics {
			moved.Files[i].Diagnostics[j].Pos.Line += 5
			moved.Files[i].Diagnostics[j].End.Line += 5
		}
	}
	fps := func(r *Report) []string {
		var buf bytes.Buffer
		f, _ := New("sarif", Options{})
		if err := f.Format(&buf, r); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, res := range log.Runs[0].Results {
			out = append(out, res.PartialFingerprints[FingerprintKey])
		}
		return out
	}
	a, b := fps(rep), fps(moved)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("fingerprints changed when lines moved (-before +after):\n%s", diff)
	}
	seen := make(map[string]bool)
	for _, fp := range a {
		if fp == "" || seen[fp] {
			t.Errorf("fingerprint %q is empty or not unique", fp)
		}
		seen[fp] = true
	}
}

// junitSuites reads a JUnit report back.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    *int         `xml:"tests,attr"`
	Failures *int         `xml:"failures,attr"`
	Errors   *int         `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

func TestJUnitStructure(t *testing.T) {
	f, _ := New("junit", Options{})
	var buf bytes.Buffer
	if err := f.Format(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("junit output is not XML: %v", err)
	}
	if len(got.Suites) != 2 {
		t.Fatalf("got %d testsuites, want one per file (2)", len(got.Suites))
	}
	// The root names the tool and carries no totals: they would have to be
	// known before the first suite is streamed (optional in JUnit XML).
	if got.Name != "manifestctl" || got.Tests != nil || got.Failures != nil || got.Errors != nil {
		t.Errorf("root = name %q, tests %v, failures %v, errors %v; want the name alone", got.Name, got.Tests, got.Failures, got.Errors)
	}
	for _, s := range got.Suites {
		if s.Tests != len(fixtureRules) || len(s.Cases) != len(fixtureRules) {
			t.Errorf("suite %s: %d tests, want one per rule (%d)", s.Name, s.Tests, len(fixtureRules))
		}
		failures := 0
		for _, c := range s.Cases {
			if c.Classname == "" {
				t.Errorf("suite %s case %s has no classname", s.Name, c.Name)
			}
			if c.Failure != nil {
				failures++
				if !strings.Contains(c.Failure.Body, s.Name+":") {
					t.Errorf("failure body %q lacks the full finding text", c.Failure.Body)
				}
			}
		}
		if failures != s.Failures {
			t.Errorf("suite %s: failures attribute %d, counted %d", s.Name, s.Failures, failures)
		}
	}
	// app/manifest.json: MC012, MC102 (errors), MC104 (warning) fail;
	// MC105 (info) does not.
	if got.Suites[0].Failures != 3 || got.Suites[1].Failures != 3 {
		t.Errorf("failures = %d, %d, want 3, 3", got.Suites[0].Failures, got.Suites[1].Failures)
	}
}

func TestJUnitUnreadableFile(t *testing.T) {
	rep := &Report{Rules: fixtureRules, Files: []File{{Path: "bad.json", Diagnostics: []manifest.Diagnostic{
		{Rule: "MC001", Severity: manifest.SeverityError, Message: "unexpected end of input", Pos: manifest.Position{File: "bad.json", Line: 1, Col: 2}},
	}}}}
	f, _ := New("junit", Options{})
	var buf bytes.Buffer
	if err := f.Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if n := len(got.Suites[0].Cases); n != 1 || !strings.HasPrefix(got.Suites[0].Cases[0].Name, "MC001") {
		t.Errorf("unreadable file: cases %+v, want only MC001", got.Suites[0].Cases)
	}
}

func TestRDJSONLColumns(t *testing.T) {
	f, _ := New("rdjsonl", Options{})
	var buf bytes.Buffer
	if err := f.Format(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	var first rdDiagnostic
	if err := json.Unmarshal(bytes.SplitN(buf.Bytes(), []byte("\n"), 2)[0], &first); err != nil {
		t.Fatal(err)
	}
	// Line 4 has "Café ✓" (two multi-byte characters, 1 + 2 extra bytes)
	// before source_url: the character column is 67, the byte column 70.
	if first.Code.Value != "MC012" || first.Location.Range.Start != (rdPosition{Line: 4, Column: 70}) {
		t.Errorf("first diagnostic %s at %+v, want MC012 at 4:70 (bytes)", first.Code.Value, first.Location.Range.Start)
	}
	rep := fixtureReport(t)
	if c := rep.Files[0].Diagnostics[0].Pos.Col; c != 67 {
		t.Errorf("fixture character column = %d, want 67", c)
	}
	// Without the source, columns are the report's.
	rep.Files[0].Source = nil
	buf.Reset()
	if err := f.Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	first = rdDiagnostic{}
	if err := json.Unmarshal(bytes.SplitN(buf.Bytes(), []byte("\n"), 2)[0], &first); err != nil {
		t.Fatal(err)
	}
	if first.Location.Range.Start.Column != 67 {
		t.Errorf("without source: column %d, want 67", first.Location.Range.Start.Column)
	}
}

// TestRulesDefaultToCatalogue checks the rules sarif describes: the
// catalogue when the report lists none, a rule off left out, and a rule
// the report does not list that reports a finding added after the listed
// ones, with the ruleIndex of its place.
func TestRulesDefaultToCatalogue(t *testing.T) {
	rules := func(rep *Report) (ids []string, index []int) {
		t.Helper()
		f, _ := New("sarif", Options{})
		var buf bytes.Buffer
		if err := f.Format(&buf, rep); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID      string `json:"id"`
							HelpURI string `json:"helpUri"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleIndex int `json:"ruleIndex"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		for _, r := range log.Runs[0].Tool.Driver.Rules {
			if r.HelpURI == "" {
				t.Errorf("rule %s has no help URI", r.ID)
			}
			ids = append(ids, r.ID)
		}
		for _, r := range log.Runs[0].Results {
			index = append(index, r.RuleIndex)
		}
		return ids, index
	}
	rep := &Report{Files: []File{{Path: "m.json", Diagnostics: []manifest.Diagnostic{
		{Rule: "MC999", Severity: manifest.SeverityError, Message: "from elsewhere"},
		{Rule: "MC003", Severity: manifest.SeverityError, Message: "empty"},
	}}}}
	ids, index := rules(rep)
	if len(ids) != len(lint.All())+1 || ids[0] != "MC001" || ids[len(ids)-1] != "MC999" {
		t.Errorf("rules = %v, want the catalogue then MC999", ids)
	}
	if want := []int{len(ids) - 1, slices.Index(ids, "MC003")}; !slices.Equal(index, want) {
		t.Errorf("ruleIndex = %v, want %v", index, want)
	}
	rep.Rules = []Rule{{ID: "MC003", Severity: manifest.SeverityError}, {ID: "MC001", Severity: manifest.SeverityOff}}
	if ids, index := rules(rep); !slices.Equal(ids, []string{"MC003", "MC999"}) || !slices.Equal(index, []int{1, 0}) {
		t.Errorf("with an off rule: rules %v, ruleIndex %v; want [MC003 MC999], [1 0]", ids, index)
	}
}

func TestMarkdownCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"<script>", "&lt;script&gt;"},
		{"line\nnext", "line<br>next"},
		{"*bold* _x_ `c`", "\\*bold\\* \\_x\\_ \\`c\\`"},
	}
	for _, tt := range tests {
		if got := markdownCell(tt.in); got != tt.want {
			t.Errorf("markdownCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := markdownCode("a`b|c"); got != "``a`b\\|c``" {
		t.Errorf("markdownCode = %q", got)
	}
}

func TestCodeClimate(t *testing.T) {
	f, _ := New("codeclimate", Options{})
	var buf bytes.Buffer
	if err := f.Format(&buf, fixtureReport(t)); err != nil {
		t.Fatal(err)
	}
	var issues []ccIssue
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 9 {
		t.Fatalf("got %d issues, want 9", len(issues))
	}
	seen := make(map[string]bool)
	for _, is := range issues {
		if seen[is.Fingerprint] || is.Fingerprint == "" {
			t.Errorf("fingerprint %q empty or repeated", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
		if is.Location.Lines.Begin < 1 || is.Location.Path == "" || is.CheckName == "" {
			t.Errorf("issue %+v lacks a location or check name", is)
		}
		switch is.Severity {
		case "info", "minor", "major", "critical", "blocker":
		default:
			t.Errorf("severity %q is not a Code Climate severity", is.Severity)
		}
	}
	buf.Reset()
	if err := f.Format(&buf, &Report{}); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty report: %q, %v; want []", buf.String(), err)
	}
}

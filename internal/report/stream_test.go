package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// TestStreamMatchesFormat checks that writing a report file by file, as
// validate does, gives the bytes of Format, for every streaming format,
// with no file, one, and several.
func TestStreamMatchesFormat(t *testing.T) {
	d := manifest.Diagnostic{Rule: "MC102", Severity: manifest.SeverityError, Message: `level "editor" <is> & not`,
		Pos: manifest.Position{File: "a.json", Pointer: "/permissions/project/rfi", Line: 14, Col: 14}}
	reports := map[string]*Report{
		"none": {Tool: Tool{Version: "1.0.0"}},
		"one":  {Files: []File{{Path: "a.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{d}}}},
		"several": {Ignored: 2, Files: []File{
			{Path: "a.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{d, d}},
			{Path: "b.json"},
			{Path: ".manifestctl.json", Config: true, Diagnostics: []manifest.Diagnostic{d}},
		}},
		// Listed rules, a finding of a rule not listed (a testcase of
		// that file only in junit), and paths not read.
		"rules": {Rules: fixtureRules[:2], Files: []File{
			{Path: "a.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{d}},
			{Path: "b.json", SchemaVersion: "3"},
		}, Errors: []InputError{{Path: "c.json", Message: "permission denied"}}},
	}
	for _, name := range Names() {
		for rname, r := range reports {
			f, err := New(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := f.(Streamer); !ok {
				continue
			}
			var whole bytes.Buffer
			if err := f.Format(&whole, r); err != nil {
				t.Fatal(err)
			}
			s2, _ := New(name, Options{})
			var streamed bytes.Buffer
			w := bufio.NewWriter(&streamed)
			var sum Summary
			if err := s2.(Streamer).StreamStart(w, &Report{Tool: r.Tool, Rules: r.Rules}); err != nil {
				t.Fatal(err)
			}
			for i := range r.Files {
				sum.Add(&r.Files[i])
				if err := s2.(Streamer).StreamFile(w, &r.Files[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := s2.(Streamer).StreamEnd(w, &Report{Tool: r.Tool, Ignored: r.Ignored, Errors: r.Errors}, sum); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			if whole.String() != streamed.String() {
				t.Errorf("%s/%s: streamed output differs from Format:\n%s\nwant\n%s", name, rname, streamed.String(), whole.String())
			}
			if name == "junit" {
				var v junitSuites
				if err := xml.Unmarshal(whole.Bytes(), &v); err != nil {
					t.Errorf("junit/%s is not XML: %v\n%s", rname, err, whole.String())
				}
				if len(v.Suites) != len(r.Files)+len(r.Errors) {
					t.Errorf("junit/%s: %d testsuites, want %d", rname, len(v.Suites), len(r.Files)+len(r.Errors))
				}
			}
			if name == "json" {
				var v struct {
					Files   []json.RawMessage `json:"files"`
					Summary Summary           `json:"summary"`
				}
				if err := json.Unmarshal(whole.Bytes(), &v); err != nil {
					t.Errorf("json/%s is not JSON: %v\n%s", rname, err, whole.String())
				}
				if v.Files == nil || len(v.Files) != len(r.Files) {
					t.Errorf("json/%s: files = %d, want %d", rname, len(v.Files), len(r.Files))
				}
			}
		}
	}
}

// TestWriterMatchesFormat checks that Writer, validate's one code path,
// gives the bytes of Format for every format, streaming or not, and the
// summary of the report.
func TestWriterMatchesFormat(t *testing.T) {
	d := manifest.Diagnostic{Rule: "MC102", Severity: manifest.SeverityWarning, Message: `a & b`,
		Pos: manifest.Position{File: "a.json", Pointer: "/x", Line: 2, Col: 3}}
	files := []File{{Path: "a.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{d}}, {Path: "-"}}
	for _, name := range Names() {
		for n := 0; n <= len(files); n++ {
			whole := &Report{Tool: Tool{Name: "manifestctl", Version: "1"}, Files: files[:n], Ignored: 1}
			f, _ := New(name, Options{})
			var want bytes.Buffer
			if err := f.Format(&want, whole); err != nil {
				t.Fatal(err)
			}
			f2, _ := New(name, Options{})
			var got bytes.Buffer
			w := NewWriter(&got, f2, &Report{Tool: whole.Tool, Ignored: 1})
			for i := range files[:n] {
				if err := w.File(&files[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%s, %d files: Writer wrote\n%s\nFormat wrote\n%s", name, n, got.String(), want.String())
			}
			if w.Summary() != whole.Summary() {
				t.Errorf("%s: Summary() = %+v, want %+v", name, w.Summary(), whole.Summary())
			}
		}
	}
}

// TestWriteDiagnostics checks the lines commands print for the problems
// that stop them: Diagnostic.String, one per line.
func TestWriteDiagnostics(t *testing.T) {
	ds := []manifest.Diagnostic{
		{Rule: "MC001", Severity: manifest.SeverityError, Message: "a & <b>", Pos: manifest.Position{File: "-", Line: 3, Col: 1}},
		{Rule: "MC303", Severity: manifest.SeverityWarning, Message: "w", Pos: manifest.Position{File: "a.json", Line: 1, Col: 2}},
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, ds); err != nil {
		t.Fatal(err)
	}
	if want := ds[0].String() + "\n" + ds[1].String() + "\n"; buf.String() != want {
		t.Errorf("WriteDiagnostics wrote %q, want %q", buf.String(), want)
	}
}

// TestJUnitStreams checks that the junit format writes each file's
// testsuite when the file comes, through Writer as validate uses it: the
// rules (set before the first file) list every rule not off, and a file's
// suite is in the output before the next file is given.
func TestJUnitStreams(t *testing.T) {
	rules := []Rule{
		{ID: "MC011", Title: "schema", Severity: manifest.SeverityError},
		{ID: "MC101", Title: "unknown tool", Severity: manifest.SeverityOff},
		{ID: "MC102", Title: "level", Severity: manifest.SeverityWarning},
	}
	d := manifest.Diagnostic{Rule: "MC102", Severity: manifest.SeverityWarning, Message: "level <x>",
		Pos: manifest.Position{File: "a.json", Pointer: "/p", Line: 2, Col: 3}}
	f, _ := New("junit", Options{})
	var out bytes.Buffer
	rep := &Report{Tool: Tool{Name: "manifestctl"}, Rules: rules}
	w := NewWriter(&out, f, rep)
	if !w.Streams() {
		t.Fatal("junit does not stream")
	}
	files := []File{{Path: "a.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{d}}, {Path: "b.json"}}
	var flushed []int
	for i := range files {
		if err := w.File(&files[i]); err != nil {
			t.Fatal(err)
		}
		w.bw.Flush() // what the writer holds is written; nothing else is held
		flushed = append(flushed, bytes.Count(out.Bytes(), []byte("<testsuite ")))
	}
	if len(rep.Files) != 0 {
		t.Errorf("Writer kept %d files in the report", len(rep.Files))
	}
	if !slices.Equal(flushed, []int{1, 2}) {
		t.Errorf("testsuites written after each file: %v, want [1 2]", flushed)
	}
	rep.Errors = []InputError{{Path: "c.json", Message: "permission denied"}}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out.String())
	}
	var names [][]string
	for _, s := range got.Suites {
		var cases []string
		for _, c := range s.Cases {
			cases = append(cases, c.Name)
		}
		names = append(names, cases)
	}
	want := [][]string{{"MC011: schema", "MC102: level"}, {"MC011: schema", "MC102: level"}, {"read"}}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("testcases = %q, want %q (MC101 is off)", names, want)
	}
	if s := got.Suites[0]; s.Failures != 1 || s.Tests != 2 || s.Cases[1].Failure == nil || !strings.Contains(s.Cases[1].Failure.Body, "level <x>") {
		t.Errorf("a.json suite = %+v, want MC102 failed with its finding", s)
	}
	if s := got.Suites[2]; s.Name != "c.json" || s.Errors != 1 || s.Cases[0].Error == nil {
		t.Errorf("unread path suite = %+v", s)
	}
}

// TestBufferedFormatsKeepOnlyWhatTheyPrint streams many findings through
// the formats that write at the end: github keeps only the findings it can
// print (GitHubAnnotationLimit per severity), and none of them keeps the
// files given.
func TestBufferedFormatsKeepOnlyWhatTheyPrint(t *testing.T) {
	var diags []manifest.Diagnostic
	for i := range 100 {
		for _, sev := range []manifest.Severity{manifest.SeverityError, manifest.SeverityWarning, manifest.SeverityInfo} {
			diags = append(diags, manifest.Diagnostic{Rule: "MC102", Severity: sev, Message: "m" + strconv.Itoa(i),
				Pos: manifest.Position{File: "a.json", Pointer: "/p/" + strconv.Itoa(i), Line: i + 1, Col: 1}})
		}
	}
	f, _ := New("github", Options{})
	g := f.(*githubFormatter)
	var out bytes.Buffer
	rep := &Report{}
	w := NewWriter(&out, f, rep)
	for i := range 50 {
		if err := w.File(&File{Path: "f" + strconv.Itoa(i) + ".json", Diagnostics: diags}); err != nil {
			t.Fatal(err)
		}
	}
	for sev, kept := range g.kept {
		if len(kept) > GitHubAnnotationLimit {
			t.Errorf("github keeps %d findings of severity %d, prints at most %d", len(kept), sev, GitHubAnnotationLimit)
		}
	}
	if len(rep.Files) != 0 {
		t.Errorf("the report holds %d files", len(rep.Files))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// 10 errors, 10 warnings, 9 notices and the notice of the 14,971 left out.
	if n := strings.Count(out.String(), "\n"); n != 30 {
		t.Errorf("github wrote %d lines, want 30:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "14971 more findings not shown as annotations (4990 errors, 4990 warnings, 4991 infos)") {
		t.Errorf("github's closing notice is wrong:\n%s", out.String())
	}
	for _, name := range []string{"markdown", "sarif", "codeclimate", "junit"} {
		f, _ := New(name, Options{})
		rep := &Report{}
		w := NewWriter(io.Discard, f, rep)
		if err := w.File(&File{Path: "a.json", Diagnostics: diags}); err != nil {
			t.Fatal(err)
		}
		if len(rep.Files) != 0 {
			t.Errorf("%s: the report holds %d files", name, len(rep.Files))
		}
	}
}

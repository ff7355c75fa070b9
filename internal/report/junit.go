package report

import (
	"bufio"
	"encoding/xml"
	"io"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// junitFormatter writes JUnit XML as GitLab, Jenkins and the JUnit
// reporters of other CIs read it: one testsuite per file, one testcase per
// rule checked (classname is the file, name the rule and its title), and
// a failure for each rule with an error or a warning in that file, the
// findings in full in the element body (GitLab shows the body and ignores
// the message attribute). Infos do not fail a testcase; they are listed in
// its system-out. A file that could not be read as JSON has only the rules
// that reported on it, since the others did not run.
//
// It streams: each file's testsuite is written as the file comes, so that
// a run over thousands of files (a testcase per rule per file) holds one
// suite at a time. The root <testsuites> element therefore carries only
// its name: its tests, failures and errors totals, optional in JUnit XML
// and computed from the testcases by the readers (GitLab, Jenkins), would
// have to be known before the first suite. Each testsuite keeps its own
// counts.
type junitFormatter struct {
	opts   Options
	rules  []Rule          // the checked rules, sorted by ID
	known  map[string]bool // their IDs
	suites int             // testsuites written so far
}

type junitSuite struct {
	XMLName    xml.Name        `xml:"testsuite"`
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties *junitPropList  `xml:"properties,omitempty"`
	Cases      []junitTestcase `xml:"testcase"`
}

type junitPropList struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitText struct {
	Body string `xml:",cdata"`
}

func (f *junitFormatter) Format(w io.Writer, r *Report) error { return stream(f, w, r) }

// StreamStart writes the XML declaration and opens <testsuites>, and takes
// the rules every suite lists from r (Streamer).
func (f *junitFormatter) StreamStart(w *bufio.Writer, r *Report) error {
	f.rules = r.listedRules()
	f.known = make(map[string]bool, len(f.rules))
	for _, ru := range f.rules {
		f.known[ru.ID] = true
	}
	f.suites = 0
	w.WriteString(xml.Header)
	w.WriteString(`<testsuites name="`)
	if err := xml.EscapeText(w, []byte(toolName(r))); err != nil {
		return err
	}
	_, err := w.WriteString(`">`)
	return err
}

// StreamFile writes the testsuite of one file (Streamer).
func (f *junitFormatter) StreamFile(w *bufio.Writer, file *File) error {
	byRule := make(map[string][]manifest.Diagnostic)
	rules := f.rules
	for _, d := range file.Diagnostics {
		if _, ok := byRule[d.Rule]; !ok && !f.known[d.Rule] {
			// A rule the report does not list reported on this file:
			// it is a testcase of this file, in its place by ID.
			if len(rules) == len(f.rules) {
				rules = append([]Rule(nil), f.rules...)
			}
			rules = append(rules, catalogRule(d.Rule))
		}
		byRule[d.Rule] = append(byRule[d.Rule], d)
	}
	if len(rules) != len(f.rules) {
		sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	}
	suite := junitSuite{Name: file.Path}
	if file.SchemaVersion != "" {
		suite.Properties = &junitPropList{Props: []junitProp{{Name: "schema_version", Value: file.SchemaVersion}}}
	}
	parsed := !unreadable(file.Diagnostics)
	for _, ru := range rules {
		diags := byRule[ru.ID]
		if !parsed && len(diags) == 0 {
			continue
		}
		tc := junitTestcase{Name: ru.ID, Classname: file.Path}
		if ru.Title != "" {
			tc.Name += ": " + ru.Title
		}
		var fail, info []string
		worst := manifest.SeverityOff
		for _, d := range diags {
			line := d.String()
			if d.Severity >= manifest.SeverityWarning {
				fail = append(fail, line)
				worst = max(worst, d.Severity)
			} else {
				info = append(info, line)
			}
		}
		if len(fail) > 0 {
			tc.Failure = &junitFailure{
				Message: plural(len(fail), "finding") + " of " + ru.ID,
				Type:    worst.String(),
				Body:    strings.Join(fail, "\n") + "\n" + ru.URL + "\n",
			}
			suite.Failures++
		}
		if len(info) > 0 {
			tc.SystemOut = &junitText{Body: strings.Join(info, "\n") + "\n"}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)
	return f.suite(w, &suite)
}

// StreamEnd writes a suite for each path that could not be read, with
// one errored test, and closes <testsuites> (Streamer).
func (f *junitFormatter) StreamEnd(w *bufio.Writer, r *Report, _ Summary) error {
	for _, e := range r.Errors {
		suite := junitSuite{Name: e.Path, Tests: 1, Errors: 1, Cases: []junitTestcase{{
			Name: "read", Classname: e.Path,
			Error: &junitFailure{Message: e.Message, Type: "input", Body: e.Message + "\n"},
		}}}
		if err := f.suite(w, &suite); err != nil {
			return err
		}
	}
	if f.suites > 0 {
		w.WriteString("\n")
	}
	_, err := w.WriteString("</testsuites>\n")
	return err
}

// suite writes one testsuite, indented as a child of <testsuites>.
func (f *junitFormatter) suite(w *bufio.Writer, s *junitSuite) error {
	f.suites++
	w.WriteString("\n")
	enc := xml.NewEncoder(w)
	enc.Indent("  ", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	return enc.Close()
}

// unreadable reports whether the diagnostics say the file could not be
// read as JSON, so that no other rule ran on it.
func unreadable(diags []manifest.Diagnostic) bool {
	for _, d := range diags {
		switch d.Rule {
		case manifest.RuleInvalidJSON, manifest.RuleEmptyFile, manifest.RuleLimit:
			return true
		}
	}
	return false
}

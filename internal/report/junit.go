package report

import (
	"encoding/xml"
	"io"
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
type junitFormatter struct {
	opts Options
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
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

func (f *junitFormatter) Format(w io.Writer, r *Report) error {
	rules := r.checkedRules()
	out := junitSuites{Name: toolName(r), Suites: make([]junitSuite, 0, len(r.Files))}
	for _, file := range r.Files {
		byRule := make(map[string][]manifest.Diagnostic)
		for _, d := range file.Diagnostics {
			byRule[d.Rule] = append(byRule[d.Rule], d)
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
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	// A path that could not be read is a suite with one errored test.
	for _, e := range r.Errors {
		suite := junitSuite{Name: e.Path, Tests: 1, Errors: 1, Cases: []junitTestcase{{
			Name: "read", Classname: e.Path,
			Error: &junitFailure{Message: e.Message, Type: "input", Body: e.Message + "\n"},
		}}}
		out.Tests++
		out.Errors++
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
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

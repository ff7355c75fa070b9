package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// TestInputErrorsInEveryFormat: the paths that could not be read are in
// every format that carries more than findings, and the JSON report keeps
// DESIGN's shape around them.
func TestInputErrorsInEveryFormat(t *testing.T) {
	r := &Report{
		Files: []File{{Path: "good.json", SchemaVersion: "4.1", Diagnostics: []manifest.Diagnostic{{
			Rule: "MC301", Severity: manifest.SeverityWarning, Message: "m",
			Pos: manifest.Position{File: "good.json", Line: 1, Col: 1},
		}}}},
		Errors:  []InputError{{Path: "missing.json", Message: "no such file or directory"}},
		Skipped: 3,
	}
	want := map[string][]string{
		"json":     {`"errors": [`, `"path": "missing.json"`, `"message": "no such file or directory"`, `"skipped": 3`},
		"sarif":    {`"executionSuccessful": false`, `"toolExecutionNotifications"`, `"text": "no such file or directory"`},
		"github":   {"::error file=missing.json,title=manifestctl::no such file or directory\n"},
		"junit":    {`<testsuite name="missing.json" tests="1" failures="0" errors="1"`, `<error message="no such file or directory" type="input">`},
		"markdown": {"- **Not read:** `missing.json`: no such file or directory\n", "3 skipped (not App Manifests), 1 path not read"},
	}
	for format, parts := range want {
		f, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := f.Format(&b, r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, p := range parts {
			if !strings.Contains(b.String(), p) {
				t.Errorf("%s output has no %q:\n%s", format, p, b.String())
			}
		}
		if format == "json" || format == "sarif" {
			var v map[string]any
			if err := json.Unmarshal(b.Bytes(), &v); err != nil {
				t.Errorf("%s output is not JSON: %v", format, err)
			}
		}
	}

	// Without errors or skipped files, none of it appears.
	r.Errors, r.Skipped = nil, 0
	for _, format := range []string{"json", "sarif"} {
		f, _ := New(format, Options{})
		var b bytes.Buffer
		if err := f.Format(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{`"errors": [`, `"skipped"`, `"invocations"`} {
			if strings.Contains(b.String(), p) {
				t.Errorf("%s output without input errors has %q", format, p)
			}
		}
	}
}

func TestSummaryLine(t *testing.T) {
	s := Summary{Files: 2, Errors: 1, Warnings: 0, Infos: 3}
	for _, tt := range []struct {
		r    *Report
		want string
	}{
		{nil, "2 files: 1 error, 0 warnings, 3 infos"},
		{&Report{}, "2 files: 1 error, 0 warnings, 3 infos"},
		{&Report{Ignored: 2}, "2 files: 1 error, 0 warnings, 3 infos (2 ignored by configuration)"},
		{&Report{Skipped: 1}, "2 files: 1 error, 0 warnings, 3 infos, 1 skipped (not App Manifests)"},
		{&Report{Ignored: 1, Skipped: 305, Errors: make([]InputError, 2)},
			"2 files: 1 error, 0 warnings, 3 infos (1 ignored by configuration), 305 skipped (not App Manifests), 2 paths not read"},
	} {
		if got := SummaryLine(s, tt.r); got != tt.want {
			t.Errorf("SummaryLine = %q, want %q", got, tt.want)
		}
	}
}

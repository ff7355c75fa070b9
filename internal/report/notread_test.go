package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/permissions/scan"
)

// TestScanNotRead: a scan's unreadable paths are tool execution
// notifications in SARIF, exactly as validate's, and the text and markdown
// summaries count them.
func TestScanNotRead(t *testing.T) {
	r := &scan.Report{Manifest: "manifest.json", Files: 1,
		Errors: []scan.PathReport{{Path: "src/locked.py", Message: "permission denied"}, {Path: "-", Message: "file too large"}}}
	want := map[string][]string{
		"sarif": {`"executionSuccessful": false`, `"toolExecutionNotifications": [`, `"text": "permission denied"`,
			`"uri": "src/locked.py"`, `"text": "standard input: file too large"`},
		"text":     {"1 file, 0 calls: 0 missing, 0 excess, 0 unused, 0 unmapped, 2 paths not read\n"},
		"markdown": {"0 unmapped, 2 paths not read.\n", "- **Not read:** `src/locked.py`: permission denied\n"},
		"json":     {`"path": "src/locked.py"`, `"message": "permission denied"`},
	}
	for _, format := range Scan.Formats() {
		var b bytes.Buffer
		if err := Scan.Write(&b, format, &ScanResult{Report: r, ScanOptions: ScanOptions{}}, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range want[format] {
			if !strings.Contains(b.String(), p) {
				t.Errorf("%s output has no %q:\n%s", format, p, b.String())
			}
		}
		if format == "sarif" {
			var v struct {
				Runs []struct {
					Invocations []struct {
						Notifications []json.RawMessage `json:"toolExecutionNotifications"`
					} `json:"invocations"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(b.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			if n := len(v.Runs[0].Invocations); n != 1 || len(v.Runs[0].Invocations[0].Notifications) != 2 {
				t.Errorf("sarif: want 1 invocation with 2 notifications, got %s", b.String())
			}
		}
	}

	// Every path read: no invocation, no count.
	r.Errors = nil
	for _, format := range []string{"sarif", "text", "markdown"} {
		var b bytes.Buffer
		if err := Scan.Write(&b, format, &ScanResult{Report: r, ScanOptions: ScanOptions{}}, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{`"invocations"`, "not read", "Not read"} {
			if strings.Contains(b.String(), p) {
				t.Errorf("%s output with every path read has %q", format, p)
			}
		}
	}
}

package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/permissions/scan"
)

// scanFixture scans the sample app testdata/scan (from the repository
// root, so that paths read as a user types them) against its manifest.
func scanFixture(t *testing.T) *scan.Report {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	const path = "testdata/scan/manifest.json"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := manifest.Parse(path, src, manifest.ParseOptions{})
	v, _ := manifest.DetectSchemaVersion(doc)
	inv, err := scan.Scan(context.Background(), []string{"testdata/scan"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := permissions.Default()
	return scan.CompareCalls(inv, path, manifest.View(doc, v), cat)
}

// TestScanGolden writes the sample app's report in every format and
// compares it with internal/report/testdata/scan/report.FORMAT (-update
// rewrites them).
func TestScanGolden(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "scan"))
	if err != nil {
		t.Fatal(err)
	}
	rep := scanFixture(t)
	opts := ScanOptions{Tool: Tool{Name: "manifestctl", Version: "devel", CatalogVersion: "test"}}
	for _, format := range Scan.Formats() {
		t.Run(format, func(t *testing.T) {
			var got bytes.Buffer
			if err := Scan.Write(&got, format, &ScanResult{Report: rep, ScanOptions: opts}, Options{}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, "report."+format)
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
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
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
	if err := Scan.Write(&bytes.Buffer{}, "junit", &ScanResult{Report: rep, ScanOptions: opts}, Options{}); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestScanJSONShape checks the JSON report against DESIGN §4's contract.
func TestScanJSONShape(t *testing.T) {
	rep := scanFixture(t)
	var buf bytes.Buffer
	if err := Scan.Write(&buf, "json", &ScanResult{Report: rep, ScanOptions: ScanOptions{}}, Options{}); err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"manifest", "sources", "files", "calls", "findings", "summary"} {
		if _, ok := out[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	if len(out) != 6 {
		t.Errorf("members %v", out)
	}
	summary := out["summary"].(map[string]any)
	for _, k := range []string{"missing", "excess", "unused", "unmapped"} {
		if _, ok := summary[k]; !ok {
			t.Errorf("summary has no %q", k)
		}
	}
	allowed := map[string]bool{"kind": true, "scope": true, "tool": true, "declared": true, "required": true, "confidence": true, "pointer": true, "message": true, "calls": true}
	callKeys := map[string]bool{"path": true, "line": true, "column": true, "method": true, "method_seen": true, "api_version": true, "endpoint": true, "spec": true, "matched_version": true, "may_need_admin": true}
	kinds := map[string]int{}
	for _, f := range out["findings"].([]any) {
		m := f.(map[string]any)
		kinds[m["kind"].(string)]++
		for k := range m {
			if !allowed[k] {
				t.Errorf("finding member %q", k)
			}
		}
		if m["kind"] != "unmapped" && (m["scope"] == nil || m["tool"] == nil || m["pointer"] == nil) {
			t.Errorf("finding %v lacks scope, tool or pointer", m)
		}
		calls, _ := m["calls"].([]any)
		for _, c := range calls {
			cm := c.(map[string]any)
			for _, k := range []string{"path", "line", "column", "method", "method_seen", "endpoint"} {
				if _, ok := cm[k]; !ok {
					t.Errorf("call %v lacks %q", cm, k)
				}
			}
			for k := range cm {
				if !callKeys[k] {
					t.Errorf("call member %q", k)
				}
			}
		}
	}
	for _, k := range []string{"missing", "excess", "unused", "unmapped"} {
		if kinds[k] == 0 {
			t.Errorf("the sample app shows no %s finding", k)
		}
	}
}

// TestScanSARIF: the SARIF report is valid, places call findings on their
// source lines and unused ones on the manifest line declaring the tool.
func TestScanSARIF(t *testing.T) {
	schema := compileSARIFSchema(t)
	rep := scanFixture(t)
	var buf bytes.Buffer
	if err := Scan.Write(&buf, "sarif", &ScanResult{Report: rep, ScanOptions: ScanOptions{}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(decodeUseNumber(t, buf.Bytes())); err != nil {
		t.Fatalf("invalid SARIF: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, r := range log.Runs[0].Results {
		rules[r.RuleID]++
		loc := r.Locations[0].PhysicalLocation
		switch r.RuleID {
		case "scan/unused":
			if loc.ArtifactLocation.URI != "testdata/scan/manifest.json" || loc.Region == nil || loc.Region.StartLine == 0 {
				t.Errorf("unused at %+v", loc)
			}
		default:
			if !strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/scan/") || strings.HasSuffix(loc.ArtifactLocation.URI, ".json") || loc.Region == nil {
				t.Errorf("%s at %+v", r.RuleID, loc)
			}
		}
	}
	// Both placements are checked only if the sample has results of both.
	if rules["scan/unused"] == 0 || rules["scan/missing"] == 0 {
		t.Errorf("results by rule %v: want scan/unused and scan/missing ones", rules)
	}
}

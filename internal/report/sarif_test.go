package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/manifestctl/manifestctl/manifest"
)

// sarifSchemaFile is a faithful subset of the official SARIF 2.1.0 schema
// (see its description); it cannot be downloaded in tests.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	src, err := os.ReadFile(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, bytes.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodeUseNumber(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return v
}

func TestSARIFSchema(t *testing.T) {
	schema := compileSARIFSchema(t)
	reports := map[string]*Report{
		"fixture": fixtureReport(t),
		"empty":   {Tool: Tool{Name: "manifestctl", Version: "devel"}},
		"catalogue rules and stdin": {Files: []File{{Path: "-", Diagnostics: []manifest.Diagnostic{
			{Rule: "MC003", Severity: manifest.SeverityError, Message: "file is empty", Pos: manifest.Position{File: "-", Line: 1, Col: 1}},
			{Rule: "MC010", Severity: manifest.SeverityError, Message: "no position"},
		}}}},
		"absolute path": {Files: []File{{Path: "/tmp/x y/manifest.json", Diagnostics: []manifest.Diagnostic{
			{Rule: "MC105", Severity: manifest.SeverityInfo, Message: "admin", Pos: manifest.Position{Line: 2, Col: 3}},
		}}}},
	}
	for name, rep := range reports {
		t.Run(name, func(t *testing.T) {
			f, _ := New("sarif", Options{})
			var buf bytes.Buffer
			if err := f.Format(&buf, rep); err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(decodeUseNumber(t, buf.Bytes())); err != nil {
				t.Fatalf("SARIF output does not match the 2.1.0 schema: %#v", err)
			}
			checkGitHubSARIF(t, buf.Bytes())
		})
	}
}

// checkGitHubSARIF checks what GitHub code scanning needs beyond the
// schema: results name a rule of the driver by id and index, a location
// with a relative forward-slash URI, a region with a start line, and a
// fingerprint; the driver names its version.
func checkGitHubSARIF(t *testing.T, b []byte) {
	t.Helper()
	var log struct {
		Schema string `json:"$schema"`
		Runs   []struct {
			Tool struct {
				Driver struct {
					Name    string `json:"name"`
					Version string `json:"version"`
					Rules   []struct {
						ID                   string `json:"id"`
						HelpURI              string `json:"helpUri"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if log.Schema == "" || len(log.Runs) != 1 {
		t.Fatalf("want $schema and one run, got %q and %d runs", log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "manifestctl" {
		t.Errorf("driver name = %q", run.Tool.Driver.Name)
	}
	ids := make(map[string]bool)
	for _, r := range run.Tool.Driver.Rules {
		if ids[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		ids[r.ID] = true
		if !strings.HasPrefix(r.HelpURI, "https://") || !strings.HasSuffix(r.HelpURI, r.ID+".md") {
			t.Errorf("rule %s helpUri = %q", r.ID, r.HelpURI)
		}
	}
	for _, res := range run.Results {
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s: ruleIndex %d does not name its rule", res.RuleID, res.RuleIndex)
		}
		if res.Message.Text == "" || res.Level == "" {
			t.Errorf("result %s: empty message or level", res.RuleID)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %s: %d locations, want 1", res.RuleID, len(res.Locations))
		}
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if uri == "" || strings.Contains(uri, `\`) {
			t.Errorf("result %s: uri %q", res.RuleID, uri)
		}
		if res.PartialFingerprints[FingerprintKey] == "" {
			t.Errorf("result %s: no %s fingerprint", res.RuleID, FingerprintKey)
		}
	}
}

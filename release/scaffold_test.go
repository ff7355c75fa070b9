package release

import (
	"errors"
	"fmt"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/validate"
)

// TestScaffoldValidates builds manifests for a matrix of options and runs
// the whole validate pipeline on each: no error, no warning.
func TestScaffoldValidates(t *testing.T) {
	grants := []permissions.Assignment{
		{Scope: permissions.Project, Tool: "daily_log", Level: permissions.ReadOnly},
		{Scope: permissions.Company, Tool: "documents", Level: permissions.Standard},
	}
	n := 0
	for _, sv := range []manifest.SchemaVersion{"", manifest.V41, "3", "3.2"} {
		for _, conn := range []string{"", ConnectorNone, ConnectorUser, ConnectorServiceAccount} {
			for _, full := range []string{"", "https://example.com/app?company={{procore.company.id}}"} {
				for _, side := range []string{"", "https://example.com/panel/{{procore.project.id}}"} {
					for _, texts := range []bool{false, true} {
						opts := ScaffoldOptions{SchemaVersion: sv, DataConnector: conn, Fullscreen: full, Sidepanel: side}
						// Configuration properties: one each URL uses
						// (required), and one no URL uses (optional).
						if texts && (full != "" || side != "") {
							if full != "" {
								opts.Fullscreen += "&region={{region}}"
							}
							if side != "" {
								opts.Sidepanel += "?folder={{folder_id}}"
							}
							opts.Config = []ConfigProperty{{Key: "region", Description: "Your Acme region."}, {Key: "folder_id"}}
							opts.ConfigRequired = true
						}
						if conn == ConnectorServiceAccount {
							opts.Grants = grants
						}
						if side != "" {
							opts.Views = []string{"commitments.work_order_contracts.detail", "prime_contracts.detail"}
						}
						if texts {
							opts.Name, opts.Version = "Acme Sync", "1.2.3"
							opts.Notes = "Map your Acme projects in the app's settings page."
							opts.InstructionsURL, opts.InstructionsLabel = "https://acme.example/setup", "Acme setup guide"
						}
						name := fmt.Sprintf("sv=%s conn=%s full=%t side=%t texts=%t", sv, conn, full != "", side != "", texts)
						n++
						out, err := Scaffold(opts)
						if err != nil {
							t.Errorf("%s: %v", name, err)
							continue
						}
						res := validate.Bytes("manifest.json", out, nil)
						for _, d := range res.Diagnostics {
							if d.Severity >= manifest.SeverityWarning {
								t.Errorf("%s: %v\n%s", name, d, out)
							}
						}
						doc, _ := manifest.Parse("m", out, manifest.ParseOptions{})
						if f, _ := manifest.Format(doc); string(f) != string(out) {
							t.Errorf("%s: output is not in the canonical layout", name)
						}
						if want := string(or(string(sv), "4.1")); doc.Root.Get("schema_version").Text() != want {
							t.Errorf("%s: schema_version = %q", name, doc.Root.Get("schema_version").Text())
						}
						app, _ := Load("m", out)
						if (app.ServiceAccount() != nil) != (conn == ConnectorServiceAccount) {
							t.Errorf("%s: service account present = %v", name, app.ServiceAccount() != nil)
						}
						for _, e := range app.Embedded {
							vars, _ := manifest.TemplateVars(e.URL.Str)
							if len(opts.Config) > 0 && len(e.Config.Properties) == 0 {
								t.Errorf("%s: %s has no configuration properties", name, e.Pointer)
							}
							for _, v := range vars {
								if !manifest.IsBuiltinTemplateVar(v.Name) && len(e.Config.Required) == 0 {
									t.Errorf("%s: %s: {{%s}} is not required", name, e.Pointer, v.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d combinations", n)
}

func TestScaffoldErrors(t *testing.T) {
	g := []permissions.Assignment{{Scope: permissions.Project, Tool: "rfi", Level: permissions.ReadOnly}}
	for _, opts := range []ScaffoldOptions{
		{DataConnector: ConnectorServiceAccount},
		{DataConnector: ConnectorUser, Grants: g},
		{Grants: g},
		{DataConnector: "both"},
		{SchemaVersion: "5"},
		{Sidepanel: "https://x"},
		{Views: []string{"a.b"}},
		{Version: "1.0"},
		{Version: "1.0.0-rc.1"},
		{DataConnector: ConnectorServiceAccount, Grants: []permissions.Assignment{{Scope: "project", Tool: "rfi"}}},
		{Config: []ConfigProperty{{Key: "a"}}},
		{Fullscreen: "https://x/{{a}}", Config: []ConfigProperty{{Key: "a"}, {Key: "a"}}},
		{Fullscreen: "https://x/{{a}}", Config: []ConfigProperty{{Key: "{{a}}"}}},
		{Fullscreen: "https://x/{{a}}", Config: []ConfigProperty{{Key: " "}}},
	} {
		_, err := Scaffold(opts)
		var se *ScaffoldError
		if !errors.As(err, &se) {
			t.Errorf("Scaffold(%+v) error = %v, want a *ScaffoldError", opts, err)
		}
	}
	if err := CheckGrants(append(g, g...)); !errors.Is(err, ErrDuplicateGrant) {
		t.Errorf("CheckGrants(duplicate) = %v", err)
	}
}

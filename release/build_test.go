package release_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
	"github.com/manifestctl/manifestctl/validate"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// zeroRand gives predictable UUIDs.
func zeroRand() *bytes.Reader { return bytes.NewReader(make([]byte, 64)) }

func TestBuilder41(t *testing.T) {
	b, err := release.NewBuilder(manifest.V41)
	must(t, err)
	b.Rand = zeroRand()
	must(t, b.SetAppVersion("1.0.0"))
	must(t, b.SetNotes("Choose the projects to sync after installing."))
	must(t, b.SetPage("https://example.com/setup", "Setup guide"))
	must(t, b.AddSidepanel(release.Component{
		URL:         "https://app.example.com/panel?account={{account}}&project={{procore.project.id}}",
		Description: "Example data next to commitments",
		Views:       []string{"commitments.work_order_contracts.detail"},
		Config: []release.ConfigField{{Key: "account", Name: "Account", Description: "Your Example account", Required: true,
			SupportLink: &release.Link{URL: "https://example.com/help/account", Label: "Where is my account?"}}},
	}))
	must(t, b.AddFullscreen(release.Component{UUID: "9a4c7942-6361-4da8-945c-8051339b886c",
		URL: "https://app.example.com/?company={{procore.company.id}}", Description: "Example dashboard"}))
	must(t, b.Grant("project", "rfi", "Standard"))
	must(t, b.Grant("project", "daily_log", "read_only"))
	must(t, b.Grant("company", "documents", "readonly"))
	must(t, b.Grant("project", "tasks", "readonly"))
	must(t, b.Grant("project", "tasks", "none")) // removes it
	got, err := b.Bytes()
	must(t, err)
	want := `{
  "schema_version": "4.1",
  "app_manifest": {
    "version": "1.0.0"
  },
  "post_installation_instruction": {
    "notes": "Choose the projects to sync after installing.",
    "page": {
      "url": "https://example.com/setup",
      "label": "Setup guide"
    }
  },
  "sidepanel": {
    "uuid": "00000000-0000-4000-8000-000000000000",
    "views": [
      "commitments.work_order_contracts.detail"
    ],
    "source_url": "https://app.example.com/panel?account={{account}}&project={{procore.project.id}}",
    "description": "Example data next to commitments",
    "user_configuration": {
      "schema": {
        "type": "object",
        "required": [
          "account"
        ],
        "properties": {
          "account": {
            "name": "Account",
            "type": "string",
            "description": "Your Example account",
            "support_link": {
              "url": "https://example.com/help/account",
              "label": "Where is my account?"
            }
          }
        }
      }
    }
  },
  "fullscreen": {
    "uuid": "9a4c7942-6361-4da8-945c-8051339b886c",
    "source_url": "https://app.example.com/?company={{procore.company.id}}",
    "description": "Example dashboard"
  },
  "permissions": {
    "company": {
      "documents": "readonly"
    },
    "project": {
      "daily_log": "readonly",
      "rfi": "standard"
    }
  }
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Bytes() (-want +got):\n%s", diff)
	}
	assertClean(t, got)
}

// assertClean validates the output: no finding at all, and formatting it
// changes nothing.
func assertClean(t *testing.T, src []byte) {
	t.Helper()
	res := validate.Bytes("built.json", src, nil)
	for _, d := range res.Diagnostics {
		t.Errorf("built manifest has a finding: %s", d)
	}
	doc, _ := manifest.Parse("built.json", src, manifest.ParseOptions{})
	formatted, err := manifest.Format(doc)
	if err != nil || !bytes.Equal(formatted, src) {
		t.Errorf("Format changes the built manifest (%v):\n%s", err, formatted)
	}
}

func TestBuilder3(t *testing.T) {
	for _, v := range []manifest.SchemaVersion{"3", "3.2"} {
		t.Run(string(v), func(t *testing.T) {
			b, err := release.NewBuilder(v)
			must(t, err)
			must(t, b.SetAppVersion("2.1.0"))
			must(t, b.SetNotes("Connect your Example account in the app's settings."))
			must(t, b.SetPage("https://example.com/setup", "Setup guide"))
			must(t, b.AddFullscreen(release.Component{Name: "Example", URL: "https://app.example.com/{{procore.company.id}}", Description: "Dashboard"}))
			if v == "3.2" {
				must(t, b.AddSidepanel(release.Component{URL: "https://app.example.com/panel", Description: "Panel",
					Views: []string{"prime_contracts.detail"}}))
			}
			must(t, b.Grant("project", "rfi", "readonly"))
			got, err := b.Bytes()
			must(t, err)
			assertClean(t, got)
			doc, _ := manifest.Parse("x", got, manifest.ParseOptions{})
			app := manifest.View(doc, v)
			set, err := permissions.Declared(app)
			if err != nil || set.Level("project", "rfi") != permissions.ReadOnly || len(app.Embedded) == 0 {
				t.Errorf("built 3.x manifest: grants %v (%v), %d components\n%s", set.Grants(), err, len(app.Embedded), got)
			}
			// Every 3.x iframe instance says its type, as init always
			// did: the 3.x schema allows it in every 3.x version.
			if !strings.Contains(string(got), `"type": "fullscreen"`) {
				t.Errorf("3.x output has no iframe type:\n%s", got)
			}
		})
	}
	// User Level Authentication only.
	b, err := release.NewBuilder("3.1")
	must(t, err)
	must(t, b.SetNotes("Sign in with your Procore account."))
	must(t, b.UserLevelAuth())
	got, err := b.Bytes()
	must(t, err)
	if !strings.Contains(string(got), `"grant_type": "authorization_code"`) {
		t.Errorf("no authorization_code instance:\n%s", got)
	}
}

// render stops at a failed step, or renders the manifest (with notes) and
// returns Bytes' error.
func render(b *release.Builder, step error) error {
	if step != nil {
		return step
	}
	if err := b.SetNotes("Sign in."); err != nil {
		return err
	}
	_, err := b.Bytes()
	return err
}

// TestBuilderRefusesWhatValidateRefuses checks that the error of Bytes
// carries validate's findings, and that what validate accepts is built:
// a manifest with no component (init's default).
func TestBuilderRefusesWhatValidateRefuses(t *testing.T) {
	b, err := release.NewBuilder(manifest.V41)
	must(t, err)
	err = render(b, b.AddFullscreen(release.Component{URL: "https://x.example/{{a{{procore.company.id}}", Description: "d"}))
	var be *release.BuildError
	if !errors.As(err, &be) || len(be.Diagnostics) != 1 || be.Diagnostics[0].Rule != "MC204" {
		t.Fatalf("Bytes error = %#v, want a *BuildError with the MC204 finding", err)
	}
	src := []byte(`{"schema_version": "4.1", "post_installation_instruction": {"notes": "n"}, "fullscreen": {"uuid": "u", ` +
		`"source_url": "https://x.example/{{a{{procore.company.id}}", "description": "d"}}`)
	var got []manifest.Diagnostic
	for _, d := range validate.Bytes("m.json", src, nil).Diagnostics {
		if d.Severity >= manifest.SeverityError {
			got = append(got, d)
		}
	}
	if len(got) != 1 || got[0].Rule != be.Diagnostics[0].Rule || got[0].Message != be.Diagnostics[0].Message {
		t.Errorf("validate reports %v, the Builder %v: they must agree", got, be.Diagnostics)
	}

	b, err = release.NewBuilder(manifest.V41)
	must(t, err)
	must(t, b.SetNotes("Nothing to configure."))
	must(t, b.SetPage("https://example.com/setup", "Setup guide"))
	must(t, b.SetAppVersion("1.0.0"))
	out, err := b.Bytes()
	must(t, err)
	assertClean(t, out)
}

func TestBuilderErrors(t *testing.T) {
	comp := func(mod func(*release.Component)) release.Component {
		c := release.Component{URL: "https://x.example.com/", Description: "d", Views: []string{"prime_contracts.detail"}}
		mod(&c)
		return c
	}
	tests := []struct {
		name string
		v    manifest.SchemaVersion
		do   func(b *release.Builder) error
		msg  string
	}{
		// Bytes refuses what validate refuses, with validate's findings.
		{"http URL", "4.1", func(b *release.Builder) error {
			return render(b, b.AddSidepanel(comp(func(c *release.Component) { c.URL = "http://x.example.com/" })))
		}, "/sidepanel/source_url: URL must use https"},
		{"unknown variable", "4.1", func(b *release.Builder) error {
			return render(b, b.AddSidepanel(comp(func(c *release.Component) { c.URL = "https://{{subdomain}}.example.com/" })))
		}, `unknown template variable "subdomain"`},
		{"malformed template", "4.1", func(b *release.Builder) error {
			return render(b, b.AddFullscreen(release.Component{URL: "https://x.example/{{a{{procore.company.id}}", Description: "d"}))
		}, `malformed URL template: unclosed "{{" at character 19`},
		{"unknown view key", "4.1", func(b *release.Builder) error {
			b.Refuse = manifest.SeverityWarning
			b.SetPage("https://x.example.com/setup", "Setup")
			return render(b, b.AddSidepanel(comp(func(c *release.Component) { c.Views = []string{"rfis.nowhere"} })))
		}, "[MC207]"},
		{"side panel without views", "4.1", func(b *release.Builder) error {
			return b.AddSidepanel(comp(func(c *release.Component) { c.Views = nil }))
		}, "needs at least one view key"},
		{"full screen with views", "4.1", func(b *release.Builder) error { return b.AddFullscreen(comp(func(*release.Component) {})) }, "has no views"},
		{"two side panels in 4.1", "4.1", func(b *release.Builder) error {
			b.AddSidepanel(comp(func(*release.Component) {}))
			return b.AddSidepanel(comp(func(*release.Component) {}))
		}, "one sidepanel component"},
		{"duplicate uuid", "3.2", func(b *release.Builder) error {
			b.AddSidepanel(comp(func(c *release.Component) { c.UUID = "u" }))
			return render(b, b.AddSidepanel(comp(func(c *release.Component) { c.UUID = "u" })))
		}, `[MC206]`},
		{"duplicate config key", "4.1", func(b *release.Builder) error {
			return b.AddSidepanel(comp(func(c *release.Component) {
				c.Config = []release.ConfigField{{Key: "a", Name: "A"}, {Key: "a", Name: "B"}}
			}))
		}, `"a" is defined twice`},
		{"support link in 3.x", "3.2", func(b *release.Builder) error {
			return b.AddSidepanel(comp(func(c *release.Component) {
				c.Config = []release.ConfigField{{Key: "a", Name: "A", SupportLink: &release.Link{URL: "https://h"}}}
			}))
		}, "support links need schema 4.1"},
		{"no description", "4.1", func(b *release.Builder) error {
			return b.AddSidepanel(comp(func(c *release.Component) { c.Description = " " }))
		}, "needs a description"},
		{"catalogue level check", "4.1", func(b *release.Builder) error { return b.Grant("company", "admin", "standard") }, "offers only none, admin"},
		{"wrong scope", "4.1", func(b *release.Builder) error { return b.Grant("company", "daily_log", "readonly") }, "is a project tool"},
		{"unknown level", "4.1", func(b *release.Builder) error { return b.Grant("project", "rfi", "editor") }, `level "editor" is not one of`},
		{"bad scope", "4.1", func(b *release.Builder) error { return b.Grant("team", "rfi", "readonly") }, `unknown scope "team"`},
		{"empty tool", "4.1", func(b *release.Builder) error { return b.Grant("project", "", "readonly") }, "empty tool key"},
		{"grant after user level in 3.x", "3", func(b *release.Builder) error {
			b.UserLevelAuth()
			return b.Grant("project", "rfi", "readonly")
		}, "at most one data connection instance"},
		{"user level after grant in 3.x", "3", func(b *release.Builder) error {
			b.Grant("project", "rfi", "readonly")
			return b.UserLevelAuth()
		}, "at most one data connection instance"},
		{"bad app version", "4.1", func(b *release.Builder) error { return b.SetAppVersion("1.0") }, "not MAJOR.MINOR.PATCH"},
		{"prerelease app version", "4.1", func(b *release.Builder) error { return b.SetAppVersion("1.0.0-beta") }, "not MAJOR.MINOR.PATCH"},
		{"empty notes", "4.1", func(b *release.Builder) error { return b.SetNotes("  ") }, "notes are empty"},
		{"page label", "4.1", func(b *release.Builder) error { return b.SetPage("https://x.example.com", "") }, "needs a label"},
		{"page http", "4.1", func(b *release.Builder) error {
			return render(b, b.SetPage("http://x.example.com", "Setup"))
		}, "/post_installation_instruction/page/url: URL must use https"},
		{"no notes", "4.1", func(b *release.Builder) error {
			b.Grant("project", "rfi", "readonly")
			_, err := b.Bytes()
			return err
		}, "no post-installation notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := release.NewBuilder(tt.v)
			must(t, err)
			err = tt.do(b)
			var be *release.BuildError
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.msg)
			}
			if !errors.As(err, &be) {
				t.Errorf("error %v is not a *release.BuildError", err)
			}
		})
	}
	if _, err := release.NewBuilder("5"); err == nil {
		t.Error("NewBuilder(5) succeeded")
	}
	// The zero Builder does not panic.
	var zero release.Builder
	if err := zero.Grant("project", "rfi", "readonly"); err != nil {
		t.Errorf("zero Builder Grant: %v", err)
	}
	if _, err := zero.Bytes(); err == nil {
		t.Error("zero Builder rendered")
	}
	if err := zero.AddFullscreen(release.Component{URL: "https://x.example.com", Description: "d"}); err != nil {
		t.Errorf("zero Builder AddFullscreen: %v", err)
	}
}

package release_test

import (
	"errors"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/release"
	"github.com/manifestctl/manifestctl/validate"
)

// FuzzBuilderAgreesWithValidate builds manifests from arbitrary URLs, view
// keys, configuration keys and levels, and checks the Builder's promise:
// what Bytes returns has no error finding, and what it refuses for a
// finding, validate reports too.
func FuzzBuilderAgreesWithValidate(f *testing.F) {
	f.Add("4.1", "https://x.example/{{a{{procore.company.id}}", "rfis.detail", "account", "readonly")
	f.Add("4.1", "https://app.example.com/{{account}}?p={{procore.project.id}}", "commitments.work_order_contracts.detail", "account", "Read Only")
	f.Add("3", "http://app.example.com/", "prime_contracts.detail", "", "admin")
	f.Add("3.2", "https://app.example.com/{{ account }}", "nowhere", "account", "standard")
	f.Add("4.1", "https://{{}}.example.com", "rfis.detail", "a b", "none")
	f.Fuzz(func(t *testing.T, version, url, view, key, level string) {
		b, err := release.NewBuilder(manifest.SchemaVersion(version))
		if err != nil {
			return
		}
		if b.SetNotes("Sign in.") != nil || b.SetAppVersion("1.0.0") != nil {
			t.Fatal("valid notes or version refused")
		}
		c := release.Component{URL: url, Description: "d", Views: []string{view}}
		if key != "" {
			c.Config = []release.ConfigField{{Key: key, Name: "K", Required: true}}
		}
		if b.AddSidepanel(c) != nil {
			return
		}
		_ = b.Grant("project", "rfi", level) // a refused level leaves the Builder as it was
		out, err := b.Bytes()
		var be *release.BuildError
		switch {
		case err == nil:
			for _, d := range validate.Bytes("m.json", out, nil).Diagnostics {
				if d.Severity >= manifest.SeverityError {
					t.Errorf("Bytes accepted a manifest validate refuses: %s\n%s", d, out)
				}
			}
		case errors.As(err, &be) && len(be.Diagnostics) > 0:
			for _, d := range be.Diagnostics {
				if d.Severity < manifest.SeverityError {
					t.Errorf("Bytes refused for a finding below error: %s", d)
				}
			}
		default:
			t.Errorf("Bytes: %v, want a *BuildError with findings", err)
		}
	})
}

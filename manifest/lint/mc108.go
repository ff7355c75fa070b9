package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc108 = &Rule{ID: "MC108", Title: "implicit grant type", Severity: manifest.SeverityError, Run: runMC108}

// runMC108 reports the implicit grant type of 2021-era 3.x manifests.
func runMC108(p *Pass) {
	for i := range p.App.Connectors {
		c := &p.App.Connectors[i]
		if c.Implied || c.GrantType != manifest.GrantImplicit {
			continue
		}
		p.Reportf(c.Pointer+"/grant_type", "grant_type %q is no longer supported by Procore: use %q for User Level Authentication, or %q for a service account",
			manifest.GrantImplicit, manifest.GrantAuthorizationCode, manifest.GrantClientCredentials)
	}
}

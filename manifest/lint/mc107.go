package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc107 = &Rule{ID: "MC107", Title: "permissions outside a client_credentials instance", Severity: manifest.SeverityError, Run: runMC107}

// runMC107 reports permissions inside a 3.x oauth instance that is not a
// client_credentials instance: Procore ignores them there.
func runMC107(p *Pass) {
	for i := range p.App.Connectors {
		c := &p.App.Connectors[i]
		if c.Implied || c.ServiceAccount || c.Permissions.Pointer == "" {
			continue
		}
		grant := "without grant_type"
		if gt := c.Node.Get("grant_type"); gt.IsString() {
			grant = "with grant_type " + quoteKey(gt.Str)
		}
		p.Reportf(c.Permissions.Pointer, "permissions in an oauth instance %s are ignored: only a %s instance carries the service account's permissions; set grant_type to %q if the app needs a service account, else remove them",
			grant, manifest.GrantClientCredentials, manifest.GrantClientCredentials)
	}
}

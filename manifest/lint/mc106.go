package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc106 = &Rule{ID: "MC106", Title: "service account without permissions", Severity: manifest.SeverityError, Run: runMC106}

// runMC106 reports a service account that declares nothing: a 3.x
// client_credentials instance with no permissions member, or permissions
// (3.x or 4.1) with no tool above none. Procore generates DMSA credentials
// only when tool permissions are defined, and the service account would
// reach nothing.
func runMC106(p *Pass) {
	for i := range p.App.Connectors {
		c := &p.App.Connectors[i]
		if !c.ServiceAccount {
			continue
		}
		perms := c.Permissions
		if perms.Pointer == "" {
			p.Report(c.Pointer, "client_credentials instance declares no permissions: Procore creates no service account credentials without them; add a permissions object with company or project tools (manifestctl permissions set FILE project:TOOL=LEVEL)")
			continue
		}
		if !perms.Node.IsObject() || declaresSomething(perms) {
			continue
		}
		p.Report(perms.Pointer, "permissions declare no tool above none: Procore creates no service account credentials without them, and the service account would reach nothing; declare at least one company or project tool")
	}
}

// declaresSomething reports whether a grant is above none, or is not a
// level at all (MC102 reports it; the author meant something).
func declaresSomething(perms manifest.Permissions) bool {
	for _, sc := range perms.Scopes() {
		for _, g := range sc.Grants {
			l, err := permissions.ParseLevel(g.Level)
			if !g.Node.IsString() || err != nil || l > permissions.None {
				return true
			}
		}
	}
	return false
}

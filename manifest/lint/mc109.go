package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc109 = &Rule{ID: "MC109", Title: "company directory at admin level", Severity: manifest.SeverityWarning, Run: runMC109}

// runMC109 warns about admin on the company Directory: Procore treats it
// as admin on every company and project tool.
func runMC109(p *Pass) {
	for _, g := range p.grants() {
		if g.parsed && g.level == permissions.Admin && isCompanyDirectory(g) {
			p.Report(g.Pointer, "admin on the company Directory makes the service account an admin of every company and project tool; grant readonly or standard and add the tools the app needs")
		}
	}
}

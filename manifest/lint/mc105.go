package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc105 = &Rule{ID: "MC105", Title: "admin level declared", Severity: manifest.SeverityInfo, Run: runMC105}

// runMC105 notes every admin grant: least privilege. The company Directory
// at admin is MC109's warning instead.
func runMC105(p *Pass) {
	for _, g := range p.grants() {
		if !g.parsed || g.level != permissions.Admin || g.notAllowed() || isCompanyDirectory(g) {
			continue
		}
		p.Reportf(g.Pointer, "admin on %s lets the service account configure the tool and edit or delete every item in it; grant the lowest level the app needs", g.toolName())
	}
}

func isCompanyDirectory(g grant) bool {
	if g.Scope != manifest.ScopeCompany {
		return false
	}
	if g.tool != nil {
		return g.tool.Key == "directory"
	}
	return g.Tool == "directory"
}

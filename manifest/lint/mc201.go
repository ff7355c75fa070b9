package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc201 = &Rule{ID: "MC201", Title: "more than one data connection component", Severity: manifest.SeverityError, Run: runMC201}

// runMC201 reports every data connection component after the first. Only
// schema 3.x can state several (components.oauth.instances); 4.1 has at
// most one, implied by the permissions member.
func runMC201(p *Pass) {
	conns := p.App.Connectors
	for i := 1; i < len(conns); i++ {
		p.Reportf(conns[i].Pointer,
			"an app has at most one data connection component, and %s is already one: remove this instance "+
				"(in schema 4.1 one data connection component covers both user-level and service account authentication)",
			conns[0].Pointer)
	}
}

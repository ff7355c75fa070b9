package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc103 = &Rule{ID: "MC103", Title: "tool declared under the wrong scope", Severity: manifest.SeverityError, Run: runMC103}

// runMC103 reports a tool declared under the scope it does not belong to:
// unknown in the declared scope, known in the other one.
func runMC103(p *Pass) {
	cat := p.catalog()
	if cat == nil {
		return
	}
	for _, g := range p.grants() {
		if g.tool != nil {
			continue
		}
		if other := cat.OtherScope(g.Scope, g.Tool); other != nil {
			p.Reportf(g.Pointer, "%q is a %s tool (%s), not a %s tool: move it under %q",
				g.Tool, other.Scope, other.Name, g.Scope, other.Scope)
		}
	}
}

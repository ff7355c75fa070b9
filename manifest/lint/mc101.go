package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc101 = &Rule{ID: "MC101", Title: "unknown tool", Severity: manifest.SeverityWarning, Run: runMC101}

// runMC101 reports tool keys the catalogue does not know in their scope
// (and not in the other scope either: that is MC103), with a suggestion.
// It is a warning: the catalogue may lag Procore.
func runMC101(p *Pass) {
	cat := p.catalog()
	if cat == nil {
		return
	}
	for _, g := range p.grants() {
		if g.tool != nil || cat.OtherScope(g.Scope, g.Tool) != nil {
			continue
		}
		if s := cat.Suggest(g.Scope, g.Tool); s != nil {
			p.Reportf(g.Pointer, "unknown %s tool %q; did you mean %q (%s)?", g.Scope, g.Tool, s.Key, s.Name)
			continue
		}
		p.Reportf(g.Pointer, "unknown %s tool %q: it is not in the tool catalogue; check the key in the Permission Builder, or add the tool with --tools FILE", g.Scope, g.Tool)
	}
}

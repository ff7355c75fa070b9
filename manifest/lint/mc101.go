package lint

import (
	"fmt"

	"github.com/manifestctl/manifestctl/manifest"
)

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
			reportAtKey(p, g.Pointer, fmt.Sprintf("unknown %s tool %q; did you mean %q (%s)?", g.Scope, g.Tool, s.Key, s.Name))
			continue
		}
		reportAtKey(p, g.Pointer, fmt.Sprintf("unknown %s tool %q: it is not in the tool catalogue; check the key in the Permission Builder, or add the tool with --tools FILE", g.Scope, g.Tool))
	}
}

// reportAtKey reports a finding about the member at pointer that points
// at its key (the tool's name), not at its value.
func reportAtKey(p *Pass, pointer, msg string) {
	d := p.Doc.Diag(p.rule.ID, p.rule.Severity, pointer, msg)
	tokens, err := manifest.SplitPointer(pointer)
	if err == nil && len(tokens) > 0 {
		parent := p.Doc.Root.Lookup(manifest.ParentPointer(pointer))
		if i := parent.Member(tokens[len(tokens)-1]); i >= 0 {
			m := parent.Members[i]
			d.Pos = p.Doc.PositionAt(m.KeyStart, pointer)
			d.End = p.Doc.PositionAt(m.KeyEnd, pointer)
		}
	}
	p.ReportDiag(d)
}

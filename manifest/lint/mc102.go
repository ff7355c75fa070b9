package lint

import (
	"fmt"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc102 = &Rule{ID: "MC102", Title: "level not valid or not allowed for the tool", Severity: manifest.SeverityError, Run: runMC102}

// runMC102 reports levels that are not levels, and levels the Permission
// Builder does not offer for the tool (the company Admin tool allows only
// none and admin).
func runMC102(p *Pass) {
	for _, g := range p.grants() {
		switch {
		case !g.isString:
			kind := "nothing"
			if g.Node != nil {
				kind = g.Node.Kind.String()
			}
			p.Reportf(g.Pointer, "level must be a string, one of %s; found a %s", permissions.LevelNames, kind)
		case !g.parsed:
			p.Report(g.Pointer, (&permissions.LevelError{Input: g.Level}).Error())
		case g.notAllowed():
			spelled := fmt.Sprintf("%q", g.Level)
			if g.Level != g.level.String() {
				spelled += " (" + g.level.String() + ")"
			}
			p.Reportf(g.Pointer, "level %s is not allowed for %s: the Permission Builder offers only %s",
				spelled, g.toolName(), g.tool.LevelList())
		}
	}
}

package lint

import (
	"fmt"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc102 = &Rule{ID: "MC102", Title: "level not valid or not allowed for the tool", Severity: manifest.SeverityError, Fixable: true, Run: runMC102}

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
			if g.Node != nil && g.Node.Kind == manifest.Number && permissions.IsAPIID(g.Node.Str) {
				// A Procore API id, as permissions set reads it: fixable.
				l, _ := permissions.ParseLevel(g.Node.Str)
				p.ReportFix(g.Pointer, fmt.Sprintf("level must be a string, one of %s; found the number %s, Procore's API id of %q: write %q",
					permissions.LevelNames, g.Node.Str, l.String(), l.String()), &manifest.Fix{
					Description: fmt.Sprintf("write %s level %s as %q", g.Tool, g.Node.Str, l.String()),
					Edits:       []manifest.Edit{{Start: g.Node.Start, End: g.Node.End, Text: strconv.Quote(l.String())}},
				})
				continue
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

package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// catalog returns the catalogue the permission rules use, or nil when the
// embedded one cannot be read (a broken build; its test catches that).
func (p *Pass) catalog() *permissions.Catalog {
	if p.Options != nil && p.Options.Catalog != nil {
		return p.Options.Catalog
	}
	c, err := permissions.Default()
	if err != nil {
		return nil
	}
	return c
}

// grant is a declared permission with its level parsed and its tool
// looked up.
type grant struct {
	manifest.Grant
	isString bool              // the level is a string
	level    permissions.Level // valid when parsed
	parsed   bool              // the level is a string ParseLevel accepts
	tool     *permissions.Tool // nil when the catalogue does not know the key in this scope
}

// grants returns every declared permission of every data connector, the
// ones in the wrong instance (MC107) included, in file order.
func (p *Pass) grants() []grant {
	if !p.grantDone {
		p.grantList, p.grantDone = p.collectGrants(), true
	}
	return p.grantList
}

func (p *Pass) collectGrants() []grant {
	cat := p.catalog()
	var out []grant
	for i := range p.App.Connectors {
		for _, sc := range p.App.Connectors[i].Permissions.Scopes() {
			for _, g := range sc.Grants {
				gi := grant{Grant: g, isString: g.Node.IsString()}
				if gi.isString {
					if l, err := permissions.ParseLevel(g.Level); err == nil {
						gi.level, gi.parsed = l, true
					}
				}
				if cat != nil {
					gi.tool = cat.Lookup(g.Scope, g.Tool)
				}
				out = append(out, gi)
			}
		}
	}
	return out
}

// notAllowed reports whether the level parses but the known tool does not
// allow it (MC102).
func (g *grant) notAllowed() bool {
	return g.parsed && g.tool != nil && !g.tool.Allows(g.level)
}

// toolName describes a tool for messages: project tool "rfi" (RFIs).
func (g *grant) toolName() string {
	s := g.Scope + " tool " + quoteKey(g.Tool)
	if g.tool != nil {
		s += " (" + g.tool.Name + ")"
	}
	return s
}

func quoteKey(s string) string { return `"` + s + `"` }

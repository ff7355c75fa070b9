package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// permissionRules are the MC1xx rules: the service account's declared tool
// permissions, checked against the tool catalogue (Options.Catalog).
var permissionRules = []*Rule{
	{ID: "MC101", Title: "unknown tool", Severity: manifest.SeverityWarning, Run: runMC101},
	{ID: "MC102", Title: "level not valid or not allowed for the tool", Severity: manifest.SeverityError, Run: runMC102},
	{ID: "MC103", Title: "tool declared under the wrong scope", Severity: manifest.SeverityError, Run: runMC103},
	{ID: "MC104", Title: "level not in the manifest spelling", Severity: manifest.SeverityWarning, Fixable: true, Run: runMC104},
	{ID: "MC105", Title: "admin level declared", Severity: manifest.SeverityInfo, Run: runMC105},
	{ID: "MC106", Title: "service account without permissions", Severity: manifest.SeverityError, Run: runMC106},
	{ID: "MC107", Title: "permissions outside a client_credentials instance", Severity: manifest.SeverityError, Run: runMC107},
	{ID: "MC108", Title: "implicit grant type", Severity: manifest.SeverityError, Run: runMC108},
	{ID: "MC109", Title: "company directory at admin level", Severity: manifest.SeverityWarning, Run: runMC109},
	{ID: "MC110", Title: "level none written explicitly", Severity: manifest.SeverityInfo, Fixable: true, Run: runMC110},
	{ID: "MC111", Title: "empty company or project permissions", Severity: manifest.SeverityInfo, Run: runMC111},
}

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

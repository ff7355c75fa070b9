package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc111 = &Rule{ID: "MC111", Title: "empty company or project permissions", Severity: manifest.SeverityInfo, Run: runMC111}

// runMC111 notes an empty company or project object: it declares nothing.
func runMC111(p *Pass) {
	for i := range p.App.Connectors {
		for _, sc := range p.App.Connectors[i].Permissions.Scopes() {
			if sc.Node.IsObject() && sc.Node.Len() == 0 {
				p.Reportf(sc.Pointer, "empty %q permissions: declare a %s tool or remove the member", sc.Name, sc.Name)
			}
		}
	}
}

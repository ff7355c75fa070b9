package lint

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

package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc205 = &Rule{ID: "MC205", Title: "required configuration property unused in the URL", Severity: manifest.SeverityWarning, Run: runMC205}

// runMC205 reports a required configuration property that the URL template
// never uses: the installing admin must enter it, yet it is probably
// unused (the app could read it only through the App Configurations API).
func runMC205(p *Pass) {
	for i := range p.App.Embedded {
		e := &p.App.Embedded[i]
		if !e.URL.IsString() || len(e.Config.Required) == 0 {
			continue
		}
		vars, err := manifest.TemplateVars(e.URL.Str)
		if err != nil {
			continue // MC204 reports the template; which names it uses is unclear
		}
		used := make(map[string]bool, len(vars))
		for _, v := range vars {
			used[v.Name] = true
		}
		keys := configKeys(e)
		urlKey := e.URLPointer[len(e.Pointer)+1:]
		for _, r := range e.Config.Required {
			if used[r.Value] || !keys[r.Value] { // undefined names are MC208's
				continue
			}
			p.Reportf(r.Pointer, "required configuration property %q is never used in the URL template (%s): "+
				"the installing admin must fill it in, but it is probably unused (the URL does not pass it; the app could only read it through "+
				"the App Configurations API); add {{%s}} to the URL or make it optional",
				r.Value, urlKey, r.Value)
		}
	}
}

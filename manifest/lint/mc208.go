package lint

import (
	"fmt"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc208 = &Rule{ID: "MC208", Title: "required names an undefined configuration property", Severity: manifest.SeverityError, Run: runMC208}

// runMC208 reports a name in a configuration schema's "required" list
// that is not one of its properties: the portal cannot ask the admin for a
// field it has no definition of.
func runMC208(p *Pass) {
	for i := range p.App.Embedded {
		e := &p.App.Embedded[i]
		if len(e.Config.Required) == 0 {
			continue
		}
		keys := configKeys(e)
		candidates := make([]string, 0, len(e.Config.Properties))
		for _, prop := range e.Config.Properties {
			candidates = append(candidates, prop.Key)
		}
		for _, r := range e.Config.Required {
			if keys[r.Value] {
				continue
			}
			msg := fmt.Sprintf("required property %q is not defined in properties", r.Value)
			if s := closestCandidate(r.Value, candidates); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; define it under properties or remove it from required"
			}
			p.Report(r.Pointer, msg)
		}
	}
}

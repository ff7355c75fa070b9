package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc202 = &Rule{ID: "MC202", Title: "side panel component without views", Severity: manifest.SeverityError, Run: runMC202}

// runMC202 reports a side panel component with no views: Procore shows a
// side panel only next to the views it names, so without any it never
// appears.
func runMC202(p *Pass) {
	for _, e := range p.App.Embedded {
		if e.Kind != manifest.Sidepanel {
			continue
		}
		switch {
		case e.Views == nil:
			p.Report(e.Pointer, `side panel component has no "views", so it never appears: `+
				`add the view keys of the Procore pages it belongs to, such as "commitments.work_order_contracts.detail"`)
		case e.Views.IsArray() && len(e.Views.Elems) == 0:
			p.Report(e.ViewsPointer, `side panel "views" is empty, so the panel never appears: `+
				`add the view keys of the Procore pages it belongs to, such as "commitments.work_order_contracts.detail"`)
		}
	}
}

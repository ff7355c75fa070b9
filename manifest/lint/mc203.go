package lint

import "github.com/manifestctl/manifestctl/manifest"

var mc203 = &Rule{ID: "MC203", Title: "full-screen component with side panel views", Severity: manifest.SeverityError, Run: runMC203}

// runMC203 reports views on a full-screen component: only side panels are
// tied to views.
func runMC203(p *Pass) {
	for _, e := range p.App.Embedded {
		if e.Kind != manifest.Fullscreen || e.Views == nil {
			continue
		}
		switch {
		case p.App.Version.Family() == manifest.V41:
			p.Report(e.ViewsPointer, `a full-screen component has no side panel views: `+
				`remove "views", or move them to the "sidepanel" component`)
		case !e.Node.Has("type"):
			p.Report(e.ViewsPointer, `an iframe instance without "type" is a full-screen component, which has no side panel views: `+
				`add "type": "sidepanel" if this is a side panel, else remove "views"`)
		default:
			p.Report(e.ViewsPointer, `a full-screen component has no side panel views: `+
				`remove "views", or set "type" to "sidepanel" if this is a side panel`)
		}
	}
}

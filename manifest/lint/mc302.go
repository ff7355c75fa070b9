package lint

import (
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc302 = &Rule{ID: "MC302", Title: "setup instructions page or its label missing", Severity: manifest.SeverityWarning, Run: runMC302}

// runMC302 reports a post-installation instruction without a setup page,
// or a page without link text. Procore shows the page as a link labelled
// with "label" after the install and in App Management. When the whole
// post_installation_instruction is missing, MC301 reports it alone.
func runMC302(p *Pass) {
	in := p.App.Install
	if in.Node == nil {
		return
	}
	page := in.Page
	switch {
	case page == nil:
		p.Report(installPointer, `post-installation instructions have no "page": add "page": {"url": ..., "label": ...} `+
			`linking to your setup instructions, shown to admins after the install and in App Management`)
	case !page.IsObject():
		// The schema reports it.
	case !page.Has("label"):
		p.Report(installPointer+"/page", `setup instructions page has no "label": add the link text admins see, `+
			`such as "App Setup Instructions"`)
	case page.Get("label").IsString() && strings.TrimSpace(page.Get("label").Str) == "":
		p.Report(installPointer+"/page/label", `setup instructions page "label" is empty: write the link text admins see, `+
			`such as "App Setup Instructions"`)
	}
}

package lint

import (
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc301 = &Rule{ID: "MC301", Title: "post-installation notes missing or empty", Severity: manifest.SeverityWarning, Run: runMC301}

const installPointer = "/post_installation_instruction"

// runMC301 reports missing or blank post-installation notes: Procore shows
// them to the admin right after the install and later in App Management.
func runMC301(p *Pass) {
	in := p.App.Install
	switch {
	case !p.Doc.Root.Has("post_installation_instruction"):
		p.Report("", `"post_installation_instruction" is missing: add it with "notes" telling the installing admin `+
			`what to do after the install, and a "page" linking to your setup instructions`)
	case in.Node == nil:
		// Not an object: the schema reports it.
	case in.Notes == nil:
		p.Report(installPointer, `post-installation "notes" are missing: add notes telling the installing admin `+
			`what to do after the install (Procore shows them right after installing the app)`)
	case in.Notes.IsString() && strings.TrimSpace(in.Notes.Str) == "":
		p.Report(installPointer+"/notes", `post-installation "notes" are empty: write what the installing admin `+
			`must do after the install (Procore shows them right after installing the app)`)
	}
}

package lint

import (
	"github.com/manifestctl/manifestctl/manifest"
)

var mc013 = &Rule{ID: "MC013", Title: "a top-level member belongs to the other schema version", Severity: manifest.SeverityWarning, Run: runMC013}

// runMC013 reports top-level members that belong to the other schema
// version: a 4.1 file with 3.x "components", or a 3.x file with the 4.1
// "fullscreen", "sidepanel" or "permissions". Unknown members are kept and
// never reported, but these are known: the portal reads a manifest by its
// schema_version, so the misplaced part is not what it looks like -- a
// service account declared that way reaches nothing.
func runMC013(p *Pass) {
	root := p.Doc.Root
	switch p.App.Version.Family() {
	case manifest.V41:
		if root.Has("components") {
			p.Report("/components", `"components" is a schema 3.x member: a 4.1 manifest declares "fullscreen" and "sidepanel" objects at the top level and its permissions in "permissions"; move them there (manifestctl migrate converts a whole 3.x file)`)
		}
	case manifest.V3:
		for _, key := range []string{"fullscreen", "sidepanel"} {
			if root.Has(key) {
				p.Reportf("/"+key, `%q at the top level is schema 4.1: in 3.x an embedded component is an instance of components.iframe.instances with "type": %q; move it there, or declare "schema_version": "4.1"`, key, key)
			}
		}
		if root.Has("permissions") {
			p.Report("/permissions", `"permissions" at the top level is schema 4.1: in 3.x the service account's permissions live inside the client_credentials instance of components.oauth.instances; move them there, or declare "schema_version": "4.1"`)
		}
	}
}

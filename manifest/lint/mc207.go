package lint

import (
	"fmt"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc207 = &Rule{ID: "MC207", Title: "unknown side panel view key", Severity: manifest.SeverityWarning, Run: runMC207}

// runMC207 reports side panel view keys that Procore does not document. It
// is a warning: Procore adds views, and the list may be newer than
// manifestctl's.
func runMC207(p *Pass) {
	for _, e := range p.App.Embedded {
		if e.Kind != manifest.Sidepanel || !e.Views.IsArray() {
			continue
		}
		for i, v := range e.Views.Elems {
			if !v.IsString() || IsKnownViewKey(v.Str) {
				continue
			}
			msg := fmt.Sprintf("unknown side panel view key %q: it is not in Procore's documented list", v.Str)
			if s := SuggestViewKey(v.Str); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += "; check Procore's Side Panel View Key Reference"
			}
			p.Report(manifest.AppendIndex(e.ViewsPointer, i), msg)
		}
	}
}

package lint

import (
	"fmt"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc104 = &Rule{ID: "MC104", Title: "level not in the manifest spelling", Severity: manifest.SeverityWarning, Fixable: true, Run: runMC104}

// runMC104 reports levels written in another spelling than the manifest's
// ("Read Only" for "readonly") and attaches a fix that rewrites the value.
// An explicit none is MC110's business, and a level the tool does not
// allow is MC102's. API ids ("3") are fixed as permissions set reads them
// (1 none, 2 readonly, 3 standard, 4 admin).
func runMC104(p *Pass) {
	for _, g := range p.grants() {
		if !g.parsed || g.notAllowed() || permissions.Canonical(g.Level) {
			continue
		}
		want := g.level.String()
		if g.level == permissions.None {
			continue
		}
		msg := fmt.Sprintf("level %q is not in the manifest spelling: write %q", g.Level, want)
		if permissions.IsAPIID(g.Level) {
			msg = fmt.Sprintf("level %q is a Procore API id (%s), not a manifest level: write %q", g.Level, apiIDs, want)
		}
		p.ReportFix(g.Pointer, msg, &manifest.Fix{
			Description: fmt.Sprintf("write %s level %q as %q", g.Tool, g.Level, want),
			Edits:       []manifest.Edit{{Start: g.Node.Start, End: g.Node.End, Text: strconv.Quote(want)}},
		})
	}
}

const apiIDs = "1 none, 2 readonly, 3 standard, 4 admin"

package lint

import (
	"fmt"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

var mc110 = &Rule{ID: "MC110", Title: "level none written explicitly", Severity: manifest.SeverityInfo, Fixable: true, Run: runMC110}

// runMC110 notes levels written as none: the same as leaving the tool
// out, which is what the Permission Builder writes. The fix removes the
// member; when several members of one object go, their edits are chosen
// together so that they all apply in one run.
func runMC110(p *Pass) {
	for i := range p.App.Connectors {
		for _, sc := range p.App.Connectors[i].Permissions.Scopes() {
			if !sc.Node.IsObject() {
				continue
			}
			var idx []int
			for m, mem := range sc.Node.Members {
				if isNoneWord(mem.Value) {
					idx = append(idx, m)
				}
			}
			if len(idx) == 0 {
				continue
			}
			edits := manifest.ChildDeletions(p.Doc, sc.Node, idx)
			for k, m := range idx {
				mem := sc.Node.Members[m]
				ptr := manifest.AppendPointer(sc.Pointer, mem.Key)
				msg := fmt.Sprintf("%s tool %q is set to %q, the same as leaving it out: remove it", sc.Name, mem.Key, mem.Value.Str)
				if sc.Node.Member(mem.Key) != m || countKey(sc.Node, mem.Key) > 1 {
					// A duplicate key: removing one member would let
					// another one take effect.
					p.Report(ptr, msg)
					continue
				}
				p.ReportFix(ptr, msg, &manifest.Fix{
					Description: fmt.Sprintf("remove %s tool %q (none)", sc.Name, mem.Key),
					Edits:       []manifest.Edit{edits[k]},
				})
			}
		}
	}
}

// isNoneWord reports whether n is a string naming the level none in
// words (not the API id "1").
func isNoneWord(n *manifest.Node) bool {
	if !n.IsString() || permissions.IsAPIID(n.Str) {
		return false
	}
	l, err := permissions.ParseLevel(n.Str)
	return err == nil && l == permissions.None
}

func countKey(n *manifest.Node, key string) int {
	c := 0
	for _, m := range n.Members {
		if m.Key == key {
			c++
		}
	}
	return c
}

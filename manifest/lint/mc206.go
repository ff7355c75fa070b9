package lint

import (
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc206 = &Rule{ID: "MC206", Title: "two components share a uuid", Severity: manifest.SeverityError, Run: runMC206}

// runMC206 reports a component uuid already used by an earlier component
// (embedded components and 3.x oauth instances alike). UUIDs compare
// case-insensitively.
func runMC206(p *Pass) {
	type use struct {
		node    *manifest.Node
		pointer string
	}
	var uses []use
	for _, c := range p.App.Connectors {
		if c.Implied {
			continue // 4.1: the permissions member has no uuid
		}
		if n := c.Node.Get("uuid"); n.IsString() {
			uses = append(uses, use{n, c.Pointer + "/uuid"})
		}
	}
	for _, e := range p.App.Embedded {
		if e.UUID.IsString() {
			uses = append(uses, use{e.UUID, e.Pointer + "/uuid"})
		}
	}
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].node.Start < uses[j].node.Start })
	first := make(map[string]string)
	for _, u := range uses {
		id := strings.ToLower(strings.TrimSpace(u.node.Str))
		if id == "" {
			continue
		}
		if prev, ok := first[id]; ok {
			p.Reportf(u.pointer, "component uuid %q is already used by %s: each component needs its own uuid", u.node.Str, prev)
			continue
		}
		first[id] = u.pointer
	}
}

package lint

import "github.com/manifestctl/manifestctl/manifest"

// builtinRules registers the rules that packages manifest and schema
// report themselves (MC001 to MC011): their identity is declared there,
// next to the code that reports them (manifest.BuiltinRules).
func builtinRules() []*Rule {
	var out []*Rule
	for _, r := range manifest.BuiltinRules() {
		out = append(out, &Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, Builtin: true})
	}
	return out
}

// RuleConfig is the ID of MC020, reported by internal/config about
// .manifestctl.json itself.
const RuleConfig = "MC020"

var mc020 = &Rule{ID: RuleConfig, Title: "an ignore in .manifestctl.json is unused or has no reason",
	Severity: manifest.SeverityWarning, Builtin: true}

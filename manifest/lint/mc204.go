package lint

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc204 = &Rule{ID: "MC204", Title: "unknown variable in a URL template", Severity: manifest.SeverityError, Run: runMC204}

// configKeys returns the set of a component's configuration property keys.
func configKeys(e *manifest.Embedded) map[string]bool {
	keys := make(map[string]bool, len(e.Config.Properties))
	for _, prop := range e.Config.Properties {
		keys[prop.Key] = true
	}
	return keys
}

// configPropertiesPath names where a component's configuration properties
// live in the file, for messages.
func configPropertiesPath(v manifest.SchemaVersion) string {
	if v.Family() == manifest.V41 {
		return "user_configuration.schema.properties"
	}
	return "configuration.schema.properties"
}

// runMC204 reports URL template variables that nothing fills in, and
// malformed templates.
func runMC204(p *Pass) {
	for i := range p.App.Embedded {
		e := &p.App.Embedded[i]
		if !e.URL.IsString() {
			continue
		}
		tmpl := e.URL.Str
		vars, err := manifest.TemplateVars(tmpl)
		var te *manifest.TemplateError
		if errors.As(err, &te) {
			p.Reportf(e.URLPointer, `malformed URL template: %s at character %d: write variables as {{name}}`,
				te.Reason, utf8.RuneCountInString(tmpl[:te.Offset])+1)
		}
		keys := configKeys(e)
		seen := make(map[string]bool)
		for _, v := range vars {
			if seen[v.Name] || keys[v.Name] || manifest.IsBuiltinTemplateVar(v.Name) {
				continue
			}
			seen[v.Name] = true
			p.Report(e.URLPointer, unknownVarMessage(v.Name, e, p.App.Version))
		}
	}
}

func unknownVarMessage(name string, e *manifest.Embedded, v manifest.SchemaVersion) string {
	var b strings.Builder
	if strings.HasPrefix(name, "procore.") {
		fmt.Fprintf(&b, "unknown template variable %q: Procore's built-in variables are %s",
			name, strings.Join(manifest.BuiltinTemplateVars(), ", "))
		if s := closestCandidate(name, manifest.BuiltinTemplateVars()); s != "" {
			fmt.Fprintf(&b, "; did you mean %q?", s)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "unknown template variable %q: it is neither a Procore built-in (%s) nor a key of %s",
		name, strings.Join(manifest.BuiltinTemplateVars(), ", "), configPropertiesPath(v))
	candidates := make([]string, 0, len(e.Config.Properties)+4)
	for _, prop := range e.Config.Properties {
		candidates = append(candidates, prop.Key)
	}
	candidates = append(candidates, manifest.BuiltinTemplateVars()...)
	if s := closestCandidate(name, candidates); s != "" {
		fmt.Fprintf(&b, "; did you mean %q?", s)
	} else {
		b.WriteString("; define it as a configuration property (the installing admin fills it in) or remove it")
	}
	return b.String()
}

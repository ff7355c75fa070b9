package lint

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc204 = &Rule{ID: "MC204", Title: "unknown variable in a URL template", Severity: manifest.SeverityError, Run: runMC204}

// builtinTemplateVars are the variables Procore fills in every URL template.
var builtinTemplateVars = []string{
	"procore.company.id",
	"procore.company.name",
	"procore.project.id",
	"procore.project.name",
}

// BuiltinTemplateVars returns the names of the variables Procore provides
// to every URL template (iframe_src, source_url). The slice is a copy.
func BuiltinTemplateVars() []string {
	return append([]string(nil), builtinTemplateVars...)
}

// IsBuiltinTemplateVar reports whether name is one of BuiltinTemplateVars.
func IsBuiltinTemplateVar(name string) bool {
	for _, b := range builtinTemplateVars {
		if name == b {
			return true
		}
	}
	return false
}

// TemplateVar is one {{name}} reference in a URL template.
type TemplateVar struct {
	Name   string // the text between the braces, surrounding white space trimmed
	Offset int    // byte offset of the opening "{{"
	End    int    // byte offset just after the closing "}}"
}

// TemplateError reports a malformed URL template.
type TemplateError struct {
	Offset int    // byte offset of the offending "{{"
	Reason string // what is wrong, e.g. `unclosed "{{"`
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("url template: %s at byte %d", e.Reason, e.Offset)
}

// TemplateVars returns the {{name}} references of a URL template in order.
// White space inside the braces is trimmed ({{ name }} is name). A "{{"
// with no "}}" before the next "{{" or the end, or an empty {{}}, makes
// the template malformed: the error (a *TemplateError) describes the first
// such problem, and the slice still holds every well-formed reference.
// A lone "}}" is plain text.
func TemplateVars(s string) ([]TemplateVar, error) {
	var (
		vars  []TemplateVar
		first *TemplateError
	)
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			break
		}
		start := i + j
		body := s[start+2:]
		closeAt := strings.Index(body, "}}")
		if next := strings.Index(body, "{{"); closeAt < 0 || (next >= 0 && next < closeAt) {
			if first == nil {
				first = &TemplateError{Offset: start, Reason: `unclosed "{{"`}
			}
			i = start + 2
			continue
		}
		end := start + 2 + closeAt + 2
		name := strings.TrimSpace(body[:closeAt])
		if name == "" {
			if first == nil {
				first = &TemplateError{Offset: start, Reason: `empty variable "{{}}"`}
			}
		} else {
			vars = append(vars, TemplateVar{Name: name, Offset: start, End: end})
		}
		i = end
	}
	if first != nil {
		return vars, first
	}
	return vars, nil
}

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
		vars, err := TemplateVars(tmpl)
		var te *TemplateError
		if errors.As(err, &te) {
			p.Reportf(e.URLPointer, `malformed URL template: %s at character %d: write variables as {{name}}`,
				te.Reason, utf8.RuneCountInString(tmpl[:te.Offset])+1)
		}
		keys := configKeys(e)
		seen := make(map[string]bool)
		for _, v := range vars {
			if seen[v.Name] || keys[v.Name] || IsBuiltinTemplateVar(v.Name) {
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
			name, strings.Join(builtinTemplateVars, ", "))
		if s := closestCandidate(name, builtinTemplateVars); s != "" {
			fmt.Fprintf(&b, "; did you mean %q?", s)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "unknown template variable %q: it is neither a Procore built-in (%s) nor a key of %s",
		name, strings.Join(builtinTemplateVars, ", "), configPropertiesPath(v))
	candidates := make([]string, 0, len(e.Config.Properties)+len(builtinTemplateVars))
	for _, prop := range e.Config.Properties {
		candidates = append(candidates, prop.Key)
	}
	candidates = append(candidates, builtinTemplateVars...)
	if s := closestCandidate(name, candidates); s != "" {
		fmt.Fprintf(&b, "; did you mean %q?", s)
	} else {
		b.WriteString("; define it as a configuration property (the installing admin fills it in) or remove it")
	}
	return b.String()
}

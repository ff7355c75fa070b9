package manifest

import (
	"fmt"
	"strings"
)

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

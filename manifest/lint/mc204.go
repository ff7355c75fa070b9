package lint

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
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
		// Findings in URL order, each at its own column.
		type finding struct {
			start, end int
			msg        string
		}
		var found []finding
		if errors.As(err, &te) {
			found = append(found, finding{te.Offset, te.Offset + 2, fmt.Sprintf(`malformed URL template: %s at character %d: write variables as {{name}}`,
				te.Reason, utf8.RuneCountInString(tmpl[:te.Offset])+1)})
		}
		keys := configKeys(e)
		seen := make(map[string]bool)
		for _, v := range vars {
			if seen[v.Name] || keys[v.Name] || manifest.IsBuiltinTemplateVar(v.Name) {
				continue
			}
			seen[v.Name] = true
			found = append(found, finding{v.Offset, v.End, unknownVarMessage(v.Name, e, p.App.Version)})
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].start < found[j].start })
		for _, f := range found {
			d := p.Doc.Diag(p.rule.ID, p.rule.Severity, e.URLPointer, f.msg)
			if start, ok := sourceOffset(p.Doc.Src, e.URL, f.start); ok {
				end, _ := sourceOffset(p.Doc.Src, e.URL, f.end)
				d.Pos = p.Doc.PositionAt(start, e.URLPointer)
				d.End = p.Doc.PositionAt(end, e.URLPointer)
			}
			p.ReportDiag(d)
		}
	}
}

// sourceOffset maps a byte offset in the decoded value of string node n
// to the byte offset of the same character in src, where the string may be
// written with escapes ("\/", "\u00e9"). ok is false for a node that has
// no source text.
func sourceOffset(src []byte, n *manifest.Node, offset int) (int, bool) {
	if n == nil || n.End <= n.Start || n.End > len(src) || src[n.Start] != '"' {
		return 0, false
	}
	i, decoded := n.Start+1, 0
	for i < n.End-1 && decoded < offset {
		if src[i] != '\\' {
			i++
			decoded++
			continue
		}
		if i+1 < len(src) && src[i+1] != 'u' {
			i += 2
			decoded++
			continue
		}
		r, ok := hex4(src, i+2)
		if !ok {
			return 0, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			if lo, ok := hex4(src, i+2); ok && i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
				if c := utf16.DecodeRune(r, lo); c != utf8.RuneError {
					i += 6
					decoded += utf8.RuneLen(c)
					continue
				}
			}
			r = utf8.RuneError
		}
		decoded += utf8.RuneLen(r)
	}
	return i, true
}

// hex4 decodes the four hex digits at src[i:].
func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
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

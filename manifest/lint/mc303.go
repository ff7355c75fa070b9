package lint

import (
	"strings"
	"unicode"

	"github.com/manifestctl/manifestctl/manifest"
)

var mc303 = &Rule{ID: "MC303", Title: "post-installation notes are a template placeholder", Severity: manifest.SeverityWarning, Run: runMC303}

// placeholderNotes are normalised notes (see normalizeNotes) that are
// placeholders: the Developer Portal's template text and its variants, and
// generic fillers.
var placeholderNotes = map[string]bool{
	"these are post installation setup notes": true,
	"these are post installation notes":       true,
	"post installation setup notes":           true,
	"post installation notes":                 true,
	"post installation instructions":          true,
	"setup notes":                             true,
	"notes":                                   true,
	"notes go here":                           true,
	"your notes here":                         true,
	"add notes here":                          true,
	"placeholder":                             true,
	"todo":                                    true,
	"to do":                                   true,
	"tbd":                                     true,
	"fixme":                                   true,
	"xxx":                                     true,
	"test":                                    true,
}

// placeholderPrefixes start normalised placeholder notes.
var placeholderPrefixes = []string{"lorem ipsum", "these are post installation", "todo ", "tbd ", "fixme "}

// normalizeNotes lowercases s and turns every run of characters other than
// letters and digits into one space, trimmed: "These-are-Post_Installation"
// becomes "these are post installation".
func normalizeNotes(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

// IsPlaceholderNotes reports whether post-installation notes are a
// placeholder rather than real instructions: the portal template's
// "these-are-post-installation-setup-notes" in any spelling, "TODO", "TBD",
// "FIXME", "lorem ipsum" and similar fillers. Case and punctuation are
// ignored.
func IsPlaceholderNotes(s string) bool {
	// Placeholders are short and the prefixes looked for are too: real
	// notes need not be normalised whole. Long notes are judged by their
	// beginning alone, never as a whole-text match of a cut-off prefix.
	truncated := len(s) > maxPlaceholderScan
	if truncated {
		s = s[:maxPlaceholderScan]
	}
	n := normalizeNotes(s)
	if n == "" {
		return false // blank notes are MC301's
	}
	if !truncated && placeholderNotes[n] {
		return true
	}
	for _, pre := range placeholderPrefixes {
		if strings.HasPrefix(n, pre) {
			return true
		}
	}
	return false
}

// maxPlaceholderScan is how many bytes of the notes IsPlaceholderNotes
// reads.
const maxPlaceholderScan = 64

// runMC303 reports post-installation notes left as a placeholder.
func runMC303(p *Pass) {
	notes := p.App.Install.Notes
	if !notes.IsString() || !IsPlaceholderNotes(notes.Str) {
		return
	}
	p.Reportf(installPointer+"/notes", "post-installation notes %q are a placeholder: "+
		"write what the installing admin must do after the install (Procore shows the notes right after installing the app)",
		clipNotes(notes.Str, 60))
}

// clipNotes shortens s to at most n runes, marking a cut with "...".
func clipNotes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

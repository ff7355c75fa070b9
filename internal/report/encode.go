package report

import (
	"encoding/json"
	"io"
	"strings"
)

// The one JSON encoder and the one Markdown escaping of every report.

// newJSONEncoder returns the encoder every JSON format uses: two-space
// indentation (after prefix on continuation lines) and no HTML escaping,
// so that "a&b" is printed as written, not as "a\u0026b". indent "" writes
// one value per line (JSON Lines).
func newJSONEncoder(w io.Writer, prefix, indent string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent(prefix, indent)
	}
	return enc
}

// writeJSON writes v as an indented JSON document and a final newline.
func writeJSON(w io.Writer, v any) error {
	return newJSONEncoder(w, "", "  ").Encode(v)
}

// WriteJSON writes v as the reports write JSON: two-space indentation, no
// HTML escaping, a final newline. Commands that print a JSON value of
// their own use it, so that every JSON output agrees.
func WriteJSON(w io.Writer, v any) error { return writeJSON(w, v) }

var markdownEscaper = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]",
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

// markdownCell escapes text for a Markdown table cell or list item: pipes,
// emphasis and HTML characters, and line breaks as <br>.
func markdownCell(s string) string { return markdownEscaper.Replace(s) }

// markdownCode writes s as inline code, with a fence longer than any run
// of backticks in it; pipes are escaped since they end cells even there,
// and line breaks become spaces.
func markdownCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

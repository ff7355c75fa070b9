// Package docs embeds the project's documentation that the tool itself
// prints: one page per rule under rules/, named after the rule ID.
package docs

import "embed"

// Rules holds rules/MC001.md ... : a title line "# MCxxx: title", the text,
// then "## Bad" and "## Good" examples.
//
//go:embed rules/*.md
var Rules embed.FS

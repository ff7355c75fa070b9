// Package report is the one home of rendering: every report manifestctl
// prints, in every format, is written here, with one JSON encoder (two-space
// indentation, no HTML escaping; encode.go) and one Markdown escaping.
//
// Validation results (and anything else made of findings) are a Report:
// every format implements Formatter; New picks one by name and Names lists
// them for flag help; Writer streams the formats that can stream and
// collects for the others, so a command has one code path.
//
// Other results each have a Kind (Diff, VersionCheck, VersionShow,
// PermissionsShow, Tools, Rules, RuleDoc): a command asks its Kind which
// formats exist (Formats, Has) and writes the result with Write. A new
// kind of result (an audit, a scan) adds a Kind in its own file.
//
// Renderers are pure: they write what they are given and decide nothing
// about exit codes.
package report

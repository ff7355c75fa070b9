// Package release is what release engineers need to version App Manifests
// safely: a semantic diff of two manifests (Diff, Compare) with the bump
// each change requires under a configurable Policy (DESIGN.md section 2),
// the bump arithmetic (Bump, NextVersion, BumpBetween, NextAppVersion), the
// version check gate (Check), and the reports of `manifestctl diff` and
// `manifestctl version` in text, JSON and Markdown.
//
// It also holds manifestctl's one manifest generator: Builder, for programs
// that write manifests, and Scaffold, behind `manifestctl init`. Both check
// their output with validate's pipeline, so they refuse what validate
// refuses.
//
// Manifests are compared through manifest.View, so the same app written in
// schema 3.x and 4.1 compares equal apart from the schema version, and
// permission levels through package permissions (None < ReadOnly <
// Standard < Admin).
package release

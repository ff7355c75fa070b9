// Package lint holds manifestctl's rule catalogue and runs the rules over a
// manifest's normalised view (manifest.App).
//
// Every rule has an ID (MC0xx document and schema, MC1xx permissions, MC2xx
// components, MC3xx install notes, MC4xx versions), a default severity, a
// one-line title and a documentation page embedded from docs/rules. Rules
// that the parser or the schema validator report themselves are registered
// as built-in rules with no Run function, so that they are documented and
// configurable like the others.
//
// A rule's identity (ID, title, default severity) is declared once, next
// to its code: in its own file mcNNN.go, or, for the rules the parser and
// the schema validator report, in package manifest (BuiltinRules). The
// registry is explicit: All returns a sorted copy of one slice literal;
// nothing registers itself in init.
package lint

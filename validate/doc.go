// Package validate runs the whole check of a manifest: parse with
// positions, schema version detection, the embedded JSON Schema and the lint
// rules, then applies rule configuration and orders the findings. Files
// validates many paths in parallel with bounded memory and returns results
// in a deterministic order.
package validate

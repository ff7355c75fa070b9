// Package scan finds the Procore REST calls an app's source code makes and
// compares the tools and levels they need with what its manifest
// declares (manifestctl permissions scan, DESIGN §4).
//
// The endpoint table (DefaultTable) is embedded, versioned data generated
// from the research in shared/procore (see internal/gen and docs/scan.md):
// Procore's OpenAPI description carries no permission data, so every tool
// is a guess with a confidence and every level a lower bound.
//
// Finding calls needs no parser: a tokenizer per language family
// (JavaScript/TypeScript, Ruby, Python, Go, C#, Java, PHP) reads strings,
// comments and interpolations, and a call finder recognises URL literals
// and templates with /rest/vX.Y/, the Ruby and JS SDKs' relative paths and
// the generated Python SDK's method names. What it cannot resolve is
// reported as unmapped, never guessed.
package scan

package schema

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/manifestctl/manifestctl/manifest"
)

// BaseURL is the address the embedded schemas are published at; each
// schema's $id is BaseURL + its file name. The validator never fetches it:
// a reference to another document is served from the embedded files.
const BaseURL = "https://raw.githubusercontent.com/manifestctl/manifestctl/main/schema/"

//go:embed v3.json v41.json
var files embed.FS

// fileName returns the embedded schema file for v's family, or "".
func fileName(v manifest.SchemaVersion) string {
	switch v.Family() {
	case manifest.V3:
		return "v3.json"
	case manifest.V41:
		return "v41.json"
	}
	return ""
}

// Source returns the JSON Schema text for version v: the 3.x schema for
// "3" and "3.0" to "3.2", the 4.1 schema for "4.1".
func Source(v manifest.SchemaVersion) ([]byte, error) {
	name := fileName(v)
	if name == "" {
		return nil, fmt.Errorf("no schema for schema version %q (want one of %s)", v,
			strings.Join(manifest.KnownSchemaVersions, ", "))
	}
	return files.ReadFile(name)
}

// compiled is one embedded schema, compiled, with its parsed text.
type compiled struct {
	schema *node
	doc    *manifest.Document
}

// The schemas are compiled on first use, once: nothing happens at package
// initialisation.
var (
	compiledV3  = sync.OnceValues(func() (*compiled, error) { return compile("v3.json") })
	compiledV41 = sync.OnceValues(func() (*compiled, error) { return compile("v41.json") })
)

func load(v manifest.SchemaVersion) (*compiled, error) {
	switch v.Family() {
	case manifest.V3:
		return compiledV3()
	case manifest.V41:
		return compiledV41()
	}
	return nil, fmt.Errorf("no schema for schema version %q", v)
}

// loadEmbedded serves schema URLs from the embedded files only: never the
// network, never the file system.
func loadEmbedded(s string) (io.ReadCloser, error) {
	name, ok := strings.CutPrefix(s, BaseURL)
	if !ok || strings.ContainsAny(name, "/#") {
		return nil, fmt.Errorf("schema %s is not embedded in manifestctl", s)
	}
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("schema %s is not embedded in manifestctl", s)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func compile(name string) (*compiled, error) {
	src, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read embedded schema %s: %w", name, err)
	}
	return compileSource(BaseURL+name, src, loadEmbedded)
}

// Validate checks doc against the schema of version v and returns one
// diagnostic (rule MC011, severity error) per problem, at the offending
// value (for a missing member, at its parent object), ordered by position.
// Unknown members are allowed. Permission level values are not reported
// here: the permission rules (MC102, MC104) report them more precisely. An
// unknown version gives no diagnostic (MC010 reports it).
func Validate(doc *manifest.Document, v manifest.SchemaVersion) []manifest.Diagnostic {
	if doc == nil || doc.Root == nil {
		return nil
	}
	c, err := load(v)
	if err != nil {
		if fileName(v) == "" {
			return nil
		}
		return []manifest.Diagnostic{doc.DiagRule(manifest.RuleSchema, "",
			"the embedded schema could not be loaded, so the manifest was not checked against it: "+err.Error())}
	}
	return c.validate(doc)
}

func (c *compiled) validate(doc *manifest.Document) []manifest.Diagnostic {
	if c.schema.silent {
		return nil
	}
	var v validator
	v.check(c.schema, doc.Root)
	if len(v.probs) == 0 {
		return nil
	}
	diags := make([]manifest.Diagnostic, 0, len(v.probs))
	for _, p := range v.probs {
		diags = append(diags, doc.DiagRule(manifest.RuleSchema, p.pointer, p.message))
	}
	slices.SortStableFunc(diags, func(a, b manifest.Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Pos.Offset, b.Pos.Offset),
			strings.Compare(a.Pos.Pointer, b.Pos.Pointer),
			strings.Compare(a.Message, b.Message))
	})
	out := diags[:0]
	for _, d := range diags {
		if n := len(out); n > 0 && d.Pos.Pointer == out[n-1].Pos.Pointer && d.Message == out[n-1].Message {
			continue
		}
		out = append(out, d)
	}
	return out
}

package permissions

import (
	"bytes"

	"github.com/manifestctl/manifestctl/manifest"
)

// ParseAssignments reads scope:tool=level arguments (see ParseAssignment).
func ParseAssignments(specs []string, c *Catalog) ([]Assignment, error) {
	var out []Assignment
	for _, s := range specs {
		a, err := ParseAssignment(s, c)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ParseToolRefs reads scope:tool arguments (see ParseToolRef).
func ParseToolRefs(specs []string, c *Catalog) ([]ToolRef, error) {
	var out []ToolRef
	for _, s := range specs {
		r, err := ParseToolRef(s, c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Edit is a whole edit of one manifest: the document before and after
// Assign or Revoke, and what was done to each tool.
type Edit struct {
	Before, After *manifest.Document
	// Version is the schema version the manifest is read as.
	Version manifest.SchemaVersion
	Results []EditResult
}

// Changed reports whether the edit changed the manifest's source.
func (e *Edit) Changed() bool { return !bytes.Equal(e.Before.Src, e.After.Src) }

// NoGrantLeft reports whether the edit changed the manifest and left
// no tool above none declared: Procore then creates no service account
// credentials (MC106).
func (e *Edit) NoGrantLeft() bool {
	if !e.Changed() {
		return false
	}
	set, _ := Declared(manifest.View(e.After, e.Version))
	return len(set.Effective()) == 0
}

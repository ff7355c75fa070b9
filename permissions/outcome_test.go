package permissions

import (
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

func TestEditOutcome(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	src := `{"schema_version": "4.1", "permissions": {"project": {"rfi": "readonly"}}}`
	tests := []struct {
		name        string
		unset       []string
		set         []string
		changed     bool
		noGrantLeft bool
	}{
		{"raise", nil, []string{"project:rfi=standard"}, true, false},
		{"same level", nil, []string{"project:rfi=readonly"}, false, false},
		{"remove the last tool", []string{"project:rfi"}, nil, true, true},
		{"remove an absent tool", []string{"company:directory"}, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, _ := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
			var out *manifest.Document
			var res []EditResult
			if tt.set != nil {
				as, err := ParseAssignments(tt.set, cat)
				if err != nil {
					t.Fatal(err)
				}
				out, res, err = Assign(doc, manifest.V41, as, &EditOptions{Catalog: cat})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				refs, err := ParseToolRefs(tt.unset, cat)
				if err != nil {
					t.Fatal(err)
				}
				out, res, err = Revoke(doc, manifest.V41, refs, &EditOptions{Catalog: cat})
				if err != nil {
					t.Fatal(err)
				}
			}
			e := &Edit{Before: doc, After: out, Version: manifest.V41, Results: res}
			if e.Changed() != tt.changed || e.NoGrantLeft() != tt.noGrantLeft {
				t.Errorf("Changed, NoGrantLeft = %v, %v, want %v, %v", e.Changed(), e.NoGrantLeft(), tt.changed, tt.noGrantLeft)
			}
		})
	}
	if _, err := ParseAssignments([]string{"project:rfi=readonly", "project:rfi"}, cat); err == nil {
		t.Error("ParseAssignments(no level) succeeded")
	}
	if _, err := ParseToolRefs([]string{"galaxy:rfi"}, cat); err == nil {
		t.Error("ParseToolRefs(unknown scope) succeeded")
	}
}

package scan

import (
	"fmt"
	"testing"

	"github.com/manifestctl/manifestctl/permissions"
)

// TestCompareAliasNamesTheKey: a finding about a tool the manifest declares
// under an alias names the manifest's key (what the user can search the
// file for) alongside the catalogue's, in the message and in Key.
func TestCompareAliasNamesTheKey(t *testing.T) {
	cat, err := permissions.Default()
	if err != nil {
		t.Fatal(err)
	}
	const m41 = `{"schema_version": "4.1", "permissions": {"project": {%s}}}`
	tests := []struct {
		name, src, project string
		kind               Kind
		key, message       string
	}{
		{
			name:    "missing",
			src:     "axios.post(`/rest/v1.1/projects/${p}/submittals`, body)\n",
			project: `"submittals": "readonly"`,
			kind:    Missing, key: "submittals",
			message: "project tool submittals (alias of submittal_log) is declared readonly; a POST needs at least standard",
		},
		{
			name:    "unused",
			project: `"submittals": "readonly"`,
			kind:    Unused, key: "submittals",
			message: "project tool submittals (alias of submittal_log) is declared readonly; no call found uses it",
		},
		{
			name:    "the catalogue key is named once",
			project: `"submittal_log": "readonly"`,
			kind:    Unused,
			message: "project tool submittal_log is declared readonly; no call found uses it",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := CompareCalls(inventory(t, tt.src), "manifest.json", app(t, fmt.Sprintf(m41, tt.project)), cat)
			if len(r.Findings) != 1 {
				t.Fatalf("findings: %+v", r.Findings)
			}
			f := r.Findings[0]
			if f.Kind != tt.kind || f.Tool != "submittal_log" || f.Key != tt.key || f.Message != tt.message {
				t.Errorf("got %s %s key=%q %q\nwant %s submittal_log key=%q %q", f.Kind, f.Tool, f.Key, f.Message, tt.kind, tt.key, tt.message)
			}
		})
	}
}

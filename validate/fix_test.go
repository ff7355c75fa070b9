package validate_test

import (
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/validate"
)

func TestFix(t *testing.T) {
	const messy = `{
  "schema_version": "4.1",
  "app_manifest": {"version": "1.0.0"},
  "post_installation_instruction": {
    "notes": "Sign in to your Example account, then choose the projects to sync.",
    "page": {"url": "https://example.com/setup", "label": "App Setup Instructions"}
  },
  "permissions": {"project": {"rfi": "Read Only", "daily_log": "none", "tasks": "read_only"}}
}
`
	tests := []struct {
		name        string
		src         string
		wantApplied []string // rules of the applied fixes, in order
		wantSrc     string   // a substring of the fixed source; "" when nothing changes
		wantLeft    int      // findings left after fixing
	}{
		{"spellings and explicit none", messy, []string{"MC104", "MC110", "MC104"},
			`"permissions": {"project": {"rfi": "readonly", "tasks": "readonly"}}`, 0},
		{"nothing to fix", strings.Replace(messy, `"rfi": "Read Only", "daily_log": "none", "tasks": "read_only"`, `"rfi": "readonly"`, 1),
			nil, "", 0},
		{"not JSON", "{", nil, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := &validate.Options{KeepDocument: true}
			r := validate.Bytes("m.json", []byte(tt.src), opts)
			src, applied, res, err := validate.Fix(r, opts)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, d := range applied {
				rules = append(rules, d.Rule)
			}
			if strings.Join(rules, " ") != strings.Join(tt.wantApplied, " ") {
				t.Errorf("applied %v, want %v", rules, tt.wantApplied)
			}
			switch {
			case tt.wantSrc != "" && !strings.Contains(string(src), tt.wantSrc):
				t.Errorf("fixed source:\n%s\nwant it to contain %s", src, tt.wantSrc)
			case tt.wantSrc == "" && len(applied) == 0 && src != nil && string(src) != tt.src:
				t.Errorf("nothing applied, but the source changed:\n%s", src)
			}
			if len(res.Diagnostics) != tt.wantLeft {
				t.Errorf("%d findings left, want %d: %v", len(res.Diagnostics), tt.wantLeft, res.Diagnostics)
			}
			if len(applied) > 0 && (res.Document == nil || string(res.Document.Src) != string(src)) {
				t.Errorf("the result is not the fixed source's")
			}
		})
	}
}

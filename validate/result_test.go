package validate_test

import (
	"testing"

	"github.com/manifestctl/manifestctl/validate"
)

func TestResultCountsAndValid(t *testing.T) {
	tests := []struct {
		name                   string
		src                    string
		errors, warnings, info int
		valid, validStrict     bool
	}{
		{"syntax error", `{"a": }`, 1, 0, 0, false, false},
		{"warning only", "\uFEFF" + `{"schema_version": "4.1", "app_manifest": {"version": "1.0.0"},
		  "post_installation_instruction": {"notes": "Open the app from the tools menu and sign in.",
		  "page": {"url": "https://example.com/setup", "label": "Setup guide"}}}`, 0, 1, 0, true, false},
		{"info only", `{"schema_version": "4.1",
		  "post_installation_instruction": {"notes": "Open the app from the tools menu and sign in.",
		  "page": {"url": "https://example.com/setup", "label": "Setup guide"}}}`, 0, 0, 1, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validate.Bytes("f.json", []byte(tt.src), nil)
			e, w, i := r.Counts()
			if e != tt.errors || w != tt.warnings || i != tt.info {
				t.Fatalf("Counts() = %d, %d, %d, want %d, %d, %d (%v)", e, w, i, tt.errors, tt.warnings, tt.info, r.Diagnostics)
			}
			if got := r.Valid(false); got != tt.valid {
				t.Errorf("Valid(false) = %v, want %v", got, tt.valid)
			}
			if got := r.Valid(true); got != tt.validStrict {
				t.Errorf("Valid(true) = %v, want %v", got, tt.validStrict)
			}
		})
	}
}

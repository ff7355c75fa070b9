package audit

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzReadBaseline: a baseline file never makes the audit panic, and a
// report read back and written again reads back the same.
func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"findings": [{"company_id": 10, "project_id": null, "scope": "company", "tool": "documents", "verdict": "ok"}], "errors": [{"company_id": 10, "project_id": 5, "status": 500}]}`))
	f.Add([]byte(`{"companies": [], "findings": null}`))
	f.Add([]byte(`{"findings": [{"company_id": 1e400}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		r, err := ReadBaseline(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Marking rows against it must not panic.
		cur := &Report{Findings: append([]Finding(nil), r.Findings...), Errors: r.Errors}
		markNew(cur, r)
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := ReadBaseline(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("read back: %v\n%s", err, b)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
	})
}

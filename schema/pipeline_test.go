package schema_test

import (
	"strings"
	"testing"

	"github.com/manifestctl/manifestctl/validate"
)

// clean is a manifest that no rule reports.
const clean = `{
  "schema_version": "4.1",
  "app_manifest": {"version": "1.0.0"},
  "post_installation_instruction": {
    "notes": "Open the app from the company tools menu and sign in.",
    "page": {"url": "https://example.com/setup", "label": "App Setup Instructions"}
  }
}
`

// These inputs are bytes a text fixture may not survive (an editor could
// drop a byte-order mark or re-encode a Latin-1 byte), so they are also
// checked here, through the whole pipeline.
func TestPipelineEncoding(t *testing.T) {
	type want struct {
		rule, pos, pointer, msg string
	}
	tests := []struct {
		name string
		src  string
		want []want
	}{
		{"clean", clean, nil},
		{"byte-order mark", "\xEF\xBB\xBF" + clean, []want{
			{"MC004", "1:1", "", "file starts with a UTF-8 byte-order mark"},
		}},
		{"byte-order mark is not a column", "\xEF\xBB\xBF" + strings.Join(strings.Fields(strings.Replace(clean, "https://example.com/setup", "http://example.com/setup", 1)), " "), []want{
			{"MC004", "1:1", "", "file starts with a UTF-8 byte-order mark"},
			{"MC012", "1:183", "/post_installation_instruction/page/url", "URL must use https"},
		}},
		{"latin-1 byte in notes", strings.Replace(clean, "menu", "men\xFA", 1), []want{
			{"MC002", "5:54", "/post_installation_instruction/notes", "invalid UTF-8 byte 0xFA in string"},
		}},
		{"http URL replaces the schema finding", strings.Replace(clean, "https://example.com/setup", "http://example.com/setup", 1), []want{
			{"MC012", "6:21", "/post_installation_instruction/page/url", "URL must use https"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validate.Bytes("m.json", []byte(tt.src), nil)
			if len(res.Diagnostics) != len(tt.want) {
				t.Fatalf("validate.Bytes = %v, want %d diagnostics", res.Diagnostics, len(tt.want))
			}
			for i, w := range tt.want {
				d := res.Diagnostics[i]
				pos := d.Pos.String()[len("m.json:"):]
				if d.Rule != w.rule || pos != w.pos || d.Pos.Pointer != w.pointer || !strings.Contains(d.Message, w.msg) {
					t.Errorf("diagnostic %d = %s %s %q %q, want %s %s %q containing %q",
						i, d.Rule, pos, d.Pos.Pointer, d.Message, w.rule, w.pos, w.pointer, w.msg)
				}
			}
		})
	}
}

package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseAudit(t *testing.T) {
	src := `{
  "audit": {
    "ignore": [
      {"verdict": "over", "tool": "directory", "reason": "provisioning needs it (APP-142)"},
      {"verdict": "undeclared", "tool": "rfi", "company": 10, "project": 9007199254740993,
       "reason": "legacy sync", "expires": "2027-01-31"},
      {"verdict": "unpermitted", "project": 77, "reason": "archived"}
    ]
  }
}`
	c, err := Parse(FileName, []byte(src), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i64 := func(v int64) *int64 { return &v }
	want := []*AuditIgnore{
		{Verdict: "over", Tool: "directory", Reason: "provisioning needs it (APP-142)", Index: 0, Pointer: "/audit/ignore/0"},
		{Verdict: "undeclared", Tool: "rfi", Company: i64(10), Project: i64(9007199254740993), Reason: "legacy sync",
			Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Index: 1, Pointer: "/audit/ignore/1"},
		{Verdict: "unpermitted", Project: i64(77), Reason: "archived", Index: 2, Pointer: "/audit/ignore/2"},
	}
	got := c.Audit.Ignore
	for _, g := range got {
		if g.Pos.Line == 0 {
			t.Errorf("ignore %d has no position", g.Index)
		}
		g.Pos = want[0].Pos
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit ignores (-want +got):\n%s", diff)
	}
}

func TestParseAuditErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"audit not an object", `{"audit": []}`, []string{`1:11: "audit" must be an object`}},
		{"unknown audit key", `{"audit": {"ignores": []}}`, []string{`1:12: unknown key "ignores" in "audit" (want ignore)`}},
		{"ignore not an array", `{"audit": {"ignore": {}}}`, []string{`1:22: "audit.ignore" must be an array`}},
		{"entry not an object", `{"audit": {"ignore": [1]}}`, []string{`1:23: an audit ignore must be an object`}},
		{"no reason", `{"audit": {"ignore": [{"verdict": "over", "tool": "x"}]}}`, []string{`1:23: audit ignore 0 has no "reason"`}},
		{"blank reason", `{"audit": {"ignore": [{"verdict": "over", "tool": "x", "reason": "  "}]}}`, []string{`1:23: audit ignore 0 has no "reason"`}},
		{"no verdict", `{"audit": {"ignore": [{"tool": "x", "reason": "r"}]}}`, []string{`1:23: audit ignore 0 has no "verdict"`}},
		{"no tool", `{"audit": {"ignore": [{"verdict": "over", "reason": "r"}]}}`, []string{`1:23: audit ignore 0 has no "tool"`}},
		{"unpermitted without project", `{"audit": {"ignore": [{"verdict": "unpermitted", "reason": "r"}]}}`, []string{`1:23: audit ignore 0 of an unpermitted project has no "project"`}},
		{"bad verdict", `{"audit": {"ignore": [{"verdict": "bad", "tool": "x", "reason": "r"}]}}`, []string{`1:35: verdict "bad" is not one of ok, over, undeclared, under, inactive, unpermitted`}},
		{"bad date", `{"audit": {"ignore": [{"verdict": "over", "tool": "x", "reason": "r", "expires": "31/01/2027"}]}}`, []string{`1:82: expires "31/01/2027" is not a date (YYYY-MM-DD)`}},
		{"company not an integer", `{"audit": {"ignore": [{"verdict": "over", "tool": "x", "reason": "r", "company": "10"}]}}`, []string{`1:82: "company" of an audit ignore must be a positive integer id`}},
		{"project a fraction", `{"audit": {"ignore": [{"verdict": "over", "tool": "x", "reason": "r", "project": 1.5}]}}`, []string{`1:82: "project" of an audit ignore must be a positive integer id`}},
		{"unknown key", `{"audit": {"ignore": [{"verdict": "over", "tool": "x", "reason": "r", "why": "x"}]}}`, []string{`1:71: unknown key "why" in an audit ignore`}},
		{"tool not a string", `{"audit": {"ignore": [{"verdict": "over", "tool": 1, "reason": "r"}]}}`, []string{`1:51: "tool" of an audit ignore must be a string`, `1:23: audit ignore 0 has no "tool"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(".manifestctl.json", []byte(tt.src), ParseOptions{})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse error = %v, want an *Error", err)
			}
			lines := strings.Split(ce.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				got := strings.TrimPrefix(lines[i], ".manifestctl.json:")
				if !strings.HasPrefix(got, w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got, w)
				}
			}
		})
	}
}

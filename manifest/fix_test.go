package manifest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestApplyFixes(t *testing.T) {
	src := "{\n  \"company\": {\n    \"a\": \"none\",\n    \"b\": \"none\"\n  },\n  \"project\": {\n    \"rfi\": \"Read Only\",\n    \"x\": \"none\",\n    \"y\": \"none\"\n  }\n}\n"
	doc := mustParse(t, src)
	company := doc.Root.Get("company")
	project := doc.Root.Get("project")
	cdel := ChildDeletions(doc, company, []int{0, 1})
	pdel := ChildDeletions(doc, project, []int{1, 2})
	rfi := project.Get("rfi")
	fix := func(e ...Edit) *Fix { return &Fix{Description: "fix", Edits: e} }
	diags := []Diagnostic{
		{Rule: "MC110", Message: "a", Fix: fix(cdel[0])},
		{Rule: "MC110", Message: "b", Fix: fix(cdel[1])},
		{Rule: "MC104", Message: "rfi", Fix: fix(Edit{Start: rfi.Start, End: rfi.End, Text: `"readonly"`})},
		{Rule: "MC110", Message: "x", Fix: fix(pdel[0])},
		{Rule: "MC110", Message: "y", Fix: fix(pdel[1])},
		{Rule: "MC999", Message: "overlaps rfi", Fix: fix(Edit{Start: rfi.Start + 1, End: rfi.Start + 2, Text: "z"})},
		{Rule: "MC998", Message: "no fix"},
	}
	got, applied, err := ApplyFixes(doc, diags)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"company\": {},\n  \"project\": {\n    \"rfi\": \"readonly\"\n  }\n}\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("ApplyFixes() (-want +got):\n%s", diff)
	}
	var msgs []string
	for _, d := range applied {
		msgs = append(msgs, d.Message)
	}
	if diff := cmp.Diff([]string{"a", "b", "rfi", "x", "y"}, msgs); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}

	// A second run with the same kind of fixes, computed on the result,
	// changes nothing: there is nothing left to fix.
	doc2 := mustParse(t, string(got))
	again, applied2, err := ApplyFixes(doc2, nil)
	if err != nil || applied2 != nil || string(again) != string(got) {
		t.Errorf("second run changed something: %q, %v, %v", again, applied2, err)
	}
}

func TestApplyFixesRejects(t *testing.T) {
	doc := mustParse(t, `{"a": 1}`)
	// An edit that breaks the JSON: the result is refused.
	bad := []Diagnostic{{Fix: &Fix{Edits: []Edit{{Start: 0, End: 1, Text: "["}}}}}
	if _, _, err := ApplyFixes(doc, bad); err == nil {
		t.Error("ApplyFixes accepted a fix that breaks the JSON")
	}
	// An edit outside the source is skipped.
	out, applied, err := ApplyFixes(doc, []Diagnostic{{Fix: &Fix{Edits: []Edit{{Start: 5, End: 50}}}}})
	if err != nil || applied != nil || string(out) != `{"a": 1}` {
		t.Errorf("out of range edit: %q %v %v", out, applied, err)
	}
	if _, _, err := ApplyFixes(&Document{}, nil); err == nil {
		t.Error("ApplyFixes on an empty document succeeded")
	}
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		a, b Edit
		want bool
	}{
		{Edit{0, 2, ""}, Edit{2, 4, ""}, false},
		{Edit{0, 3, ""}, Edit{2, 4, ""}, true},
		{Edit{2, 2, "x"}, Edit{2, 2, "y"}, true},
		{Edit{2, 2, "x"}, Edit{2, 4, ""}, false},
		{Edit{3, 3, "x"}, Edit{2, 4, ""}, true},
		{Edit{2, 4, ""}, Edit{4, 4, "x"}, false},
		{Edit{2, 4, ""}, Edit{3, 3, "x"}, true},
	}
	for _, tt := range tests {
		if got := overlap(tt.a, tt.b); got != tt.want {
			t.Errorf("overlap(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

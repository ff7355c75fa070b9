package manifest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplateVars(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []TemplateVar
		wantErr *TemplateError
	}{
		{name: "none", in: "https://example.com/a?b=c"},
		{name: "empty string", in: ""},
		{
			name: "procore example",
			in:   "https://{{subdomain}}.domain.com/{{my_path}}?id={{procore.company.id}}",
			want: []TemplateVar{
				{Name: "subdomain", Offset: 8, End: 21},
				{Name: "my_path", Offset: 33, End: 44},
				{Name: "procore.company.id", Offset: 48, End: 70},
			},
		},
		{
			name: "white space trimmed",
			in:   "a{{ name }}b{{\tother\n}}",
			want: []TemplateVar{{Name: "name", Offset: 1, End: 11}, {Name: "other", Offset: 12, End: 23}},
		},
		{
			name: "adjacent",
			in:   "{{a}}{{b}}",
			want: []TemplateVar{{Name: "a", Offset: 0, End: 5}, {Name: "b", Offset: 5, End: 10}},
		},
		{name: "lone closing braces are text", in: "a}}b", want: nil},
		{
			name:    "unclosed at end",
			in:      "https://x/{{a}}/{{b",
			want:    []TemplateVar{{Name: "a", Offset: 10, End: 15}},
			wantErr: &TemplateError{Offset: 16, Reason: `unclosed "{{"`},
		},
		{
			name:    "unclosed before next",
			in:      "{{a/{{b}}",
			want:    []TemplateVar{{Name: "b", Offset: 4, End: 9}},
			wantErr: &TemplateError{Offset: 0, Reason: `unclosed "{{"`},
		},
		{
			name:    "empty variable",
			in:      "x{{  }}y{{z}}",
			want:    []TemplateVar{{Name: "z", Offset: 8, End: 13}},
			wantErr: &TemplateError{Offset: 1, Reason: `empty variable "{{}}"`},
		},
		{
			name:    "first problem wins",
			in:      "{{}}{{",
			wantErr: &TemplateError{Offset: 0, Reason: `empty variable "{{}}"`},
		},
		{name: "lone open brace is text", in: "{a}", want: nil},
		{
			name: "triple braces keep the extra brace in the name",
			in:   "{{{a}}}",
			want: []TemplateVar{{Name: "{a", Offset: 0, End: 6}},
		},
		{
			name: "multibyte text",
			in:   "é{{ü}}",
			want: []TemplateVar{{Name: "ü", Offset: 2, End: 8}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TemplateVars(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TemplateVars(%q) vars (-want +got):\n%s", tt.in, diff)
			}
			var te *TemplateError
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("TemplateVars(%q) error = %v, want nil", tt.in, err)
				}
				return
			}
			if !errors.As(err, &te) {
				t.Fatalf("TemplateVars(%q) error = %v, want a *TemplateError", tt.in, err)
			}
			if *te != *tt.wantErr {
				t.Errorf("TemplateVars(%q) error = %+v, want %+v", tt.in, *te, *tt.wantErr)
			}
		})
	}
}

func TestTemplateErrorAs(t *testing.T) {
	_, err := TemplateVars("{{")
	var te *TemplateError
	if !errors.As(err, &te) || te.Offset != 0 {
		t.Fatalf("errors.As(%v) = false or wrong offset, want *TemplateError at 0", err)
	}
	if got, want := err.Error(), `url template: unclosed "{{" at byte 0`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestBuiltinTemplateVars(t *testing.T) {
	got := BuiltinTemplateVars()
	want := []string{"procore.company.id", "procore.company.name", "procore.project.id", "procore.project.name"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("BuiltinTemplateVars() (-want +got):\n%s", diff)
	}
	got[0] = "changed"
	if !IsBuiltinTemplateVar("procore.company.id") {
		t.Error("changing the returned slice changed the built-ins")
	}
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"procore.project.name", true},
		{"procore.project", false},
		{"Procore.Project.Id", false},
		{"", false},
	} {
		if got := IsBuiltinTemplateVar(tt.in); got != tt.want {
			t.Errorf("IsBuiltinTemplateVar(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

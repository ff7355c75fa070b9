package manifest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMigrate(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string // expected output, compact: compared after Format of want
		lost     []string
		dropped  []string
		unchange bool
	}{
		{
			name: "client credentials and both iframe kinds",
			in: `{"schema_version":"3.2","app_manifest":{"id":"a"},"x_extra":true,"components":{
				"oauth":{"instances":[{"uid":"u","uuid":"v","grant_type":"client_credentials","permissions":{"project":{"rfi":"readonly"}}}]},
				"iframe":{"instances":[
					{"name":"N","type":"sidepanel","uuid":"s","views":["a.b"],"required":true,"iframe_src":"https://s","description":"S","configuration":{"schema":{"type":"object"}}},
					{"name":"F","uuid":"f","iframe_src":"https://f"}]}}}`,
			want: `{"schema_version":"4.1","app_manifest":{"id":"a"},"x_extra":true,
				"permissions":{"project":{"rfi":"readonly"}},
				"sidepanel":{"uuid":"s","views":["a.b"],"source_url":"https://s","description":"S","user_configuration":{"schema":{"type":"object"}}},
				"fullscreen":{"uuid":"f","source_url":"https://f"}}`,
			dropped: []string{"/components/oauth/instances/0/uid", "/components/oauth/instances/0/uuid",
				"/components/oauth/instances/0/grant_type", "/components/iframe/instances/0/name",
				"/components/iframe/instances/0/required", "/components/iframe/instances/1/name"},
		},
		{
			name:    "legacy without schema_version",
			in:      `{"components":{"oauth":{"instances":[{"grant_type":"authorization_code"}]}}}`,
			want:    `{"schema_version":"4.1"}`,
			dropped: []string{"/components/oauth/instances/0"},
		},
		{
			name: "what has no 4.1 place",
			in: `{"schema_version":"3","permissions":{},"components":{"extra":1,
				"oauth":{"instances":[{"grant_type":"client_credentials","permissions":{"company":{"documents":"readonly"}},"secret":"x"},
					{"grant_type":"client_credentials","permissions":{}},
					{"grant_type":"authorization_code","permissions":{"project":{}}},
					{"grant_type":"device_code"}, 7]},
				"iframe":{"other":1,"instances":[{"type":"sidepanel","iframe_src":"https://a"},{"type":"sidepanel","iframe_src":"https://b"},
					{"type":"modal"},{"type":"fullscreen","iframe_src":"https://c","color":"red"}]}}}`,
			want: `{"schema_version":"4.1","permissions":{"company":{"documents":"readonly"}},
				"sidepanel":{"source_url":"https://a"},"fullscreen":{"source_url":"https://c"}}`,
			lost: []string{"/permissions", "/components/extra", "/components/oauth/instances/0/secret",
				"/components/oauth/instances/1", "/components/oauth/instances/2/permissions", "/components/oauth/instances/3",
				"/components/oauth/instances/4", "/components/iframe/other", "/components/iframe/instances/1",
				"/components/iframe/instances/2", "/components/iframe/instances/3/color"},
			dropped: []string{"/components/oauth/instances/0/grant_type", "/components/oauth/instances/2"},
		},
		{
			name: "service account without permissions",
			in:   `{"schema_version":"3","components":{"oauth":{"instances":[{"grant_type":"client_credentials"}]}}}`,
			want: `{"schema_version":"4.1"}`,
			lost: []string{"/components/oauth/instances/0"},
		},
		{
			name:     "already 4.1",
			in:       `{"schema_version":"4.1","permissions":{}}`,
			unchange: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, diags := Parse("in.json", []byte(tt.in), ParseOptions{})
			if doc.Root == nil {
				t.Fatalf("input does not parse: %v", diags)
			}
			m, err := Migrate(doc, V41)
			if err != nil {
				t.Fatal(err)
			}
			if m.Unchanged != tt.unchange {
				t.Fatalf("Unchanged = %v, want %v", m.Unchanged, tt.unchange)
			}
			if tt.unchange {
				if string(m.Output) != tt.in {
					t.Errorf("a 4.1 input was changed: %s", m.Output)
				}
				return
			}
			wantDoc, _ := Parse("want.json", []byte(tt.want), ParseOptions{})
			if diff := cmp.Diff(string(FormatNode(wantDoc.Root, wantDoc.Src)), string(m.Output)); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
			var lost, dropped []string
			for _, n := range m.Notes {
				if n.Message == "" || strings.HasSuffix(n.Message, ".") {
					t.Errorf("note %q: want a message without a final period", n)
				}
				if n.Lost {
					lost = append(lost, n.Pointer)
				} else {
					dropped = append(dropped, n.Pointer)
				}
			}
			if diff := cmp.Diff(tt.lost, lost); diff != "" {
				t.Errorf("lost notes mismatch (-want +got):\n%s\nnotes: %v", diff, m.Notes)
			}
			if diff := cmp.Diff(tt.dropped, dropped); diff != "" {
				t.Errorf("dropped notes mismatch (-want +got):\n%s", diff)
			}
			if len(m.Lost()) != len(tt.lost) {
				t.Errorf("Lost() = %v", m.Lost())
			}
		})
	}
}

func TestMigrateErrors(t *testing.T) {
	doc, _ := Parse("in.json", []byte(`{"schema_version":"3"}`), ParseOptions{})
	if _, err := Migrate(doc, V3); !errors.Is(err, ErrMigrateTarget) {
		t.Errorf("Migrate to 3 error = %v, want ErrMigrateTarget", err)
	}
	for _, in := range []string{"{", "[]", `{"schema_version":"7"}`} {
		doc, _ := Parse("in.json", []byte(in), ParseOptions{})
		if m, err := Migrate(doc, V41); err == nil {
			t.Errorf("Migrate(%q) = %s, want an error", in, m.Output)
		}
	}
}

// FuzzMigrate checks that Migrate never panics and always writes a 4.1
// manifest in the canonical layout.
func FuzzMigrate(f *testing.F) {
	for _, s := range []string{`{"components":{"oauth":{"instances":[{"grant_type":"client_credentials","permissions":{}}]}}}`,
		`{"schema_version":"3","components":{"iframe":{"instances":[{"type":"sidepanel"},{"type":"x"},1]}}}`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<14 {
			t.Skip()
		}
		doc, _ := Parse("f", src, ParseOptions{})
		m, err := Migrate(doc, V41)
		if err != nil || m.Unchanged {
			return
		}
		out, _ := Parse("out", m.Output, ParseOptions{})
		if out.Root == nil {
			t.Fatalf("migrated output does not parse:\n%s", m.Output)
		}
		if v, _ := DetectSchemaVersion(out); v != V41 {
			t.Errorf("migrated output has schema version %q", v)
		}
	})
}

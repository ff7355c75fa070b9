package permissions

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/manifestctl/manifestctl/manifest"
)

// example41 is Procore's 4.1 example (procore-facts 6c), trimmed, with an
// unknown member that must survive.
const example41 = `{
  "schema_version": "4.1",
  "post_installation_instruction": {
    "notes": "Thank you for installing our application.",
    "page": {
      "url": "https://myprocoreapplication/app-setup-instructions",
      "label": "Our Support Site"
    }
  },
  "x-vendor": {"build": 42, "tags": ["a", "b"]},
  "permissions": {
    "company": {
      "documents": "readonly",
      "home": "standard"
    },
    "project": {
      "budget": "standard",
      "commitments": "standard",
      "daily_log": "standard"
    }
  }
}
`

const example3 = `{
  "schema_version": "3",
  "app_manifest": {
    "id": "3c86a740-6aa4-484f-9c67-b0fdef1a0a45"
  },
  "components": {
    "oauth": {
      "instances": [
        {
          "uuid": "4efc6e04-063b-4a5c-9b0c-0e4bf0fa9390",
          "grant_type": "client_credentials",
          "permissions": {
            "project": {
              "rfi": "readonly"
            }
          }
        }
      ]
    },
    "iframe": {"instances": []}
  }
}
`

func parse(t *testing.T, src string) (*manifest.Document, manifest.SchemaVersion) {
	t.Helper()
	doc, diags := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("parse: %v", diags)
	}
	v, d := manifest.DetectSchemaVersion(doc)
	if d != nil {
		t.Fatalf("version: %v", d)
	}
	return doc, v
}

// changedLines strips the lines before and after that are the same and
// returns what is left of each side.
func changedLines(before, after string) (removed, added []string) {
	a := strings.SplitAfter(before, "\n")
	b := strings.SplitAfter(after, "\n")
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	return a, b
}

// setPath sets or deletes (v == nil) a value in a decoded tree.
func setPath(t *testing.T, tree any, ptr string, v any) {
	t.Helper()
	tokens, _ := manifest.SplitPointer(ptr)
	cur := tree
	for i, tok := range tokens {
		switch c := cur.(type) {
		case map[string]any:
			if i == len(tokens)-1 {
				if v == nil {
					delete(c, tok)
				} else {
					c[tok] = v
				}
				return
			}
			if _, ok := c[tok]; !ok {
				c[tok] = map[string]any{}
			}
			cur = c[tok]
		case []any:
			var n int
			for _, ch := range tok {
				n = n*10 + int(ch-'0')
			}
			cur = c[n]
		default:
			t.Fatalf("setPath %s: %T at %q", ptr, cur, tok)
		}
	}
}

func TestAssignRevokeRoundTrips(t *testing.T) {
	type change struct {
		ptr string
		v   any // nil deletes
	}
	tests := []struct {
		name    string
		src     string
		assign  []string
		revoke  []string
		opts    *EditOptions
		removed []string // lines of src that change
		added   []string // lines that replace them
		tree    []change // the same change on the decoded tree
		results []string
	}{
		{
			name:    "4.1 change a level",
			src:     example41,
			assign:  []string{"company:documents=standard"},
			removed: []string{`      "documents": "readonly",` + "\n"},
			added:   []string{`      "documents": "standard",` + "\n"},
			tree:    []change{{"/permissions/company/documents", "standard"}},
			results: []string{"company:documents readonly -> standard"},
		},
		{
			name:    "4.1 add a tool in key order",
			src:     example41,
			assign:  []string{"project:coordination_issues=Read Only"},
			removed: nil,
			added:   []string{`      "coordination_issues": "readonly",` + "\n"},
			tree:    []change{{"/permissions/project/coordination_issues", "readonly"}},
			results: []string{"project:coordination_issues added at readonly"},
		},
		{
			name:    "4.1 add a tool at the end",
			src:     example41,
			assign:  []string{"project:rfi=standard"},
			removed: []string{`      "daily_log": "standard"` + "\n"},
			added:   []string{`      "daily_log": "standard",` + "\n", `      "rfi": "standard"` + "\n"},
			tree:    []change{{"/permissions/project/rfi", "standard"}},
			results: []string{"project:rfi added at standard"},
		},
		{
			name:    "4.1 an alias is updated in place",
			src:     example41,
			assign:  []string{"project:budgeting=readonly"},
			removed: []string{`      "budget": "standard",` + "\n"},
			added:   []string{`      "budget": "readonly",` + "\n"},
			tree:    []change{{"/permissions/project/budget", "readonly"}},
			results: []string{"project:budget standard -> readonly"},
		},
		{
			name:    "4.1 set to none removes the line",
			src:     example41,
			assign:  []string{"company:home=none"},
			removed: []string{`      "documents": "readonly",` + "\n", `      "home": "standard"` + "\n"},
			added:   []string{`      "documents": "readonly"` + "\n"},
			tree:    []change{{"/permissions/company/home", nil}},
			results: []string{"company:home removed (was standard)"},
		},
		{
			name:    "4.1 unset the middle tool",
			src:     example41,
			revoke:  []string{"project:commitments"},
			removed: []string{`      "commitments": "standard",` + "\n"},
			tree:    []change{{"/permissions/project/commitments", nil}},
			results: []string{"project:commitments removed (was standard)"},
		},
		{
			name:   "4.1 unset every company tool removes the object",
			src:    example41,
			revoke: []string{"company:documents", "company:home", "company:timecard"},
			removed: []string{
				`    "company": {` + "\n", `      "documents": "readonly",` + "\n", `      "home": "standard"` + "\n", `    },` + "\n",
			},
			tree:    []change{{"/permissions/company", nil}},
			results: []string{"company:documents removed (was readonly)", "company:home removed (was standard)", "company:timecard not declared"},
		},
		{
			name:    "4.1 without permissions",
			src:     "{\n  \"schema_version\": \"4.1\",\n  \"fullscreen\": {\"uuid\": \"u\"}\n}\n",
			assign:  []string{"project:rfi=standard", "company:directory=readonly"},
			removed: []string{"  \"fullscreen\": {\"uuid\": \"u\"}\n"},
			added: []string{
				"  \"fullscreen\": {\"uuid\": \"u\"},\n",
				"  \"permissions\": {\n",
				"    \"company\": {\n",
				"      \"directory\": \"readonly\"\n",
				"    },\n",
				"    \"project\": {\n",
				"      \"rfi\": \"standard\"\n",
				"    }\n",
				"  }\n",
			},
			tree:    []change{{"/permissions", map[string]any{"company": map[string]any{"directory": "readonly"}, "project": map[string]any{"rfi": "standard"}}}},
			results: []string{"project:rfi added at standard", "company:directory added at readonly"},
		},
		{
			name:    "3.x inside the client_credentials instance",
			src:     example3,
			assign:  []string{"project:rfi=standard", "company:documents=readonly"},
			removed: []string{`            "project": {` + "\n", `              "rfi": "readonly"` + "\n"},
			added: []string{
				`            "company": {` + "\n",
				`              "documents": "readonly"` + "\n",
				`            },` + "\n",
				`            "project": {` + "\n",
				`              "rfi": "standard"` + "\n",
			},
			tree: []change{
				{"/components/oauth/instances/0/permissions/project/rfi", "standard"},
				{"/components/oauth/instances/0/permissions/company", map[string]any{"documents": "readonly"}},
			},
			results: []string{"project:rfi readonly -> standard", "company:documents added at readonly"},
		},
		{
			name:   "3.x unset the last tool",
			src:    example3,
			revoke: []string{"project:rfi"},
			removed: []string{
				`          "permissions": {` + "\n", `            "project": {` + "\n", `              "rfi": "readonly"` + "\n", `            }` + "\n",
				`          }` + "\n",
			},
			added:   []string{`          "permissions": {}` + "\n"},
			tree:    []change{{"/components/oauth/instances/0/permissions/project", nil}},
			results: []string{"project:rfi removed (was readonly)"},
		},
		{
			name:    "3.x add a client_credentials instance",
			src:     "{\n  \"schema_version\": \"3.2\",\n  \"components\": {\n    \"iframe\": {\"instances\": []}\n  }\n}\n",
			assign:  []string{"project:rfi=readonly"},
			opts:    &EditOptions{AddClientCredentials: true},
			removed: []string{"    \"iframe\": {\"instances\": []}\n"},
			added: []string{
				"    \"iframe\": {\"instances\": []},\n",
				"    \"oauth\": {\n",
				"      \"instances\": [\n",
				"        {\n",
				"          \"grant_type\": \"client_credentials\",\n",
				"          \"permissions\": {\n",
				"            \"project\": {\n",
				"              \"rfi\": \"readonly\"\n",
				"            }\n",
				"          }\n",
				"        }\n",
				"      ]\n",
				"    }\n",
			},
			tree: []change{{"/components/oauth", map[string]any{"instances": []any{map[string]any{
				"grant_type": "client_credentials", "permissions": map[string]any{"project": map[string]any{"rfi": "readonly"}}}}}}},
			results: []string{"project:rfi added at readonly"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, v := parse(t, tt.src)
			cat, _ := Default()
			var results []EditResult
			out := doc
			if tt.assign != nil {
				var as []Assignment
				for _, s := range tt.assign {
					a, err := ParseAssignment(s, cat)
					if err != nil {
						t.Fatal(err)
					}
					as = append(as, a)
				}
				var err error
				out, results, err = Assign(doc, v, as, tt.opts)
				if err != nil {
					t.Fatalf("Assign: %v", err)
				}
			} else {
				var refs []ToolRef
				for _, s := range tt.revoke {
					r, err := ParseToolRef(s, cat)
					if err != nil {
						t.Fatal(err)
					}
					refs = append(refs, r)
				}
				var err error
				out, results, err = Revoke(doc, v, refs, tt.opts)
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
			}
			removed, added := changedLines(tt.src, string(out.Src))
			if diff := cmp.Diff(tt.removed, removed, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("removed lines (-want +got):\n%s\n%s", diff, out.Src)
			}
			if diff := cmp.Diff(tt.added, added, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("added lines (-want +got):\n%s\n%s", diff, out.Src)
			}
			want := doc.Root.Interface()
			for _, c := range tt.tree {
				setPath(t, want, c.ptr, c.v)
			}
			if diff := cmp.Diff(want, out.Root.Interface()); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
			var got []string
			for _, r := range results {
				got = append(got, r.String())
			}
			if diff := cmp.Diff(tt.results, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAssignThenRevoke: adding a tool and removing it again gives back the
// original bytes.
func TestAssignThenRevoke(t *testing.T) {
	for _, src := range []string{example41, example3} {
		doc, v := parse(t, src)
		for _, ref := range []ToolRef{{Project, "submittals"}, {Project, "aaa_first"}, {Project, "zzz_last"}} {
			out, _, err := Assign(doc, v, []Assignment{{Scope: ref.Scope, Tool: ref.Tool, Level: Standard}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Src) == src {
				t.Fatalf("%s: assign changed nothing (a no-op Assign and Revoke would pass the round trip)", ref)
			}
			back, _, err := Revoke(out, v, []ToolRef{ref}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(src, string(back.Src)); diff != "" {
				t.Errorf("%s: assign then revoke (-want +got):\n%s", ref, diff)
			}
		}
	}
}

func TestAssignErrors(t *testing.T) {
	cat, _ := Default()
	doc41, v41 := parse(t, example41)
	tests := []struct {
		name string
		src  string
		a    Assignment
		opts *EditOptions
		is   error
		msg  string
	}{
		{name: "level not allowed", a: Assignment{Company, "admin", Standard}, msg: `level "standard" is not allowed for company tool "admin" (Admin): the Permission Builder offers only none, admin`},
		{name: "wrong scope", a: Assignment{Company, "daily_log", ReadOnly}, msg: `"daily_log" is a project tool (Daily Log), not a company tool: write project:daily_log`},
		{name: "bad scope", a: Assignment{"portfolio", "x", ReadOnly}, msg: `unknown scope "portfolio"`},
		{name: "3.x without client credentials", src: "{\"schema_version\": \"3\", \"components\": {}}", a: Assignment{Project, "rfi", ReadOnly}, is: ErrNoClientCredentials},
		{name: "3.x with authorization code", src: "{\"schema_version\": \"3\", \"components\": {\"oauth\": {\"instances\": [{\"grant_type\": \"authorization_code\"}]}}}",
			a: Assignment{Project, "rfi", ReadOnly}, opts: &EditOptions{AddClientCredentials: true}, is: ErrOtherGrant},
		{name: "tool key - not allowed", a: Assignment{Company, "-", ReadOnly}, msg: `"-" is not a tool key: Procore's tool keys are letters, digits and underscores, such as daily_log`},
		{name: "tool key with a slash not allowed", a: Assignment{Project, "a/b", ReadOnly}, msg: `"a/b" is not a tool key`},
		{name: "tool key with a space not allowed", a: Assignment{Project, "daily log", ReadOnly}, msg: `"daily log" is not a tool key`},
		{name: "permissions not an object", src: "{\"schema_version\": \"4.1\", \"permissions\": {\"project\": []}}", a: Assignment{Project, "rfi", ReadOnly}, msg: "/permissions/project: it is an array, not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, v := doc41, v41
			if tt.src != "" {
				doc, v = parse(t, tt.src)
			}
			out, res, err := Assign(doc, v, []Assignment{tt.a}, tt.opts)
			if err == nil || out != nil || res != nil {
				t.Fatalf("Assign() = %v, %v, %v; want an error", out, res, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if tt.msg != "" && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			var ae *AssignmentError
			if strings.Contains(tt.name, "scope") || strings.Contains(tt.name, "allowed") {
				if !errors.As(err, &ae) {
					t.Errorf("error %v is not an *AssignmentError", err)
				}
			}
		})
	}
	// Unknown and unconfirmed tools are written with a warning.
	_, res, err := Assign(doc41, v41, []Assignment{{Project, "submittal", ReadOnly}, {Company, "concierge", Standard}, {Project, "daily_log", ReadOnly}}, &EditOptions{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res[0].Warning, `unknown project tool "submittal": written as given; did you mean project:submittal_log (Submittals)?`) {
		t.Errorf("warning = %q", res[0].Warning)
	}
	if res[1].Warning != "" || !strings.Contains(res[1].Note, "does not confirm") || res[2].Warning != "" || res[2].Note != "" {
		t.Errorf("warnings and notes = %+v, %+v", res[1], res[2])
	}
}

func TestParseAssignment(t *testing.T) {
	cat, _ := Default()
	tests := []struct {
		in   string
		want Assignment
		err  string
	}{
		{in: "company:directory=readonly", want: Assignment{Company, "directory", ReadOnly}},
		{in: "Project:rfi=Read-Only", want: Assignment{Project, "rfi", ReadOnly}},
		{in: "rfi=standard", want: Assignment{Project, "rfi", Standard}},
		{in: "timecard=4", want: Assignment{Company, "timecard", Admin}},
		{in: "directory=readonly", err: "no scope"},
		{in: "widget=readonly", err: "no scope"},
		{in: "project:rfi", err: "no level"},
		{in: "project:rfi=editor", err: `level "editor" is not one of none, readonly, standard, admin`},
		{in: "team:rfi=readonly", err: `unknown scope "team"`},
		{in: "project:=readonly", err: "no tool"},
	}
	for _, tt := range tests {
		got, err := ParseAssignment(tt.in, cat)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseAssignment(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAssignment(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestAssignCRLF: lines added to a Windows file (a scope object, a tool, a
// client_credentials instance) end like the file's own lines (issue 9).
func TestAssignCRLF(t *testing.T) {
	for _, src := range []string{
		example41,
		"{\n  \"schema_version\": \"4.1\"\n}\n",
		example3,
		"{\n  \"schema_version\": \"3\",\n  \"components\": {}\n}\n",
	} {
		crlf := strings.ReplaceAll(src, "\n", "\r\n")
		doc, v := parse(t, crlf)
		out, _, err := Assign(doc, v, []Assignment{{Company, "directory", ReadOnly}, {Project, "rfi", Standard}, {Project, "zzz_tool", ReadOnly}},
			&EditOptions{AddClientCredentials: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := lineEndings(out.Src); got != "crlf" {
			t.Errorf("line endings %s after editing a CRLF file:\n%q", got, out.Src)
		}
		// The same edit of the LF file gives the same text with LF.
		lfDoc, _ := parse(t, src)
		lf, _, err := Assign(lfDoc, v, []Assignment{{Company, "directory", ReadOnly}, {Project, "rfi", Standard}, {Project, "zzz_tool", ReadOnly}},
			&EditOptions{AddClientCredentials: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(lf.Src), strings.ReplaceAll(string(out.Src), "\r\n", "\n")); diff != "" {
			t.Errorf("CRLF edit differs from the LF edit (-lf +crlf):\n%s", diff)
		}
	}
}

// FuzzAssign checks the Permission Builder's edits on any manifest: after
// a successful Assign or Revoke the file parses, the tool holds the level
// written (or is gone), and line endings stay uniform when they were.
func FuzzAssign(f *testing.F) {
	for _, src := range []string{example41, example3, strings.ReplaceAll(example41, "\n", "\r\n"),
		strings.ReplaceAll(example3, "\n", "\r\n"), `{"schema_version":"4.1"}`, "{\r\n  \"schema_version\": \"4.1\",\r\n  \"permissions\": {}\r\n}\r\n"} {
		f.Add(src, true, "directory", uint8(1))
		f.Add(src, false, "rfi", uint8(0))
	}
	f.Add(`{"schema_version":"4.1","permissions":{}}`, true, "-", uint8(1))
	f.Fuzz(func(t *testing.T, src string, company bool, tool string, level uint8) {
		if len(src) > 4096 {
			t.Skip()
		}
		doc, _ := manifest.Parse("m.json", []byte(src), manifest.ParseOptions{})
		if doc.Root == nil || !doc.Root.IsObject() {
			return
		}
		v, _ := manifest.DetectSchemaVersion(doc)
		if v == "" {
			return
		}
		scope := Project
		if company {
			scope = Company
		}
		a := Assignment{Scope: scope, Tool: tool, Level: Levels[int(level)%len(Levels)]}
		out, res, err := Assign(doc, v, []Assignment{a}, &EditOptions{AddClientCredentials: true})
		if err == nil {
			checkPermissionEdit(t, doc, out, "Assign "+a.String())
			if p := res[0].Pointer; p != "" {
				n := out.Root.Lookup(p)
				switch {
				case a.Level == None && n != nil:
					t.Fatalf("Assign %s on %q: %s still holds %s", a, src, p, out.Text(n))
				case a.Level != None && (n == nil || !n.IsString() || n.Str != a.Level.String()):
					t.Fatalf("Assign %s on %q: %s holds %v in %q", a, src, p, n, out.Src)
				}
			} else if a.Level != None {
				t.Fatalf("Assign %s on %q: no pointer in %+v", a, src, res[0])
			}
		}
		out, res, err = Revoke(doc, v, []ToolRef{{Scope: scope, Tool: tool}}, nil)
		if err == nil {
			checkPermissionEdit(t, doc, out, "Revoke "+tool)
			if p := res[0].Pointer; p != "" && out.Root.Lookup(p) != nil {
				t.Fatalf("Revoke %s on %q: %s is still there: %q", tool, src, p, out.Src)
			}
		}
	})
}

func checkPermissionEdit(t *testing.T, doc, out *manifest.Document, what string) {
	t.Helper()
	if out == nil || out.Root == nil {
		t.Fatalf("%s on %q: no document", what, doc.Src)
	}
	if again, diags := manifest.Parse("m.json", out.Src, manifest.ParseOptions{}); again.Root == nil {
		t.Fatalf("%s on %q: the result does not parse: %v", what, doc.Src, diags)
	}
	if before, after := lineEndings(doc.Src), lineEndings(out.Src); before != "mixed" && after != "" && before != "" && after != before {
		t.Fatalf("%s on %q: line endings %s became %s: %q", what, doc.Src, before, after, out.Src)
	}
}

// lineEndings says which line breaks src has: "", "lf", "crlf" or "mixed"
// (bare carriage returns count as mixed).
func lineEndings(src []byte) string {
	lf, crlf := false, false
	for i, c := range src {
		switch {
		case c == '\n' && i > 0 && src[i-1] == '\r':
			crlf = true
		case c == '\n':
			lf = true
		case c == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			return "mixed"
		}
	}
	switch {
	case lf && crlf:
		return "mixed"
	case crlf:
		return "crlf"
	case lf:
		return "lf"
	}
	return ""
}

// TestRandomEditsKeepLineEndings replays the red-team property of issue 9:
// 900 random sequences of set and unset on LF and CRLF manifests (3.x and
// 4.1, with and without permissions) never mix line endings, and every
// intermediate file parses and holds the levels set. The generator is
// seeded: the run is the same every time.
func TestRandomEditsKeepLineEndings(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var tools []Assignment
	for _, scope := range Scopes {
		for _, tool := range cat.Tools(scope) {
			key := strings.Replace(tool.Key, "{id}", "126094", 1) // a pattern: one of the keys it names
			for _, l := range Levels {
				if tool.Allows(l) {
					tools = append(tools, Assignment{Scope: scope, Tool: key, Level: l})
				}
			}
		}
	}
	bases := []string{example41, example3, "{\n  \"schema_version\": \"4.1\"\n}\n",
		"{\n  \"schema_version\": \"3.2\",\n  \"components\": {}\n}\n",
		"{\n\t\"schema_version\": \"4.1\",\n\t\"permissions\": {\n\t\t\"project\": {}\n\t}\n}\n"}
	rng := rand.New(rand.NewPCG(9, 900))
	for i := range 900 {
		src := bases[rng.IntN(len(bases))]
		want := "lf"
		if rng.IntN(2) == 0 {
			src, want = strings.ReplaceAll(src, "\n", "\r\n"), "crlf"
		}
		doc, v := parse(t, src)
		for step := range 1 + rng.IntN(6) {
			a := tools[rng.IntN(len(tools))]
			var out *manifest.Document
			var res []EditResult
			var err error
			if rng.IntN(4) == 0 {
				out, res, err = Revoke(doc, v, []ToolRef{{a.Scope, a.Tool}}, nil)
			} else {
				out, res, err = Assign(doc, v, []Assignment{a}, &EditOptions{AddClientCredentials: true})
			}
			if err != nil {
				t.Fatalf("edit %d step %d (%s) on %q: %v", i, step, a, doc.Src, err)
			}
			if got := lineEndings(out.Src); got != want {
				t.Fatalf("edit %d step %d (%s): line endings %s, want %s:\n%q", i, step, a, got, want, out.Src)
			}
			if again, _ := manifest.Parse("m.json", out.Src, manifest.ParseOptions{}); again.Root == nil {
				t.Fatalf("edit %d step %d: result does not parse: %q", i, step, out.Src)
			}
			if p := res[0].Pointer; p != "" && res[0].Action != ActionRemoved && a.Level != None {
				if n := out.Root.Lookup(p); n == nil || n.Str != a.Level.String() {
					t.Fatalf("edit %d step %d (%s): %s holds %v", i, step, a, p, n)
				}
			}
			doc = out
		}
	}
}

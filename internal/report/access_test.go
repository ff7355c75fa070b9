package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/internal/access"
)

// accessCases are the comparisons the goldens show: the demo's mixed
// result, a user outside the company, an identical pair, nothing listed,
// and names that need escaping.
func accessCases() map[string]*access.Report {
	dana := access.UserRef{ID: 77, Login: "dana.demo@example.com"}
	return map[string]*access.Report{
		"mixed": {
			CompanyID: 10, CompanyName: "Acme Builders", User: dana, UserName: "Dana Demo", UserInCompany: true,
			Projects: []access.ProjectAccess{
				{ID: 101, Name: "Tower A", Access: access.Both},
				{ID: 102, Name: "Tower B", Access: access.BotOnly},
				{ID: 104, Name: "Harbor Clinic", Access: access.UserOnly},
			},
			Summary: access.Summary{Both: 1, BotOnly: 1, UserOnly: 1}, Requests: 6,
		},
		"not-member": {
			CompanyID: 20, User: dana, UserName: "Dana Demo",
			Projects: []access.ProjectAccess{{ID: 4294967301, Name: "Lakeside Mixed Use", Access: access.BotOnly}},
			Summary:  access.Summary{BotOnly: 1}, Requests: 4,
		},
		"identical": {
			CompanyID: 10, CompanyName: "Acme Builders", User: dana, UserInCompany: true,
			Projects: []access.ProjectAccess{
				{ID: 1, Name: "One", Access: access.Both},
				{ID: 2, Name: "Two", Access: access.Both},
			},
			Summary: access.Summary{Both: 2}, Requests: 1,
		},
		"empty": {
			CompanyID: 10, User: dana, UserInCompany: true, Projects: []access.ProjectAccess{}, Requests: 5,
		},
		"escaping": {
			CompanyID: 10, CompanyName: "A|B \x1b[31mRed\x1b[0m", User: access.UserRef{ID: 5, Login: "x_y*z@example.com"}, UserInCompany: true,
			Projects: []access.ProjectAccess{{ID: 7, Name: "<b>bold</b> | pipe\nnew line", Access: access.UserOnly}},
			Summary:  access.Summary{UserOnly: 1}, Requests: 5,
		},
	}
}

func TestAccessGolden(t *testing.T) {
	ext := map[string]string{"text": "txt", "json": "json", "markdown": "md"}
	for name, r := range accessCases() {
		for _, format := range Access.Formats() {
			t.Run(name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Access.Write(&buf, format, r, Options{}); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "access", name+"."+ext[format])
				if *update {
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update)", err)
				}
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s (-want +got):\n%s", golden, diff)
				}
			})
		}
	}
}

// The JSON report has exactly DESIGN's members, in its order, and reads
// back into the same report.
func TestAccessJSONShape(t *testing.T) {
	r := accessCases()["mixed"]
	var buf bytes.Buffer
	if err := Access.Write(&buf, "json", r, Options{}); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && dec.More() {
				keys = append(keys, v)
				// skip the value
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	want := []string{"company_id", "user", "user_in_company", "projects", "summary", "requests"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("top-level members (-want +got):\n%s", diff)
	}
	var back access.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	back.CompanyName, back.UserName = r.CompanyName, r.UserName
	if diff := cmp.Diff(*r, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if !strings.Contains(buf.String(), `"user": {`+"\n"+`    "id": 77,`+"\n"+`    "login": "dana.demo@example.com"`+"\n  }") {
		t.Errorf("user is not {id, login}:\n%s", buf.String())
	}
}

// No control character from an API name reaches the text output.
func TestAccessTextPrintable(t *testing.T) {
	var buf bytes.Buffer
	if err := Access.Write(&buf, "text", accessCases()["escaping"], Options{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range buf.String() {
		if c < ' ' && c != '\n' {
			t.Fatalf("control character %q in the text output:\n%s", c, buf.String())
		}
	}
}

func TestAccessUnknownFormat(t *testing.T) {
	err := Access.Write(&bytes.Buffer{}, "sarif", accessCases()["mixed"], Options{})
	if err == nil || !strings.Contains(err.Error(), "text, json, markdown") {
		t.Errorf("err = %v", err)
	}
}

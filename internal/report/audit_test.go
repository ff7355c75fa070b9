package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

func i64(v int64) *int64   { return &v }
func str(s string) *string { return &s }
func intp(v int) *int      { return &v }

// auditRow builds a row as the engine does.
func auditRow(company, project int64, scope, tool, declared, actual string, v audit.Verdict, reason, msg string) audit.Finding {
	f := audit.Finding{Scope: scope, Tool: str(tool), Verdict: v, Reason: reason, Message: msg}
	if company != 0 {
		f.CompanyID = i64(company)
	}
	if project != 0 {
		f.ProjectID = i64(project)
	}
	if declared != "" {
		f.Declared = str(declared)
		f.Pointer = "/permissions/" + scope + "/" + tool
	}
	if actual != "" {
		f.Actual = str(actual)
	}
	return f
}

// auditFixture is a report with every verdict, both inactive reasons, a
// root cause, an unpermitted project, errors, warnings, an installation
// and suppressed rows, over the example manifest procore-41.json.
func auditFixture() *audit.Report {
	root := "company 10: the service account is a company administrator (company tool admin is at admin): " +
		"Procore gives it admin on every tool and lists every project of the company, which explains its over rows"
	r := &audit.Report{
		Manifest:    "app/procore-41.json",
		Environment: audit.Environment{Name: "embedded", LoginURL: "http://127.0.0.1:4242", APIURL: "http://127.0.0.1:4242"},
		Principal:   audit.Principal{Kind: audit.KindClientCredentials, ApplicationUID: "demo-app"},
		Companies: []audit.CompanyResult{
			{ID: 10, Name: str("Acme <Builders> & Co"), Projects: 4, Installation: &audit.InstallationResult{Version: "1.3.0", Status: "installed", UpdateAvailable: true}},
			{ID: 20, Projects: 0},
		},
		Findings: []audit.Finding{
			auditRow(10, 0, "company", "documents", "readonly", "readonly", audit.OK, "", "company tool documents is readonly, as declared"),
			auditRow(10, 0, "company", "home", "standard", "admin", audit.Over, "", "company tool home is admin, above the declared standard"),
			auditRow(10, 0, "company", "reports", "", "standard", audit.Undeclared, "", "company tool reports is standard, but the manifest does not declare it"),
			auditRow(10, 0, "company", "schedule", "standard", "readonly", audit.Under, "", "company tool schedule is readonly, below the declared standard"),
			auditRow(10, 0, "company", "timecard", "standard", "standard", audit.Inactive, audit.ReasonUnavailable, "company tool timecard is declared standard, but it is not available to the service account (available_for_user is false)"),
			auditRow(10, 0, "company", "timesheets", "standard", "", audit.Inactive, audit.ReasonAbsent, "company tool timesheets is declared standard, but the company's permissions do not list it"),
			auditRow(10, 101, "project", "budgeting", "standard", "standard", audit.OK, "", "project tool budgeting is standard, as declared"),
			auditRow(10, 101, "project", "directory", "standard", "standard", audit.OK, "", "project tool directory is standard, as declared"),
			auditRow(10, 102, "project", "budgeting", "standard", "standard", audit.OK, "", "project tool budgeting is standard, as declared"),
			auditRow(10, 102, "project", "daily_log", "standard", "", audit.Inactive, audit.ReasonAbsent, "project tool daily_log is declared standard, but the project's permissions do not list it"),
			auditRow(10, 102, "project", "directory", "standard", "admin", audit.Over, "", "project tool directory is admin, above the declared standard"),
			auditRow(10, 102, "project", "rfi", "", "standard", audit.Undeclared, "", "project tool rfi is standard, but the manifest does not declare it"),
			auditRow(10, 103, "project", "budgeting", "standard", "standard", audit.OK, "", "project tool budgeting is standard, as declared"),
			auditRow(10, 104, "project", "budgeting", "standard", "standard", audit.OK, "", "project tool budgeting is standard, as declared"),
			{ProjectID: i64(999), Scope: "project", Verdict: audit.Unpermitted, Message: "project 999 is not among the permitted projects of any audited company"},
		},
		Warnings: []string{
			root,
			"company 10 runs version 1.3.0 of the app, the manifest is version 1.4.0: its differences may only mean that it has not updated yet",
		},
		Errors: []audit.Error{
			{CompanyID: i64(10), ProjectID: i64(105), Status: intp(500), RequestID: "req-77", Message: "read the tool permissions of project 105: GET /rest/v1.0/settings/permissions: 500 Internal Server Error"},
			{CompanyID: i64(20), Status: intp(403), RequestID: "req-78", Message: "read the company's tool permissions: GET /rest/v1.0/settings/permissions: 403 App is not connected to this company."},
		},
		Requests:   11,
		RootCauses: []audit.RootCause{{CompanyID: 10, Tool: "admin", Message: root}},
	}
	for i := range r.Findings {
		switch r.Findings[i].Verdict {
		case audit.OK:
			r.Summary.OK++
		case audit.Over:
			r.Summary.Over++
		case audit.Undeclared:
			r.Summary.Undeclared++
		case audit.Under:
			r.Summary.Under++
		case audit.Inactive:
			r.Summary.Inactive++
		case audit.Unpermitted:
			r.Summary.Unpermitted++
		}
	}
	r.Summary.Errors = len(r.Errors)
	r.Summary.Suppressed = 2
	return r
}

// auditClean is a clean report: every row ok.
func auditClean() *audit.Report {
	r := &audit.Report{
		Manifest:    "app/procore-41.json",
		Environment: audit.Environment{Name: "sandbox", LoginURL: "https://login-sandbox.procore.com", APIURL: "https://sandbox.procore.com"},
		Principal:   audit.Principal{Kind: audit.KindAccessToken, ResourceOwnerID: i64(4242), ApplicationUID: "uid"},
		Companies:   []audit.CompanyResult{{ID: 10, Name: str("Acme"), Projects: 1}},
		Findings: []audit.Finding{
			auditRow(10, 0, "company", "documents", "readonly", "readonly", audit.OK, "", "company tool documents is readonly, as declared"),
			auditRow(10, 7, "project", "budgeting", "standard", "standard", audit.OK, "", "project tool budgeting is standard, as declared"),
		},
		Warnings: []string{},
		Errors:   []audit.Error{},
		Summary:  audit.Summary{OK: 2},
		Requests: 5,
	}
	return r
}

// auditBaseline marks some rows of the fixture new.
func auditBaseline() *audit.Report {
	r := auditFixture()
	r.Baseline = true
	for i := range r.Findings {
		isNew := r.Findings[i].Verdict == audit.Undeclared
		r.Findings[i].New = &isNew
	}
	return r
}

func auditDoc(t *testing.T) *manifest.Document {
	t.Helper()
	src, err := os.ReadFile("../../testdata/examples/procore-41.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := manifest.Parse("app/procore-41.json", src, manifest.ParseOptions{})
	return doc
}

func TestAuditGolden(t *testing.T) {
	cases := map[string]func() *audit.Report{"fixture": auditFixture, "clean": auditClean, "baseline": auditBaseline}
	ext := map[string]string{"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif"}
	opts := AuditOptions{Tool: Tool{Name: "manifestctl", Version: "v1.0.0", CatalogVersion: "2026.06.0"}, Doc: auditDoc(t), PermissionsPointer: "/permissions"}
	for name, mk := range cases {
		for _, format := range Audit.Formats() {
			t.Run(name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Audit.Write(&buf, format, &AuditResult{Report: mk(), AuditOptions: opts}, Options{}); err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "audit", name+"."+ext[format])
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

func TestAuditTextWidth(t *testing.T) {
	for name, r := range map[string]*audit.Report{"fixture": auditFixture(), "baseline": auditBaseline()} {
		var buf bytes.Buffer
		if err := Audit.Write(&buf, "text", &AuditResult{Report: r, AuditOptions: AuditOptions{}}, Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("%s line %d has %d columns: %q", name, i+1, n, line)
			}
		}
		// The root cause is above the over rows it explains, and shown once.
		root := strings.Index(out, "root cause:")
		over := strings.Index(out, "over ")
		if root < 0 || over < 0 || root > over {
			t.Errorf("%s: root cause at %d, first over row at %d", name, root, over)
		}
		if strings.Count(out, "company administrator") != 1 {
			t.Errorf("%s: the root cause is shown %d times", name, strings.Count(out, "company administrator"))
		}
		// Differences come before the ok count of their group, and the
		// suppressed rows are counted.
		if !strings.Contains(out, "2 suppressed") {
			t.Errorf("%s: the suppressed count is missing", name)
		}
		if lines := strings.Count(out, "; 11 requests"); lines != 1 {
			t.Errorf("%s: %d summary lines", name, lines)
		}
	}
}

func TestAuditJSONRoundTrip(t *testing.T) {
	in := auditBaseline()
	var buf bytes.Buffer
	if err := Audit.Write(&buf, "json", &AuditResult{Report: in, AuditOptions: AuditOptions{}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `\u003c`) {
		t.Error("JSON escapes HTML characters")
	}
	out, err := audit.ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	in.RootCauses, in.Baseline = nil, false // not on the wire
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}

func TestAuditSARIF(t *testing.T) {
	schema := compileSARIFSchema(t)
	doc := auditDoc(t)
	var buf bytes.Buffer
	if err := Audit.Write(&buf, "sarif", &AuditResult{Report: auditFixture(), AuditOptions: AuditOptions{Doc: doc, PermissionsPointer: "/permissions"}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(decodeUseNumber(t, buf.Bytes())); err != nil {
		t.Errorf("audit SARIF does not match the schema: %v", err)
	}
	// Each difference is on the line that declares its tool; undeclared
	// ones on the permissions object.
	out := buf.String()
	for ptr, verdict := range map[string]string{"/permissions/company/home": "over", "/permissions": "undeclared"} {
		line := doc.Position(ptr).Line
		if line == 0 || !strings.Contains(out, `"startLine": `+itoaTest(line)) {
			t.Errorf("%s (%s): line %d not in the output", ptr, verdict, line)
		}
	}
}

func itoaTest(n int) string { return strconv.Itoa(n) }

func TestAuditUnknownFormat(t *testing.T) {
	err := Audit.Write(&bytes.Buffer{}, "junit", &AuditResult{Report: auditClean(), AuditOptions: AuditOptions{}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "text, json, markdown, sarif") {
		t.Errorf("Audit.Write(junit) = %v", err)
	}
}

// TestAuditTextCleanProjectsCapped: a company with many projects that are
// as declared lists the first ids on a terminal, not all of them.
func TestAuditTextCleanProjectsCapped(t *testing.T) {
	r := &audit.Report{Manifest: "app.json", Environment: audit.Environment{Name: "sandbox"}}
	company := int64(10)
	r.Companies = []audit.CompanyResult{{ID: company, Projects: maxCleanIDs + 5}}
	tool, level := "daily_log", "readonly"
	for i := 0; i < maxCleanIDs+5; i++ {
		p := int64(1000 + i)
		r.Findings = append(r.Findings, audit.Finding{CompanyID: &company, ProjectID: &p, Scope: "project",
			Tool: &tool, Declared: &level, Actual: &level, Verdict: audit.OK})
	}
	var buf bytes.Buffer
	if err := Audit.Write(&buf, "text", &AuditResult{Report: r}, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "1019, and 5 more") || strings.Contains(out, "1020") {
		t.Errorf("clean projects not capped at %d ids:\n%s", maxCleanIDs, out)
	}
	if !strings.Contains(out, "25 projects as declared (25 ok)") {
		t.Errorf("the count of clean projects is missing:\n%s", out)
	}
}

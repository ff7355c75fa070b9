package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Verdict is the outcome for one compared (company, project, tool).
type Verdict string

// The verdicts, in report order.
const (
	OK          Verdict = "ok"          // actual = declared
	Over        Verdict = "over"        // actual above the declared level
	Undeclared  Verdict = "undeclared"  // not declared, actual above None
	Under       Verdict = "under"       // actual below the declared level
	Inactive    Verdict = "inactive"    // declared, but unavailable or absent
	Unpermitted Verdict = "unpermitted" // an expected project is not permitted
)

// Verdicts lists every verdict in report order.
var Verdicts = []Verdict{OK, Over, Undeclared, Under, Inactive, Unpermitted}

// ParseVerdict reads a verdict name.
func ParseVerdict(s string) (Verdict, error) {
	for _, v := range Verdicts {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown verdict %q (want %s)", s, verdictNames())
}

func verdictNames() string {
	names := make([]string, len(Verdicts))
	for i, v := range Verdicts {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// Reasons of an inactive verdict.
const (
	// ReasonUnavailable: the tool is listed with available_for_user false.
	ReasonUnavailable = "unavailable"
	// ReasonAbsent: the tool is missing from the scope's answer.
	ReasonAbsent = "absent"
)

// Principal kinds.
const (
	KindClientCredentials = "client_credentials"
	KindAccessToken       = "access_token"
	// KindLogin is a person's stored `manifestctl login` (the authorization
	// code grant): the levels are that person's, not the service account's.
	KindLogin = "authorization_code"
)

// Report is the outcome of an audit. Its JSON encoding is the wire shape of
// DESIGN.md section 4; a report read back from JSON (a baseline) has the
// same values except those marked json:"-".
type Report struct {
	Manifest    string          `json:"manifest"`
	Environment Environment     `json:"environment"`
	Principal   Principal       `json:"principal"`
	Companies   []CompanyResult `json:"companies"`
	Findings    []Finding       `json:"findings"`
	Warnings    []string        `json:"warnings"`
	Errors      []Error         `json:"errors"`
	Summary     Summary         `json:"summary"`
	// Requests counts every HTTP request sent, token requests, retries and
	// 429s included. The engine does not send requests itself: the caller
	// fills it in from its client.
	Requests int64 `json:"requests"`

	// RootCauses are the companies where the DMSA is a company
	// administrator, which explains their "over" rows (also one line each
	// in Warnings).
	RootCauses []RootCause `json:"-"`
	// Baseline is true when the rows were compared with a baseline (each
	// has New set).
	Baseline bool `json:"-"`
	// Interrupted is true when the context ended the audit before it was
	// finished.
	Interrupted bool `json:"-"`
}

// Environment names the Procore hosts audited.
type Environment struct {
	Name     string `json:"name"`
	LoginURL string `json:"login_url"`
	APIURL   string `json:"api_url"`
}

// Principal is who the token belongs to, as token info says.
type Principal struct {
	// Kind is KindClientCredentials or KindAccessToken.
	Kind string `json:"kind"`
	// ResourceOwnerID is null for a client credentials token (Procore
	// documents no resource owner for one).
	ResourceOwnerID *int64 `json:"resource_owner_id"`
	ApplicationUID  string `json:"application_uid"`
}

// CompanyResult is one audited company.
type CompanyResult struct {
	ID int64 `json:"id"`
	// Name comes from the companies listing (AllCompanies), else from the
	// company object of a listed project; null when neither gave one.
	Name *string `json:"name"`
	// Projects counts the projects audited.
	Projects int `json:"projects"`
	// Installation is present only when installations were read.
	Installation *InstallationResult `json:"installation,omitempty"`
}

// InstallationResult is a company's installed app version.
type InstallationResult struct {
	Version         string `json:"version"`
	Status          string `json:"status"`
	UpdateAvailable bool   `json:"update_available"`
}

// Finding is one compared (company, project, tool): the row of the report.
// Its key is (CompanyID, ProjectID, Scope, Tool).
type Finding struct {
	// CompanyID is null only for an unpermitted project.
	CompanyID *int64 `json:"company_id"`
	// ProjectID is null for company scope.
	ProjectID *int64 `json:"project_id"`
	Scope     string `json:"scope"`
	// Tool is the catalogue key (the API name for a tool the catalogue
	// does not know); null for an unpermitted project.
	Tool *string `json:"tool"`
	// Declared and Actual are levels in the manifest spelling; null when
	// the tool is not declared, or not in the answer.
	Declared *string `json:"declared"`
	Actual   *string `json:"actual"`
	Verdict  Verdict `json:"verdict"`
	// Reason is unavailable or absent for an inactive row.
	Reason string `json:"reason,omitempty"`
	// Pointer is where the manifest declares the tool; absent for an
	// undeclared one.
	Pointer string `json:"pointer,omitempty"`
	Message string `json:"message"`
	// New is set on every row when a baseline was given: true for a row
	// whose key or verdict is not in the baseline.
	New *bool `json:"new,omitempty"`
}

// Key is a row's identity across runs.
type Key struct {
	CompanyID, ProjectID int64 // 0 for null
	Scope, Tool          string
}

// Key returns the row's key.
func (f *Finding) Key() Key {
	return Key{CompanyID: deref(f.CompanyID), ProjectID: deref(f.ProjectID), Scope: f.Scope, Tool: derefStr(f.Tool)}
}

// IsNew reports whether the row is new against the baseline (false when
// no baseline was given).
func (f *Finding) IsNew() bool { return f.New != nil && *f.New }

// ToolName returns the tool, "" for an unpermitted project.
func (f *Finding) ToolName() string { return derefStr(f.Tool) }

// Error is a part of the audit that could not be done.
type Error struct {
	// CompanyID is null for a call that names no company (the companies
	// listing).
	CompanyID *int64 `json:"company_id"`
	// ProjectID is null for a company-level call.
	ProjectID *int64 `json:"project_id"`
	// Status is the HTTP status; null when there was no HTTP answer
	// (network failure, deadline, interruption).
	Status *int `json:"status"`
	// RequestID is Procore's X-Request-Id, "" when unknown.
	RequestID string `json:"request_id"`
	Message   string `json:"message"`

	// Call names the call that failed: companies, company_permissions,
	// projects, project_permissions, app_installations, or "" for an
	// interruption.
	Call string `json:"-"`
	// ProcoreMessage is Procore's own message, when it sent one.
	ProcoreMessage string `json:"-"`
}

// Summary counts the rows by verdict (suppressed rows left out), the
// errors, and the suppressed rows.
type Summary struct {
	OK          int `json:"ok"`
	Over        int `json:"over"`
	Undeclared  int `json:"undeclared"`
	Under       int `json:"under"`
	Inactive    int `json:"inactive"`
	Unpermitted int `json:"unpermitted"`
	Errors      int `json:"errors"`
	Suppressed  int `json:"suppressed"`
}

// Count returns the count of verdict v.
func (s *Summary) Count(v Verdict) int {
	switch v {
	case OK:
		return s.OK
	case Over:
		return s.Over
	case Undeclared:
		return s.Undeclared
	case Under:
		return s.Under
	case Inactive:
		return s.Inactive
	case Unpermitted:
		return s.Unpermitted
	}
	return 0
}

func (s *Summary) add(v Verdict) {
	switch v {
	case OK:
		s.OK++
	case Over:
		s.Over++
	case Undeclared:
		s.Undeclared++
	case Under:
		s.Under++
	case Inactive:
		s.Inactive++
	case Unpermitted:
		s.Unpermitted++
	}
}

// Differences returns the number of rows that are not ok.
func (s *Summary) Differences() int {
	return s.Over + s.Undeclared + s.Under + s.Inactive + s.Unpermitted
}

// RootCause is a company where the DMSA is a company administrator:
// Procore then gives it Admin on every tool and lists every project.
type RootCause struct {
	CompanyID int64
	// Tool is the company tool at Admin that makes it so (admin or
	// directory).
	Tool    string
	Message string
}

// RootCause returns the root cause recorded for a company, or nil.
func (r *Report) RootCause(companyID int64) *RootCause {
	for i := range r.RootCauses {
		if r.RootCauses[i].CompanyID == companyID {
			return &r.RootCauses[i]
		}
	}
	return nil
}

// DefaultFailOn is every verdict but ok.
var DefaultFailOn = []Verdict{Over, Undeclared, Under, Inactive, Unpermitted}

// Failed reports whether a row with a verdict in failOn occurred; with a
// baseline, only new rows count.
func (r *Report) Failed(failOn []Verdict) bool {
	for i := range r.Findings {
		f := &r.Findings[i]
		if !slices.Contains(failOn, f.Verdict) {
			continue
		}
		if r.Baseline && !f.IsNew() {
			continue
		}
		return true
	}
	return false
}

// ExitCode is the audit's exit code (DESIGN.md section 4): 3 when any part
// could not be done (errors win), else 1 when a verdict in failOn occurred
// (new rows only with a baseline), else 0.
func (r *Report) ExitCode(failOn []Verdict) int {
	switch {
	case len(r.Errors) > 0 || r.Interrupted:
		return 3
	case r.Failed(failOn):
		return 1
	}
	return 0
}

// ReadBaseline reads a previous report written with --format json.
func ReadBaseline(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if r.Findings == nil && r.Companies == nil {
		return nil, fmt.Errorf("read baseline: not an audit report (no findings, no companies)")
	}
	return &r, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

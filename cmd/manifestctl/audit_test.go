package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/sandbox"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

const (
	testClientID = "audit-test-client"
	// testSecret is easy to spot in any output.
	testSecret  = "s3cr3t-SPOT-ME-4711"
	exampleFile = "../../testdata/examples/procore-41.json"
)

// fakeClock is the shared clock of the sandbox and the client: sleeping
// advances it at once, so rate-limit waits cost no time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Now().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// waits records the client's rate-limit waits, by company.
type waits struct {
	mu sync.Mutex
	by map[int64]int
}

func (w *waits) add(company int64, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.by == nil {
		w.by = map[int64]int{}
	}
	w.by[company]++
}

// useClock makes the audit's client use clock and record its waits, for
// one test.
func useClock(t *testing.T, clock *fakeClock, w *waits) {
	t.Helper()
	auditClientHook = func(o *procore.Options) {
		o.Now, o.Sleep = clock.Now, clock.Sleep
		onWait := o.OnWait
		o.OnWait = func(company int64, d time.Duration) {
			if w != nil {
				w.add(company, d)
			}
			if onWait != nil {
				onWait(company, d)
			}
		}
		o.Rand = func() float64 { return 0 }
	}
	t.Cleanup(func() { auditClientHook = nil })
}

// declaredTools are the project tools procore-41.json declares, at their
// declared levels.
func declaredTools() map[string]sandbox.Grant {
	return map[string]sandbox.Grant{
		"budgeting": {Level: "standard"}, "commitments": {Level: "standard"}, "coordination_issues": {Level: "readonly"},
		"daily_log": {Level: "standard"}, "directory": {Level: "standard"},
	}
}

func companyTools() map[string]sandbox.Grant {
	return map[string]sandbox.Grant{
		"documents": {Level: "readonly"}, "home": {Level: "standard"}, "schedule": {Level: "standard"},
		"timecard": {Level: "standard"}, "timesheets": {Level: "standard"},
	}
}

// clean is a company whose n permitted projects match the manifest.
func clean(id int64, n int) sandbox.Company {
	c := sandbox.Company{ID: id, Name: fmt.Sprintf("Company %d", id), AppInstalled: true, DMSA: sandbox.DMSA{UserID: id * 10, Tools: companyTools()}}
	for i := 1; i <= n; i++ {
		c.Projects = append(c.Projects, sandbox.Project{ID: id*1000 + int64(i), Name: fmt.Sprintf("P%d", i), Permitted: true, DMSATools: declaredTools()})
	}
	return c
}

func scenario(companies ...sandbox.Company) *sandbox.Scenario {
	return &sandbox.Scenario{
		App:       sandbox.App{UID: "test-app-uid", Name: "Audit test"},
		Clients:   []sandbox.Client{{ID: testClientID, Secret: testSecret}},
		RateLimit: &sandbox.RateLimit{Limit: 100000, WindowSeconds: 3600},
		Companies: companies,
	}
}

// startSandbox serves sc on loopback until the test ends.
func startSandbox(t testing.TB, sc *sandbox.Scenario, now func() time.Time) *sandbox.Running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r, err := sandbox.Start(ctx, "127.0.0.1:0", sc, sandbox.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
	report         *audit.Report // when --format json printed one
}

// runCLI runs manifestctl with the given environment variables.
func runCLI(t testing.TB, ctx context.Context, vars map[string]string, transport http.RoundTripper, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		Stdout:    &out,
		Stderr:    &errb,
		Getenv:    func(k string) string { return vars[k] },
		LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		Transport: transport,
	}
	code := runEnv(ctx, e, append([]string{"manifestctl"}, args...))
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if strings.HasPrefix(r.stdout, "{") {
		var rep audit.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("output is not an audit report: %v\n%s", err, r.stdout)
		}
		r.report = &rep
	}
	return r
}

func creds() map[string]string {
	return map[string]string{envClientID: testClientID, envClientSecret: testSecret}
}

// auditArgs are the arguments of an audit of the example manifest against
// a sandbox, in JSON.
func auditArgs(sb *sandbox.Running, extra ...string) []string {
	return append([]string{"audit", exampleFile, "--login-url", sb.URL, "--api-url", sb.URL, "--format", "json"}, extra...)
}

// floor is the fewest requests DESIGN allows: one token, one token info,
// and per company one permissions call, the pages and one call per
// project (plus the companies listing when asked).
func floor(companies, pages, projects int, listing bool) int64 {
	n := 2 + companies + pages + projects
	if listing {
		n++
	}
	return int64(n)
}

func count(reqs []sandbox.Request, pred func(sandbox.Request) bool) int {
	n := 0
	for _, r := range reqs {
		if pred(r) {
			n++
		}
	}
	return n
}

func isToken(r sandbox.Request) bool { return r.Path == "/oauth/token" }

func TestAuditEmbeddedVerdicts(t *testing.T) {
	r := runCLI(t, context.Background(), nil, nil, "audit", "--env", "embedded", exampleFile, "--format", "json", "--include-inactive", "--expect-project", "777")
	if r.code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	seen := map[string]bool{}
	for _, f := range r.report.Findings {
		seen[string(f.Verdict)+f.Reason] = true
	}
	for _, want := range []string{"ok", "over", "undeclared", "under", "inactiveunavailable", "inactiveabsent", "unpermitted"} {
		if !seen[want] {
			t.Errorf("no %s row in the demo audit", want)
		}
	}
	if r.report.Principal.Kind != audit.KindClientCredentials || r.report.Principal.ResourceOwnerID != nil {
		t.Errorf("principal = %+v", r.report.Principal)
	}
	// Companies 10 (3 projects with --include-inactive) and 20 (1
	// project); 30 has not installed the app and is not listed.
	if got, want := r.report.Requests, floor(2, 2, 4, true); got != want {
		t.Errorf("requests = %d, want the floor %d", got, want)
	}
	if len(r.report.Errors) != 0 || r.report.Environment.Name != "embedded" {
		t.Errorf("errors %v, environment %+v", r.report.Errors, r.report.Environment)
	}
}

func TestAuditInactiveProjects(t *testing.T) {
	for _, inactive := range []bool{false, true} {
		args := []string{"audit", "--env", "embedded", exampleFile, "--format", "json", "--company-id", "10"}
		if inactive {
			args = append(args, "--include-inactive")
		}
		r := runCLI(t, context.Background(), nil, nil, args...)
		has103 := false
		for _, f := range r.report.Findings {
			if f.ProjectID != nil && *f.ProjectID == 103 {
				has103 = true
			}
		}
		if has103 != inactive || r.report.Companies[0].Projects != map[bool]int{false: 2, true: 3}[inactive] {
			t.Errorf("--include-inactive=%v: project 103 audited %v, %d projects", inactive, has103, r.report.Companies[0].Projects)
		}
	}
}

func TestAuditManyProjects(t *testing.T) {
	sb := startSandbox(t, scenario(clean(10, 250)), nil)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.stdout)
	}
	want := floor(1, 3, 250, false)
	if r.report.Requests != want || int64(len(sb.Server.Requests())) != want {
		t.Errorf("requests = %d (sandbox saw %d), want the floor %d", r.report.Requests, len(sb.Server.Requests()), want)
	}
	pages := count(sb.Server.Requests(), func(q sandbox.Request) bool { return q.Path == "/rest/v1.0/projects" })
	if pages != 3 || r.report.Companies[0].Projects != 250 || r.report.Summary.OK != 5+250*5 {
		t.Errorf("%d pages, %d projects, summary %+v", pages, r.report.Companies[0].Projects, r.report.Summary)
	}
	// The missing-header regression: every API call names its company.
	for _, q := range sb.Server.Requests() {
		if strings.HasPrefix(q.Path, "/rest/") && q.CompanyHeader != "10" {
			t.Errorf("%s %s?%s sent Procore-Company-Id %q", q.Method, q.Path, q.RawQuery, q.CompanyHeader)
		}
		if q.Method != http.MethodGet && !isToken(q) {
			t.Errorf("%s %s: the audit sends GET only", q.Method, q.Path)
		}
	}
}

func TestAuditPerCompanyLimit(t *testing.T) {
	clock := newClock()
	var w waits
	useClock(t, clock, &w)
	a, b := clean(10, 30), clean(20, 30)
	a.RateLimit = &sandbox.RateLimit{Limit: 8, WindowSeconds: 10}
	sb := startSandbox(t, scenario(a, b), clock.Now)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10", "--company-id", "20")...)
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.stdout)
	}
	if w.by[10] == 0 || w.by[20] != 0 {
		t.Errorf("waits by company = %v: company 10 must wait for its resets, company 20 never", w.by)
	}
	// The client paces with the headers; requests already in flight when
	// the remainder reaches zero may still meet a 429 (at most one per
	// slot), each retried once after the reset.
	reqs := sb.Server.Requests()
	n429 := count(reqs, func(q sandbox.Request) bool { return q.Status == http.StatusTooManyRequests })
	if n429 > audit.DefaultConcurrency {
		t.Errorf("%d answers 429: the client must pace with the headers", n429)
	}
	if want := floor(2, 2, 60, false) + int64(n429); r.report.Requests != want {
		t.Errorf("requests = %d, want the floor plus the 429s, %d", r.report.Requests, want)
	}
	if len(r.report.Errors) != 0 {
		t.Errorf("errors %v", r.report.Errors)
	}
}

func TestAuditSpikeLimit(t *testing.T) {
	clock := newClock()
	useClock(t, clock, nil)
	sc := scenario(clean(10, 120))
	sc.RateLimit = &sandbox.RateLimit{Limit: 20, WindowSeconds: 2}
	sb := startSandbox(t, sc, clock.Now)
	start := clock.Now()
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10", "--concurrency", "8")...)
	if r.code != exitOK || len(r.report.Errors) != 0 {
		t.Fatalf("exit %d, errors %v\n%s", r.code, r.report.Errors, r.stderr)
	}
	n429 := count(sb.Server.Requests(), func(q sandbox.Request) bool { return q.Status == http.StatusTooManyRequests })
	if n429 > 8 {
		t.Errorf("%d answers 429 under a 20-per-2-seconds limit: the client must pace with the headers", n429)
	}
	if want := floor(1, 2, 120, false) + int64(n429); r.report.Requests != want {
		t.Errorf("requests = %d, want the floor plus the 429s, %d", r.report.Requests, want)
	}
	// 122 API calls at 20 per 2 s need at least 12 s of the clock.
	if took := clock.Now().Sub(start); took < 12*time.Second {
		t.Errorf("the audit took %v of the clock: it did not respect the limit", took)
	}
}

func TestAuditRetryAfter503(t *testing.T) {
	clock := newClock()
	useClock(t, clock, nil)
	sc := scenario(clean(10, 3))
	one := int64(2)
	sc.Faults = []sandbox.Fault{{Path: "/rest/v1.0/settings/permissions", ProjectID: 10002, Nth: 1, Status: 503, RetryAfterSeconds: &one}}
	sb := startSandbox(t, sc, clock.Now)
	start := clock.Now()
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitOK || len(r.report.Errors) != 0 {
		t.Fatalf("exit %d, errors %v\n%s", r.code, r.report.Errors, r.stderr)
	}
	if want := floor(1, 1, 3, false) + 1; r.report.Requests != want {
		t.Errorf("requests = %d, want %d (the floor and one retry)", r.report.Requests, want)
	}
	if clock.Now().Sub(start) < 2*time.Second {
		t.Errorf("the retry did not wait for Retry-After")
	}
}

// tickTransport advances the clock by a step per request.
type tickTransport struct {
	clock *fakeClock
	step  time.Duration
	next  http.RoundTripper
}

func (t *tickTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.clock.Advance(t.step)
	return t.next.RoundTrip(r)
}

func TestAuditTokenExpiresMidAudit(t *testing.T) {
	clock := newClock()
	useClock(t, clock, nil)
	sc := scenario(clean(10, 60))
	sc.Tokens.AccessTokenLifetime = 120
	sb := startSandbox(t, sc, clock.Now)
	tr := &tickTransport{clock: clock, step: 3 * time.Second, next: http.DefaultTransport}
	r := runCLI(t, context.Background(), creds(), tr, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitOK || len(r.report.Errors) != 0 {
		t.Fatalf("exit %d, errors %v\n%s", r.code, r.report.Errors, r.stderr)
	}
	reqs := sb.Server.Requests()
	tokens := count(reqs, isToken)
	unauthorized := count(reqs, func(q sandbox.Request) bool { return q.Status == http.StatusUnauthorized })
	t.Logf("%d token requests, %d answers 401, %d requests", tokens, unauthorized, len(reqs))
	// One refresh; the requests already in flight when the token expired
	// may each meet one 401 (at most one per slot), never a storm.
	if tokens != 2 || unauthorized > audit.DefaultConcurrency {
		t.Errorf("%d token requests, %d answers 401: want one refresh (two tokens, at most one 401 per request in flight)", tokens, unauthorized)
	}
	if want := floor(1, 1, 60, false) + 1 + int64(unauthorized); r.report.Requests != want {
		t.Errorf("requests = %d, want %d (the floor, the second token, one retry per 401)", r.report.Requests, want)
	}
}

func TestAuditBadCredentials(t *testing.T) {
	sb := startSandbox(t, scenario(clean(10, 2)), nil)
	vars := map[string]string{envClientID: testClientID, envClientSecret: testSecret + "-wrong"}
	r := runCLI(t, context.Background(), vars, nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitRemote {
		t.Errorf("exit %d, want 3", r.code)
	}
	if r.stdout != "" || r.stderr == "" {
		t.Errorf("nothing done: want a message on stderr only; stdout %q", r.stdout)
	}
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if strings.Contains(out, testSecret) || strings.Contains(out, "SPOT-ME") {
			t.Errorf("%s carries the secret: %s", name, out)
		}
	}
	reqs := sb.Server.Requests()
	if len(reqs) != 1 || !isToken(reqs[0]) {
		t.Errorf("requests %v, want one token request", reqs)
	}
}

func TestAuditSecretFlagWarns(t *testing.T) {
	sb := startSandbox(t, scenario(clean(10, 1)), nil)
	r := runCLI(t, context.Background(), nil, nil, auditArgs(sb, "--company-id", "10", "--client-id", testClientID, "--client-secret", testSecret)...)
	if r.code != exitOK || !strings.Contains(r.stderr, "--client-secret puts a secret on the command line") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, testSecret) {
		t.Error("the secret is in the output")
	}
}

func TestAuditAccessToken(t *testing.T) {
	clock := newClock()
	useClock(t, clock, nil)
	sb := startSandbox(t, scenario(clean(10, 1)), clock.Now)
	// A token obtained elsewhere: get one from the sandbox.
	resp, err := http.PostForm(sb.URL+"/oauth/token", map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(tok.AccessToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, how := range map[string]struct {
		vars map[string]string
		args []string
	}{
		"environment": {map[string]string{envAccessToken: tok.AccessToken}, nil},
		"token file":  {nil, []string{"--token-file", file}},
	} {
		sb.Server.ResetRequests()
		r := runCLI(t, context.Background(), how.vars, nil, auditArgs(sb, append([]string{"--company-id", "10"}, how.args...)...)...)
		if r.code != exitOK || r.report.Principal.Kind != audit.KindAccessToken {
			t.Fatalf("%s: exit %d, principal %+v\n%s", name, r.code, r.report.Principal, r.stderr)
		}
		// The token lives 90 minutes, less than the default deadline of
		// 5 minutes? No: it outlives it, so no warning.
		if strings.Contains(r.stderr, "expires") {
			t.Errorf("%s: unexpected expiry warning %q", name, r.stderr)
		}
		if count(sb.Server.Requests(), isToken) != 0 || strings.Contains(r.stdout+r.stderr, tok.AccessToken) {
			t.Errorf("%s: a token request was sent, or the token printed", name)
		}
	}
	// A deadline beyond the token's life is warned about up front.
	r := runCLI(t, context.Background(), map[string]string{envAccessToken: tok.AccessToken}, nil, auditArgs(sb, "--company-id", "10", "--timeout", "3h")...)
	if !strings.Contains(r.stderr, "the access token expires at") || len(r.report.Warnings) == 0 || !strings.Contains(r.report.Warnings[0], "expires") {
		t.Errorf("no expiry warning: stderr %q, warnings %v", r.stderr, r.report.Warnings)
	}
}

func TestAuditCompanyWithoutApp(t *testing.T) {
	r := runCLI(t, context.Background(), nil, nil, "audit", "--env", "embedded", exampleFile, "--format", "json", "--company-id", "30", "--company-id", "10")
	if r.code != exitRemote {
		t.Fatalf("exit %d, want 3", r.code)
	}
	if len(r.report.Errors) != 1 || *r.report.Errors[0].CompanyID != 30 || *r.report.Errors[0].Status != 403 || r.report.Errors[0].RequestID == "" {
		t.Errorf("errors = %+v", r.report.Errors)
	}
	// Company 10 is audited in full: token, info, 10's calls, one call
	// for 30.
	if want := floor(1, 1, 2, false) + 1; r.report.Requests != want {
		t.Errorf("requests = %d, want %d (one call for company 30)", r.report.Requests, want)
	}
}

// otherHost counts the requests another host receives.
func otherHost(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Write([]byte("[]"))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestAuditLinkAndRedirectNotFollowed(t *testing.T) {
	other, hits := otherHost(t)

	sc := scenario(clean(10, 150))
	sc.Faults = []sandbox.Fault{{Path: "/rest/v1.0/projects", Every: true, LinkHost: other.URL}}
	sb := startSandbox(t, sc, nil)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitRemote || len(r.report.Errors) != 1 || r.report.Errors[0].ProjectID != nil {
		t.Errorf("Link to another host: exit %d, errors %+v", r.code, r.report.Errors)
	}

	sc = scenario(clean(10, 3))
	sc.Faults = []sandbox.Fault{{Path: "/rest/v1.0/settings/permissions", ProjectID: 10002, Nth: 1, RedirectTo: other.URL + "/steal"}}
	sb = startSandbox(t, sc, nil)
	r = runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitRemote || len(r.report.Errors) != 1 || r.report.Errors[0].ProjectID == nil || *r.report.Errors[0].ProjectID != 10002 {
		t.Errorf("redirect: exit %d, errors %+v", r.code, r.report.Errors)
	}
	if r.report.Companies[0].Projects != 2 {
		t.Errorf("redirect: %d projects audited, want the other 2", r.report.Companies[0].Projects)
	}
	if hits.Load() != 0 {
		t.Errorf("the other host received %d requests", hits.Load())
	}
}

func TestAuditInstallationAndBaseline(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	versioned := strings.Replace(string(src), `"schema_version": "4.1",`, `"schema_version": "4.1",
  "app_manifest": {"id": "x", "version": "1.3.0"},`, 1)
	manifestPath := filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(manifestPath, []byte(versioned), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), nil, nil, "audit", "--env", "embedded", manifestPath, "--format", "json", "--installation")
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	inst := map[int64]string{}
	for _, c := range r.report.Companies {
		if c.Installation != nil {
			inst[c.ID] = c.Installation.Version
		}
	}
	if inst[10] != "1.2.0" || inst[20] != "1.3.0" {
		t.Errorf("installations = %v", inst)
	}
	outdated := 0
	for _, w := range r.report.Warnings {
		if strings.Contains(w, "has not updated yet") {
			outdated++
			if !strings.Contains(w, "company 10") {
				t.Errorf("warning for the wrong company: %s", w)
			}
		}
	}
	if outdated != 1 {
		t.Errorf("%d outdated-version warnings, want 1: %v", outdated, r.report.Warnings)
	}
	if want := floor(2, 2, 3, true) + 2; r.report.Requests != want {
		t.Errorf("requests = %d, want %d (one more per company)", r.report.Requests, want)
	}

	// The same audit against itself as a baseline: nothing new, exit 0.
	base := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(base, []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, context.Background(), nil, nil, "audit", "--env", "embedded", manifestPath, "--format", "json", "--installation", "--baseline", base)
	if r.code != exitOK {
		t.Errorf("against its own baseline: exit %d, want 0", r.code)
	}
	for _, f := range r.report.Findings {
		if f.New == nil || *f.New {
			t.Errorf("row %+v: new = %v", f, f.New)
		}
	}
	// A stricter --fail-on does not count old rows either; a bad baseline
	// is exit 2.
	os.WriteFile(base, []byte(`{"files": []}`), 0o644)
	r = runCLI(t, context.Background(), nil, nil, "audit", "--env", "embedded", manifestPath, "--baseline", base)
	if r.code != exitUsage {
		t.Errorf("bad baseline: exit %d, want 2", r.code)
	}
}

func TestAuditMissingHeader(t *testing.T) {
	sc := scenario(clean(10, 1))
	sc.StrictCompanyHeader = true
	sb := startSandbox(t, sc, nil)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb)...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--company-id") {
		t.Errorf("companies listing without a company: exit %d, stderr %q", r.code, r.stderr)
	}
	sb.Server.ResetRequests()
	r = runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10", "--all-companies")...)
	if r.code != exitOK {
		t.Fatalf("with --company-id: exit %d\n%s", r.code, r.stderr)
	}
	for _, q := range sb.Server.Requests() {
		if strings.HasPrefix(q.Path, "/rest/") && q.CompanyHeader != "10" {
			t.Errorf("%s %s sent Procore-Company-Id %q", q.Method, q.Path, q.CompanyHeader)
		}
	}
}

// cancelTransport cancels the run after n requests.
type cancelTransport struct {
	n      atomic.Int64
	after  int64
	cancel context.CancelFunc
	next   http.RoundTripper
}

func (t *cancelTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.n.Add(1) == t.after {
		t.cancel()
	}
	return t.next.RoundTrip(r)
}

func TestAuditCancel(t *testing.T) {
	sb := startSandbox(t, scenario(clean(10, 40)), nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &cancelTransport{after: 12, cancel: cancel, next: http.DefaultTransport}
	r := runCLI(t, ctx, creds(), tr, auditArgs(sb, "--company-id", "10", "--concurrency", "1")...)
	if r.code != exitRemote {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if r.report == nil || len(r.report.Findings) == 0 || r.report.Companies[0].Projects >= 40 {
		t.Fatalf("want a partial report, got %+v", r.report)
	}
	if len(r.report.Errors) != 1 || !strings.Contains(r.report.Errors[0].Message, "interrupted") {
		t.Errorf("errors = %+v", r.report.Errors)
	}
	if !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestAuditUsage(t *testing.T) {
	publicToken := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(publicToken, []byte("abc123\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"no credentials", nil, []string{"audit", exampleFile}, "PROCORE_CLIENT_ID"},
		{"half the credentials", map[string]string{envClientID: "x"}, []string{"audit", exampleFile}, "PROCORE_ACCESS_TOKEN"},
		{"no manifest", nil, []string{"audit"}, "exactly one MANIFEST"},
		{"bad format", nil, []string{"audit", exampleFile, "--format", "junit"}, "unknown format"},
		{"bad fail-on", nil, []string{"audit", exampleFile, "--fail-on", "over,worse"}, "unknown verdict"},
		{"bad concurrency", nil, []string{"audit", exampleFile, "--concurrency", "0"}, "--concurrency"},
		{"bad env", creds(), []string{"audit", exampleFile, "--env", "staging"}, "--env"},
		// The list of known environments names embedded too.
		{"bad env lists embedded", creds(), []string{"audit", exampleFile, "--env", "staging"}, "federal, embedded)"},
		// The embedded sandbox runs in process: another URL would get the
		// demo credentials, and a token file would be ignored (as login
		// and access compare refuse them).
		{"embedded with a URL", nil, []string{"audit", exampleFile, "--env", "embedded", "--api-url", "http://127.0.0.1:1"}, "cannot be used with --env embedded"},
		{"embedded with a token file", nil, []string{"audit", exampleFile, "--env", "embedded", "--token-file", publicToken}, "--token-file cannot be used with --env embedded"},
		{"missing manifest", nil, []string{"audit", "missing.json", "--env", "embedded"}, "missing.json"},
		{"bad token file", nil, []string{"audit", exampleFile, "--token-file", "missing-token"}, "--token-file"},
		{"token file others can read", nil, []string{"audit", exampleFile, "--token-file", publicToken}, "--token-file"},
		{"plain http to another host", creds(), []string{"audit", exampleFile, "--login-url", "http://login.example.com"}, "--login-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, context.Background(), tt.vars, nil, tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 and %q", r.code, r.stderr, r.stdout, tt.want)
			}
		})
	}
	r := runCLI(t, context.Background(), nil, nil, "audit", exampleFile)
	for _, name := range []string{envClientID, envClientSecret, envAccessToken, "--env embedded"} {
		if !strings.Contains(r.stderr, name) {
			t.Errorf("the no-credentials message does not name %s: %q", name, r.stderr)
		}
	}
}

func TestAuditProgressOnTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		IsTerminal: func(v any) bool { return v == any(&errb) }}
	code := runEnv(context.Background(), e, []string{"manifestctl", "audit", "--env", "embedded", exampleFile})
	if code != exitFindings || !strings.Contains(errb.String(), "company 10: 2/2 projects") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if strings.Contains(out.String(), "projects\r") || strings.Contains(out.String(), "\x1b[") {
		t.Error("progress went to standard output")
	}
	// Not a terminal: no progress.
	errb.Reset()
	e.IsTerminal = func(any) bool { return false }
	runEnv(context.Background(), e, []string{"manifestctl", "audit", "--env", "embedded", exampleFile})
	if strings.Contains(errb.String(), "projects") {
		t.Errorf("progress on a pipe: %q", errb.String())
	}
}

func TestAuditResetBeyondDeadline(t *testing.T) {
	a, b := clean(10, 6), clean(20, 2)
	a.RateLimit = &sandbox.RateLimit{Limit: 3, WindowSeconds: 3600}
	sb := startSandbox(t, scenario(a, b), nil)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10", "--company-id", "20", "--concurrency", "1")...)
	if r.code != exitRemote {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if len(r.report.Errors) != 1 || *r.report.Errors[0].CompanyID != 10 || !strings.Contains(r.report.Errors[0].Message, "Z") {
		t.Errorf("want one error for company 10 naming the reset time (RFC 3339, UTC): %+v", r.report.Errors)
	}
	// Company 20 is audited in full; company 10 sent no request past its
	// limit.
	if r.report.Companies[1].Projects != 2 {
		t.Errorf("company 20: %d projects audited, want 2", r.report.Companies[1].Projects)
	}
	if n := count(sb.Server.Requests(), func(q sandbox.Request) bool { return q.Status == http.StatusTooManyRequests }); n != 0 {
		t.Errorf("%d answers 429: the client must stop instead", n)
	}
	t.Log(r.report.Errors[0].Message)
}

func TestAuditProgressLine(t *testing.T) {
	var buf bytes.Buffer
	clock := newClock()
	p := &auditProgress{w: &buf, enabled: true, now: clock.Now, waiting: map[int64]time.Time{}}
	p.progress(audit.Progress{CompanyID: 10, Done: 37, Total: 250})
	p.wait(10, 3500*time.Millisecond)
	p.wait(20, time.Second) // another company's wait is not this line's
	clock.Advance(4 * time.Second)
	p.progress(audit.Progress{CompanyID: 10, Done: 38, Total: 250})
	p.done()
	want := "\r\x1b[Kcompany 10: 37/250 projects" +
		"\r\x1b[Kcompany 10: 37/250 projects · waiting 4 s for the rate-limit reset" +
		"\r\x1b[Kcompany 10: 37/250 projects · waiting 4 s for the rate-limit reset" +
		"\r\x1b[Kcompany 10: 38/250 projects" +
		"\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("progress output\n got %q\nwant %q", got, want)
	}
}

// TestAuditTimeoutDuringAuthentication: when --timeout passes before the
// token came, the message names --timeout instead of Go's "context
// deadline exceeded", so the user knows which knob to turn.
func TestAuditTimeoutDuringAuthentication(t *testing.T) {
	sb := startSandbox(t, scenario(clean(10, 1)), nil)
	r := runCLI(t, context.Background(), creds(), nil, auditArgs(sb, "--company-id", "10", "--timeout", "1ns")...)
	if r.code != exitRemote {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "--timeout 1ns") || strings.Contains(r.stderr, "context deadline exceeded") {
		t.Errorf("stderr should name --timeout, not Go's context error:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("nothing could be done: no report expected, got\n%s", r.stdout)
	}
}

// TestAuditPersonLoginWarns: --token-file may name a stored `manifestctl
// login`; that is a person's token, so the levels the audit reads are the
// person's, not the service account's. The report says so up front.
func TestAuditPersonLoginWarns(t *testing.T) {
	sb := startSandbox(t, sandbox.Demo(), nil)
	tok := demoUserToken(t, sb)
	env := procore.Environment{Name: "test", LoginURL: sb.URL, APIURL: sb.URL}
	file := filepath.Join(t.TempDir(), "login.json")
	if err := procore.SaveLogin(file, procore.NewStoredLogin(env, sandbox.DemoClientID, &tok)); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, context.Background(), nil, nil, auditArgs(sb, "--company-id", "10", "--token-file", file)...)
	if r.report == nil {
		t.Fatalf("exit %d, no report\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "person's") || len(r.report.Warnings) == 0 || !strings.Contains(r.report.Warnings[0], "not the service account's") {
		t.Errorf("no warning that the login is a person's: stderr %q, warnings %q", r.stderr, r.report.Warnings)
	}
	if strings.Contains(r.stdout+r.stderr, tok.AccessToken) {
		t.Error("the token was printed")
	}
	// A plain token file (a token obtained elsewhere) gets no such warning.
	plain := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(plain, []byte(tok.AccessToken), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, context.Background(), nil, nil, auditArgs(sb, "--company-id", "10", "--token-file", plain)...)
	if strings.Contains(r.stderr, "person's") {
		t.Errorf("a plain token file is not known to be a person's: %q", r.stderr)
	}
}

// TestAuditStoredLogin: with no other credentials, the audit uses the
// stored `manifestctl login` of the environment (DESIGN lists it among the
// credentials), says so, and reports principal.kind authorization_code;
// without one it still exits 2 naming every way to give credentials.
func TestAuditStoredLogin(t *testing.T) {
	sb := startSandbox(t, sandbox.Demo(), nil)
	config := t.TempDir()
	vars := map[string]string{"XDG_CONFIG_HOME": config}
	r := runCLI(t, context.Background(), vars, nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, envClientID) || !strings.Contains(r.stderr, envAccessToken) {
		t.Fatalf("no login: exit %d, stderr %q; want 2 naming the credentials", r.code, r.stderr)
	}

	tok := demoUserToken(t, sb)
	env := procore.Environment{Name: "sandbox", LoginURL: sb.URL, APIURL: sb.URL}
	path := procore.DefaultLoginPath(func(k string) string { return vars[k] }, "sandbox")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := procore.SaveLogin(path, procore.NewStoredLogin(env, sandbox.DemoClientID, &tok)); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, context.Background(), vars, nil, auditArgs(sb, "--company-id", "10")...)
	if r.report == nil {
		t.Fatalf("stored login: exit %d, no report\n%s", r.code, r.stderr)
	}
	if r.report.Principal.Kind != audit.KindLogin {
		t.Errorf("principal.kind = %q, want %q", r.report.Principal.Kind, audit.KindLogin)
	}
	if !strings.Contains(r.stderr, "stored login") || !strings.Contains(r.stderr, "person's") {
		t.Errorf("no warning that the stored login is a person's: %q", r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, tok.AccessToken) || strings.Contains(r.stdout+r.stderr, tok.RefreshToken) {
		t.Error("a token was printed")
	}

	// A login stored for another URL is refused, not used.
	other := procore.Environment{Name: "sandbox", LoginURL: "https://login-sandbox.procore.com", APIURL: "https://sandbox.procore.com"}
	if err := procore.SaveLogin(path, procore.NewStoredLogin(other, sandbox.DemoClientID, &tok)); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, context.Background(), vars, nil, auditArgs(sb, "--company-id", "10")...)
	if r.code != exitUsage {
		t.Errorf("login of another environment: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

// TestCredentialsPrintNoSecret: printing the credentials, with any verb,
// shows neither the secret nor the token.
func TestCredentialsPrintNoSecret(t *testing.T) {
	c := &credentials{kind: audit.KindClientCredentials, clientID: "id", clientSecret: "s3cr3t-SPOT-ME", token: "t0k3n-SPOT-ME", source: "test"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{c, *c} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "SPOT-ME") {
				t.Errorf("Sprintf(%q) = %q", verb, out)
			}
		}
	}
}

// demoUserToken logs the demo user in at the sandbox (the authorization
// code grant with the demo's fixed code) and returns the user's token.
func demoUserToken(t *testing.T, sb *sandbox.Running) oauth2.Token {
	t.Helper()
	resp, err := http.PostForm(sb.URL+"/oauth/token", map[string][]string{
		"grant_type": {"authorization_code"}, "code": {sandbox.DemoAuthorizationCode},
		"redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"},
		"client_id":    {sandbox.DemoClientID}, "client_secret": {sandbox.DemoClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	var tok oauth2.Token
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.AccessToken == "" {
		t.Fatalf("no user token from the sandbox (status %d)", resp.StatusCode)
	}
	return tok
}

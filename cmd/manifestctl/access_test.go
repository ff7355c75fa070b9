package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/manifestctl/manifestctl/internal/access"
	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/sandbox"
)

// accSecret is the client secret of the test scenarios: easy to spot in
// any output.
const (
	accClientID = "access-test-client"
	accSecret   = "SPOT-ME-client-secret-4f1c"
	accCode     = "SPOT-ME-fixed-code-77"
)

// accClock is a clock shared by the sandbox and the command.
type accClock struct {
	mu sync.Mutex
	t  time.Time
}

func newAccClock() *accClock { return &accClock{t: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)} }

func (c *accClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *accClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// accWorld is a sandbox, a clock and a config directory for one test.
type accWorld struct {
	t       *testing.T
	sb      *sandbox.Running
	clock   *accClock
	config  string
	outputs []string // every stdout and stderr, for the secret check

	mu   sync.Mutex
	seen []string // codes and tokens met on the way, for the secret check
}

func (w *accWorld) saw(s ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen = append(w.seen, s...)
}

// accScenario is company 10 with projects 1..n; the DMSA is permitted in
// bot, user 77 (who logs in, with accCode when fixed) sees user, and is
// in the companies given.
func accScenario(n int, bot, user []int64, companies []int64, fixed bool) *sandbox.Scenario {
	in := func(list []int64, id int64) bool {
		for _, x := range list {
			if x == id {
				return true
			}
		}
		return false
	}
	co := sandbox.Company{ID: 10, Name: "Acme", AppInstalled: true, DMSA: sandbox.DMSA{}}
	for id := int64(1); id <= int64(n); id++ {
		co.Projects = append(co.Projects, sandbox.Project{ID: id, Name: fmt.Sprintf("Project %d", id), Permitted: in(bot, id)})
	}
	sc := &sandbox.Scenario{
		App:       sandbox.App{UID: "access-app"},
		Clients:   []sandbox.Client{{ID: accClientID, Secret: accSecret}},
		Tokens:    sandbox.Tokens{AccessTokenLifetime: 3600, CodeLifetime: 60},
		Login:     &sandbox.Login{UserID: 77},
		Companies: []sandbox.Company{co, {ID: 20, Name: "Other", AppInstalled: true, DMSA: sandbox.DMSA{}}},
		Users:     []sandbox.User{{ID: 77, Login: "pat@example.com", Name: "Pat", Companies: companies, Projects: user}},
	}
	if fixed {
		sc.Login.FixedCode = accCode
	}
	return sc
}

func span(from, to int64) []int64 {
	var out []int64
	for id := from; id <= to; id++ {
		out = append(out, id)
	}
	return out
}

func newAccWorld(t *testing.T, sc *sandbox.Scenario) *accWorld {
	t.Helper()
	w := &accWorld{t: t, clock: newAccClock(), config: t.TempDir()}
	sb, err := sandbox.Start(context.Background(), "", sc, sandbox.Options{Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	w.sb = sb
	t.Cleanup(func() { w.checkNoSecrets() })
	return w
}

type accResult struct {
	code           int
	stdout, stderr string
}

// run runs manifestctl against the sandbox with stdin, the credentials in
// the environment and the config directory.
func (w *accWorld) run(ctx context.Context, stdin io.Reader, stderr io.Writer, args ...string) accResult {
	w.t.Helper()
	vars := map[string]string{
		"PROCORE_CLIENT_ID": accClientID, "PROCORE_CLIENT_SECRET": accSecret,
		"XDG_CONFIG_HOME": w.config, "HOME": w.config,
	}
	var out, errb bytes.Buffer
	var errw io.Writer = &errb
	if stderr != nil {
		errw = io.MultiWriter(&errb, stderr)
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	e := &env{
		Stdin: stdin, Stdout: &out, Stderr: errw,
		Getenv:    func(k string) string { return vars[k] },
		LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		Now:       w.clock.Now,
	}
	full := append([]string{"manifestctl"}, args...)
	if args[0] == "login" || args[0] == "logout" || args[0] == "access" {
		full = append(full, "--login-url", w.sb.URL, "--api-url", w.sb.URL)
	}
	code := runEnv(ctx, e, full)
	w.outputs = append(w.outputs, out.String(), errb.String())
	return accResult{code, out.String(), errb.String()}
}

func (w *accWorld) login(code string) accResult {
	w.t.Helper()
	return w.run(context.Background(), strings.NewReader(code+"\n"), nil, "login")
}

func (w *accWorld) compare(args ...string) accResult {
	w.t.Helper()
	return w.run(context.Background(), nil, nil, append([]string{"access", "compare", "--company-id", "10", "--format", "json"}, args...)...)
}

func (w *accWorld) loginFile() string { return filepath.Join(w.config, "manifestctl", "sandbox.json") }

func (w *accWorld) stored() *procore.StoredLogin {
	w.t.Helper()
	l, err := procore.LoadLogin(w.loginFile())
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// checkNoSecrets: no output holds the client secret, the fixed code or a
// token the login file ever held.
func (w *accWorld) checkNoSecrets() {
	secrets := []string{accSecret, accCode}
	if l, err := procore.LoadLogin(w.loginFile()); err == nil {
		secrets = append(secrets, l.AccessToken.Reveal(), l.RefreshToken.Reveal())
	}
	w.mu.Lock()
	secrets = append(secrets, w.seen...)
	w.mu.Unlock()
	for _, out := range w.outputs {
		for _, s := range secrets {
			if s != "" && strings.Contains(out, s) {
				w.t.Errorf("a secret or token appears in the output:\n%s", out)
			}
		}
	}
}

// refresh posts a refresh_token grant directly, as another client would.
func (w *accWorld) refresh(token string) int {
	w.t.Helper()
	resp, err := http.PostForm(w.sb.URL+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {token},
		"client_id": {accClientID}, "client_secret": {accSecret},
	})
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func decodeAccess(t *testing.T, s string) access.Report {
	t.Helper()
	var r access.Report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, s)
	}
	return r
}

// urlWatcher passes the authorize URL login prints to a channel.
type urlWatcher struct {
	mu   sync.Mutex
	buf  strings.Builder
	urls chan string
	sent bool
}

var authorizeLine = regexp.MustCompile(`(?m)^  (http://\S+/oauth/authorize\?\S+)$`)

func (u *urlWatcher) Write(p []byte) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.buf.Write(p)
	if m := authorizeLine.FindStringSubmatch(u.buf.String()); m != nil && !u.sent {
		u.sent = true
		u.urls <- m[1]
	}
	return len(p), nil
}

var codeOnPage = regexp.MustCompile(`<code id="authorization_code">([^<]+)</code>`)

// authorize opens the authorize page as a browser would and returns the
// code it shows.
func authorize(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := codeOnPage.FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("authorize page: %d %s", resp.StatusCode, page)
	}
	return string(m[1])
}

// The whole flow through standard input: login prints the authorize URL,
// the "user" opens it and pastes the page's code; the login is stored
// privately; access compare uses it; logout forgets it.
func TestLoginFlowThroughStdin(t *testing.T) {
	w := newAccWorld(t, accScenario(4, []int64{1, 2}, []int64{2, 3}, []int64{10}, false))
	stdin, paste := io.Pipe()
	watch := &urlWatcher{urls: make(chan string, 1)}
	go func() {
		u := <-watch.urls
		code := authorize(t, u)
		w.saw(code)
		fmt.Fprintln(paste, code)
	}()
	r := w.run(context.Background(), stdin, watch, "login")
	if r.code != 0 {
		t.Fatalf("login exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("login wrote to standard output: %q", r.stdout)
	}
	wantURL := w.sb.URL + "/oauth/authorize?response_type=code&client_id=" + accClientID + "&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"
	if !strings.Contains(r.stderr, "\n  "+wantURL+"\n") || !strings.Contains(r.stderr, "Logged in to sandbox as Pat (pat@example.com, user 77)") {
		t.Errorf("login stderr:\n%s", r.stderr)
	}
	fi, err := os.Stat(w.loginFile())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %04o, want 0600", fi.Mode().Perm())
	}
	if di, err := os.Stat(filepath.Dir(w.loginFile())); err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("token directory: %v %v, want mode 0700", di.Mode(), err)
	}
	l := w.stored()
	if l.Env != "sandbox" || l.LoginURL != w.sb.URL || l.ClientID != accClientID || l.AccessToken == "" || l.RefreshToken == "" {
		t.Errorf("stored login = env %q login %q client %q, tokens present %v %v", l.Env, l.LoginURL, l.ClientID, l.AccessToken != "", l.RefreshToken != "")
	}

	r = w.compare()
	if r.code != 1 {
		t.Fatalf("compare exit %d: %s", r.code, r.stderr)
	}
	rep := decodeAccess(t, r.stdout)
	want := []access.ProjectAccess{{ID: 1, Name: "Project 1", Access: "bot_only"}, {ID: 2, Name: "Project 2", Access: "both"}, {ID: 3, Name: "Project 3", Access: "user_only"}}
	if fmt.Sprint(rep.Projects) != fmt.Sprint(want) || !rep.UserInCompany || rep.User != (access.UserRef{ID: 77, Login: "pat@example.com"}) {
		t.Errorf("report = %+v", rep)
	}
	// bot token, me, companies, bot projects, user projects.
	if rep.Requests != 5 || rep.Requests != int64(len(w.sb.Server.Requests()))-3 {
		t.Errorf("requests = %d, sandbox saw %d (3 of them login's)", rep.Requests, len(w.sb.Server.Requests()))
	}

	r = w.run(context.Background(), nil, nil, "logout")
	if r.code != 0 || !strings.Contains(r.stderr, "Logged out of sandbox: deleted "+w.loginFile()) {
		t.Errorf("logout: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(w.loginFile()); !os.IsNotExist(err) {
		t.Errorf("token file still there: %v", err)
	}
	r = w.compare()
	if r.code != 2 || !strings.Contains(r.stderr, "no stored login for sandbox") || !strings.Contains(r.stderr, "manifestctl login --env sandbox") || r.stdout != "" {
		t.Errorf("compare without a login: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = w.run(context.Background(), nil, nil, "logout")
	if r.code != 0 || !strings.Contains(r.stderr, "Not logged in to sandbox") {
		t.Errorf("second logout: %d %s", r.code, r.stderr)
	}
}

// A wrong code and an expired one: Procore's invalid_grant, exit 3, a
// message that says what to do, nothing stored.
func TestLoginRefusedCode(t *testing.T) {
	t.Run("wrong", func(t *testing.T) {
		w := newAccWorld(t, accScenario(1, nil, nil, []int64{10}, false))
		r := w.login("SPOT-ME-not-a-code")
		w.saw("SPOT-ME-not-a-code")
		if r.code != 3 || !strings.Contains(r.stderr, "invalid_grant") || !strings.Contains(r.stderr, "the authorization code is wrong or expired") {
			t.Errorf("exit %d:\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(w.loginFile()); !os.IsNotExist(err) {
			t.Errorf("a login was stored: %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		w := newAccWorld(t, accScenario(1, nil, nil, []int64{10}, false))
		code := authorize(t, w.sb.URL+"/oauth/authorize?response_type=code&client_id="+accClientID+"&redirect_uri=urn:ietf:wg:oauth:2.0:oob")
		w.saw(code)
		w.clock.Advance(61 * time.Second) // the scenario's codes live 60 s
		r := w.login(code)
		if r.code != 3 || !strings.Contains(r.stderr, "the authorization code is wrong or expired") {
			t.Errorf("exit %d:\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(w.loginFile()); !os.IsNotExist(err) {
			t.Errorf("a login was stored: %v", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		w := newAccWorld(t, accScenario(1, nil, nil, []int64{10}, false))
		r := w.login("")
		if r.code != 2 || !strings.Contains(r.stderr, "no authorization code given") {
			t.Errorf("exit %d:\n%s", r.code, r.stderr)
		}
		if n := len(w.sb.Server.Requests()); n != 0 {
			t.Errorf("%d requests for an empty code", n)
		}
	})
}

// An expired access token is refreshed; the single-use refresh token
// rotates: the file holds the new one, the old one is refused afterwards,
// and a login file put back with the spent token says to log in again.
func TestAccessRefreshRotation(t *testing.T) {
	w := newAccWorld(t, accScenario(2, []int64{1, 2}, []int64{1, 2}, []int64{10}, true))
	if r := w.login(accCode); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	old := w.stored()
	oldFile, err := os.ReadFile(w.loginFile())
	if err != nil {
		t.Fatal(err)
	}
	w.saw(old.AccessToken.Reveal(), old.RefreshToken.Reveal())
	w.clock.Advance(2 * time.Hour) // past the access token's 3600 s
	w.sb.Server.ResetRequests()
	r := w.compare()
	if r.code != 0 {
		t.Fatalf("compare: %d %s", r.code, r.stderr)
	}
	cur := w.stored()
	w.saw(cur.AccessToken.Reveal(), cur.RefreshToken.Reveal())
	if cur.RefreshToken == old.RefreshToken || cur.AccessToken == old.AccessToken || cur.RefreshToken == "" {
		t.Fatal("the stored login was not rotated")
	}
	if fi, _ := os.Stat(w.loginFile()); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten token file mode %04o", fi.Mode().Perm())
	}
	tokens := 0
	for _, q := range w.sb.Server.Requests() {
		if q.Path == "/oauth/token" {
			tokens++
		}
	}
	// The refresh and the DMSA's token; both counted in requests.
	if rep := decodeAccess(t, r.stdout); tokens != 2 || rep.Requests != int64(len(w.sb.Server.Requests())) {
		t.Errorf("%d token requests, requests %d of %d", tokens, rep.Requests, len(w.sb.Server.Requests()))
	}
	if got := w.refresh(old.RefreshToken.Reveal()); got != 400 {
		t.Errorf("the old refresh token answered %d, want 400 (spent)", got)
	}

	// A stale file (the spent refresh token, an expired access token).
	if err := os.WriteFile(w.loginFile(), oldFile, 0o600); err != nil {
		t.Fatal(err)
	}
	r = w.compare()
	if r.code != 3 || !strings.Contains(r.stderr, "invalid_grant") || !strings.Contains(r.stderr, "log the user in again: manifestctl login --env sandbox --login-url "+w.sb.URL+" --api-url "+w.sb.URL+"\n") || r.stdout != "" {
		t.Errorf("compare with a spent refresh token: %d %q\n%s", r.code, r.stdout, r.stderr)
	}
}

// interruptAfterRefresh cancels the run at the first request after the
// refresh grant has been answered: the run stops right after the refresh.
type interruptAfterRefresh struct {
	next      http.RoundTripper
	cancel    context.CancelFunc
	refreshed bool
}

func (t *interruptAfterRefresh) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.refreshed {
		t.cancel()
		return nil, context.Canceled
	}
	if r.Body != nil && r.URL.Path == "/oauth/token" {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.refreshed = strings.Contains(string(body), "grant_type=refresh_token")
	}
	return t.next.RoundTrip(r)
}

func TestAccessInterruptedAfterRefresh(t *testing.T) {
	w := newAccWorld(t, accScenario(2, []int64{1}, []int64{1}, []int64{10}, true))
	if r := w.login(accCode); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	old := w.stored()
	w.saw(old.AccessToken.Reveal(), old.RefreshToken.Reveal())
	w.clock.Advance(2 * time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	it := &interruptAfterRefresh{cancel: cancel}
	accessClientHook = func(o *procore.Options) { it.next = o.Transport; o.Transport = it }
	defer func() { accessClientHook = nil }()
	r := w.run(ctx, nil, nil, "access", "compare", "--company-id", "10")
	if !it.refreshed || r.code != 3 || r.stdout != "" {
		t.Fatalf("refreshed %v, exit %d, stdout %q, stderr %s", it.refreshed, r.code, r.stdout, r.stderr)
	}
	accessClientHook = nil
	cur := w.stored() // whole: it parses
	if cur.RefreshToken == old.RefreshToken || cur.RefreshToken == "" {
		t.Fatal("the file does not hold the new refresh token")
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(w.loginFile()), ".*tmp*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
	if got := w.refresh(old.RefreshToken.Reveal()); got != 400 {
		t.Errorf("the old refresh token answered %d, want 400", got)
	}
	// The next run goes on with the stored login.
	if r := w.compare(); r.code != 0 {
		t.Errorf("the run after the interruption: %d %s", r.code, r.stderr)
	}
}

// Token files: written 0600; one others can read is refused by login and
// access compare (exit 2), deleted by logout; one of another environment
// is refused; a file that is not a login is neither overwritten nor
// deleted.
func TestTokenFilePermissions(t *testing.T) {
	w := newAccWorld(t, accScenario(1, []int64{1}, []int64{1}, []int64{10}, true))
	if r := w.login(accCode); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	w.saw(w.stored().AccessToken.Reveal(), w.stored().RefreshToken.Reveal())
	if err := os.Chmod(w.loginFile(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"access", "compare", "--company-id", "10"}, {"login"}} {
		r := w.run(context.Background(), strings.NewReader(accCode+"\n"), nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "can be read by other users (mode 0644)") || !strings.Contains(r.stderr, "chmod 600") {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r.stderr)
		}
	}
	if fi, _ := os.Stat(w.loginFile()); fi.Mode().Perm() != 0o644 {
		t.Errorf("the refused file was changed: %04o", fi.Mode().Perm())
	}
	if r := w.run(context.Background(), nil, nil, "logout"); r.code != 0 {
		t.Errorf("logout of an unsafe file: %d %s", r.code, r.stderr)
	}

	// Another environment's login.
	prod, _ := procore.LookupEnvironment("production")
	other := filepath.Join(w.config, "prod.json")
	if err := procore.SaveLogin(other, procore.NewStoredLogin(prod, accClientID, &oauth2.Token{AccessToken: "prod-access", RefreshToken: "prod-refresh"})); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"access", "compare", "--company-id", "10", "--token-file", other}, {"login", "--token-file", other}} {
		r := w.run(context.Background(), strings.NewReader(accCode+"\n"), nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "holds a login for production (https://login.procore.com)") {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r.stderr)
		}
	}

	// Not a login at all.
	notLogin := filepath.Join(w.config, "manifest.json")
	if err := os.WriteFile(notLogin, []byte(`{"schema_version": "4.1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for args, msg := range map[*[]string]string{
		{"login", "--token-file", notLogin}:  "is not a manifestctl login (unsupported token file version 0): not overwriting it",
		{"logout", "--token-file", notLogin}: "is not a manifestctl login (unsupported token file version 0): not deleted",
	} {
		args := *args
		r := w.run(context.Background(), strings.NewReader(accCode+"\n"), nil, args...)
		if r.code != 2 || !strings.Contains(r.stderr, msg) {
			t.Errorf("%s: exit %d\n%s", args[0], r.code, r.stderr)
		}
	}
	if b, _ := os.ReadFile(notLogin); string(b) != `{"schema_version": "4.1"}` {
		t.Errorf("the file was changed: %s", b)
	}
}

// Overlapping, disjoint and identical project sets, each listing over
// several pages (the client asks 100 a page; 250 projects).
func TestAccessCompareAcrossPages(t *testing.T) {
	tests := []struct {
		name      string
		bot, user []int64
		summary   access.Summary
		pages     int // project pages in all, both sides
		exit      int
	}{
		{"overlapping", span(1, 180), span(121, 250), access.Summary{Both: 60, BotOnly: 120, UserOnly: 70}, 2 + 2, 1},
		{"disjoint", span(1, 125), span(126, 250), access.Summary{BotOnly: 125, UserOnly: 125}, 2 + 2, 1},
		{"identical", span(1, 250), span(1, 250), access.Summary{Both: 250}, 3 + 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newAccWorld(t, accScenario(250, tt.bot, tt.user, []int64{20, 10}, true))
			if r := w.login(accCode); r.code != 0 {
				t.Fatalf("login: %d %s", r.code, r.stderr)
			}
			w.saw(w.stored().AccessToken.Reveal(), w.stored().RefreshToken.Reveal())
			w.sb.Server.ResetRequests()
			r := w.compare()
			if r.code != tt.exit {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.exit, r.stderr)
			}
			rep := decodeAccess(t, r.stdout)
			if rep.Summary != tt.summary || !rep.UserInCompany || len(rep.Projects) != tt.summary.Both+tt.summary.BotOnly+tt.summary.UserOnly {
				t.Errorf("summary %+v, %d projects, in company %v", rep.Summary, len(rep.Projects), rep.UserInCompany)
			}
			for i, p := range rep.Projects {
				inBot, inUser := p.ID <= tt.bot[len(tt.bot)-1] && p.ID >= tt.bot[0], p.ID <= tt.user[len(tt.user)-1] && p.ID >= tt.user[0]
				want := map[[2]bool]access.Access{{true, true}: access.Both, {true, false}: access.BotOnly, {false, true}: access.UserOnly}[[2]bool{inBot, inUser}]
				if p.Access != want || (i > 0 && rep.Projects[i-1].ID >= p.ID) {
					t.Fatalf("project %d: %s, want %s (or not sorted)", p.ID, p.Access, want)
				}
			}
			reqs := w.sb.Server.Requests()
			pages := 0
			for _, q := range reqs {
				if q.Path == "/rest/v1.0/projects" {
					pages++
					if q.CompanyHeader != "10" {
						t.Errorf("a project page without the company header: %+v", q)
					}
				}
				if q.Method != "GET" && q.Path != "/oauth/token" {
					t.Errorf("not a GET: %+v", q)
				}
			}
			if pages != tt.pages || rep.Requests != int64(len(reqs)) {
				t.Errorf("%d project pages (want %d); requests %d, the sandbox saw %d", pages, tt.pages, rep.Requests, len(reqs))
			}
		})
	}
}

// A user outside the company: exit 1, the message on standard error, the
// report with user_in_company false, and no listing with the user's
// token for that company.
func TestAccessUserNotInCompany(t *testing.T) {
	w := newAccWorld(t, accScenario(3, []int64{1, 2}, nil, []int64{20}, true))
	if r := w.login(accCode); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	w.saw(w.stored().AccessToken.Reveal(), w.stored().RefreshToken.Reveal())
	w.sb.Server.ResetRequests()
	for _, format := range []string{"json", "text", "markdown"} {
		r := w.compare("--format", format)
		if r.code != 1 || !strings.Contains(r.stderr, "pat@example.com (user 77, Pat) is not in company 10: do not show this company's data to this user") {
			t.Errorf("%s: exit %d\n%s", format, r.code, r.stderr)
		}
		switch format {
		case "json":
			rep := decodeAccess(t, r.stdout)
			if rep.UserInCompany || rep.Summary != (access.Summary{BotOnly: 2}) {
				t.Errorf("report = %+v", rep)
			}
		case "text":
			if !strings.Contains(r.stdout, "is NOT in the company") {
				t.Errorf("text:\n%s", r.stdout)
			}
		case "markdown":
			if !strings.Contains(r.stdout, "is not in the company:**") {
				t.Errorf("markdown:\n%s", r.stdout)
			}
		}
	}
	// One listing a run, the DMSA's: the user's was not requested.
	listings := 0
	for _, q := range w.sb.Server.Requests() {
		if q.Path == "/rest/v1.0/projects" {
			listings++
			if q.Status != 200 {
				t.Errorf("a refused listing: %+v", q)
			}
		}
	}
	if listings != 3 {
		t.Errorf("%d project listings in 3 runs, want 3 (the DMSA's only)", listings)
	}
}

// Usage and input problems: exit 2 with a message and no request.
func TestAccessUsage(t *testing.T) {
	w := newAccWorld(t, accScenario(1, nil, nil, []int64{10}, true))
	tests := []struct {
		args []string
		vars map[string]string
		msg  string
	}{
		{[]string{"access", "compare"}, nil, "access compare needs --company-id N"},
		{[]string{"access", "compare", "--company-id", "0"}, nil, "--company-id: 0 is not a Procore id"},
		{[]string{"access", "compare", "--company-id", "10", "--format", "sarif"}, nil, `unknown format "sarif" for access compare (want text, json, markdown)`},
		{[]string{"access", "compare", "--company-id", "10", "--env", "moon"}, nil, `--env: unknown environment "moon"`},
		{[]string{"access", "compare", "--company-id", "10"}, map[string]string{"PROCORE_CLIENT_SECRET": ""}, "no credentials: set PROCORE_CLIENT_SECRET"},
		{[]string{"login"}, map[string]string{"PROCORE_CLIENT_ID": "", "PROCORE_CLIENT_SECRET": ""}, "no credentials: set PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET"},
		{[]string{"access", "compare", "--company-id", "10"}, nil, "no stored login for sandbox"},
		{[]string{"login", "extra"}, nil, `login takes no arguments, found "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			vars := map[string]string{
				"PROCORE_CLIENT_ID": accClientID, "PROCORE_CLIENT_SECRET": accSecret,
				"XDG_CONFIG_HOME": w.config, "HOME": w.config,
			}
			for k, v := range tt.vars {
				vars[k] = v
			}
			var out, errb bytes.Buffer
			e := &env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
			args := append(append([]string{"manifestctl"}, tt.args...), "--login-url", w.sb.URL, "--api-url", w.sb.URL)
			code := runEnv(context.Background(), e, args)
			w.outputs = append(w.outputs, out.String(), errb.String())
			if code != 2 || !strings.Contains(errb.String(), tt.msg) || out.Len() != 0 {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant %q", code, out.String(), errb.String(), tt.msg)
			}
		})
	}
	if n := len(w.sb.Server.Requests()); n != 0 {
		t.Errorf("%d requests for usage errors", n)
	}
}

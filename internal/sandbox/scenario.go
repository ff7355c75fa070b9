package sandbox

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// DemoClientID and DemoClientSecret are the demo scenario's credentials.
// They are public, printed by "manifestctl sandbox serve" and documented
// in docs/sandbox.md: they open nothing but the local fake.
const (
	DemoClientID     = "demo-client-id"
	DemoClientSecret = "demo-client-secret"
	// DemoAuthorizationCode is the demo scenario's fixed authorization
	// code: the demo's authorize page shows it, and the token endpoint
	// accepts it any number of times, so a script can log in with no
	// browser.
	DemoAuthorizationCode = "demo-authorization-code"
	// OOBRedirectURI is the installed-app redirect URI, the only one the
	// fake accepts.
	OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"
)

// MaxScenarioSize is the largest scenario LoadScenario reads.
const MaxScenarioSize = 4 << 20

// Scenario describes the fake Procore: the app and its clients, the users
// who can log in, the companies with their projects and the DMSA's levels,
// rate limits and faults. Its JSON form is documented in docs/sandbox.md.
type Scenario struct {
	Description string `json:"description,omitempty"`
	// App is the developer app every client belongs to.
	App App `json:"app"`
	// Clients are the credentials that may get tokens (client id and
	// secret of the app; all belong to App).
	Clients []Client `json:"clients"`
	// Tokens sets lifetimes.
	Tokens Tokens `json:"tokens,omitempty"`
	// Login says who "logs in" at the authorize page.
	Login *Login `json:"login,omitempty"`
	// RateLimit applies to API calls; nil is Procore's documented 3600
	// requests per hour.
	RateLimit *RateLimit `json:"rate_limit,omitempty"`
	// LoginRateLimit applies to the login host's endpoints, counted per
	// client (nil: 3600 per hour).
	LoginRateLimit *RateLimit `json:"login_rate_limit,omitempty"`
	// StrictCompanyHeader makes DMSA tokens send Procore-Company-Id on
	// /rest/v1.0/me and /rest/v1.0/companies too (Procore documents that
	// requirement for some regions).
	StrictCompanyHeader bool      `json:"strict_company_header,omitempty"`
	Companies           []Company `json:"companies"`
	Users               []User    `json:"users,omitempty"`
	Faults              []Fault   `json:"faults,omitempty"`
}

// App is the developer app.
type App struct {
	UID  string `json:"uid"`
	Name string `json:"name"`
	// PublishedAppVersionID is developer_app.published_app_version_id in
	// app installations.
	PublishedAppVersionID int64 `json:"published_app_version_id,omitempty"`
}

// Client is one client id and secret of the app.
type Client struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// Tokens sets token and code lifetimes in seconds (0: the default).
type Tokens struct {
	// AccessTokenLifetime defaults to 5400 (Procore's 90 minutes).
	AccessTokenLifetime int64 `json:"access_token_lifetime_seconds,omitempty"`
	// CodeLifetime defaults to 600.
	CodeLifetime int64 `json:"code_lifetime_seconds,omitempty"`
}

// Login names the user who logs in at /oauth/authorize.
type Login struct {
	UserID int64 `json:"user_id"`
	// FixedCode, when set, is an authorization code the authorize page
	// shows and the token endpoint accepts any number of times and
	// without expiry (for scripts). Codes issued otherwise are
	// single-use and expire.
	FixedCode string `json:"fixed_code,omitempty"`
}

// RateLimit is a sliding window: at most Limit requests in any
// WindowSeconds.
type RateLimit struct {
	Limit         int   `json:"limit"`
	WindowSeconds int64 `json:"window_seconds"`
}

// Company is a Procore company.
type Company struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Free companies are listed only with include_free_companies=true.
	Free bool `json:"free,omitempty"`
	// AppInstalled: the app is installed here. Otherwise every API call
	// for this company answers 403 "App is not connected to this company."
	AppInstalled bool `json:"app_installed"`
	// Installation is what app_installations returns (nil: a default one
	// at version 1.0.0 when installed).
	Installation *Installation `json:"installation,omitempty"`
	// RateLimit overrides the scenario's API limit for this company.
	RateLimit *RateLimit `json:"rate_limit,omitempty"`
	// DMSA is the app's service-account user in this company.
	DMSA     DMSA      `json:"dmsa"`
	Projects []Project `json:"projects,omitempty"`
}

// Installation is one app installation.
type Installation struct {
	ID                    int64  `json:"id"`
	SemanticVersion       string `json:"semantic_version"`
	Status                string `json:"status,omitempty"`
	UpdatableAppVersionID *int64 `json:"updatable_app_version_id,omitempty"`
}

// DMSA is the service account's directory user and company tool levels.
type DMSA struct {
	UserID int64 `json:"user_id,omitempty"`
	// Tools maps an API tool name to its company-level grant. A tool not
	// listed is absent from settings/permissions.
	Tools map[string]Grant `json:"tools,omitempty"`
}

// Project is a project of a company.
type Project struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Active defaults to true.
	Active *bool `json:"active,omitempty"`
	// Permitted: among the DMSA's permitted projects.
	Permitted bool `json:"permitted,omitempty"`
	// DMSATools maps an API tool name to the DMSA's grant in this
	// project; a tool not listed is absent.
	DMSATools map[string]Grant `json:"dmsa_tools,omitempty"`
}

// IsActive reports whether the project is active (the default).
func (p *Project) IsActive() bool { return p.Active == nil || *p.Active }

// User is a person who can log in.
type User struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
	// Companies the user belongs to, and Projects the user can see.
	Companies []int64 `json:"companies,omitempty"`
	Projects  []int64 `json:"projects,omitempty"`
	// CompanyTools and ProjectTools are the user's grants (the same in
	// every company and project of theirs).
	CompanyTools map[string]Grant `json:"company_tools,omitempty"`
	ProjectTools map[string]Grant `json:"project_tools,omitempty"`
}

// Grant is a tool's level in settings/permissions. In JSON it is either a
// level string ("none", "readonly", "standard", "admin") or an object
// {"level": ..., "available_for_user": false, "friendly_name": ...}.
type Grant struct {
	Level string `json:"level"`
	// AvailableForUser defaults to true; false also makes the tool
	// inactive in /projects/{id}/tools.
	AvailableForUser *bool  `json:"available_for_user,omitempty"`
	FriendlyName     string `json:"friendly_name,omitempty"`
}

// UnmarshalJSON accepts a level string or the object form.
func (g *Grant) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*g = Grant{Level: s}
		return nil
	}
	type plain Grant
	var p plain
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&p); err != nil {
		return err
	}
	*g = Grant(p)
	return nil
}

// MarshalJSON writes the short form when only the level is set.
func (g Grant) MarshalJSON() ([]byte, error) {
	if g.AvailableForUser == nil && g.FriendlyName == "" {
		return json.Marshal(g.Level)
	}
	type plain Grant
	return json.Marshal(plain(g))
}

func (g Grant) available() bool { return g.AvailableForUser == nil || *g.AvailableForUser }

// Fault is an injected failure for matching requests. A request matches
// when every non-empty criterion matches; the fault fires on the Nth
// matching request (1-based) or on every one.
type Fault struct {
	// Method and Path match the request; Path is a path.Match pattern
	// ("/rest/v1.0/projects/*/tools").
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	CompanyID int64  `json:"company_id,omitempty"`
	ProjectID int64  `json:"project_id,omitempty"`
	Nth       int    `json:"nth,omitempty"`
	Every     bool   `json:"every,omitempty"`

	// What happens, in this order: a delay, then one of drop, redirect
	// or status; LinkHost instead rewrites the normal answer's Link.
	DelayMS           int64  `json:"delay_ms,omitempty"`
	Drop              bool   `json:"drop,omitempty"`
	RedirectTo        string `json:"redirect_to,omitempty"`
	Status            int    `json:"status,omitempty"`
	RetryAfterSeconds *int64 `json:"retry_after_seconds,omitempty"`
	LinkHost          string `json:"link_host,omitempty"`
}

//go:embed demo.json
var demoJSON []byte

// Demo returns a fresh copy of the built-in demo scenario (see
// docs/sandbox.md for what an audit of testdata/examples/procore-41.json
// shows against it).
func Demo() *Scenario {
	s, err := LoadScenario(bytes.NewReader(demoJSON))
	if err != nil {
		panic("sandbox: embedded demo scenario: " + err.Error())
	}
	return s
}

// ScenarioError is a problem in a scenario, at a JSON path such as
// "companies[0].projects[2].dmsa_tools.daily_log".
type ScenarioError struct {
	Path string
	Msg  string
}

func (e *ScenarioError) Error() string {
	if e.Path == "" {
		return "scenario: " + e.Msg
	}
	return "scenario: " + e.Path + ": " + e.Msg
}

// LoadScenario reads and checks a scenario. Unknown fields, wrong types,
// duplicate ids, unknown references and bad levels are errors naming the
// JSON path; input beyond MaxScenarioSize is refused.
func LoadScenario(r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxScenarioSize+1))
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	if len(data) > MaxScenarioSize {
		return nil, &ScenarioError{Msg: fmt.Sprintf("larger than %d bytes", MaxScenarioSize)}
	}
	// First a generic decode, checked against the struct so an unknown
	// field or a wrong type is reported with its path.
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return nil, &ScenarioError{Msg: "invalid JSON: " + err.Error()}
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, &ScenarioError{Msg: "invalid JSON: data after the top-level value"}
	}
	if err := checkShape(tree, reflect.TypeFor[Scenario](), ""); err != nil {
		return nil, err
	}
	var s Scenario
	d = json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return nil, &ScenarioError{Msg: err.Error()}
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return &s, nil
}

// checkShape walks a generically decoded value against the type it will
// be decoded into, reporting the first unknown field or mismatched type.
func checkShape(v any, t reflect.Type, at string) error {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return nil
		}
		t = t.Elem()
	}
	bad := func(want string) error {
		return &ScenarioError{Path: at, Msg: fmt.Sprintf("want %s, got %s", want, jsonKind(v))}
	}
	if t == reflect.TypeFor[Grant]() {
		if _, ok := v.(string); ok {
			return nil
		}
		if _, ok := v.(map[string]any); !ok {
			return bad("a level string or an object")
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				return &ScenarioError{Path: join(at, k), Msg: "unknown field"}
			}
			if err := checkShape(m[k], ft, join(at, k)); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		for _, k := range sortedKeys(m) {
			if err := checkShape(m[k], t.Elem(), join(at, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if v == nil {
			return nil
		}
		a, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		for i, e := range a {
			if err := checkShape(e, t.Elem(), at+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("true or false")
		}
	case reflect.Int, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return bad("an integer")
		}
		if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
			return &ScenarioError{Path: at, Msg: fmt.Sprintf("want a 64-bit integer, got %s", n)}
		}
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// levelID maps the manifest spelling of a level to Procore's id (1 None,
// 2 Read Only, 3 Standard, 4 Admin); 0 for anything else.
func levelID(level string) int {
	switch level {
	case "none":
		return 1
	case "readonly":
		return 2
	case "standard":
		return 3
	case "admin":
		return 4
	}
	return 0
}

// levelName is the name settings/permissions gives a level id.
func levelName(id int) string {
	return [...]string{"", "None", "Read Only", "Standard", "Admin"}[id]
}

func (s *Scenario) check() error {
	e := func(at, format string, args ...any) error {
		return &ScenarioError{Path: at, Msg: fmt.Sprintf(format, args...)}
	}
	if s.App.UID == "" {
		return e("app.uid", "required")
	}
	if len(s.Clients) == 0 {
		return e("clients", "at least one client is required")
	}
	clients := map[string]bool{}
	for i, c := range s.Clients {
		at := fmt.Sprintf("clients[%d]", i)
		if c.ID == "" {
			return e(at+".id", "required")
		}
		if c.Secret == "" {
			return e(at+".secret", "required")
		}
		if clients[c.ID] {
			return e(at+".id", "duplicate client id %q", c.ID)
		}
		clients[c.ID] = true
	}
	if s.Tokens.AccessTokenLifetime < 0 {
		return e("tokens.access_token_lifetime_seconds", "must not be negative")
	}
	if s.Tokens.CodeLifetime < 0 {
		return e("tokens.code_lifetime_seconds", "must not be negative")
	}
	for at, rl := range map[string]*RateLimit{"rate_limit": s.RateLimit, "login_rate_limit": s.LoginRateLimit} {
		if err := rl.check(at); err != nil {
			return err
		}
	}
	companies := map[int64]bool{}
	projects := map[int64]bool{}
	for i := range s.Companies {
		c := &s.Companies[i]
		at := fmt.Sprintf("companies[%d]", i)
		if c.ID <= 0 {
			return e(at+".id", "must be a positive integer")
		}
		if companies[c.ID] {
			return e(at+".id", "duplicate company id %d", c.ID)
		}
		companies[c.ID] = true
		if err := c.RateLimit.check(at + ".rate_limit"); err != nil {
			return err
		}
		if err := checkGrants(c.DMSA.Tools, at+".dmsa.tools"); err != nil {
			return err
		}
		if in := c.Installation; in != nil && in.SemanticVersion == "" {
			return e(at+".installation.semantic_version", "required")
		}
		for j := range c.Projects {
			p := &c.Projects[j]
			pat := fmt.Sprintf("%s.projects[%d]", at, j)
			if p.ID <= 0 {
				return e(pat+".id", "must be a positive integer")
			}
			if projects[p.ID] {
				return e(pat+".id", "duplicate project id %d", p.ID)
			}
			projects[p.ID] = true
			if err := checkGrants(p.DMSATools, pat+".dmsa_tools"); err != nil {
				return err
			}
		}
	}
	users := map[int64]bool{}
	for i, u := range s.Users {
		at := fmt.Sprintf("users[%d]", i)
		if u.ID <= 0 {
			return e(at+".id", "must be a positive integer")
		}
		if users[u.ID] {
			return e(at+".id", "duplicate user id %d", u.ID)
		}
		users[u.ID] = true
		for j, c := range u.Companies {
			if !companies[c] {
				return e(fmt.Sprintf("%s.companies[%d]", at, j), "no company %d in the scenario", c)
			}
		}
		for j, p := range u.Projects {
			if !projects[p] {
				return e(fmt.Sprintf("%s.projects[%d]", at, j), "no project %d in the scenario", p)
			}
		}
		if err := checkGrants(u.CompanyTools, at+".company_tools"); err != nil {
			return err
		}
		if err := checkGrants(u.ProjectTools, at+".project_tools"); err != nil {
			return err
		}
	}
	if s.Login != nil && !users[s.Login.UserID] {
		return e("login.user_id", "no user %d in the scenario", s.Login.UserID)
	}
	for i, f := range s.Faults {
		at := fmt.Sprintf("faults[%d]", i)
		if (f.Nth > 0) == f.Every {
			return e(at, "set exactly one of nth (a positive call number) and every")
		}
		if f.Nth < 0 {
			return e(at+".nth", "must be positive")
		}
		if f.Path != "" {
			if _, err := path.Match(f.Path, "/"); err != nil {
				return e(at+".path", "bad pattern: %v", err)
			}
		}
		actions := 0
		for _, set := range []bool{f.Drop, f.RedirectTo != "", f.Status != 0, f.LinkHost != ""} {
			if set {
				actions++
			}
		}
		if actions > 1 {
			return e(at, "set at most one of drop, redirect_to, status and link_host")
		}
		if actions == 0 && f.DelayMS == 0 && f.RetryAfterSeconds == nil {
			return e(at, "does nothing: set delay_ms, drop, redirect_to, status, retry_after_seconds or link_host")
		}
		if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
			return e(at+".status", "not an HTTP status: %d", f.Status)
		}
		if f.DelayMS < 0 || f.DelayMS > 600_000 {
			return e(at+".delay_ms", "must be between 0 and 600000")
		}
		for name, u := range map[string]string{"redirect_to": f.RedirectTo, "link_host": f.LinkHost} {
			if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				return e(at+"."+name, "want an http:// or https:// URL")
			}
		}
	}
	return nil
}

func (rl *RateLimit) check(at string) error {
	if rl == nil {
		return nil
	}
	if rl.Limit <= 0 {
		return &ScenarioError{Path: at + ".limit", Msg: "must be a positive integer"}
	}
	if rl.WindowSeconds <= 0 {
		return &ScenarioError{Path: at + ".window_seconds", Msg: "must be a positive integer"}
	}
	return nil
}

func checkGrants(m map[string]Grant, at string) error {
	for _, k := range sortedKeys(m) {
		if k == "" {
			return &ScenarioError{Path: at, Msg: "empty tool name"}
		}
		if levelID(m[k].Level) == 0 {
			return &ScenarioError{Path: join(at, k), Msg: fmt.Sprintf("level %q: want none, readonly, standard or admin", m[k].Level)}
		}
	}
	return nil
}

// errNoScenario is returned by New for a nil scenario.
var errNoScenario = errors.New("sandbox: no scenario")

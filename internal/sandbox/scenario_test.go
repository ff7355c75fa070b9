package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// httpGet fetches a URL on a fresh connection and returns the body.
func httpGet(u string) (string, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// minimal is the smallest valid scenario; tests splice fragments into it.
const minimal = `{"app":{"uid":"u"},"clients":[{"id":"a","secret":"b"}],"companies":[%s]%s}`

func scenarioText(companies, extra string) string {
	s := strings.Replace(minimal, "%s", companies, 1)
	return strings.Replace(s, "%s", extra, 1)
}

const company1 = `{"id":1,"name":"x","app_installed":true,"dmsa":{"tools":{"documents":"readonly"}},"projects":[{"id":11,"name":"p","permitted":true,"dmsa_tools":{"daily_log":{"level":"standard","available_for_user":false}}}]}`

func TestLoadScenario(t *testing.T) {
	s, err := LoadScenario(strings.NewReader(scenarioText(company1, "")))
	if err != nil {
		t.Fatalf("LoadScenario: %v", err)
	}
	g := s.Companies[0].Projects[0].DMSATools["daily_log"]
	if g.Level != "standard" || g.available() {
		t.Errorf("object grant = %+v, want standard and unavailable", g)
	}
	if got := s.Companies[0].DMSA.Tools["documents"]; got.Level != "readonly" || !got.available() {
		t.Errorf("string grant = %+v, want readonly and available", got)
	}
	if !s.Companies[0].Projects[0].IsActive() {
		t.Errorf("a project is active by default")
	}
}

func TestLoadScenarioErrors(t *testing.T) {
	tests := []struct {
		name, in, path, msg string
	}{
		{"invalid JSON", `{"app":`, "", "invalid JSON"},
		{"trailing data", scenarioText(company1, "") + ` {}`, "", "data after"},
		{"not an object", `[]`, "", "want an object, got an array"},
		{"unknown top-level field", scenarioText(company1, `,"companys":[]`), "companys", "unknown field"},
		{"unknown nested field", scenarioText(`{"id":1,"name":"x","app_installed":true,"dmsa":{},"projects":[{"id":2,"name":"p","permited":true}]}`, ""), "companies[0].projects[0].permited", "unknown field"},
		{"unknown field in a grant", scenarioText(`{"id":1,"name":"x","dmsa":{"tools":{"home":{"level":"admin","availble":false}}}}`, ""), "companies[0].dmsa.tools.home.availble", "unknown field"},
		{"grant of the wrong type", scenarioText(`{"id":1,"name":"x","dmsa":{"tools":{"home":3}}}`, ""), "companies[0].dmsa.tools.home", "want a level string or an object, got a number"},
		{"id as a string", scenarioText(`{"id":"1","name":"x","dmsa":{}}`, ""), "companies[0].id", "want an integer, got a string"},
		{"fractional id", scenarioText(`{"id":1.5,"name":"x","dmsa":{}}`, ""), "companies[0].id", "want a 64-bit integer"},
		{"id beyond 64 bits", scenarioText(`{"id":92233720368547758070,"name":"x","dmsa":{}}`, ""), "companies[0].id", "want a 64-bit integer"},
		{"null object", scenarioText(company1, `,"tokens":null`), "tokens", "want an object, got null"},
		{"bool as string", scenarioText(`{"id":1,"name":"x","app_installed":"yes","dmsa":{}}`, ""), "companies[0].app_installed", "want true or false"},
		{"bad level", scenarioText(`{"id":1,"name":"x","dmsa":{"tools":{"home":"superuser"}}}`, ""), "companies[0].dmsa.tools.home", `level "superuser"`},
		{"level spelled read_only", scenarioText(`{"id":1,"name":"x","dmsa":{"tools":{"home":"read_only"}}}`, ""), "companies[0].dmsa.tools.home", "want none, readonly, standard or admin"},
		{"zero company id", scenarioText(`{"id":0,"name":"x","dmsa":{}}`, ""), "companies[0].id", "positive"},
		{"duplicate company", scenarioText(company1+`,{"id":1,"name":"y","dmsa":{}}`, ""), "companies[1].id", "duplicate company id 1"},
		{"duplicate project across companies", scenarioText(company1+`,{"id":2,"name":"y","dmsa":{},"projects":[{"id":11,"name":"q"}]}`, ""), "companies[1].projects[0].id", "duplicate project id 11"},
		{"no app uid", `{"app":{"uid":""},"clients":[{"id":"a","secret":"b"}],"companies":[]}`, "app.uid", "required"},
		{"no clients", `{"app":{"uid":"u"},"clients":[],"companies":[]}`, "clients", "at least one"},
		{"client without secret", `{"app":{"uid":"u"},"clients":[{"id":"a","secret":""}],"companies":[]}`, "clients[0].secret", "required"},
		{"duplicate client", `{"app":{"uid":"u"},"clients":[{"id":"a","secret":"b"},{"id":"a","secret":"c"}],"companies":[]}`, "clients[1].id", "duplicate"},
		{"user in an unknown company", scenarioText(company1, `,"users":[{"id":5,"login":"l","name":"n","companies":[9]}]`), "users[0].companies[0]", "no company 9"},
		{"user with an unknown project", scenarioText(company1, `,"users":[{"id":5,"login":"l","name":"n","projects":[11,12]}]`), "users[0].projects[1]", "no project 12"},
		{"login of an unknown user", scenarioText(company1, `,"login":{"user_id":5}`), "login.user_id", "no user 5"},
		{"rate limit of zero", scenarioText(company1, `,"rate_limit":{"limit":0,"window_seconds":10}`), "rate_limit.limit", "positive"},
		{"company rate limit without window", scenarioText(`{"id":1,"name":"x","dmsa":{},"rate_limit":{"limit":5}}`, ""), "companies[0].rate_limit.window_seconds", "positive"},
		{"negative lifetime", scenarioText(company1, `,"tokens":{"access_token_lifetime_seconds":-1}`), "tokens.access_token_lifetime_seconds", "negative"},
		{"fault with nth and every", scenarioText(company1, `,"faults":[{"nth":1,"every":true,"status":500}]`), "faults[0]", "exactly one of nth"},
		{"fault with neither", scenarioText(company1, `,"faults":[{"status":500}]`), "faults[0]", "exactly one of nth"},
		{"fault with two actions", scenarioText(company1, `,"faults":[{"every":true,"status":500,"drop":true}]`), "faults[0]", "at most one"},
		{"fault that does nothing", scenarioText(company1, `,"faults":[{"every":true}]`), "faults[0]", "does nothing"},
		{"fault status", scenarioText(company1, `,"faults":[{"every":true,"status":99}]`), "faults[0].status", "not an HTTP status"},
		{"fault path pattern", scenarioText(company1, `,"faults":[{"every":true,"status":500,"path":"/a/["}]`), "faults[0].path", "bad pattern"},
		{"fault redirect not a URL", scenarioText(company1, `,"faults":[{"every":true,"redirect_to":"elsewhere"}]`), "faults[0].redirect_to", "http://"},
		{"installation without version", scenarioText(`{"id":1,"name":"x","dmsa":{},"installation":{"id":3}}`, ""), "companies[0].installation.semantic_version", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadScenario(strings.NewReader(tt.in))
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("LoadScenario = %v, want a *ScenarioError", err)
			}
			if se.Path != tt.path || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("error = %q at %q, want %q at %q", se.Msg, se.Path, tt.msg, tt.path)
			}
			if tt.path != "" && !strings.Contains(err.Error(), tt.path+": ") {
				t.Errorf("Error() = %q, want it to name %s", err, tt.path)
			}
		})
	}
}

func TestLoadScenarioSizeCap(t *testing.T) {
	big := scenarioText(company1, "") + strings.Repeat(" ", MaxScenarioSize)
	_, err := LoadScenario(strings.NewReader(big))
	var se *ScenarioError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "larger than") {
		t.Errorf("LoadScenario(%d bytes) = %v, want a size error", len(big), err)
	}
}

func TestDemo(t *testing.T) {
	a, b := Demo(), Demo()
	if a == b || &a.Companies[0] == &b.Companies[0] {
		t.Fatal("Demo returns a shared value; each call must get its own copy")
	}
	if a.Clients[0].ID != DemoClientID || a.Clients[0].Secret != DemoClientSecret || a.Login.FixedCode != DemoAuthorizationCode {
		t.Errorf("demo credentials = %+v, login %+v; want the exported constants", a.Clients, a.Login)
	}
	if _, err := New(a, Options{}); err != nil {
		t.Errorf("New(Demo()): %v", err)
	}
}

func TestNew(t *testing.T) {
	if _, err := New(nil, Options{}); err == nil {
		t.Error("New(nil) succeeded")
	}
	// The server keeps its own copy of the scenario.
	s := Demo()
	e := newTestEnv(t, s)
	s.Companies[0].Projects[0].Permitted = false
	s.Clients[0].Secret = "changed"
	if got := ids(t, e.get(e.dmsaToken(), "10", "/rest/v1.0/projects?company_id=10")); !reflect.DeepEqual(got, []int64{101, 102}) {
		t.Errorf("after changing the scenario given to New: projects %v, want [101 102]", got)
	}
	bad := Demo()
	bad.Companies[1].ID = bad.Companies[0].ID
	var se *ScenarioError
	if _, err := New(bad, Options{}); !errors.As(err, &se) || se.Path != "companies[1].id" {
		t.Errorf("New(duplicate ids) = %v, want a ScenarioError at companies[1].id", err)
	}
}

func FuzzLoadScenario(f *testing.F) {
	f.Add(demoJSON)
	f.Add([]byte(scenarioText(company1, "")))
	f.Add([]byte(scenarioText(company1, `,"faults":[{"nth":2,"status":503,"retry_after_seconds":3}],"users":[{"id":5,"login":"l","name":"n","projects":[11]}],"login":{"user_id":5}`)))
	f.Add([]byte(`{"app":{"uid":"u"},"clients":[{"id":"a","secret":"b"}],"companies":[{"id":1,"dmsa":{"tools":{"x":{"level":"none"}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadScenario(bytes.NewReader(data))
		if err != nil {
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ScenarioError", err)
			}
			return
		}
		// A scenario that loads serves, and survives a round trip.
		if _, err := New(s, Options{}); err != nil {
			t.Fatalf("New after LoadScenario: %v", err)
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		s2, err := LoadScenario(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("reload of %s: %v", out, err)
		}
		out2, _ := json.Marshal(s2)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the scenario:\n%s\n%s", out, out2)
		}
	})
}

func TestStart(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:80"} {
		if _, err := Start(context.Background(), addr, Demo(), Options{}); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Start(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
	if _, err := Start(context.Background(), "no-port", Demo(), Options{}); err == nil {
		t.Error("Start(no-port) succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, err := Start(ctx, "", Demo(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want http://127.0.0.1:PORT", r.URL)
	}
	resp, err := httpGet(r.URL + "/oauth/authorize?response_type=code&client_id=" + DemoClientID + "&redirect_uri=urn:ietf:wg:oauth:2.0:oob")
	if err != nil || !strings.Contains(resp, DemoAuthorizationCode) {
		t.Errorf("authorize page over Start = %q, %v", resp, err)
	}
	if got := r.Server.Requests(); len(got) != 1 {
		t.Errorf("Server.Requests() = %+v, want the one request", got)
	}
	cancel()
	<-r.Done()
	if err := r.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
	if _, err := httpGet(r.URL + "/oauth/token/info"); err == nil {
		t.Error("the server still answers after its context ended")
	}

	r2, err := Start(context.Background(), "localhost:0", Demo(), Options{})
	if err != nil {
		t.Fatalf("Start(localhost:0): %v", err)
	}
	if err := r2.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenEndpoint(t *testing.T) {
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for k, vs := range good {
			f[k] = vs
		}
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name      string
		method    string
		form      url.Values
		basic     bool
		status    int
		wantError string
	}{
		{name: "client credentials", form: good, status: 200},
		{name: "credentials in basic auth", form: with("client_id", ""), basic: true, status: 200},
		{name: "wrong secret", form: with("client_secret", "nope"), status: 401, wantError: "invalid_client"},
		{name: "no secret", form: with("client_secret", ""), status: 401, wantError: "invalid_client"},
		{name: "unknown client", form: with("client_id", "who"), status: 401, wantError: "invalid_client"},
		{name: "no grant type", form: with("grant_type", ""), status: 400, wantError: "invalid_request"},
		{name: "unsupported grant", form: with("grant_type", "password"), status: 400, wantError: "unsupported_grant_type"},
		{name: "code without code", form: with("grant_type", "authorization_code"), status: 400, wantError: "invalid_request"},
		{name: "unknown refresh token", form: with("grant_type", "refresh_token"), status: 400, wantError: "invalid_grant"},
		{name: "GET", method: "GET", form: good, status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, Demo())
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			var r result
			if tt.basic {
				req, _ := http.NewRequest(method, e.hs.URL+"/oauth/token", strings.NewReader(tt.form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				// As golang.org/x/oauth2 sends it: form-escaped, then Basic.
				req.SetBasicAuth(url.QueryEscape(DemoClientID), url.QueryEscape(DemoClientSecret))
				resp, err := e.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				r.status = resp.StatusCode
			} else {
				r = e.do(method, "/oauth/token", nil, tt.form)
			}
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.body)
			}
			if tt.wantError != "" {
				var body map[string]string
				r.json(t, &body)
				if body["error"] != tt.wantError || body["error_description"] == "" {
					t.Errorf("body = %v, want error %q with a description", body, tt.wantError)
				}
			}
			if tt.status == 200 && !tt.basic {
				var tr tokenResponse
				r.json(t, &tr)
				if tr.TokenType != "bearer" || tr.ExpiresIn != 5400 || tr.CreatedAt != e.clock.Now().Unix() || tr.RefreshToken != "" {
					t.Errorf("token response = %+v, want bearer, 5400 s, created now, no refresh token", tr)
				}
			}
		})
	}
}

// TestTokenBasicAuthEscaped: a secret with reserved characters, form-escaped
// inside HTTP Basic as RFC 6749 says (and golang.org/x/oauth2 does).
func TestTokenBasicAuthEscaped(t *testing.T) {
	const id, secret = "id with space", "s3cr+t/=&x"
	e := newTestEnv(t, demoWith(func(s *Scenario) { s.Clients = []Client{{ID: id, Secret: secret}} }))
	for _, tt := range []struct {
		name       string
		user, pass string
		status     int
	}{
		{"escaped", url.QueryEscape(id), url.QueryEscape(secret), 200},
		{"wrong", url.QueryEscape(id), url.QueryEscape(secret + "y"), 401},
	} {
		req, _ := http.NewRequest("POST", e.hs.URL+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(tt.user, tt.pass)
		resp, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}
}

func TestTokenInfo(t *testing.T) {
	e := newTestEnv(t, Demo())
	dmsa := e.dmsaToken()
	user := e.userToken(DemoAuthorizationCode).AccessToken
	e.clock.Advance(100 * time.Second)
	for _, tt := range []struct {
		name  string
		tok   string
		owner any
	}{
		{"client credentials: no resource owner", dmsa, nil},
		{"user", user, float64(77)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(tt.tok, "", "/oauth/token/info")
			var info map[string]any
			r.json(t, &info)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			owner, present := info["resource_owner_id"]
			if !present || owner != tt.owner {
				t.Errorf("resource_owner_id = %v (present %t), want %v", owner, present, tt.owner)
			}
			if info["expires_in_seconds"] != float64(5300) {
				t.Errorf("expires_in_seconds = %v, want 5300", info["expires_in_seconds"])
			}
			if app, _ := info["application"].(map[string]any); app["uid"] != "demo-app-uid" {
				t.Errorf("application = %v, want uid demo-app-uid", info["application"])
			}
			if _, ok := info["scopes"].([]any); !ok {
				t.Errorf("scopes = %v, want a list", info["scopes"])
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	sc := demoWith(func(s *Scenario) { s.Tokens.AccessTokenLifetime = 60 })
	e := newTestEnv(t, sc)
	tok := e.dmsaToken()
	if r := e.get(tok, "10", "/rest/v1.0/projects?company_id=10"); r.status != 200 {
		t.Fatalf("fresh token: %d %s", r.status, r.body)
	}
	e.clock.Advance(59 * time.Second)
	if r := e.get(tok, "10", "/rest/v1.0/projects?company_id=10"); r.status != 200 {
		t.Fatalf("token at 59 s: %d %s", r.status, r.body)
	}
	e.clock.Advance(time.Second)
	for _, target := range []string{"/rest/v1.0/projects?company_id=10", "/oauth/token/info"} {
		r := e.get(tok, "10", target)
		var body map[string]string
		r.json(t, &body)
		if r.status != 401 || body["error"] != "invalid_token" || body["error_description"] != descExpiredToken {
			t.Errorf("%s with an expired token = %d %v, want 401 invalid_token expired", target, r.status, body)
		}
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer ") {
			t.Errorf("WWW-Authenticate = %q", r.header.Get("WWW-Authenticate"))
		}
	}
	for name, h := range map[string]string{"unknown token": "Bearer nope", "no token": "", "basic": "Basic eDp5"} {
		r := e.do("GET", "/rest/v1.0/me", map[string]string{"Authorization": h}, nil)
		var body map[string]string
		r.json(t, &body)
		if r.status != 401 || body["error"] != "invalid_token" || body["error_description"] != descInvalidToken {
			t.Errorf("%s = %d %v, want 401 invalid_token", name, r.status, body)
		}
	}
}

func TestAuthorizationCode(t *testing.T) {
	sc := demoWith(func(s *Scenario) { s.Login.FixedCode = "" })
	exchange := func(e *testEnv, code, redirect string) result {
		r, _ := e.tokenRequest(url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {redirect}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
		return r
	}
	t.Run("issued code works once", func(t *testing.T) {
		e := newTestEnv(t, sc)
		code := e.authorizeCode()
		if code == DemoAuthorizationCode || code == "" {
			t.Fatalf("code = %q, want a fresh one", code)
		}
		tr := e.userToken(code)
		if r := e.get(tr.AccessToken, "", "/rest/v1.0/me"); !strings.Contains(r.body, `"id":77`) {
			t.Errorf("me = %d %s, want user 77", r.status, r.body)
		}
		if r := exchange(e, code, OOBRedirectURI); r.status != 400 || !strings.Contains(r.body, `"invalid_grant"`) {
			t.Errorf("second use = %d %s, want 400 invalid_grant", r.status, r.body)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		e := newTestEnv(t, sc)
		code := e.authorizeCode()
		e.clock.Advance(600 * time.Second)
		if r := exchange(e, code, OOBRedirectURI); r.status != 400 || !strings.Contains(r.body, `"invalid_grant"`) {
			t.Errorf("expired code = %d %s, want 400 invalid_grant", r.status, r.body)
		}
	})
	t.Run("wrong redirect uri", func(t *testing.T) {
		e := newTestEnv(t, sc)
		code := e.authorizeCode()
		if r := exchange(e, code, "https://example.com/cb"); r.status != 400 || !strings.Contains(r.body, `"invalid_grant"`) {
			t.Errorf("wrong redirect = %d %s, want 400 invalid_grant", r.status, r.body)
		}
	})
	t.Run("wrong code", func(t *testing.T) {
		e := newTestEnv(t, sc)
		if r := exchange(e, "not-a-code", OOBRedirectURI); r.status != 400 || !strings.Contains(r.body, `"invalid_grant"`) {
			t.Errorf("wrong code = %d %s, want 400 invalid_grant", r.status, r.body)
		}
	})
	t.Run("fixed demo code works repeatedly and never expires", func(t *testing.T) {
		e := newTestEnv(t, Demo())
		if code := e.authorizeCode(); code != DemoAuthorizationCode {
			t.Errorf("demo authorize page shows %q, want %q", code, DemoAuthorizationCode)
		}
		e.userToken(DemoAuthorizationCode)
		e.clock.Advance(24 * time.Hour)
		e.userToken(DemoAuthorizationCode)
	})
}

func TestAuthorizePage(t *testing.T) {
	oob := url.QueryEscape(OOBRedirectURI)
	tests := []struct {
		name   string
		query  string
		sc     *Scenario
		status int
	}{
		{"ok", "response_type=code&client_id=" + DemoClientID + "&redirect_uri=" + oob, Demo(), 200},
		{"unknown client", "response_type=code&client_id=x&redirect_uri=" + oob, Demo(), 400},
		{"token response type", "response_type=token&client_id=" + DemoClientID + "&redirect_uri=" + oob, Demo(), 400},
		{"web redirect", "response_type=code&client_id=" + DemoClientID + "&redirect_uri=https%3A%2F%2Fexample.com", Demo(), 400},
		{"no login user", "response_type=code&client_id=" + DemoClientID + "&redirect_uri=" + oob, demoWith(func(s *Scenario) { s.Login = nil }), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, tt.sc)
			r := e.get("", "", "/oauth/authorize?"+tt.query)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d: %s", r.status, tt.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("Content-Type = %q, want HTML", r.header.Get("Content-Type"))
			}
			if got := codeRE.MatchString(r.body); got != (tt.status == 200) {
				t.Errorf("page shows a code: %t, want %t", got, tt.status == 200)
			}
		})
	}
}

func TestRefreshTokenSingleUse(t *testing.T) {
	e := newTestEnv(t, Demo())
	first := e.userToken(DemoAuthorizationCode)
	refresh := func(rt string) (result, tokenResponse) {
		return e.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt},
			"client_id": {DemoClientID}, "client_secret": {DemoClientSecret}})
	}
	r, second := refresh(first.RefreshToken)
	if r.status != 200 || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatalf("refresh = %d, want 200 with new access and refresh tokens", r.status)
	}
	if r, _ := refresh(first.RefreshToken); r.status != 400 || !strings.Contains(r.body, `"invalid_grant"`) {
		t.Errorf("reusing a refresh token = %d %s, want 400 invalid_grant", r.status, r.body)
	}
	if r := e.get(second.AccessToken, "", "/oauth/token/info"); !strings.Contains(r.body, `"resource_owner_id":77`) {
		t.Errorf("refreshed token info = %s, want the same user", r.body)
	}
	if r, third := refresh(second.RefreshToken); r.status != 200 || third.RefreshToken == "" {
		t.Errorf("the new refresh token = %d, want 200", r.status)
	}
	// A refresh token of another client is refused.
	sc := demoWith(func(s *Scenario) { s.Clients = append(s.Clients, Client{ID: "other", Secret: "other-secret"}) })
	e2 := newTestEnv(t, sc)
	rt := e2.userToken(DemoAuthorizationCode).RefreshToken
	r, _ = e2.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"other"}, "client_secret": {"other-secret"}})
	if r.status != 400 {
		t.Errorf("another client's refresh token = %d, want 400", r.status)
	}
}

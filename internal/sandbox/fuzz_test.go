package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeHTTP sends arbitrary requests (method, target, company header,
// bearer token, form body) to the demo: the server never panics, every
// answer has Date and the rate-limit headers, a JSON answer is valid
// JSON, and the demo's client secret never comes back.
func FuzzServeHTTP(f *testing.F) {
	f.Add("GET", "/rest/v1.0/projects?company_id=10&per_page=1&page=2", "10", true, "")
	f.Add("GET", "/rest/v1.0/settings/permissions?project_id=101&filter_correspondence_types=false", "10", true, "")
	f.Add("GET", "/rest/v1.0/projects/4294967301/tools", "20", true, "")
	f.Add("GET", "/rest/v1.0/app_installations?company_id=10", "10", false, "")
	f.Add("GET", "/rest/v1.0/companies?include_free_companies=true&per_page=0", "", true, "")
	f.Add("POST", "/oauth/token", "", false, "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret")
	f.Add("POST", "/oauth/token", "", false, "grant_type=authorization_code&code=demo-authorization-code&redirect_uri=urn:ietf:wg:oauth:2.0:oob&client_id=demo-client-id&client_secret=demo-client-secret")
	f.Add("POST", "/oauth/token", "", false, "grant_type=refresh_token&refresh_token=x&client_id=demo-client-id&client_secret=demo-client-secret")
	f.Add("GET", "/oauth/authorize?response_type=code&client_id=demo-client-id&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob", "", false, "")
	f.Add("DELETE", "/rest/v1.0/me", "x", true, "a=b")
	f.Add("GET", "/rest/v1.0/projects?company_id=10&filters%5Bby_status%5D=All", "10", true, "")
	// Limits high enough that the fuzzer is not stopped by 429s.
	unlimited := &RateLimit{Limit: 1 << 30, WindowSeconds: 1}
	srv, err := New(demoWith(func(s *Scenario) {
		s.RateLimit, s.LoginRateLimit = unlimited, unlimited
		s.Companies[1].RateLimit = unlimited
	}), Options{})
	if err != nil {
		f.Fatal(err)
	}
	// One valid token, so the fuzzer reaches past authentication.
	rec := httptest.NewRecorder()
	srv.issue(rec, DemoClientID, 0, false, srv.now())
	var tr tokenJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, target, company string, bearer bool, body string) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest(method, "http://sandbox.test"+target, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if company != "" {
			req.Header.Set("Procore-Company-Id", company)
		}
		if bearer {
			req.Header.Set("Authorization", "Bearer "+tr.AccessToken)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		h := w.Header()
		for _, k := range []string{"Date", "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} {
			if h.Get(k) == "" {
				t.Errorf("%s %s: %d answer without %s", method, target, w.Code, k)
			}
		}
		if strings.HasPrefix(h.Get("Content-Type"), "application/json") && !json.Valid(w.Body.Bytes()) {
			t.Errorf("%s %s: invalid JSON %q", method, target, w.Body.String())
		}
		if bytes.Contains(w.Body.Bytes(), []byte(DemoClientSecret)) {
			t.Errorf("%s %s: the answer carries the client secret", method, target)
		}
		for k, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, DemoClientSecret) && !strings.Contains(target, DemoClientSecret) {
					t.Errorf("%s %s: header %s carries the client secret", method, target, k)
				}
			}
		}
	})
}

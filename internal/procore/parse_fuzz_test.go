package procore

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestErrorMessage(t *testing.T) {
	scrub := (&scrubber{secrets: []string{spotSecret}}).scrub
	tests := []struct{ body, want string }{
		{`{"errors":["App is not connected to this company."]}`, "App is not connected to this company."},
		{`{"errors":""}`, ""},
		{`{"errors":{"name":["can't be blank"],"b":"x"}}`, "b: x; name: can't be blank"},
		{`{"error":"Not found"}`, "Not found"},
		{`{"error":{"code":"x","message":"Missing Procore-Company-Id header!"}}`, "Missing Procore-Company-Id header!"},
		{`{"error":{"error":"Too many requests. Please try again in a few minutes."}}`, "Too many requests. Please try again in a few minutes."},
		{`{"error":"invalid_token","error_description":"The access token is invalid"}`, "invalid_token: The access token is invalid"},
		{`{"code":401,"message":"Invalid Token","error":"Invalid Token"}`, "Invalid Token"},
		{"You have surpassed the max number of requests for an hour.\nPlease wait until your limit resets.", "You have surpassed the max number of requests for an hour. Please wait until your limit resets."},
		{"token " + spotSecret + " refused", "token [REDACTED] refused"},
		{"\xff\xfe bad utf8", "\uFFFD bad utf8"},
		{`[1,2]`, ""},
		{strings.Repeat("é", 400), strings.Repeat("é", maxMessage) + "…"},
	}
	for _, tc := range tests {
		if got := errorMessage([]byte(tc.body), scrub); got != tc.want {
			t.Errorf("errorMessage(%.40q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func FuzzErrorMessage(f *testing.F) {
	for _, s := range []string{`{"errors":["a"]}`, `{"error":{"message":"m"}}`, "plain " + spotSecret, `{"error":"x","error_description":"` + spotSecret + `"}`, "\xff"} {
		f.Add([]byte(s))
	}
	scrub := (&scrubber{secrets: []string{spotSecret}}).scrub
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > maxErrorBody {
			return
		}
		got := errorMessage(body, scrub)
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\t") {
			t.Errorf("errorMessage = %q: not one line of UTF-8", got)
		}
		if utf8.RuneCountInString(got) > maxMessage+1 {
			t.Errorf("errorMessage is %d runes long", utf8.RuneCountInString(got))
		}
		if strings.Contains(got, spotSecret) {
			t.Errorf("errorMessage = %q carries the secret", got)
		}
	})
}

// FuzzDecode feeds arbitrary bodies to every decoder of API answers: none
// may panic, and what they return is well formed.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"tools":[{"name":"documents","user_access_level":{"id":4,"name":"Admin"},"available_for_user":true}]}`,
		`[{"id":1,"name":"P","active":true,"company":{"id":"2","name":"C"}}]`,
		`[{"id":3,"semantic_version":"1.0.0","status":"installed","updatable_app_version_id":9}]`,
		`{"resource_owner_id":null,"scopes":"a b","expires_in_seconds":7193,"application":{"uid":"u"}}`,
		`{"id":1e3,"login":5}`, `[null,1,"x",{}]`, `{"tools":null}`, `{"user_access_level":{"id":1e40}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if tools, err := decodeTools(body); err == nil {
			for _, tp := range tools {
				if tp.Name == "" || tp.LevelID < 0 {
					t.Errorf("decodeTools gave %+v", tp)
				}
			}
		}
		_, _ = decodeArray[wireProject](body, "projects")
		_, _ = decodeArray[wireCompany](body, "companies")
		_, _ = decodeArray[wireInstallation](body, "app_installations")
		if ti, err := parseTokenInfo(body, t0); err == nil && ti.ExpiresIn < 0 {
			t.Errorf("parseTokenInfo gave a negative lifetime")
		}
	})
}

func TestParseTokenInfoShapes(t *testing.T) {
	ti, err := parseTokenInfo([]byte(`{"resource_owner_id":"5960067","scope":"public read","expires_in":60}`), t0)
	if err != nil {
		t.Fatal(err)
	}
	if ti.ResourceOwnerID == nil || *ti.ResourceOwnerID != 5960067 || len(ti.Scopes) != 2 || !ti.ExpiresAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("parseTokenInfo = %+v", ti)
	}
	if _, err := parseTokenInfo([]byte(`[]`), t0); err == nil {
		t.Errorf("parseTokenInfo([]) succeeded")
	}
}

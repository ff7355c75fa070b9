package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/manifestctl/manifestctl/internal/sandbox"
)

// These tests drive the fake with golang.org/x/oauth2, the library the
// real client is built on, so the two are known to speak to each other.
// (Only the tests import it: the fake itself is stdlib only.)

func startDemo(t *testing.T) *sandbox.Running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := sandbox.Start(ctx, "", sandbox.Demo(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		r.Close()
	})
	return r
}

func TestOAuth2ClientCredentials(t *testing.T) {
	r := startDemo(t)
	ctx := context.Background()
	cc := clientcredentials.Config{
		ClientID: sandbox.DemoClientID, ClientSecret: sandbox.DemoClientSecret,
		TokenURL: r.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams,
	}
	tok, err := cc.Token(ctx)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if !tok.Valid() || tok.RefreshToken != "" || time.Until(tok.Expiry) < 89*time.Minute {
		t.Errorf("token valid %t, refresh %t, expires in %v; want valid, no refresh token, ~90 min", tok.Valid(), tok.RefreshToken != "", time.Until(tok.Expiry))
	}
	req, _ := http.NewRequest("GET", r.URL+"/rest/v1.0/projects?company_id=10", nil)
	req.Header.Set("Procore-Company-Id", "10")
	resp, err := cc.Client(ctx).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Total") != "2" {
		t.Errorf("projects = %d, Total %q; want 200 and 2", resp.StatusCode, resp.Header.Get("Total"))
	}

	r.Server.ResetRequests()
	cc.ClientSecret = "wrong"
	_, err = cc.Token(ctx)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_client" || re.Response.StatusCode != 401 {
		t.Fatalf("wrong secret: %v, want a 401 invalid_client RetrieveError", err)
	}
	if n := len(r.Server.Requests()); n != 1 {
		t.Errorf("%d token requests for wrong credentials, want 1 (AuthStyleInParams)", n)
	}
}

func TestOAuth2AuthorizationCode(t *testing.T) {
	r := startDemo(t)
	ctx := context.Background()
	conf := oauth2.Config{
		ClientID: sandbox.DemoClientID, ClientSecret: sandbox.DemoClientSecret,
		Endpoint: oauth2.Endpoint{AuthURL: r.URL + "/oauth/authorize", TokenURL: r.URL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: sandbox.OOBRedirectURI,
	}
	page, err := http.Get(conf.AuthCodeURL(""))
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != 200 {
		t.Fatalf("authorize page = %d", page.StatusCode)
	}
	tok, err := conf.Exchange(ctx, sandbox.DemoAuthorizationCode)
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Fatal("no refresh token")
	}
	// An expired access token is refreshed; the refresh token rotates.
	old := tok.RefreshToken
	tok.Expiry = time.Now().Add(-time.Minute)
	fresh, err := conf.TokenSource(ctx, tok).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.RefreshToken == "" || fresh.RefreshToken == old || fresh.AccessToken == tok.AccessToken {
		t.Errorf("refresh did not rotate the tokens")
	}
	_, err = conf.TokenSource(ctx, &oauth2.Token{RefreshToken: old, Expiry: time.Now().Add(-time.Minute)}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("reusing a refresh token: %v, want invalid_grant", err)
	}
	_, err = conf.Exchange(ctx, "wrong-code")
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || strings.Contains(err.Error(), sandbox.DemoClientSecret) {
		t.Errorf("wrong code: %v, want invalid_grant without the secret", err)
	}
}

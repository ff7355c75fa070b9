package procore

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// OOBRedirectURI is the installed-app redirect URI: Procore shows the
// authorization code on a page for the user to copy.
const OOBRedirectURI = "urn:ietf:wg:oauth:2.0:oob"

// AuthCodeURL is the authorize URL of the installed-app variant of the
// authorization code grant:
// {login}/oauth/authorize?response_type=code&client_id=…&redirect_uri=urn:ietf:wg:oauth:2.0:oob.
func AuthCodeURL(env Environment, clientID string) string {
	base := env.LoginURL
	if u, err := parseBaseURL(env.LoginURL); err == nil {
		base = u.String()
	}
	return base + "/oauth/authorize?response_type=code&client_id=" + url.QueryEscape(clientID) +
		"&redirect_uri=" + url.QueryEscape(OOBRedirectURI)
}

func clientHint(code string) string {
	switch code {
	case "invalid_client", "unauthorized_client", "":
		return "check the client id and client secret, and that they belong to this environment"
	}
	return ""
}

func codeHint(code string) string {
	if code == "invalid_grant" {
		return "the authorization code is wrong or expired (codes are short-lived and single-use): open the authorize URL again and paste the new code"
	}
	return clientHint(code)
}

func refreshHint(code string) string {
	if code == "invalid_grant" {
		return "the stored login is no longer valid (its refresh token was used or revoked): log in again"
	}
	return clientHint(code)
}

// oauthConfig is the authorization code configuration for opts.
func oauthConfig(opts Options, st *stack) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     opts.ClientID,
		ClientSecret: opts.ClientSecret.Reveal(),
		Endpoint: oauth2.Endpoint{
			AuthURL:   st.login.String() + "/oauth/authorize",
			TokenURL:  st.tokenURL(),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: OOBRedirectURI,
	}
}

// Exchange trades an authorization code for tokens at {login}/oauth/token
// (grant_type=authorization_code, credentials in the form body, one
// request, through the same guarded transport as the client). A refused
// code is an *AuthError wrapping ErrAuth that says the code is wrong or
// expired. The token's Expiry is computed on opts.Now.
func Exchange(ctx context.Context, opts Options, code string) (*oauth2.Token, error) {
	var n requestCounter
	return exchange(ctx, opts, code, &n)
}

type requestCounter = atomic.Int64

func exchange(ctx context.Context, opts Options, code string, n *atomic.Int64) (*oauth2.Token, error) {
	if opts.ClientID == "" {
		return nil, fmt.Errorf("authorization code: no client id")
	}
	st, err := newStack(opts, n)
	if err != nil {
		return nil, err
	}
	s := &scrubber{}
	s.add(opts.ClientSecret.Reveal(), code)
	start := st.now()
	tok, err := oauthConfig(opts, st).Exchange(st.tokenContext(ctx), code)
	if err != nil {
		return nil, tokenError("authorization code", err, s, codeHint)
	}
	fixExpiry(tok, start)
	return tok, nil
}

// fixExpiry recomputes Expiry from expires_in on the injected clock.
func fixExpiry(tok *oauth2.Token, start time.Time) {
	if secs := expiresIn(tok); secs > 0 {
		tok.Expiry = start.Add(time.Duration(secs) * time.Second)
	}
}

package sandbox

import (
	"crypto/subtle"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"time"
)

// Doorkeeper's error texts (procore-facts §7a).
const (
	descInvalidClient = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
	descInvalidGrant  = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
	descInvalidToken  = "The access token is invalid"
	descExpiredToken  = "The access token expired"
)

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// maxFormSize caps the token endpoint's form body.
const maxFormSize = 64 << 10

// serveToken is POST /oauth/token: client_credentials,
// authorization_code and refresh_token grants, the client's id and
// secret in the form body (or HTTP Basic).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "Method Not Allowed"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body could not be read as a form.")
		return
	}
	f := r.PostForm
	id, secret := f.Get("client_id"), f.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok && id == "" {
		// RFC 6749 §2.3.1 form-encodes both before Basic encoding.
		id, secret = formUnescape(bid), formUnescape(bsecret)
	}
	want, known := s.clients[id]
	if !known || secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client", descInvalidClient)
		return
	}
	switch f.Get("grant_type") {
	case "client_credentials":
		s.issue(w, id, 0, false, now)
	case "authorization_code":
		code := f.Get("code")
		if code == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: code.")
			return
		}
		if f.Get("redirect_uri") != OOBRedirectURI {
			oauthError(w, http.StatusBadRequest, "invalid_grant", descInvalidGrant)
			return
		}
		var user int64
		if l := s.sc.Login; l != nil && l.FixedCode != "" && subtle.ConstantTimeCompare([]byte(code), []byte(l.FixedCode)) == 1 {
			user = l.UserID
		} else {
			s.mu.Lock()
			c, ok := s.codes[code]
			valid := ok && !c.used && c.clientID == id && now.Before(c.expires)
			if ok {
				// A code is single-use: a failed attempt spends it too.
				c.used = true
			}
			s.mu.Unlock()
			if !valid {
				oauthError(w, http.StatusBadRequest, "invalid_grant", descInvalidGrant)
				return
			}
			user = c.userID
		}
		s.issue(w, id, user, true, now)
	case "refresh_token":
		rt := f.Get("refresh_token")
		s.mu.Lock()
		t, ok := s.refresh[rt]
		valid := ok && !t.used && t.clientID == id
		if valid {
			t.used = true
		}
		s.mu.Unlock()
		if !valid {
			oauthError(w, http.StatusBadRequest, "invalid_grant", descInvalidGrant)
			return
		}
		s.issue(w, id, t.userID, true, now)
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request is missing a required parameter: grant_type.")
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
	}
}

func formUnescape(v string) string {
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

func (s *Server) tokenLifetime() time.Duration {
	if l := s.sc.Tokens.AccessTokenLifetime; l > 0 {
		return time.Duration(l) * time.Second
	}
	return 5400 * time.Second
}

// maxTokens is how many access tokens the server keeps before it forgets
// long-expired ones.
const maxTokens = 10_000

// issue answers with a new access token (and a refresh token for a user).
func (s *Server) issue(w http.ResponseWriter, clientID string, user int64, withRefresh bool, now time.Time) {
	life := s.tokenLifetime()
	access := newID(24)
	body := tokenJSON{AccessToken: access, TokenType: "bearer", ExpiresIn: int64(life / time.Second), CreatedAt: now.Unix()}
	s.mu.Lock()
	if len(s.tokens) >= maxTokens {
		// A long-running sandbox serve forgets tokens expired an hour
		// ago (they then answer "invalid" instead of "expired").
		for k, t := range s.tokens {
			if now.Sub(t.expires) > time.Hour {
				delete(s.tokens, k)
			}
		}
	}
	s.tokens[access] = &token{clientID: clientID, userID: user, created: now, expires: now.Add(life)}
	if withRefresh {
		body.RefreshToken = newID(24)
		s.refresh[body.RefreshToken] = &refreshToken{clientID: clientID, userID: user}
	}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

// serveTokenInfo is GET /oauth/token/info.
func (s *Server) serveTokenInfo(w http.ResponseWriter, c *call, now time.Time) {
	if c.r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "Method Not Allowed"})
		return
	}
	if !s.authorized(w, c) {
		return
	}
	info := tokenInfoJSON{
		Scopes:           []string{},
		ExpiresInSeconds: int64(c.tok.expires.Sub(now) / time.Second),
		CreatedAt:        c.tok.created.Unix(),
	}
	if c.tok.userID != 0 {
		owner := c.tok.userID
		info.ResourceOwnerID = &owner
	}
	info.Application.UID = s.sc.App.UID
	writeJSON(w, http.StatusOK, info)
}

// authorized answers 401 unless the call has a valid bearer token.
func (s *Server) authorized(w http.ResponseWriter, c *call) bool {
	if c.tok != nil {
		return true
	}
	// An unknown token is invalid, an expired one expired; both 401.
	desc := descInvalidToken
	if c.expired {
		desc = descExpiredToken
	}
	w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="Doorkeeper", error="invalid_token", error_description=%q`, desc))
	oauthError(w, http.StatusUnauthorized, "invalid_token", desc)
	return false
}

// serveAuthorize is GET /oauth/authorize for the installed-app variant:
// an HTML page showing the code of the scenario's login user.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, now time.Time) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "Method Not Allowed"})
		return
	}
	q := r.URL.Query()
	page := func(status int, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<!doctype html>\n<html><head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n%s\n</body></html>\n",
			html.EscapeString(title), html.EscapeString(title), body)
	}
	if _, ok := s.clients[q.Get("client_id")]; !ok {
		page(http.StatusBadRequest, "Authorization error", "<p>Client authentication failed due to unknown client.</p>")
		return
	}
	if q.Get("response_type") != "code" {
		page(http.StatusBadRequest, "Authorization error", "<p>The authorization server does not support this response type.</p>")
		return
	}
	if q.Get("redirect_uri") != OOBRedirectURI {
		page(http.StatusBadRequest, "Authorization error", "<p>The redirect uri included is not valid: this sandbox supports "+OOBRedirectURI+" only.</p>")
		return
	}
	l := s.sc.Login
	if l == nil {
		page(http.StatusBadRequest, "Authorization error", "<p>No user logs in in this scenario (set \"login\").</p>")
		return
	}
	code := l.FixedCode
	if code == "" {
		code = newID(16)
		life := time.Duration(s.sc.Tokens.CodeLifetime) * time.Second
		if life == 0 {
			life = 600 * time.Second
		}
		s.mu.Lock()
		s.codes[code] = &authCode{clientID: q.Get("client_id"), userID: l.UserID, expires: now.Add(life)}
		s.mu.Unlock()
	}
	u := s.users[l.UserID]
	page(http.StatusOK, "Authorization code",
		fmt.Sprintf("<p>Signed in as %s. Copy this code and paste it into your application:</p>\n<code id=\"authorization_code\">%s</code>",
			html.EscapeString(u.Login), html.EscapeString(code)))
}

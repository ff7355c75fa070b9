package procore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const invalidGrant = `{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}`

// userServer is a fake login and API host for the authorization code
// grant: code "good-code" is valid once; refresh tokens are single-use;
// access tokens last expiresIn seconds on clk.
type userServer struct {
	*fake
	clk       *clock
	expiresIn int
	mu        sync.Mutex
	n         int
	codes     map[string]bool
	refresh   map[string]bool
	access    map[string]time.Time
}

func newUserServer(t *testing.T, clk *clock, expiresIn int) *userServer {
	us := &userServer{clk: clk, expiresIn: expiresIn, codes: map[string]bool{"good-code": true}, refresh: map[string]bool{}, access: map[string]time.Time{}}
	us.fake = newFake(t, us.serve)
	return us
}

func (us *userServer) issue(w http.ResponseWriter) {
	us.n++
	acc, ref := fmt.Sprintf("acc-%d", us.n), fmt.Sprintf("ref-%d", us.n)
	us.access[acc] = us.clk.Now().Add(time.Duration(us.expiresIn) * time.Second)
	us.refresh[ref] = true
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":%d,"refresh_token":%q,"created_at":1}`, acc, us.expiresIn, ref)
}

func (us *userServer) serve(w http.ResponseWriter, r *http.Request) {
	us.mu.Lock()
	defer us.mu.Unlock()
	if r.URL.Path == "/oauth/token" {
		if r.PostForm.Get("client_id") != "client-1" || r.PostForm.Get("client_secret") != spotSecret {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		switch r.PostForm.Get("grant_type") {
		case "authorization_code":
			code := r.PostForm.Get("code")
			if !us.codes[code] || r.PostForm.Get("redirect_uri") != OOBRedirectURI {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				io.WriteString(w, invalidGrant)
				return
			}
			delete(us.codes, code)
			us.issue(w)
		case "refresh_token":
			rt := r.PostForm.Get("refresh_token")
			if !us.refresh[rt] {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				io.WriteString(w, invalidGrant)
				return
			}
			delete(us.refresh, rt) // single-use
			us.issue(w)
		default:
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"unsupported_grant_type"}`)
		}
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if exp, ok := us.access[tok]; !ok || !us.clk.Now().Before(exp) {
		w.WriteHeader(401)
		io.WriteString(w, `{"error":"invalid_token","error_description":"The access token is invalid"}`)
		return
	}
	writeJSON(w, map[string]any{"id": 77, "login": "user@example.com", "name": "U"})
}

func (us *userServer) opts(clk *clock) Options {
	return Options{Env: us.env(), ClientID: "client-1", ClientSecret: spotSecret, Now: clk.Now, Sleep: clk.Sleep}
}

func TestAuthCodeURL(t *testing.T) {
	env, _ := LookupEnvironment("sandbox")
	got := AuthCodeURL(env, "abc def&x")
	want := "https://login-sandbox.procore.com/oauth/authorize?response_type=code&client_id=abc+def%26x&redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"
	if got != want {
		t.Errorf("AuthCodeURL = %q, want %q", got, want)
	}
}

func TestExchange(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 7200)
	tok, err := Exchange(context.Background(), us.opts(clk), "good-code")
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if tok.AccessToken != "acc-1" || tok.RefreshToken != "ref-1" || !tok.Expiry.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("token = %q %q %v", tok.AccessToken, tok.RefreshToken, tok.Expiry)
	}
	reqs := us.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	f := reqs[0].Form
	if f.Get("grant_type") != "authorization_code" || f.Get("code") != "good-code" || f.Get("redirect_uri") != OOBRedirectURI || f.Get("client_secret") != spotSecret || reqs[0].Header.Get("Authorization") != "" {
		t.Errorf("token request form = %v", f)
	}
}

func TestExchangeRefused(t *testing.T) {
	for _, code := range []string{"wrong-code-SPOT", "good-code"} {
		t.Run(code, func(t *testing.T) {
			clk := newClock()
			us := newUserServer(t, clk, 7200)
			if code == "good-code" {
				// Used once already: expired.
				if _, err := Exchange(context.Background(), us.opts(clk), code); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Exchange(context.Background(), us.opts(clk), code)
			var ae *AuthError
			if !errors.Is(err, ErrAuth) || !errors.As(err, &ae) || ae.Code != "invalid_grant" {
				t.Fatalf("Exchange = %v, want an invalid_grant *AuthError", err)
			}
			if !strings.Contains(err.Error(), "wrong or expired") {
				t.Errorf("message %q does not say the code is wrong or expired", err)
			}
			if strings.Contains(err.Error(), spotSecret) || strings.Contains(err.Error(), "SPOT") {
				t.Errorf("message %q carries a secret or the code", err)
			}
		})
	}
}

func TestSaveLoadLogin(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "sandbox.json")
	l := &StoredLogin{Env: "sandbox", LoginURL: "https://login-sandbox.procore.com", APIURL: "https://sandbox.procore.com", ClientID: "client-1",
		TokenType: "bearer", AccessToken: "acc-SPOT", RefreshToken: "ref-SPOT", Expiry: t0, SavedAt: t0.Add(-time.Hour)}
	if err := SaveLogin(path, l); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("directory mode = %04o, want 0700", di.Mode().Perm())
	}
	got, err := LoadLogin(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(l, got); diff != "" {
		t.Errorf("LoadLogin (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1 (no temporary file left)", len(entries))
	}
	// Overwriting an existing file keeps 0600 even if it was changed.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadLogin(path)
	if !errors.Is(err, ErrInsecureLogin) || !strings.Contains(err.Error(), "0644") {
		t.Errorf("LoadLogin(0644) = %v, want ErrInsecureLogin naming the mode", err)
	}
	if err != nil && strings.Contains(err.Error(), "SPOT") {
		t.Errorf("error carries a token: %v", err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660, 0o620} {
		os.Chmod(path, mode)
		if _, err := LoadLogin(path); !errors.Is(err, ErrInsecureLogin) {
			t.Errorf("LoadLogin(%04o) = %v, want ErrInsecureLogin", mode, err)
		}
	}
	if err := SaveLogin(path, l); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rewriting = %04o, want 0600", fi.Mode().Perm())
	}
	// A symbolic link is followed: the target is replaced, the link kept.
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if err := SaveLogin(link, l); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if err := DeleteLogin(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLogin(path); !errors.Is(err, ErrNoLogin) {
		t.Errorf("LoadLogin(missing) = %v, want ErrNoLogin", err)
	}
	if err := DeleteLogin(path); !errors.Is(err, ErrNoLogin) {
		t.Errorf("DeleteLogin(missing) = %v, want ErrNoLogin", err)
	}
}

func TestLoadLoginRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, content, want string
	}{
		{"not JSON", "acc-SPOT", "malformed JSON"},
		{"trailing data", `{"version":1,"access_token":"a"} {}`, "trailing data"},
		{"wrong version", `{"version":2,"access_token":"a"}`, "version 2"},
		{"no token", `{"version":1}`, "no access token"},
		{"token with a newline", `{"version":1,"access_token":"a\nSPOT"}`, "malformed token"},
		{"http login URL", `{"version":1,"access_token":"a","login_url":"http://example.com"}`, "login URL"},
		{"wrong type", `{"version":1,"access_token":12}`, "malformed JSON"},
		{"too large", `{"version":1,"access_token":"` + strings.Repeat("a", maxLoginFile) + `"}`, "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadLogin(write(strings.ReplaceAll(tc.name, " ", "-"), tc.content))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("LoadLogin = %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "SPOT") {
				t.Errorf("error quotes the contents: %v", err)
			}
		})
	}
	if _, err := LoadLogin(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("LoadLogin(dir) = %v", err)
	}
}

func FuzzParseLogin(f *testing.F) {
	l := &StoredLogin{Env: "sandbox", LoginURL: "https://login-sandbox.procore.com", AccessToken: "a", RefreshToken: "r", Expiry: t0}
	seed, _ := encodeLogin(l)
	f.Add(seed)
	f.Add([]byte(`{"version":1,"access_token":"x"}`))
	f.Add([]byte(`{"version":1,"access_token":"x","expiry":"not a time"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseLogin(data)
		if err != nil {
			if got != nil {
				t.Errorf("ParseLogin gave a login and an error")
			}
			return
		}
		if got.AccessToken == "" || !tokenChars(got.AccessToken.Reveal()) {
			t.Errorf("ParseLogin accepted a malformed access token")
		}
		enc, err := encodeLogin(got)
		if err != nil {
			t.Fatalf("encodeLogin: %v", err)
		}
		again, err := ParseLogin(enc)
		if err != nil {
			t.Fatalf("ParseLogin(encodeLogin(x)): %v", err)
		}
		if !again.Expiry.Equal(got.Expiry) || !again.SavedAt.Equal(got.SavedAt) {
			t.Errorf("times changed in a round trip")
		}
		again.Expiry, again.SavedAt, got.Expiry, got.SavedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if *again != *got {
			t.Errorf("round trip: %+v, want %+v", again, got)
		}
	})
}

func TestDefaultLoginPath(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/manifestctl/sandbox.json"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.config/manifestctl/sandbox.json"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/home/u"}, "/home/u/.config/manifestctl/sandbox.json"},
		{map[string]string{}, ""},
	}
	for _, tc := range tests {
		if got := DefaultLoginPath(func(k string) string { return tc.env[k] }, "sandbox"); got != tc.want {
			t.Errorf("DefaultLoginPath(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

// storedLogin logs in against us and stores the login at a new path.
func storedLogin(t *testing.T, us *userServer, clk *clock) (string, *StoredLogin) {
	t.Helper()
	tok, err := Exchange(context.Background(), us.opts(clk), "good-code")
	if err != nil {
		t.Fatal(err)
	}
	l := NewStoredLogin(us.env(), "client-1", tok)
	l.SavedAt = clk.Now()
	path := filepath.Join(t.TempDir(), "test.json")
	if err := SaveLogin(path, l); err != nil {
		t.Fatal(err)
	}
	return path, l
}

func TestRefreshRotation(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	path, l := storedLogin(t, us, clk)
	clk.Advance(2 * time.Hour) // acc-1 has expired
	ctx := context.Background()
	opts := us.opts(clk)
	src, err := NewStoredTokenSource(ctx, opts, path, l)
	if err != nil {
		t.Fatal(err)
	}
	meBefore := 0
	src.afterSave = func() {
		// An interruption right here: the file must be whole and hold the
		// new refresh token, and the new access token is not used yet.
		got, err := LoadLogin(path)
		if err != nil {
			t.Fatalf("after the refresh the file is not readable: %v", err)
		}
		if got.RefreshToken.Reveal() != "ref-2" || got.AccessToken.Reveal() != "acc-2" {
			t.Errorf("after the refresh the file holds %q/%q, want acc-2/ref-2", got.AccessToken.Reveal(), got.RefreshToken.Reveal())
		}
		meBefore = us.count("/rest/v1.0/me")
	}
	opts.TokenSource = src
	c, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode() != ModeUser {
		t.Errorf("Mode() = %q", c.Mode())
	}
	u, err := c.Me(ctx)
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if u.ID != 77 || meBefore != 0 {
		t.Errorf("Me = %+v; me requests before the save: %d", u, meBefore)
	}
	if c.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2 (refresh + me)", c.Requests())
	}
	saved, err := LoadLogin(path)
	if err != nil || saved.RefreshToken.Reveal() != "ref-2" {
		t.Fatalf("stored login = %v, %v; want ref-2", saved, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %04o", fi.Mode().Perm())
	}
	// The old refresh token is refused afterwards.
	stale, err := NewStoredTokenSource(ctx, us.opts(clk), filepath.Join(t.TempDir(), "stale.json"), l)
	if err != nil {
		t.Fatal(err)
	}
	_, err = stale.Token()
	if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "log in again") {
		t.Errorf("refresh with the spent token = %v, want ErrAuth saying to log in again", err)
	}
	for _, s := range []string{spotSecret, "ref-1", "ref-2", "acc-"} {
		if strings.Contains(fmt.Sprint(err), s) {
			t.Errorf("error %v carries %q", err, s)
		}
	}
}

func TestUserModeRefreshesOn401(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	path, l := storedLogin(t, us, clk)
	// The server forgets acc-1 although it has not expired.
	us.mu.Lock()
	delete(us.access, "acc-1")
	us.mu.Unlock()
	opts := us.opts(clk)
	src, err := NewStoredTokenSource(context.Background(), opts, path, l)
	if err != nil {
		t.Fatal(err)
	}
	opts.TokenSource = src
	c, _ := NewClient(opts)
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatalf("Me: %v", err)
	}
	if got := us.count("/oauth/token"); got != 2 {
		t.Errorf("%d token requests, want 2 (login + one refresh)", got)
	}
	if saved, _ := LoadLogin(path); saved.RefreshToken.Reveal() != "ref-2" {
		t.Errorf("stored refresh token = %v, want ref-2", saved.RefreshToken.Reveal())
	}
}

func TestStoredLoginOtherEnvironment(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	l := &StoredLogin{Env: "production", LoginURL: "https://login.procore.com", AccessToken: "a"}
	_, err := NewStoredTokenSource(context.Background(), us.opts(clk), "/x/test.json", l)
	if !errors.Is(err, ErrLoginEnvironment) || !strings.Contains(err.Error(), "production") {
		t.Errorf("NewStoredTokenSource = %v, want ErrLoginEnvironment naming production", err)
	}
	// Without a login URL, the environment's name decides.
	if _, err := NewStoredTokenSource(context.Background(), us.opts(clk), "/x/test.json", &StoredLogin{Env: "production", AccessToken: "a"}); !errors.Is(err, ErrLoginEnvironment) {
		t.Errorf("NewStoredTokenSource(env production, no URL) = %v, want ErrLoginEnvironment", err)
	}
	// A trailing slash is the same environment.
	l.LoginURL = us.URL() + "/"
	if _, err := NewStoredTokenSource(context.Background(), us.opts(clk), "/x/test.json", l); err != nil {
		t.Errorf("same login URL with a slash: %v", err)
	}
}

func TestExpiredWithoutRefreshToken(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	l := &StoredLogin{LoginURL: us.URL(), AccessToken: "a", Expiry: t0.Add(-time.Minute)}
	src, err := NewStoredTokenSource(context.Background(), us.opts(clk), filepath.Join(t.TempDir(), "x.json"), l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(); !errors.Is(err, ErrAuth) {
		t.Errorf("Token = %v, want ErrAuth", err)
	}
	if len(us.Requests()) != 0 {
		t.Errorf("%d requests, want 0", len(us.Requests()))
	}
}

func TestReadTokenFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stored := filepath.Join(dir, "stored.json")
	if err := SaveLogin(stored, &StoredLogin{AccessToken: "acc-stored", RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want string
		err  string
	}{
		{"bare token with a newline", write("bare", "tok-SPOT\n", 0o600), "tok-SPOT", ""},
		{"JSON object", write("obj.json", `{"access_token":"tok-json"}`, 0o600), "tok-json", ""},
		{"stored login", stored, "acc-stored", ""},
		{"readable by others", write("open", "tok-SPOT", 0o644), "", "mode 0644"},
		{"two tokens", write("two", "tok-SPOT other", 0o600), "", "one access token"},
		{"empty", write("empty", "  \n", 0o600), "", "one access token"},
		{"JSON without a token", write("none.json", `{"token":"tok-SPOT"}`, 0o600), "", "access_token member"},
		{"missing", filepath.Join(dir, "missing"), "", "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadTokenFile(tc.path)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ReadTokenFile = %v, want an error containing %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "SPOT") {
					t.Errorf("error quotes the file: %v", err)
				}
				return
			}
			if err != nil || got.Reveal() != tc.want {
				t.Errorf("ReadTokenFile = %q, %v; want %q", got.Reveal(), err, tc.want)
			}
		})
	}
	if _, err := ReadTokenFile(filepath.Join(dir, "missing")); !errors.Is(err, ErrNoLogin) {
		t.Errorf("missing file: %v, want ErrNoLogin", err)
	}
	if _, err := ReadTokenFile(filepath.Join(dir, "open")); !errors.Is(err, ErrInsecureLogin) {
		t.Errorf("0644 file: %v, want ErrInsecureLogin", err)
	}
}

func FuzzTokenFile(f *testing.F) {
	for _, s := range []string{"tok\n", `{"access_token":"a"}`, " { ", "a b", "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := parseTokenFile(data, "f")
		if err != nil {
			if tok != "" {
				t.Errorf("token and error both returned")
			}
			return
		}
		if tok == "" || !tokenChars(tok.Reveal()) {
			t.Errorf("parseTokenFile accepted %q", tok.Reveal())
		}
	})
}

func TestRefreshSaveFails(t *testing.T) {
	clk := newClock()
	us := newUserServer(t, clk, 3600)
	_, l := storedLogin(t, us, clk)
	clk.Advance(2 * time.Hour)
	// The token file's directory is a regular file: saving must fail.
	dir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := NewStoredTokenSource(context.Background(), us.opts(clk), filepath.Join(dir, "x.json"), l)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := src.Token(); err == nil || !strings.Contains(err.Error(), "log in again") {
			t.Fatalf("Token #%d = %v, want the save failure", i+1, err)
		}
	}
	if got := us.count("/oauth/token"); got != 2 {
		t.Errorf("%d token requests, want 2 (login + one refresh)", got)
	}
}

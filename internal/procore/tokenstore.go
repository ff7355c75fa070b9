package procore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

var (
	// ErrInsecureLogin is wrapped when a token file can be read (or
	// written) by its group or by others: it is not read.
	ErrInsecureLogin = errors.New("token file is accessible by other users")

	// ErrLoginEnvironment is wrapped when the stored login belongs to
	// another environment (another login URL).
	ErrLoginEnvironment = errors.New("stored login belongs to another environment")
)

// maxLoginFile caps the size of a token file.
const maxLoginFile = 64 << 10

// StoredLogin is a login kept on disk: the tokens of the authorization
// code grant and where they belong.
type StoredLogin struct {
	Env          string // environment name
	LoginURL     string
	APIURL       string
	ClientID     string
	TokenType    string
	AccessToken  Secret
	RefreshToken Secret
	Expiry       time.Time // of the access token; zero: unknown
	SavedAt      time.Time
}

// wireLogin is the file format (version 1).
type wireLogin struct {
	Version      int       `json:"version"`
	Env          string    `json:"env"`
	LoginURL     string    `json:"login_url"`
	APIURL       string    `json:"api_url,omitempty"`
	ClientID     string    `json:"client_id,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	SavedAt      time.Time `json:"saved_at,omitzero"`
}

// Token returns l's tokens as an *oauth2.Token.
func (l *StoredLogin) Token() *oauth2.Token {
	return &oauth2.Token{AccessToken: l.AccessToken.Reveal(), RefreshToken: l.RefreshToken.Reveal(), TokenType: l.TokenType, Expiry: l.Expiry}
}

// NewStoredLogin describes tok, obtained in env with clientID.
func NewStoredLogin(env Environment, clientID string, tok *oauth2.Token) *StoredLogin {
	return &StoredLogin{
		Env: env.Name, LoginURL: env.LoginURL, APIURL: env.APIURL, ClientID: clientID,
		TokenType: tok.TokenType, AccessToken: Secret(tok.AccessToken), RefreshToken: Secret(tok.RefreshToken), Expiry: tok.Expiry,
	}
}

// DefaultLoginPath is $XDG_CONFIG_HOME/manifestctl/<env>.json, falling
// back to $HOME/.config/manifestctl/<env>.json; "" when neither variable
// is set.
func DefaultLoginPath(getenv func(string) string, env string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "manifestctl", env+".json")
}

// LoadLogin reads a token file. It refuses a file its group or others
// may access (ErrInsecureLogin), one that is not a regular file, or one
// larger than 64 KiB; a missing file is ErrNoLogin. No error carries a
// token.
func LoadLogin(path string) (*StoredLogin, error) {
	data, err := openPrivate(path, "login")
	if err != nil {
		return nil, err
	}
	l, err := ParseLogin(data)
	if err != nil {
		return nil, fmt.Errorf("read login %s: %w", path, err)
	}
	return l, nil
}

// openPrivate opens path for reading after the token store's checks: it
// exists (else ErrNoLogin), is a regular file, has no group or other
// permission bits (else ErrInsecureLogin) and is at most 64 KiB.
func openPrivate(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist", ErrNoLogin, path)
		}
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s %s: not a regular file", what, path)
	}
	// Windows has no such permission bits (files show 0666 or 0444): the
	// user profile's access control protects the file there.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("%w: %s has mode %04o; make it private (chmod 600 %s) or log in again", ErrInsecureLogin, path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxLoginFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, path, err)
	}
	if len(data) > maxLoginFile {
		return nil, fmt.Errorf("read %s %s: larger than %d KiB, not a token file", what, path, maxLoginFile>>10)
	}
	return data, nil
}

// ReadTokenFile reads an access token from a file given with
// --token-file: either the token alone (surrounding white space ignored)
// or a JSON object with an access_token member (a stored login). The file
// must be private, like a stored login (ErrInsecureLogin otherwise); a
// missing file is ErrNoLogin. Errors never quote the contents.
func ReadTokenFile(path string) (Secret, error) {
	data, err := openPrivate(path, "token file")
	if err != nil {
		return "", err
	}
	return parseTokenFile(data, path)
}

func parseTokenFile(data []byte, path string) (Secret, error) {
	s := strings.TrimSpace(string(data))
	if strings.HasPrefix(s, "{") {
		var v struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal([]byte(s), &v); err != nil || v.AccessToken == "" || !tokenChars(v.AccessToken) {
			return "", fmt.Errorf("token file %s: a JSON token file needs an access_token member holding a token", path)
		}
		return Secret(v.AccessToken), nil
	}
	if s == "" || !tokenChars(s) {
		return "", fmt.Errorf("token file %s: the file must hold one access token (no spaces or line breaks inside)", path)
	}
	return Secret(s), nil
}

// ParseLogin decodes a token file's contents. Errors never quote the
// contents.
func ParseLogin(data []byte) (*StoredLogin, error) {
	if len(data) > maxLoginFile {
		return nil, errors.New("larger than the token file limit")
	}
	var w wireLogin
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&w); err != nil {
		return nil, errors.New("not a manifestctl token file (malformed JSON)")
	}
	if dec.More() {
		return nil, errors.New("not a manifestctl token file (trailing data)")
	}
	if w.Version != 1 {
		return nil, fmt.Errorf("unsupported token file version %d", w.Version)
	}
	if w.AccessToken == "" {
		return nil, errors.New("token file holds no access token")
	}
	for _, t := range []string{w.AccessToken, w.RefreshToken, w.TokenType} {
		if !tokenChars(t) {
			return nil, errors.New("token file holds a malformed token")
		}
	}
	if w.LoginURL != "" {
		if err := CheckBaseURL(w.LoginURL); err != nil {
			return nil, errors.New("token file holds a malformed login URL")
		}
	}
	return &StoredLogin{
		Env: w.Env, LoginURL: w.LoginURL, APIURL: w.APIURL, ClientID: w.ClientID, TokenType: w.TokenType,
		AccessToken: Secret(w.AccessToken), RefreshToken: Secret(w.RefreshToken), Expiry: w.Expiry, SavedAt: w.SavedAt,
	}, nil
}

// tokenChars reports whether s is printable ASCII without spaces (what a
// header value may carry).
func tokenChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// SaveLogin writes l to path atomically with mode 0600: a temporary file
// in the same directory (created 0600, never readable by others), synced,
// renamed over path, and the directory synced. The directory is created
// 0700 when missing. On failure path is unchanged.
func SaveLogin(path string, l *StoredLogin) (err error) {
	data, err := encodeLogin(l)
	if err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	// A symbolic link is followed: its target is replaced, the link kept.
	if resolved, rerr := filepath.EvalSymlinks(path); rerr == nil {
		path = resolved
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	// CreateTemp creates the file 0600; make sure of it before writing.
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	if err = os.Rename(name, path); err != nil {
		return fmt.Errorf("save login: %w", err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// encodeLogin is the token file's contents for l.
func encodeLogin(l *StoredLogin) ([]byte, error) {
	w := wireLogin{
		Version: 1, Env: l.Env, LoginURL: l.LoginURL, APIURL: l.APIURL, ClientID: l.ClientID, TokenType: l.TokenType,
		AccessToken: l.AccessToken.Reveal(), RefreshToken: l.RefreshToken.Reveal(), Expiry: l.Expiry.UTC(), SavedAt: l.SavedAt.UTC(),
	}
	data, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// DeleteLogin removes a stored login; a missing one is ErrNoLogin.
func DeleteLogin(path string) error {
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s does not exist", ErrNoLogin, path)
		}
		return fmt.Errorf("delete login: %w", err)
	}
	return nil
}

// sameBaseURL compares two base URLs ignoring a trailing slash and case of
// scheme and host.
func sameBaseURL(a, b string) bool {
	ua, err1 := parseBaseURL(a)
	ub, err2 := parseBaseURL(b)
	if err1 != nil || err2 != nil {
		return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
	}
	return sameOrigin(ua, ub) && ua.Path == ub.Path
}

// StoredTokenSource hands out a stored login's access token and refreshes
// it when it is about to expire. Procore's refresh tokens are single-use:
// the new refresh token is saved (atomically) the moment it arrives,
// before the new access token is handed out, so an interrupted run leaves
// a whole file holding the newest token.
type StoredTokenSource struct {
	ctx context.Context
	// Secrets live behind pointers here: fmt does not call Secret's
	// methods on unexported fields, but prints a pointer as an address.
	opts  *Options
	path  string
	st    *stack
	count atomic.Int64
	scrub *scrubber

	afterSave func() // test hook: called right after a refresh is saved

	mu      sync.Mutex
	login   *StoredLogin
	refused bool  // the API refused the current access token
	broken  error // saving a refreshed login failed: the run stops
}

// NewStoredTokenSource returns a source for login, stored at path, in the
// environment of opts (opts.ClientID and ClientSecret refresh it). A login
// stored for another environment is ErrLoginEnvironment. ctx is used for
// refreshes made through Token; a Client uses each call's own context.
func NewStoredTokenSource(ctx context.Context, opts Options, path string, login *StoredLogin) (*StoredTokenSource, error) {
	if login == nil {
		return nil, fmt.Errorf("%w: no login given", ErrNoLogin)
	}
	if err := CheckLoginEnvironment(path, login, opts.Env); err != nil {
		return nil, err
	}
	s := &StoredTokenSource{ctx: ctx, opts: &opts, path: path, login: login, scrub: &scrubber{}}
	st, err := newStack(opts, &s.count)
	if err != nil {
		return nil, err
	}
	s.st = st
	s.scrub.add(opts.ClientSecret.Reveal(), login.AccessToken.Reveal(), login.RefreshToken.Reveal())
	return s, nil
}

// CheckLoginEnvironment returns an error wrapping ErrLoginEnvironment when
// login, stored at path, belongs to another environment than env: another
// environment's name, or another login URL (a login made with --login-url
// belongs to that URL only). access compare refuses such a login and
// logout does not delete it unless its file is named, so that both agree
// on whose login a file holds.
func CheckLoginEnvironment(path string, login *StoredLogin, env Environment) error {
	if login.LoginURL == "" && login.Env != "" && env.Name != "" && login.Env != env.Name {
		return fmt.Errorf("%w: %s holds a login for %s, not for %s: log in for this environment or pass another token file",
			ErrLoginEnvironment, path, login.Env, env.Name)
	}
	if login.LoginURL != "" && !sameBaseURL(login.LoginURL, env.LoginURL) {
		name := login.Env
		if name == "" {
			name = "another environment"
		}
		return fmt.Errorf("%w: %s holds a login for %s (%s), not for %s (%s): log in for this environment or pass another token file",
			ErrLoginEnvironment, path, name, login.LoginURL, orDash(env.Name), env.LoginURL)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Token returns a valid access token, refreshing it first if needed.
func (s *StoredTokenSource) Token() (*oauth2.Token, error) { return s.token(s.ctx) }

// Login returns a copy of the current login (after any refresh).
func (s *StoredTokenSource) Login() StoredLogin {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.login
}

func (s *StoredTokenSource) invalidate(access string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.login.AccessToken.Reveal() == access {
		s.refused = true
	}
}

// use makes refreshes go through another stack (the client's, so that
// they are counted and guarded with its requests).
func (s *StoredTokenSource) use(st *stack) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
}

func (s *StoredTokenSource) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return nil, s.broken
	}
	now := s.st.now()
	l := s.login
	margin := maxReuseMargin
	if !l.SavedAt.IsZero() && l.Expiry.After(l.SavedAt) {
		margin = min(margin, l.Expiry.Sub(l.SavedAt)/10)
	}
	fresh := !s.refused &&
		(l.Expiry.IsZero() || now.Before(l.Expiry.Add(-margin)))
	if fresh {
		return l.Token(), nil
	}
	if l.RefreshToken == "" {
		return nil, &AuthError{Op: "refresh", Description: "the stored access token has expired and there is no refresh token", Hint: "log in again"}
	}
	if s.opts.ClientID == "" && l.ClientID == "" {
		return nil, errors.New("refresh: no client id to refresh the stored login with")
	}
	opts := *s.opts
	if opts.ClientID == "" {
		opts.ClientID = l.ClientID
	}
	conf := oauthConfig(opts, s.st)
	start := now
	tok, err := conf.TokenSource(s.st.tokenContext(ctx), &oauth2.Token{RefreshToken: l.RefreshToken.Reveal()}).Token()
	if err != nil {
		return nil, tokenError("refresh", err, s.scrub, refreshHint)
	}
	fixExpiry(tok, start)
	s.scrub.add(tok.AccessToken, tok.RefreshToken)
	next := *l
	next.AccessToken = Secret(tok.AccessToken)
	if tok.RefreshToken != "" {
		next.RefreshToken = Secret(tok.RefreshToken)
	}
	if tok.TokenType != "" {
		next.TokenType = tok.TokenType
	}
	next.Expiry = tok.Expiry
	next.SavedAt = now
	// The old refresh token is spent: save the new one before handing out
	// the new access token. If that fails the stored login is lost (it
	// holds a spent refresh token), and nothing more is done with it.
	s.login = &next
	s.refused = false
	if err := SaveLogin(s.path, &next); err != nil {
		s.broken = fmt.Errorf("refresh: the new refresh token could not be stored, so the stored login is no longer valid (log in again): %w", err)
		return nil, s.broken
	}
	if s.afterSave != nil {
		s.afterSave()
	}
	return next.Token(), nil
}

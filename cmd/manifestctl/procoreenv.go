package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/sandbox"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

// What the commands that talk to Procore (audit, login, logout, access
// compare) share: the environment they talk to, the app's credentials, the
// stored login's place and the request count.

// The variables the app's credentials are read from (a DMSA's client id and
// secret also run the authorization code grant of login).
const (
	envClientID     = "PROCORE_CLIENT_ID"
	envClientSecret = "PROCORE_CLIENT_SECRET"
	envAccessToken  = "PROCORE_ACCESS_TOKEN"
	// envEmbedded is the --env of the built-in demo sandbox, run in
	// process.
	envEmbedded = "embedded"
)

// procoreTargetFlags are --env, --login-url and --api-url.
func procoreTargetFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "env", Value: "sandbox", Usage: "Procore environment: sandbox, monthly, production, federal, or embedded (the built-in demo)"},
		&cli.StringFlag{Name: "login-url", Usage: "override the environment's login `URL`"},
		&cli.StringFlag{Name: "api-url", Usage: "override the environment's API `URL`"},
	}
}

// procoreEnvFlags are the target flags and the stored login's file, for
// login, logout and access compare.
func procoreEnvFlags() []cli.Flag {
	return append(procoreTargetFlags(),
		&cli.StringFlag{Name: "token-file", TakesFile: true, Usage: "the stored login `FILE` (default: $XDG_CONFIG_HOME/manifestctl/ENV.json)"})
}

// procoreTarget is the environment a command talks to; for --env embedded
// the demo sandbox runs in process until stop.
type procoreTarget struct {
	env      procore.Environment
	embedded bool
	stop     func()
}

// resolveTarget reads --env, --login-url and --api-url. --env embedded
// starts the demo sandbox, until ctx ends or stop; the URL flags and
// --token-file cannot be used with it.
func resolveTarget(ctx context.Context, c *cli.Context) (*procoreTarget, error) {
	name := c.String("env")
	loginURL, apiURL := c.String("login-url"), c.String("api-url")
	if name == envEmbedded {
		if loginURL != "" || apiURL != "" {
			return nil, usageErrorf("--login-url and --api-url cannot be used with --env embedded (the demo sandbox runs in process; to use a sandbox serve, give its URL without --env embedded)")
		}
		if c.String("token-file") != "" {
			return nil, usageErrorf("--token-file cannot be used with --env embedded (a new demo sandbox runs in process each time, with its own credentials: no login is stored or read)")
		}
		r, err := sandbox.Start(ctx, "", sandbox.Demo(), sandbox.Options{Now: envOf(c).Now})
		if err != nil {
			return nil, &exitError{code: exitRemote, err: fmt.Errorf("start the embedded sandbox: %w", err)}
		}
		return &procoreTarget{
			env:      procore.Environment{Name: envEmbedded, LoginURL: r.URL, APIURL: r.URL},
			embedded: true,
			stop:     func() { _ = r.Close() },
		}, nil
	}
	env, err := procore.LookupEnvironment(name)
	if err != nil {
		// procore knows only the remote environments; embedded is ours.
		return nil, usageErrorf("--env: unknown environment %q (known: %s, %s)", name, strings.Join(procore.EnvironmentNames(), ", "), envEmbedded)
	}
	for flag, u := range map[string]string{"login-url": loginURL, "api-url": apiURL} {
		if u == "" {
			continue
		}
		if err := procore.CheckBaseURL(u); err != nil {
			return nil, usageErrorf("--%s: %v", flag, err)
		}
	}
	if loginURL != "" {
		env.LoginURL = strings.TrimRight(loginURL, "/")
	}
	if apiURL != "" {
		env.APIURL = strings.TrimRight(apiURL, "/")
	}
	return &procoreTarget{env: env, stop: func() {}}, nil
}

// appCredentials are the app's client id and secret: the demo's for the
// embedded sandbox, else PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.
func appCredentials(c *cli.Context, t *procoreTarget) (string, procore.Secret, error) {
	if t.embedded {
		return sandbox.DemoClientID, procore.Secret(sandbox.DemoClientSecret), nil
	}
	e := envOf(c)
	id, secret := e.Getenv(envClientID), e.Getenv(envClientSecret)
	if id == "" || secret == "" {
		missing := envClientID + " and " + envClientSecret
		if id != "" {
			missing = envClientSecret
		} else if secret != "" {
			missing = envClientID
		}
		return "", "", &exitError{code: exitUsage, err: fmt.Errorf("no credentials: set %s (the app's client id and secret; "+
			"a DMSA app's credentials run the user login too), or try the built-in demo with --env embedded", missing)}
	}
	return id, procore.Secret(secret), nil
}

// loginPath is --token-file, else the environment's default login file.
func loginPath(c *cli.Context, env procore.Environment) (string, error) {
	if f := c.String("token-file"); f != "" {
		return f, nil
	}
	p := procore.DefaultLoginPath(envOf(c).Getenv, env.Name)
	if p == "" {
		return "", usageErrorf("no place for the stored login: set XDG_CONFIG_HOME or HOME, or give --token-file")
	}
	return p, nil
}

// sameLoginURL compares two base URLs, ignoring a trailing slash and the
// case of scheme and host.
func sameLoginURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// insecureLoginError is the message for a token file others can read.
func insecureLoginError(path string) error {
	mode := ""
	if fi, serr := os.Stat(path); serr == nil {
		mode = fmt.Sprintf(" (mode %04o)", fi.Mode().Perm())
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s can be read by other users%s, so it is not used: its tokens may have been read; "+
		"make it private (chmod 600 %s), or delete it (manifestctl logout --token-file %s) and log in again", path, mode, path, path)}
}

// countingTransport counts the requests that reach the network, for the
// reports' requests member (token requests included).
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

func baseTransport(e *env) *countingTransport {
	next := e.Transport
	if next == nil {
		next = procore.NewTransport()
	}
	return &countingTransport{next: next}
}

// credentials are what the audit authenticates with.
type credentials struct {
	kind                string // audit.KindClientCredentials or audit.KindAccessToken
	clientID            string
	clientSecret, token procore.Secret
	warnings            []string // a secret given as a flag
	source              string   // where the credentials came from, for messages
	// personLogin: --token-file is a stored `manifestctl login`, a
	// person's token (the installed-app authorization code login).
	personLogin bool
}

// String and GoString keep the secret and the token out of any print of
// the struct: fmt does not call procore.Secret's own methods on
// unexported fields.
func (c credentials) String() string {
	return fmt.Sprintf("credentials{kind: %s, source: %s, client id: %s, secret: [REDACTED], token: [REDACTED]}", c.kind, c.source, c.clientID)
}

// GoString is String, for %#v.
func (c credentials) GoString() string { return c.String() }

// errNoCredentials names every way to give credentials.
var errNoCredentials = fmt.Errorf("no credentials: set %s and %s (the app's service account credentials), "+
	"or %s (or --token-file) with an access token; or run with --env embedded to audit the built-in demo sandbox",
	envClientID, envClientSecret, envAccessToken)

// auditCredentials picks the credentials: --access-token, --token-file,
// client credentials (flags, then the environment), then
// PROCORE_ACCESS_TOKEN.
func auditCredentials(c *cli.Context) (*credentials, error) {
	e := envOf(c)
	cr := &credentials{}
	flagWarning := func(flag string) {
		cr.warnings = append(cr.warnings, fmt.Sprintf("--%s puts a secret on the command line, where other processes can read it: prefer the environment or --token-file", flag))
	}
	if t := c.String("access-token"); t != "" {
		flagWarning("access-token")
		cr.kind, cr.token, cr.source = audit.KindAccessToken, procore.Secret(t), "--access-token"
		return cr, nil
	}
	if f := c.String("token-file"); f != "" {
		t, err := procore.ReadTokenFile(f)
		if err != nil {
			return nil, inputError(fmt.Errorf("--token-file: %w", err))
		}
		cr.kind, cr.token, cr.source = audit.KindAccessToken, t, "--token-file"
		if _, err := procore.LoadLogin(f); err == nil {
			cr.personLogin = true
		}
		return cr, nil
	}
	id, secret := c.String("client-id"), c.String("client-secret")
	if secret != "" {
		flagWarning("client-secret")
	}
	if id == "" {
		id = e.Getenv(envClientID)
	}
	if secret == "" {
		secret = e.Getenv(envClientSecret)
	}
	switch {
	case id != "" && secret != "":
		cr.kind, cr.clientID, cr.clientSecret, cr.source = audit.KindClientCredentials, id, procore.Secret(secret), "client credentials"
		return cr, nil
	case e.Getenv(envAccessToken) != "":
		cr.kind, cr.token, cr.source = audit.KindAccessToken, procore.Secret(e.Getenv(envAccessToken)), envAccessToken
		return cr, nil
	case id != "" || secret != "":
		return nil, usageErrorf("%v (only one of the client id and secret is set)", errNoCredentials)
	}
	return nil, &exitError{code: exitUsage, err: errNoCredentials}
}

// storedLoginCredentials reads the stored `manifestctl login` of env (at
// its default place), the last resort when no other credentials are given.
func storedLoginCredentials(e *env, environment procore.Environment) (*credentials, error) {
	path := procore.DefaultLoginPath(e.Getenv, environment.Name)
	login, err := procore.LoadLogin(path)
	switch {
	case errors.Is(err, procore.ErrNoLogin) || path == "":
		return nil, &exitError{code: exitUsage, err: errNoCredentials}
	case err != nil:
		return nil, inputError(fmt.Errorf("stored login: %w", err))
	}
	if err := procore.CheckLoginEnvironment(path, login, environment); err != nil {
		return nil, inputError(err)
	}
	return &credentials{kind: audit.KindLogin, token: login.AccessToken, personLogin: true,
		source: "the stored login " + path}, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/sandbox"
)

func loginCommand() *cli.Command {
	return &cli.Command{
		Name:      "login",
		Usage:     "log a Procore user in (authorization code, installed-app variant) and store the tokens",
		ArgsUsage: " ",
		Description: "Prints Procore's authorize URL on standard error; open it, sign in as the user, and paste the\n" +
			"code Procore shows into standard input (not echoed on a terminal; a line when piped). The code is\n" +
			"exchanged with the app's PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET, and the access and refresh\n" +
			"tokens are stored in $XDG_CONFIG_HOME/manifestctl/ENV.json (or --token-file), mode 0600. Nothing\n" +
			"is printed on standard output. With --env embedded the demo sandbox runs while login waits; its\n" +
			"page shows the code demo-authorization-code, and the login is checked but not stored.\n" +
			"\n" +
			"Exit status: 0 logged in, 2 usage or input problem (no credentials, an unsafe or foreign token\n" +
			"file), 3 Procore refused the code (wrong or expired) or could not be reached.",
		Flags:  procoreEnvFlags(),
		Action: runLogin,
	}
}

func logoutCommand() *cli.Command {
	return &cli.Command{
		Name:      "logout",
		Usage:     "forget a stored login (delete its token file)",
		ArgsUsage: " ",
		Description: "Deletes the token file login wrote for the environment (or --token-file). Without a stored\n" +
			"login it says so and exits 0. It does not revoke the tokens at Procore.",
		Flags:  procoreEnvFlags(),
		Action: runLogout,
	}
}

// maxCode caps an authorization code read from standard input.
const maxCode = procore.MaxAuthCode

func runLogin(c *cli.Context) error {
	if c.Args().Present() {
		return usageErrorf("login takes no arguments, found %q", c.Args().First())
	}
	e := envOf(c)
	ctx := c.Context
	t, err := resolveTarget(c.Context, c)
	if err != nil {
		return err
	}
	defer t.stop()
	id, secret, err := appCredentials(c, t)
	if err != nil {
		return err
	}
	path := ""
	if !t.embedded {
		if path, err = loginPath(c, t.env); err != nil {
			return err
		}
		if err := checkLoginTarget(path, t.env, e.Stderr); err != nil {
			return err
		}
	}

	fmt.Fprintf(e.Stderr, "Open this URL in a browser, sign in to Procore (%s) as the user, and copy the code it shows:\n\n  %s\n\n",
		t.env.Name, procore.AuthCodeURL(t.env, id))
	if t.embedded {
		fmt.Fprintf(e.Stderr, "(The embedded demo sandbox serves that page while login waits; it shows the code %s.)\n", sandbox.DemoAuthorizationCode)
	}
	terminal := e.IsTerminal(e.Stdin)
	if terminal {
		fmt.Fprint(e.Stderr, "Paste the code and press Enter (it is not shown): ")
	} else {
		fmt.Fprintln(e.Stderr, "Reading the code from standard input.")
	}
	code, err := readCode(ctx, e, terminal)
	if terminal {
		fmt.Fprintln(e.Stderr)
	}
	if err != nil {
		return err
	}

	base := baseTransport(e)
	opts := procore.Options{Env: t.env, ClientID: id, ClientSecret: secret, Transport: base, Now: e.Now, UserAgent: "manifestctl/" + toolVersion()}
	tok, err := procore.Exchange(ctx, opts, code)
	if err != nil {
		return &exitError{code: exitRemote, err: fmt.Errorf("log in to %s: %w", t.env.Name, err)}
	}
	if !t.embedded {
		l := procore.NewStoredLogin(t.env, id, tok)
		l.SavedAt = e.Now()
		if err := procore.SaveLogin(path, l); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("store the login: %w", err)}
		}
	}
	// Who logged in: one call, for the message only.
	who := "the user"
	opts.AccessToken = procore.Secret(tok.AccessToken)
	if client, err := procore.NewClient(opts); err == nil {
		if me, err := client.Me(ctx); err == nil {
			who = me.Describe()
		} else {
			fmt.Fprintf(e.Stderr, "manifestctl: warning: logged in, but who the login belongs to could not be read: %v\n", err)
		}
	}
	if t.embedded {
		fmt.Fprintf(e.Stderr, "Logged in to the embedded demo sandbox as %s. Not stored: each run of the embedded sandbox is new, "+
			"so \"manifestctl access compare --env embedded\" logs the demo user in by itself.\n", who)
		return nil
	}
	fmt.Fprintf(e.Stderr, "Logged in to %s as %s; the login is stored in %s.\n", t.env.Name, who, path)
	return nil
}

// checkLoginTarget refuses to write over a file that is not a login of
// this environment: another environment's login (log out of it first), a
// file others can read, or something else altogether.
func checkLoginTarget(path string, env procore.Environment, stderr io.Writer) error {
	l, err := procore.LoadLogin(path)
	switch {
	case err == nil:
		if l.LoginURL != "" && !sameLoginURL(l.LoginURL, env.LoginURL) {
			name := l.Env
			if name == "" {
				name = "another environment"
			}
			return &exitError{code: exitUsage, err: fmt.Errorf("%s holds a login for %s (%s), not for %s (%s): "+
				"log out of it first (manifestctl logout --token-file %s) or give another --token-file",
				path, name, l.LoginURL, env.Name, env.LoginURL, path)}
		}
		fmt.Fprintf(stderr, "A login is stored in %s already; logging in again replaces it.\n", path)
		return nil
	case errors.Is(err, procore.ErrNoLogin):
		return nil
	case errors.Is(err, procore.ErrInsecureLogin):
		return insecureLoginError(path)
	}
	why := err
	if inner := errors.Unwrap(err); inner != nil {
		why = inner // without "read login PATH:"
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("%s is not a manifestctl login (%v): not overwriting it; delete it or give another --token-file", path, why)}
}

// readCode reads the authorization code: without echo on a terminal, else
// one line. Ctrl-C ends the wait (and gives the terminal its echo back).
func readCode(ctx context.Context, e *env, terminal bool) (string, error) {
	s, err := e.readLine(ctx, terminal, maxCode)
	if err != nil && ctx.Err() != nil {
		return "", ctx.Err()
	}
	if err != nil {
		return "", inputError(fmt.Errorf("read the code: %w", err))
	}
	return parseCode(s)
}

// parseCode checks what the user pasted (procore.ParseAuthCode): a bad
// code is a usage error.
func parseCode(s string) (string, error) {
	code, err := procore.ParseAuthCode(s)
	if err != nil {
		return "", usageErrorf("%v", err)
	}
	return code, nil
}

func runLogout(c *cli.Context) error {
	if c.Args().Present() {
		return usageErrorf("logout takes no arguments, found %q", c.Args().First())
	}
	e := envOf(c)
	if c.String("env") == envEmbedded && c.String("token-file") == "" {
		fmt.Fprintln(e.Stderr, "The embedded demo sandbox keeps no login: nothing to do.")
		return nil
	}
	env := procore.Environment{Name: c.String("env")}
	if c.String("env") != envEmbedded {
		t, err := resolveTarget(c.Context, c)
		if err != nil {
			return err
		}
		env = t.env
	}
	path, err := loginPath(c, env)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(e.Stderr, "Not logged in to %s (%s does not exist): nothing to do.\n", env.Name, path)
		return nil
	}
	if err != nil {
		return inputError(fmt.Errorf("logout: %w", err))
	}
	if !fi.Mode().IsRegular() {
		return inputError(fmt.Errorf("%s is not a regular file, so not a stored login: not deleted", path))
	}
	// Only a manifestctl login is deleted (a mistyped --token-file must not
	// remove another file). Its contents are only parsed, never printed.
	l, perr := procore.ReadLogin(path)
	if perr != nil {
		return inputError(fmt.Errorf("%s is not a manifestctl login (%v): not deleted", path, perr))
	}
	// access compare refuses a login stored for another environment (or
	// for overridden URLs) in the default file; logout agrees: without
	// --token-file it deletes only this environment's login, and says how
	// to log out of the other one. A file named with --token-file is
	// deleted whoever's it is, and the message says whose it was.
	otherEnv := procore.CheckLoginEnvironment(path, l, env) != nil
	if otherEnv && c.String("token-file") == "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s holds the login for %s, not for %s (%s): not deleted (access compare does not use it for %s either)",
			path, loginOwner(l), env.Name, env.LoginURL, env.Name),
			hint: "log out of it with " + logoutLine(l, path)}
	}
	if err := procore.DeleteLogin(path); err != nil {
		return inputError(err)
	}
	what := env.Name
	if l.Env != "" {
		what = l.Env
	}
	if otherEnv {
		what = loginOwner(l)
	}
	fmt.Fprintf(e.Stderr, "Logged out of %s: deleted %s. The tokens stay valid at Procore until they expire.\n", what, path)
	return nil
}

// loginOwner names the environment a stored login is for, with its login
// URL when it has one: "sandbox (http://127.0.0.1:8080)".
func loginOwner(l *procore.StoredLogin) string {
	name := l.Env
	if name == "" {
		name = "another environment"
	}
	if l.LoginURL != "" {
		name += " (" + l.LoginURL + ")"
	}
	return name
}

// logoutLine is the logout that deletes login l, stored at path: the
// flags that make its environment, else its file.
func logoutLine(l *procore.StoredLogin, path string) string {
	if l.Env == "" || l.LoginURL == "" {
		return "manifestctl logout --token-file " + path
	}
	cmd := "manifestctl logout --env " + l.Env + " --login-url " + l.LoginURL
	if l.APIURL != "" {
		cmd += " --api-url " + l.APIURL
	}
	return cmd
}

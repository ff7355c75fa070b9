package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/access"
	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/internal/sandbox"
)

func accessCommand() *cli.Command {
	return &cli.Command{
		Name:  "access",
		Usage: "what the app's service account and a logged-in user can reach",
		Subcommands: []*cli.Command{{
			Name:      "compare",
			Usage:     "the projects of a company the DMSA bot and the logged-in user share, and whether the user is in the company",
			ArgsUsage: " ",
			Description: "Checks with the user's token (GET /rest/v1.0/companies) that the user belongs to the company,\n" +
				"then lists the company's projects with the service account's token (client credentials:\n" +
				"PROCORE_CLIENT_ID, PROCORE_CLIENT_SECRET) and with the user's stored login (manifestctl login),\n" +
				"and reports each project as both, bot_only or user_only. GET requests only. With --env embedded\n" +
				"the demo sandbox runs in process and its demo user is logged in automatically (no account).\n" +
				"\n" +
				"Exit status: 0 the user is in the company and every project is both; 1 otherwise (the report is\n" +
				"printed); 2 usage or input problem (no login, no credentials, a token file others can read);\n" +
				"3 Procore refused or could not be reached.",
			Flags: append(procoreEnvFlags(),
				&cli.Int64Flag{Name: "company-id", Usage: "the company `ID` (required)"},
				&cli.BoolFlag{Name: "include-inactive", Usage: "also list inactive projects (filters[by_status]=All)"},
				kindFormatFlag(report.Access.Formats()),
				&cli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "deadline of the whole comparison"},
			),
			Action: runAccessCompare,
		}},
	}
}

// accessClientHook, when set (by tests), adjusts both clients' options.
var accessClientHook func(*procore.Options)

// accessFlags are the flags of access compare (the environment's are
// read by resolveTarget).
type accessFlags struct {
	companyID int64
	format    string
	timeout   time.Duration
	inactive  bool
}

func parseAccessCompare(c *cli.Context) (*accessFlags, error) {
	if c.Args().Present() {
		return nil, usageErrorf("access compare takes no arguments, found %q", c.Args().First())
	}
	o := &accessFlags{companyID: c.Int64("company-id"), format: c.String("format"), timeout: c.Duration("timeout"), inactive: c.Bool("include-inactive")}
	if !c.IsSet("company-id") {
		return nil, usageErrorf("access compare needs --company-id N")
	}
	if o.companyID <= 0 {
		return nil, usageErrorf("--company-id: %d is not a Procore id", o.companyID)
	}
	if err := report.Access.Check(o.format); err != nil {
		return nil, usageErrorf("%v", err)
	}
	if o.timeout <= 0 {
		return nil, usageErrorf("--timeout must be positive")
	}
	return o, nil
}

func runAccessCompare(c *cli.Context) error {
	o, err := parseAccessCompare(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	companyID := o.companyID
	ctx, cancel := context.WithTimeout(c.Context, o.timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()

	t, err := resolveTarget(ctx, c)
	if err != nil {
		return err
	}
	defer t.stop()
	id, secret, err := appCredentials(c, t)
	if err != nil {
		return err
	}
	base := baseTransport(e)
	opts := procore.Options{Env: t.env, ClientID: id, ClientSecret: secret, Transport: base, Deadline: deadline, Now: e.Now,
		UserAgent: "manifestctl/" + toolVersion()}
	if accessClientHook != nil {
		accessClientHook(&opts)
	}
	userOpts := opts
	relogin := "manifestctl login --env " + t.env.Name
	// The login to run again is the one for these hosts: with overridden
	// URLs a bare "--env sandbox" would log in to Procore's sandbox and
	// store a login this command then refuses as another environment's.
	for _, flag := range []string{"login-url", "api-url"} {
		if c.IsSet(flag) {
			relogin += " --" + flag + " " + c.String(flag)
		}
	}
	if t.embedded {
		// Each run's demo sandbox is new: log the demo user in with the
		// code its authorize page shows (one token request).
		tok, err := procore.Exchange(ctx, opts, sandbox.DemoAuthorizationCode)
		if err != nil {
			return &exitError{code: exitRemote, err: fmt.Errorf("log the demo user in: %w", err)}
		}
		userOpts.AccessToken = procore.Secret(tok.AccessToken)
	} else {
		path, err := loginPath(c, t.env)
		if err != nil {
			return err
		}
		if c.String("token-file") != "" {
			relogin += " --token-file " + path
		}
		l, err := procore.LoadLogin(path)
		switch {
		case errors.Is(err, procore.ErrNoLogin):
			return &exitError{code: exitUsage, err: fmt.Errorf("no stored login for %s (%s does not exist): log the user in first with %q", t.env.Name, path, relogin)}
		case errors.Is(err, procore.ErrInsecureLogin):
			return insecureLoginError(path)
		case err != nil:
			return inputError(err)
		}
		if l.ClientID != "" && l.ClientID != id {
			return &exitError{code: exitUsage, err: fmt.Errorf("the login in %s was made with client id %s, but %s is %s: "+
				"its refresh token works only with its own client; log in again with these credentials (%s)", path, l.ClientID, envClientID, id, relogin)}
		}
		src, err := procore.NewStoredTokenSource(ctx, userOpts, path, l)
		if errors.Is(err, procore.ErrLoginEnvironment) {
			return &exitError{code: exitUsage, err: err}
		}
		if err != nil {
			return usageErrorf("%v", err)
		}
		userOpts.TokenSource = src
	}
	bot, err := procore.NewClient(opts)
	if err != nil {
		return usageErrorf("%v", err)
	}
	user, err := procore.NewClient(userOpts)
	if err != nil {
		return usageErrorf("%v", err)
	}
	inactive := o.inactive
	rep, err := access.CompareProjects(ctx, companyID, botSide{bot, inactive}, userSide{user, inactive})
	if err != nil {
		var se *access.SideError
		var ae *procore.AuthError
		if errors.As(err, &se) && se.Side == "user" && errors.As(err, &ae) && ae.Code == "invalid_grant" && !t.embedded {
			return &exitError{code: exitRemote, err: err, hint: "log the user in again: " + relogin}
		}
		if errors.Is(err, context.Canceled) && c.Context.Err() != nil {
			return &exitError{code: exitRemote, err: errors.New("interrupted: nothing compared")}
		}
		return &exitError{code: exitRemote, err: fmt.Errorf("company %d: %w", companyID, err)}
	}
	rep.Requests = base.n.Load()
	if err := report.Access.Write(e.Stdout, o.format, rep, report.Options{}); err != nil {
		return err
	}
	if !rep.UserInCompany {
		return &exitError{code: exitFindings, err: errors.New(report.AccessNotMember(rep))}
	}
	if rep.ExitCode() != access.ExitSame {
		return errFindings
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

func auditCommand() *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "compare what the app's service account can really reach in Procore with what the manifest declares",
		ArgsUsage: "MANIFEST",
		Description: "Reads, for each company, the service account's (DMSA's) company tool levels, its permitted projects\n" +
			"and each project's tool levels, with GET requests only, and reports every difference from the\n" +
			"manifest's declared permissions: ok, over, undeclared, under, inactive, unpermitted.\n" +
			"\n" +
			"Credentials: PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET (client credentials), or a token in\n" +
			"PROCORE_ACCESS_TOKEN or --token-file. --env embedded audits the built-in demo sandbox with no account.\n" +
			"Without --company-id, every company the app is installed in is audited.\n" +
			"\n" +
			"Exit status: 0 no difference in --fail-on, 1 differences, 2 usage or input problem (no credentials),\n" +
			"3 part of the audit could not be done (the report lists the errors).",
		Flags: append(procoreTargetFlags(),
			&cli.Int64SliceFlag{Name: "company-id", Usage: "a company `ID` to audit (repeatable; default: every company the app is installed in)"},
			&cli.BoolFlag{Name: "all-companies", Usage: "also audit every company the app is installed in"},
			&cli.Int64SliceFlag{Name: "project-id", Usage: "audit only this project `ID` (repeatable; default: every permitted project)"},
			&cli.BoolFlag{Name: "include-inactive", Usage: "also audit inactive projects"},
			&cli.Int64SliceFlag{Name: "expect-project", Usage: "report project `ID` when it is not permitted (repeatable; costs no request)"},
			&cli.BoolFlag{Name: "installation", Usage: "also read each company's installed app version"},
			&cli.StringFlag{Name: "baseline", TakesFile: true, Usage: "a previous --format json report `FILE`: mark what is new, fail only on new rows"},
			&cli.StringFlag{Name: "fail-on", Value: verdictList(audit.DefaultFailOn), Usage: "verdicts that make the exit status 1 (comma-separated `LIST`)"},
			&cli.IntFlag{Name: "concurrency", Value: audit.DefaultConcurrency, Usage: "requests in flight at once"},
			&cli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "deadline of the whole audit"},
			&cli.DurationFlag{Name: "request-timeout", Value: 30 * time.Second, Usage: "deadline of one request"},
			kindFormatFlag(report.Audit.Formats()),
			&cli.StringFlag{Name: "token-file", TakesFile: true, Usage: "read an access token from `FILE` (the token alone, or JSON with access_token)"},
			&cli.StringFlag{Name: "client-id", Usage: "the app's client `ID` (default: $" + envClientID + ")"},
			&cli.StringFlag{Name: "client-secret", Usage: "the client `SECRET`; visible to other processes: prefer $" + envClientSecret},
			&cli.StringFlag{Name: "access-token", Usage: "an access `TOKEN`; visible to other processes: prefer $" + envAccessToken + " or --token-file"},
			configFlag(),
			&cli.StringFlag{Name: "tools", Usage: "merge this tool catalogue `FILE` into the embedded one"},
		),
		Action: runAudit,
	}
}

func verdictList(vs []audit.Verdict) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

// auditSettings are the flags of one audit, checked.
type auditSettings struct {
	path        string
	format      string
	failOn      []audit.Verdict
	concurrency int
	timeout     time.Duration
	reqTimeout  time.Duration
	opts        audit.Options
}

func auditFlags(c *cli.Context) (*auditSettings, error) {
	if c.Args().Len() != 1 {
		return nil, usageErrorf("audit needs exactly one MANIFEST")
	}
	s := &auditSettings{path: c.Args().First(), format: c.String("format")}
	if err := report.Audit.Check(s.format); err != nil {
		return nil, usageErrorf("%v", err)
	}
	for _, name := range strings.Split(c.String("fail-on"), ",") {
		name = strings.TrimSpace(name)
		if name == "" || name == "none" {
			continue
		}
		v, err := audit.ParseVerdict(name)
		if err != nil {
			return nil, usageErrorf("--fail-on: %v", err)
		}
		s.failOn = append(s.failOn, v)
	}
	s.concurrency = c.Int("concurrency")
	if s.concurrency < 1 {
		return nil, usageErrorf("--concurrency must be at least 1, got %d", s.concurrency)
	}
	s.timeout, s.reqTimeout = c.Duration("timeout"), c.Duration("request-timeout")
	if s.timeout <= 0 || s.reqTimeout <= 0 {
		return nil, usageErrorf("--timeout and --request-timeout must be positive")
	}
	for _, flag := range []string{"company-id", "project-id", "expect-project"} {
		for _, id := range c.Int64Slice(flag) {
			if id <= 0 {
				return nil, usageErrorf("--%s: %d is not a Procore id", flag, id)
			}
		}
	}
	s.opts = audit.Options{
		Companies:       c.Int64Slice("company-id"),
		AllCompanies:    c.Bool("all-companies") || len(c.Int64Slice("company-id")) == 0,
		Projects:        c.Int64Slice("project-id"),
		ExpectProjects:  c.Int64Slice("expect-project"),
		IncludeInactive: c.Bool("include-inactive"),
		Installation:    c.Bool("installation"),
		Concurrency:     s.concurrency,
		Now:             envOf(c).Now,
	}
	return s, nil
}

// auditClientHook, when set (by tests), adjusts the client's options: a
// clock and sleeps that need no waiting.
var auditClientHook func(*procore.Options)

func runAudit(c *cli.Context) error {
	e := envOf(c)
	set, err := auditFlags(c)
	if err != nil {
		return err
	}
	doc, v, err := loadManifest(c, set.path, c.String("schema-version"), true)
	if err != nil {
		return err
	}
	app := manifest.View(doc, v)

	// Configuration: suppressions and tool catalogues.
	cfg, err := configResolver(c.String("config")).For(set.path)
	if err != nil {
		return configError(err)
	}
	// A --tools catalogue wins over the configuration's.
	catalog, err := toolCatalog(c.String("tools"))
	if err == nil && c.String("tools") == "" {
		if catalog, err = cfg.ToolCatalog(); err != nil {
			err = inputError(err)
		}
	}
	if err != nil {
		return err
	}
	set.opts.Catalog = catalog
	if cfg != nil {
		for _, ig := range cfg.Audit.Ignore {
			set.opts.Ignores = append(set.opts.Ignores, audit.Ignore{
				Verdict: audit.Verdict(ig.Verdict), Tool: ig.Tool, CompanyID: ig.Company, ProjectID: ig.Project,
				Reason: ig.Reason, Expires: ig.Expires,
				Source: fmt.Sprintf("%s: audit.ignore[%d]", cfg.Path, ig.Index),
			})
		}
	}
	if f := c.String("baseline"); f != "" {
		fh, err := os.Open(f)
		if err != nil {
			return inputError(fmt.Errorf("--baseline: %w", err))
		}
		base, err := audit.ReadBaseline(fh)
		fh.Close()
		if err != nil {
			return inputError(fmt.Errorf("--baseline %s: %w", f, err))
		}
		set.opts.Baseline = base
	}

	ctx, cancel := context.WithTimeout(c.Context, set.timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()

	// The environment and the credentials.
	t, err := resolveTarget(ctx, c)
	if err != nil {
		return err
	}
	defer t.stop()
	environment := t.env
	var creds *credentials
	if t.embedded {
		// appCredentials gives the demo's client id and secret here (it
		// cannot fail for the embedded sandbox).
		id, secret, err := appCredentials(c, t)
		if err != nil {
			return err
		}
		creds = &credentials{kind: audit.KindClientCredentials, clientID: id, clientSecret: secret, source: "the demo credentials"}
	} else if creds, err = auditCredentials(c); err != nil && !errors.Is(err, errNoCredentials) {
		return err
	}
	if creds == nil {
		// Last of the credentials DESIGN lists: a stored manifestctl login
		// for this environment (a person's token, warned about below).
		if creds, err = storedLoginCredentials(envOf(c), environment); err != nil {
			return err
		}
	}
	for _, w := range creds.warnings {
		fmt.Fprintf(e.Stderr, "manifestctl: warning: %s\n", w)
	}

	prog := newAuditProgress(e)
	base := e.Transport
	if base == nil {
		t := procore.NewTransport()
		t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, set.concurrency)
		base = t
	}
	copts := procore.Options{
		Env:            environment,
		ClientID:       creds.clientID,
		ClientSecret:   creds.clientSecret,
		AccessToken:    creds.token,
		Transport:      newLimitTransport(base, set.concurrency),
		RequestTimeout: set.reqTimeout,
		Concurrency:    set.concurrency,
		Deadline:       deadline,
		Now:            e.Now,
		OnWait:         prog.wait,
		UserAgent:      "manifestctl/" + toolVersion(),
	}
	if auditClientHook != nil {
		auditClientHook(&copts)
	}
	client, err := procore.NewClient(copts)
	if err != nil {
		return usageErrorf("%v", err)
	}

	// Who the token belongs to: nothing else is done when this fails.
	info, err := client.TokenInfo(ctx)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			// Go's "context deadline exceeded" does not say which deadline.
			return &exitError{code: exitRemote, err: fmt.Errorf("authenticate with %s at %s: the audit's deadline (--timeout %s) passed before authentication finished", creds.source, environment.LoginURL, set.timeout)}
		}
		return &exitError{code: exitRemote, err: fmt.Errorf("authenticate with %s at %s: %w", creds.source, environment.LoginURL, err)}
	}
	var upfront []string
	if creds.kind != audit.KindClientCredentials && !info.ExpiresAt.IsZero() && info.ExpiresAt.Before(deadline) {
		upfront = append(upfront, fmt.Sprintf("the access token expires at %s, before the audit's deadline (%s): a long audit may stop part-way",
			info.ExpiresAt.UTC().Format(time.RFC3339), deadline.UTC().Format(time.RFC3339)))
	}
	if creds.personLogin {
		who := "a person"
		if info.ResourceOwnerID != nil {
			who = fmt.Sprintf("user %d", *info.ResourceOwnerID)
		}
		what := "--token-file"
		if creds.kind == audit.KindLogin {
			what = "no service account credentials were given, so the audit uses " + creds.source + ", which"
		}
		upfront = append(upfront, fmt.Sprintf("%s is a manifestctl login of %s: the levels below are that person's, "+
			"not the service account's; audit with the app's client credentials (%s, %s) to see the service account's",
			what, who, envClientID, envClientSecret))
	}
	for _, w := range upfront {
		fmt.Fprintf(e.Stderr, "manifestctl: warning: %s\n", w)
	}

	set.opts.Progress = prog.progress
	rep, err := audit.Run(ctx, procoreAPI{client}, app, set.opts)
	prog.done()
	if err != nil {
		return usageErrorf("%v", err)
	}
	rep.Manifest = set.path
	rep.Environment = audit.Environment{Name: environment.Name, LoginURL: environment.LoginURL, APIURL: environment.APIURL}
	rep.Principal = audit.Principal{Kind: creds.kind, ResourceOwnerID: info.ResourceOwnerID, ApplicationUID: info.ApplicationUID}
	rep.Warnings = append(append([]string{}, upfront...), rep.Warnings...)
	rep.Requests = client.Requests()

	// A companies listing refused for want of the company header: the
	// user must name a company.
	for _, ae := range rep.Errors {
		if ae.Call == "companies" && strings.Contains(ae.Message, "Procore-Company-Id") {
			return &exitError{code: exitUsage, err: fmt.Errorf("%s", ae.Message),
				hint: "Procore wants the Procore-Company-Id header on the companies listing with these credentials: give --company-id N"}
		}
	}

	opts := report.AuditOptions{Tool: report.Tool{Name: "manifestctl", Version: toolVersion(), CatalogVersion: catalog.Version}, Doc: doc}
	if wd, err := e.Getwd(); err == nil {
		opts.WorkDir = wd
	}
	if sa := app.ServiceAccount(); sa != nil {
		opts.PermissionsPointer = sa.Permissions.Pointer
	}
	if err := report.Audit.Write(e.Stdout, set.format, &report.AuditResult{Report: rep, AuditOptions: opts}, report.Options{}); err != nil {
		return err
	}
	switch rep.ExitCode(set.failOn) {
	case exitRemote:
		what := fmt.Sprintf("the audit is incomplete: %s could not be done (see errors)", plural(len(rep.Errors), "part"))
		if rep.Interrupted {
			what = "the audit was interrupted: the report holds what was finished"
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && c.Context.Err() == nil {
				what = fmt.Sprintf("the audit's deadline (--timeout %s) passed: the report holds what was finished", set.timeout)
			}
		}
		return &exitError{code: exitRemote, err: errors.New(what)}
	case exitFindings:
		return errFindings
	}
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

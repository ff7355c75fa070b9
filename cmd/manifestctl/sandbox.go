package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/sandbox"
)

func sandboxCommand() *cli.Command {
	return &cli.Command{
		Name:  "sandbox",
		Usage: "a local fake Procore API for trying manifestctl and testing apps",
		Subcommands: []*cli.Command{{
			Name:      "serve",
			Usage:     "serve a fake Procore (login and API paths on one URL) until Ctrl-C",
			ArgsUsage: " ",
			Description: "Serves the OAuth endpoints (token, token info, the installed-app authorize page) and the\n" +
				"REST endpoints manifestctl uses, enforcing expiring tokens, the Procore-Company-Id header,\n" +
				"rate limits and 403s as Procore does. Without --scenario it serves the built-in demo, whose\n" +
				"credentials are public (printed below the first line). The scenario format is in\n" +
				"docs/sandbox.md. The first line of output is \"listening on http://ADDR\".",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "`HOST:PORT` to listen on (port 0: any free port)"},
				&cli.StringFlag{Name: "scenario", Usage: "scenario `FILE` (JSON; default: the built-in demo)"},
				&cli.BoolFlag{Name: "allow-non-loopback", Usage: "allow listening on an address other than loopback"},
				&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "log each request (method, path, status; never a secret) on standard error"},
			},
			Action: runSandboxServe,
		}},
	}
}

func runSandboxServe(c *cli.Context) error {
	if c.Args().Present() {
		return usageErrorf("sandbox serve takes no arguments, found %q", c.Args().First())
	}
	e := envOf(c)
	sc := sandbox.Demo()
	demo := true
	if name := c.String("scenario"); name != "" {
		var (
			f   io.ReadCloser
			err error
		)
		if name == "-" {
			f = io.NopCloser(e.Stdin)
		} else if f, err = os.Open(name); err != nil {
			return inputError(err)
		}
		sc, err = sandbox.LoadScenario(f)
		f.Close()
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", name, err))
		}
		demo = false
	}
	opts := sandbox.Options{Now: e.Now, AllowNonLoopback: c.Bool("allow-non-loopback")}
	if c.Bool("verbose") {
		opts.Logf = func(format string, args ...any) {
			fmt.Fprintf(e.Stderr, "sandbox: "+format+"\n", args...)
		}
	}
	run, err := sandbox.Start(c.Context, c.String("addr"), sc, opts)
	if err != nil {
		return usageErrorf("%v", err)
	}
	defer run.Close()
	w := e.Stdout
	u := run.URL
	fmt.Fprintf(w, "listening on %s\n", u)
	if demo {
		fmt.Fprintf(w, "\nthe demo's public credentials (they open nothing but this sandbox):\n")
		fmt.Fprintf(w, "  export PROCORE_CLIENT_ID=%s\n  export PROCORE_CLIENT_SECRET=%s\n", sandbox.DemoClientID, sandbox.DemoClientSecret)
	} else {
		fmt.Fprintf(w, "\ncredentials: client id %s and its secret from %s\n", sc.Clients[0].ID, c.String("scenario"))
		fmt.Fprintf(w, "  export PROCORE_CLIENT_ID=%s\n  export PROCORE_CLIENT_SECRET=...\n", sc.Clients[0].ID)
	}
	fmt.Fprintf(w, "\naudit against it (login and API on the same URL):\n")
	fmt.Fprintf(w, "  manifestctl audit --login-url %s --api-url %s --company-id %s MANIFEST\n", u, u, firstCompany(sc))
	if sc.Login != nil {
		fmt.Fprintf(w, "\nlog in as the scenario's user (open the authorize URL login prints")
		// Only the demo's code is public (docs/sandbox.md): a scenario's
		// fixed code is named by where it is, as its secret is.
		switch {
		case sc.Login.FixedCode == "":
		case demo:
			fmt.Fprintf(w, ", or type the code %s", sc.Login.FixedCode)
		default:
			fmt.Fprintf(w, ", or type the code given as login.fixed_code in %s", c.String("scenario"))
		}
		fmt.Fprintf(w, "):\n  manifestctl login --login-url %s --api-url %s --token-file sandbox-login.json\n", u, u)
		fmt.Fprintf(w, "then compare the projects the DMSA and that user can reach:\n")
		fmt.Fprintf(w, "  manifestctl access compare --login-url %s --api-url %s --token-file sandbox-login.json --company-id %s\n", u, u, firstCompany(sc))
	}
	fmt.Fprintf(w, "\nCtrl-C stops it.\n")
	<-run.Done()
	if c.Context.Err() != nil {
		// Ctrl-C is how this command ends: exit 0.
		return nil
	}
	return &exitError{code: exitRemote, err: fmt.Errorf("sandbox stopped: %v", run.Close())}
}

func firstCompany(sc *sandbox.Scenario) string {
	for _, co := range sc.Companies {
		if co.AppInstalled {
			return fmt.Sprint(co.ID)
		}
	}
	return "N"
}

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/validate"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Aliases:   []string{"lint"},
		Usage:     "check manifests against the schema and the lint rules",
		ArgsUsage: "[PATH|DIR|-]...",
		Description: "Validates each manifest: JSON syntax, the App Manifest schema of its version (3.x or 4.1)\n" +
			"and every lint rule. A file named on the command line that is not an App Manifest is an error\n" +
			"(MC008). Directories are walked for *.json App Manifests: other files are skipped and counted;\n" +
			"dot-folders, node_modules, vendor, bower_components and what .gitignore files exclude are not\n" +
			"entered. - reads standard input. A path that cannot be read is reported and the others are\n" +
			"still checked.\n" +
			"Exit status: 0 clean, 1 findings (errors, or warnings with --strict), 2 usage or input problem\n" +
			"(also when some path could not be read, after reporting the others).",
		Flags: []cli.Flag{
			formatFlag(),
			&cli.BoolFlag{Name: "strict", Usage: "fail on warnings too"},
			&cli.StringFlag{Name: "schema-version", Usage: "validate as this schema version (3, 3.0, 3.1, 3.2, 4.1) instead of the declared one"},
			&cli.BoolFlag{Name: "allow-prerelease", Usage: "accept pre-release and build suffixes in app_manifest.version"},
			&cli.StringSliceFlag{Name: "rule", Usage: "set a rule's severity: `ID=error|warning|info|off` (repeatable)"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files validated in parallel (default: number of CPUs)"},
			configFlag(),
			&cli.BoolFlag{Name: "fix", Usage: "apply the fixes that cannot change the manifest's meaning (level spelling, explicit none), in place; standard input (-) fixed goes to standard output, the report to standard error"},
			&cli.StringFlag{Name: "tools", Usage: "merge this tool catalogue `FILE` into the embedded one (wins over a configuration's tools)"},
		},
		Action: runValidate,
	}
}

func formatFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text",
		Usage: "output format: " + strings.Join(report.Names(), ", ")}
}

// validateFlags are the arguments and flags of validate.
type validateFlags struct {
	args      []string
	format    string
	formatter report.Formatter
	strict    bool
	fix       bool
	config    string
	opts      *validate.Options
}

func parseValidate(c *cli.Context, e *env) (*validateFlags, error) {
	opts, err := validateOptions(c)
	if err != nil {
		return nil, err
	}
	o := &validateFlags{args: c.Args().Slice(), format: c.String("format"), strict: c.Bool("strict"), fix: c.Bool("fix"),
		config: c.String("config"), opts: opts}
	wd, _ := e.Getwd()
	o.formatter, err = report.New(o.format, report.Options{Color: e.wantColor(e.Stdout), WorkDir: wd, Command: "manifestctl validate"})
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	if len(o.args) == 0 {
		return nil, usageErrorf("validate needs at least one PATH, DIR or - (standard input)")
	}
	if stdinTwice(o.args) {
		return nil, usageErrorf("standard input (-) can be named once")
	}
	return o, nil
}

func runValidate(c *cli.Context) error {
	e := envOf(c)
	o, err := parseValidate(c, e)
	if err != nil {
		return err
	}
	err = validateRun(c.Context, e, o)
	if err != nil && c.Context.Err() != nil {
		// Ctrl-C: what was reported so far is incomplete.
		return errInterrupted
	}
	return err
}

// validateRun validates the inputs, writes the report and returns the
// error that gives the exit code.
func validateRun(ctx context.Context, e *env, o *validateFlags) error {
	opts, format, fix, args, formatter := o.opts, o.format, o.fix, o.args, o.formatter
	inputs := manifest.Expand(args)
	// validate --fix - is a filter: the fixed manifest goes to standard
	// output, so the report goes to standard error.
	reportTo, stdinFixed := e.Stdout, []byte(nil)
	if fix && slices.Contains(args, "-") {
		reportTo = e.Stderr
	}
	// rdjsonl counts columns in bytes and turns fixes into suggestions:
	// it needs each file's source (not its tree); --fix needs the document.
	opts.KeepDocument, opts.KeepSource = fix, format == "rdjsonl"
	cfgs := configResolver(o.config)
	catalogs, err := cfgs.Configure(opts, inputs)
	if err != nil {
		return configError(err)
	}
	rep := &report.Report{Tool: report.Tool{Name: "manifestctl", Version: toolVersion(), CatalogVersion: strings.Join(catalogs, ", ")},
		Rules: report.CheckedRules(func(r *lint.Rule) manifest.Severity { return config.EffectiveSeverity(r, opts.Severity, cfgs.Only()) })} // before the first file: junit streams a testcase per rule
	// A streaming format writes each file's findings as it comes, in input
	// order, and keeps only counts: memory does not grow with the run.
	out := report.NewWriter(reportTo, formatter, rep)
	unwritten := 0 // files --fix could not write
	err = validate.Files(ctx, inputs, e.Stdin, opts, func(r validate.Result) error {
		switch {
		case r.Err != nil:
			// Reported in its place on standard error, listed in the
			// report, and exit 2 at the end.
			fmt.Fprintf(e.Stderr, "manifestctl: %v\n", r.Err)
			rep.Errors = append(rep.Errors, report.InputError{Path: r.Path, Message: inputErrorReason(r.Err)})
			return nil
		case r.Skipped:
			rep.Skipped++
			return nil
		}
		if fix {
			fixed, err := fixFile(r, opts, e.Stderr)
			if err != nil {
				// Not written: the file is reported as it is, the other
				// files still fixed; exit 2 at the end.
				fmt.Fprintf(e.Stderr, "manifestctl: %v\n", err)
				unwritten++
			} else {
				r = fixed
			}
			if r.Path == "-" && r.Document != nil {
				stdinFixed = r.Document.Src
			}
		}
		if !out.Streams() {
			// Held until the end of the run: keep only what is printed,
			// not the file (--fix kept the document).
			r.Detach()
		}
		f := report.File{Path: r.Path, SchemaVersion: string(r.SchemaVersion), Diagnostics: r.Diagnostics}
		if format == "rdjsonl" {
			f.Source = r.Source
		}
		return out.File(&f)
	})
	if err != nil {
		return err
	}
	// The configuration files' own findings, after the manifests.
	cfgFindings, ignored := cfgs.RunFindings(opts.Severity)
	rep.Ignored += ignored
	for _, f := range cfgFindings {
		if err = out.File(&report.File{Path: f.Path, Diagnostics: f.Diagnostics, Config: true}); err != nil {
			break
		}
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if stdinFixed != nil {
		if _, err := e.Stdout.Write(stdinFixed); err != nil {
			return err
		}
	}
	sum := out.Summary()
	if format == "text" {
		fmt.Fprintln(e.Stderr, report.SummaryLine(sum, rep))
	}
	switch {
	case len(rep.Errors) > 0 && unwritten > 0:
		return notDoneError(len(rep.Errors), unwritten, sum.Files, "checked")
	case unwritten > 0:
		return notFixedError(unwritten, sum.Files)
	case len(rep.Errors) > 0:
		return notDoneError(len(rep.Errors), 0, sum.Files, "checked")
	case sum.Files == 0 && rep.Skipped > 0:
		what := fmt.Sprintf("the %d *.json files found are not App Manifests", rep.Skipped)
		if rep.Skipped == 1 {
			what = "the only *.json file found is not an App Manifest"
		}
		return inputError(fmt.Errorf("no App Manifest found: %s", what))
	}
	if sum.Errors > 0 || (o.strict && sum.Warnings > 0) {
		return errFindings
	}
	return nil
}

func validateOptions(c *cli.Context) (*validate.Options, error) {
	opts := &validate.Options{
		Lint: lint.Options{AllowPrerelease: c.Bool("allow-prerelease")},
		Jobs: c.Int("jobs"),
	}
	if c.String("tools") != "" {
		cat, err := toolCatalog(c.String("tools"))
		if err != nil {
			return nil, err
		}
		opts.Lint.Catalog = cat
	}
	if s := c.String("schema-version"); s != "" {
		v, err := manifest.ParseSchemaVersion(s)
		if err != nil {
			return nil, usageErrorf("--schema-version: %v", err)
		}
		opts.SchemaVersion = v
	}
	for _, spec := range c.StringSlice("rule") {
		id, s, err := config.ParseRuleSetting(spec)
		if err != nil {
			return nil, usageErrorf("--rule %q: %v", spec, err)
		}
		if opts.Severity == nil {
			opts.Severity = make(map[string]manifest.Severity)
		}
		opts.Severity[id] = s
	}
	return opts, nil
}

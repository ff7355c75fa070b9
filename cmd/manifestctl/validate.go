package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
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

func runValidate(c *cli.Context) error {
	opts, err := validateOptions(c)
	if err != nil {
		return err
	}
	wd, _ := envOf(c).Getwd()
	format := c.String("format")
	formatter, err := report.New(format, report.Options{Color: envOf(c).wantColor(c.App.Writer), WorkDir: wd, Command: "manifestctl validate"})
	if err != nil {
		return usageErrorf("%v", err)
	}
	args := c.Args().Slice()
	if len(args) == 0 {
		return usageErrorf("validate needs at least one PATH, DIR or - (standard input)")
	}
	if stdinTwice(args) {
		return usageErrorf("standard input (-) can be named once")
	}
	inputs := manifest.Expand(args)
	fix := c.Bool("fix")
	// validate --fix - is a filter: the fixed manifest goes to standard
	// output, so the report goes to standard error.
	reportTo, stdinFixed := c.App.Writer, []byte(nil)
	if fix && slices.Contains(args, "-") {
		reportTo = c.App.ErrWriter
	}
	// rdjsonl counts columns in bytes and turns fixes into suggestions:
	// it needs each file's source (not its tree); --fix needs the document.
	opts.KeepDocument, opts.KeepSource = fix, format == "rdjsonl"
	cfgs := configResolver(c)
	catalogs, err := configure(opts, inputs, cfgs)
	if err != nil {
		return err
	}
	rep := &report.Report{Tool: report.Tool{Name: "manifestctl", Version: toolVersion(), CatalogVersion: strings.Join(catalogs, ", ")},
		Rules: reportRules(opts.Severity, soleConfig(cfgs))} // before the first file: junit streams a testcase per rule
	// A streaming format writes each file's findings as it comes, in input
	// order, and keeps only counts: memory does not grow with the run.
	out := report.NewWriter(reportTo, formatter, rep)
	unwritten := 0 // files --fix could not write
	err = validate.Files(c.Context, inputs, c.App.Reader, opts, func(r validate.Result) error {
		switch {
		case r.Err != nil:
			// Reported in its place on standard error, listed in the
			// report, and exit 2 at the end.
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: %v\n", r.Err)
			rep.Errors = append(rep.Errors, report.InputError{Path: r.Path, Message: inputErrorReason(r.Err)})
			return nil
		case r.Skipped:
			rep.Skipped++
			return nil
		}
		if fix {
			fixed, err := fixFile(r, opts, c.App.ErrWriter)
			if err != nil {
				// Not written: the file is reported as it is, the other
				// files still fixed; exit 2 at the end.
				fmt.Fprintf(c.App.ErrWriter, "manifestctl: %v\n", err)
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
	for _, f := range addConfigFindings(rep, opts.Severity, cfgs) { // the configuration files' own findings
		if err = out.File(&f); err != nil {
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
		if _, err := c.App.Writer.Write(stdinFixed); err != nil {
			return err
		}
	}
	sum := out.Summary()
	if format == "text" {
		fmt.Fprintln(c.App.ErrWriter, report.SummaryLine(sum, rep))
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
	if sum.Errors > 0 || (c.Bool("strict") && sum.Warnings > 0) {
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
		cat, err := toolCatalog(c)
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
		id, sev, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, usageErrorf("--rule %q: want ID=error|warning|info|off", spec)
		}
		r := lint.Lookup(id)
		if r == nil {
			return nil, usageErrorf("--rule %q: unknown rule %q (run \"manifestctl rules\")", spec, id)
		}
		s, err := manifest.ParseSeverity(strings.ToLower(sev))
		if err != nil {
			return nil, usageErrorf("--rule %q: %v", spec, err)
		}
		if opts.Severity == nil {
			opts.Severity = make(map[string]manifest.Severity)
		}
		opts.Severity[r.ID] = s
	}
	return opts, nil
}

// configure gives each input the options of its configuration file:
// severities (--rule flags win over the file), ignores and tool
// catalogues (a catalogue given on the command line wins over the file's
// "tools"). A configuration that cannot be read or parsed stops the run
// before any file is validated (exit 2). It returns the versions of the
// tool catalogues the run uses, for the report.
func configure(opts *validate.Options, inputs []validate.Input, cfgs *config.Resolver) ([]string, error) {
	flags := opts.Severity
	perConfig := make(map[*config.Config]*validate.Options)
	perPath := make(map[string]*validate.Options)
	var versions []string
	addVersion := func(c *permissions.Catalog) {
		if c != nil && !slices.Contains(versions, c.Version) {
			versions = append(versions, c.Version)
		}
	}
	base := opts.Lint.Catalog
	if base == nil {
		base, _ = permissions.Default()
	}
	for _, in := range inputs {
		if in.Err != nil {
			continue
		}
		cfg, err := cfgs.For(in.Path)
		if err != nil {
			return nil, configError(err)
		}
		if cfg == nil {
			addVersion(base)
			continue
		}
		o, ok := perConfig[cfg]
		if !ok {
			cp := *opts
			cp.Severity = make(map[string]manifest.Severity, len(cfg.Rules)+len(flags))
			for id, s := range cfg.Rules {
				cp.Severity[id] = s
			}
			for id, s := range flags {
				cp.Severity[id] = s
			}
			cp.Filter = cfg.Filter
			if len(cfg.Tools) > 0 && opts.Lint.Catalog == nil {
				cat, err := configToolCatalog(cfg.Tools)
				if err != nil {
					return nil, inputError(fmt.Errorf("%s: tools: %w", cfg.Path, err))
				}
				cp.Lint.Catalog = cat
			}
			o = &cp
			perConfig[cfg] = o
		}
		if o.Lint.Catalog != nil {
			addVersion(o.Lint.Catalog)
		} else {
			addVersion(base)
		}
		perPath[in.Path] = o
	}
	if len(perPath) > 0 {
		// perPath is only read from here on, by the workers.
		opts.ForFile = func(path string) *validate.Options { return perPath[path] }
	}
	return versions, nil
}

// soleConfig returns the configuration that served the whole run, if one
// did (every input was resolved by configure): the report's rules show the
// severities it set.
func soleConfig(cfgs *config.Resolver) *config.Config {
	if used := cfgs.Configs(); len(used) == 1 {
		return used[0]
	}
	return nil
}

// addConfigFindings counts what the configurations ignored and returns
// their own findings (MC020), as files to report after the manifests.
func addConfigFindings(rep *report.Report, flags map[string]manifest.Severity, cfgs *config.Resolver) []report.File {
	used := cfgs.Configs()
	rule := lint.Lookup(config.RuleConfig)
	var files []report.File
	for _, cfg := range used {
		rep.Ignored += cfg.Ignored()
		if rule == nil {
			continue
		}
		off := func(id string) bool {
			if s, ok := flags[id]; ok {
				return s == manifest.SeverityOff
			}
			return cfg.Severity(id, manifest.SeverityWarning) == manifest.SeverityOff
		}
		if diags := cfg.FindingsOff(effectiveSeverity(rule, flags, cfg), off); len(diags) > 0 {
			files = append(files, report.File{Path: cfg.Path, Diagnostics: diags, Config: true})
		}
	}
	return files
}

package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

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
			"and every lint rule. Directories are walked for *.json files; - reads standard input.\n" +
			"Exit status: 0 clean, 1 findings (errors, or warnings with --strict), 2 usage or input problem.",
		Flags: []cli.Flag{
			formatFlag(),
			&cli.BoolFlag{Name: "strict", Usage: "fail on warnings too"},
			&cli.StringFlag{Name: "schema-version", Usage: "validate as this schema version (3, 3.0, 3.1, 3.2, 4.1) instead of the declared one"},
			&cli.BoolFlag{Name: "allow-prerelease", Usage: "accept pre-release and build suffixes in app_manifest.version"},
			&cli.StringSliceFlag{Name: "rule", Usage: "set a rule's severity: `ID=error|warning|info|off` (repeatable)"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "files validated in parallel (default: number of CPUs)"},
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
	formatter, err := report.New(c.String("format"), report.Options{Color: useColor(c.App.Writer)})
	if err != nil {
		return usageErrorf("%v", err)
	}
	args := c.Args().Slice()
	if len(args) == 0 {
		return usageErrorf("validate needs at least one PATH, DIR or - (standard input)")
	}
	inputs, err := validate.Expand(args)
	if err != nil {
		return inputError(err)
	}
	rep := &report.Report{Tool: report.Tool{Name: "manifestctl", Version: toolVersion()}}
	err = validate.Files(c.Context, inputs, c.App.Reader, opts, func(r validate.Result) error {
		rep.Files = append(rep.Files, report.File{Path: r.Path, SchemaVersion: string(r.SchemaVersion), Diagnostics: r.Diagnostics})
		return nil
	})
	if err != nil {
		var re *validate.ReadError
		if errors.As(err, &re) {
			return inputError(re)
		}
		return err
	}
	if err := formatter.Format(c.App.Writer, rep); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	sum := rep.Summary()
	if c.String("format") == "text" {
		fmt.Fprintln(c.App.ErrWriter, report.SummaryLine(sum, rep.Ignored))
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

// useColor reports whether w is a terminal and NO_COLOR is not set.
func useColor(w any) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

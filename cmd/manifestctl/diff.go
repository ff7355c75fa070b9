package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/release"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "semantic diff of two manifests and the version bump it requires",
		ArgsUsage: "OLD NEW",
		Description: "Compares two manifests by meaning, not text: permissions added, removed, raised or lowered,\n" +
			"components and side panel views added or removed, configuration fields added, removed, made\n" +
			"required or optional, URL, description, label and notes changes, the schema version. Key order,\n" +
			"formatting and the fields the portal generates (uid, uuid, app_manifest.id and name) never count,\n" +
			"and the same permissions written in 3.x and 4.1 compare equal. Each change carries the bump the\n" +
			"policy requires (by default: a permission added or raised, a component, view or configuration field\n" +
			"removed, a field made required or retyped is major; other additions and reductions minor; text and URL\n" +
			"changes patch; override it with \"policy\" in .manifestctl.json) and the\n" +
			"report states the required bump and whether company admins must approve the update.\n\n" +
			"OLD and NEW are files, - (standard input, for one of them), or git:REF:PATH (read with\n" +
			"git show REF:PATH in the current directory, e.g. git:main:manifest.json).\n\n" +
			"Exit status: 0 when the report is printed (diff reports; use \"version check\" as the gate),\n" +
			"1 when a manifest cannot be read as one (its problems are printed), 2 usage or input problem.",
		Flags: []cli.Flag{
			kindFormatFlag(report.Diff.Formats()),
			configFlag(),
		},
		Action: runDiff,
	}
}

// kindFormatFlag is the --format flag of a command whose report has
// these formats.
func kindFormatFlag(names []string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text",
		Usage: "output format: " + strings.Join(names, ", ")}
}

// checkFormat returns the --format value when the report has it.
func checkFormat(c *cli.Context, names []string) (string, error) {
	f := c.String("format")
	if !slices.Contains(names, f) {
		return "", usageErrorf("unknown format %q (want %s)", f, strings.Join(names, ", "))
	}
	return f, nil
}

// diffFlags are the arguments and flags of diff.
type diffFlags struct {
	old, new string
	format   string
	config   string
}

func parseDiff(c *cli.Context) (*diffFlags, error) {
	format, err := checkFormat(c, report.Diff.Formats())
	if err != nil {
		return nil, err
	}
	args := c.Args().Slice()
	if len(args) != 2 {
		return nil, usageErrorf("diff needs two manifests: OLD NEW (files, - or git:REF:PATH)")
	}
	return &diffFlags{old: args[0], new: args[1], format: format, config: c.String("config")}, nil
}

func runDiff(c *cli.Context) error {
	o, err := parseDiff(c)
	if err != nil {
		return err
	}
	r, _, err := compareSpecs(c, o.config, o.old, o.new)
	if err != nil {
		return err
	}
	if err := report.Diff.Write(envOf(c).Stdout, o.format, r, report.Options{}); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// compareSpecs reads, loads and compares two manifests named on the
// command line, with the policy of the configuration that applies to NEW.
func compareSpecs(c *cli.Context, configFile, oldSpec, newSpec string) (*release.DiffReport, *manifest.App, error) {
	if oldSpec == "-" && newSpec == "-" {
		return nil, nil, usageErrorf("only one manifest can come from standard input (-)")
	}
	policy, err := policyFor(configFile, newSpec)
	if err != nil {
		return nil, nil, err
	}
	old, err := loadSpec(c, oldSpec)
	if err != nil {
		return nil, nil, err
	}
	new, err := loadSpec(c, newSpec)
	if err != nil {
		return nil, nil, err
	}
	return release.Compare(oldSpec, old, newSpec, new, &release.Options{Policy: policy}), new, nil
}

// loadSpec reads a manifest (file, - or git:REF:PATH) and returns its view.
// An unreadable source is exit 2; a source that is not a manifest prints
// its problems and is exit 1.
func loadSpec(c *cli.Context, spec string) (*manifest.App, error) {
	doc, v, err := load(c, spec, loadOptions{stdin: true, git: true})
	if le, ok := release.AsLoadError(err); ok {
		printDiagnostics(c.App.ErrWriter, le.Diagnostics)
		return nil, errFindings
	}
	if err != nil {
		return nil, err
	}
	return manifest.View(doc, v), nil
}

// printDiagnostics writes findings as validate's text format does:
// file:line:col: severity: message [RULE].
func printDiagnostics(w io.Writer, diags []manifest.Diagnostic) {
	_ = report.WriteDiagnostics(w, diags) // standard error: nothing to do if it fails
}

// policyFor returns the bump policy of the configuration that applies to
// the manifest spec (a file: found from its folder; standard input and
// git sources: from the working directory), or the default policy.
func policyFor(configFile, spec string) (release.Policy, error) {
	path := spec
	if _, _, isGit, _ := source.ParseGitSpec(spec); isGit || spec == "-" {
		path = "-"
	}
	res := &config.Resolver{Explicit: configFile, Options: config.ParseOptions{ChangeKind: release.CheckKind}}
	cfg, err := res.For(path)
	if err != nil {
		return nil, configError(err)
	}
	if cfg == nil || len(cfg.Policy) == 0 {
		return nil, nil
	}
	p, err := release.ParsePolicy(cfg.Policy)
	if err != nil {
		return nil, configError(fmt.Errorf("%s: %w", cfg.Path, err))
	}
	return p, nil
}

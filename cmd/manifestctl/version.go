package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/release"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "show, bump and check the app version (app_manifest.version)",
		Description: "The app version is a semantic version at app_manifest.version; the Developer Portal accepts\n" +
			"only MAJOR.MINOR.PATCH. \"version check\" is the CI gate that stops a release whose version is not\n" +
			"greater than the previous one or whose bump is smaller than the changes require.",
		Subcommands: []*cli.Command{
			{
				Name:      "show",
				Usage:     "print the version of a manifest",
				ArgsUsage: "FILE",
				Description: "Prints app_manifest.version. FILE may be - or git:REF:PATH.\n" +
					"Exit status: 0, 1 when the manifest has no version, 2 usage or input problem.",
				Flags:  []cli.Flag{kindFormatFlag(report.VersionShow.Formats())},
				Action: runVersionShow,
			},
			{
				Name:      "bump",
				Usage:     "raise the version, writing the file in place",
				ArgsUsage: "FILE major|minor|patch|auto",
				Description: "Raises app_manifest.version of FILE by the given class and rewrites only that value, atomically.\n" +
					"A manifest without a version counts as 0.0.0 and gets app_manifest.version added.\n" +
					"auto (which needs --against OLD) sets the version to OLD's version bumped by what the diff from\n" +
					"OLD requires, and never lowers FILE's current version: running it twice changes nothing.\n" +
					"The new version is printed on standard output.\n" +
					"Exit status: 0, 1 when FILE's version cannot be bumped (not a semantic version), 2 usage or input problem.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "against", Usage: "the previous release `OLD` (file, - or git:REF:PATH), for auto"},
					configFlag(),
				},
				Action: runVersionBump,
			},
			{
				Name:      "check",
				Usage:     "the release gate: the version is greater than OLD's by at least the required bump",
				ArgsUsage: "FILE --against OLD",
				Description: "Fails (exit 1) with the reasons when FILE's version is missing or not MAJOR.MINOR.PATCH\n" +
					"(MC401, MC402; pre-release suffixes only with --allow-prerelease), not strictly greater than\n" +
					"OLD's (MC403), or smaller than OLD's version bumped by what the diff requires (MC404).\n" +
					"OLD without a version is a first release: only the form of FILE's version is checked.\n" +
					"FILE and OLD may be files, - or git:REF:PATH. The JSON report is the diff report plus\n" +
					"\"ok\" and \"reasons\"; the CI formats (sarif, github, junit, ...) report the reasons as findings.\n" +
					"Exit status: 0 ok, 1 check failed, 2 usage or input problem.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "against", Usage: "the previous release `OLD` (file, - or git:REF:PATH)"},
					&cli.BoolFlag{Name: "allow-prerelease", Usage: "accept a pre-release or build suffix in FILE's version"},
					kindFormatFlag(report.VersionCheck.Formats()),
					configFlag(),
				},
				Action: runVersionCheck,
			},
		},
	}
}

func oneArg(c *cli.Context, what string) (string, error) {
	if c.NArg() != 1 {
		return "", usageErrorf("%s needs one FILE", what)
	}
	return c.Args().First(), nil
}

// versionShowFlags are the arguments and flags of version show.
type versionShowFlags struct {
	path, format string
}

func parseVersionShow(c *cli.Context) (*versionShowFlags, error) {
	format, err := checkFormat(c, report.VersionShow.Formats())
	if err != nil {
		return nil, err
	}
	path, err := oneArg(c, "version show")
	if err != nil {
		return nil, err
	}
	return &versionShowFlags{path: path, format: format}, nil
}

func runVersionShow(c *cli.Context) error {
	o, err := parseVersionShow(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	app, err := loadSpec(c, o.path)
	if err != nil {
		return err
	}
	var v *string
	if app.AppVersion.IsString() {
		s := app.AppVersion.Str
		v = &s
	}
	if err := report.VersionShow.Write(e.Stdout, o.format, &report.Version{Path: o.path, Version: v}, report.Options{}); err != nil {
		return err
	}
	if v == nil {
		if app.AppVersion != nil {
			fmt.Fprintf(e.Stderr, "manifestctl: %s: app_manifest.version is %s, not a string\n", o.path, app.AppVersion.Kind)
		} else {
			fmt.Fprintf(e.Stderr, "manifestctl: %s: no app_manifest.version\n", o.path)
		}
		return errFindings
	}
	return nil
}

// versionCheckFlags are the arguments and flags of version check.
type versionCheckFlags struct {
	path, against   string
	format, config  string
	allowPrerelease bool
}

func parseVersionCheck(c *cli.Context) (*versionCheckFlags, error) {
	format, err := checkFormat(c, report.VersionCheck.Formats())
	if err != nil {
		return nil, err
	}
	path, err := oneArg(c, "version check")
	if err != nil {
		return nil, err
	}
	o := &versionCheckFlags{path: path, against: c.String("against"), format: format, config: c.String("config"),
		allowPrerelease: c.Bool("allow-prerelease")}
	if o.against == "" {
		return nil, usageErrorf("version check needs --against OLD (the previous release: a file, - or git:REF:PATH)")
	}
	return o, nil
}

func runVersionCheck(c *cli.Context) error {
	o, err := parseVersionCheck(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	r, newApp, err := compareSpecs(c, o.config, o.against, o.path)
	if err != nil {
		return err
	}
	res := release.Check(r, newApp, release.CheckOptions{AllowPrerelease: o.allowPrerelease})
	wd, _ := e.Getwd()
	check := &report.Check{Diff: r, Result: res, File: report.File{Path: o.path},
		Tool: report.Tool{Name: "manifestctl", Version: toolVersion()}}
	if newApp != nil {
		check.File.SchemaVersion = string(newApp.Version)
	}
	err = report.VersionCheck.Write(e.Stdout, o.format, check,
		report.Options{Color: e.wantColor(e.Stdout), WorkDir: wd, Command: "manifestctl version check"})
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if !res.OK {
		return errFindings
	}
	return nil
}

// versionBumpOptions are the arguments and flags of version bump.
type versionBumpOptions struct {
	path    string
	bump    release.Bump // the class; with against, auto
	against string       // the previous release, for auto
	config  string
}

func parseVersionBump(c *cli.Context) (*versionBumpOptions, error) {
	if c.NArg() != 2 {
		return nil, usageErrorf("version bump needs FILE and one of major, minor, patch, auto")
	}
	o := &versionBumpOptions{path: c.Args().Get(0), against: c.String("against"), config: c.String("config")}
	class := c.Args().Get(1)
	if o.path == "-" {
		return nil, usageErrorf("version bump rewrites FILE in place: standard input cannot be bumped")
	}
	if _, _, isGit, _ := source.ParseGitSpec(o.path); isGit {
		return nil, usageErrorf("version bump rewrites FILE in place: a git:REF:PATH source cannot be bumped")
	}
	if class != "auto" {
		b, err := release.ParseBump(class)
		if err != nil || b == release.BumpNone {
			return nil, usageErrorf("unknown bump %q (want major, minor, patch or auto)", class)
		}
		o.bump = b
		if o.against != "" {
			return nil, usageErrorf("--against is for auto; %s bumps FILE's own version", class)
		}
	} else if o.against == "" {
		return nil, usageErrorf("version bump auto needs --against OLD (the previous release)")
	}
	return o, nil
}

func runVersionBump(c *cli.Context) error {
	o, err := parseVersionBump(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	doc, v, err := load(c, o.path, loadOptions{edit: "version bump"})
	if le, ok := release.AsLoadError(err); ok {
		printDiagnostics(e.Stderr, le.Diagnostics)
		return errFindings
	} else if err != nil {
		return err
	}
	app := manifest.View(doc, v)
	var prev *release.DiffReport
	if o.against != "" {
		// A version that cannot be bumped is reported before OLD is read.
		if _, err := release.CurrentVersion(app); err != nil {
			return bumpError(e, err)
		}
		if prev, _, err = compareSpecs(c, o.config, o.against, o.path); err != nil {
			return err
		}
	}
	b, err := release.BumpVersion(app, o.bump, prev)
	if err != nil {
		return bumpError(e, err)
	}
	if prev != nil {
		fmt.Fprintf(e.Stderr, "required bump from %s: %s\n", o.against, prev.RequiredBump)
	}
	if b.Src == nil {
		fmt.Fprintf(e.Stderr, "%s: version %s unchanged\n", o.path, b.To)
		fmt.Fprintln(e.Stdout, b.To)
		return nil
	}
	if err := fsutil.ReplaceFile(o.path, doc.Src, b.Src); err != nil {
		return inputError(err)
	}
	from := "no version"
	if b.From != nil {
		from = *b.From
	}
	fmt.Fprintf(e.Stderr, "%s: %s -> %s\n", o.path, from, b.To)
	fmt.Fprintln(e.Stdout, b.To)
	return nil
}

// bumpError prints a version that cannot be bumped as a finding (exit 1);
// any other error is an input problem (exit 2).
func bumpError(e *env, err error) error {
	var ve *release.VersionError
	if errors.As(err, &ve) {
		fmt.Fprintln(e.Stderr, ve.Diagnostic.String())
		return errFindings
	}
	return inputError(err)
}

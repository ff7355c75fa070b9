package main

import (
	"fmt"

	"github.com/Masterminds/semver/v3"
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

func runVersionShow(c *cli.Context) error {
	format, err := checkFormat(c, report.VersionShow.Formats())
	if err != nil {
		return err
	}
	spec, err := oneArg(c, "version show")
	if err != nil {
		return err
	}
	app, err := loadSpec(c, spec)
	if err != nil {
		return err
	}
	var v *string
	if app.AppVersion.IsString() {
		s := app.AppVersion.Str
		v = &s
	}
	if err := report.VersionShow.Write(c.App.Writer, format, &report.Version{Path: spec, Version: v}, report.Options{}); err != nil {
		return err
	}
	if v == nil {
		if app.AppVersion != nil {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: %s: app_manifest.version is %s, not a string\n", spec, app.AppVersion.Kind)
		} else {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: %s: no app_manifest.version\n", spec)
		}
		return errFindings
	}
	return nil
}

func runVersionCheck(c *cli.Context) error {
	format, err := checkFormat(c, report.VersionCheck.Formats())
	if err != nil {
		return err
	}
	spec, err := oneArg(c, "version check")
	if err != nil {
		return err
	}
	against := c.String("against")
	if against == "" {
		return usageErrorf("version check needs --against OLD (the previous release: a file, - or git:REF:PATH)")
	}
	r, newApp, err := compareSpecs(c, against, spec)
	if err != nil {
		return err
	}
	res := release.Check(r, newApp, release.CheckOptions{AllowPrerelease: c.Bool("allow-prerelease")})
	wd, _ := envOf(c).Getwd()
	check := &report.Check{Diff: r, Result: res, File: report.File{Path: spec},
		Tool: report.Tool{Name: "manifestctl", Version: toolVersion()}}
	if newApp != nil {
		check.File.SchemaVersion = string(newApp.Version)
	}
	err = report.VersionCheck.Write(c.App.Writer, format, check,
		report.Options{Color: envOf(c).wantColor(c.App.Writer), WorkDir: wd, Command: "manifestctl version check"})
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if !res.OK {
		return errFindings
	}
	return nil
}

func runVersionBump(c *cli.Context) error {
	if c.NArg() != 2 {
		return usageErrorf("version bump needs FILE and one of major, minor, patch, auto")
	}
	path, class := c.Args().Get(0), c.Args().Get(1)
	if path == "-" {
		return usageErrorf("version bump rewrites FILE in place: standard input cannot be bumped")
	}
	if _, _, isGit, _ := source.ParseGitSpec(path); isGit {
		return usageErrorf("version bump rewrites FILE in place: a git:REF:PATH source cannot be bumped")
	}
	var bump release.Bump
	if class != "auto" {
		b, err := release.ParseBump(class)
		if err != nil || b == release.BumpNone {
			return usageErrorf("unknown bump %q (want major, minor, patch or auto)", class)
		}
		bump = b
		if c.String("against") != "" {
			return usageErrorf("--against is for auto; %s bumps FILE's own version", class)
		}
	} else if c.String("against") == "" {
		return usageErrorf("version bump auto needs --against OLD (the previous release)")
	}
	doc, v, err := load(c, path, loadOptions{edit: "version bump"})
	if le, ok := release.AsLoadError(err); ok {
		printDiagnostics(c.App.ErrWriter, le.Diagnostics)
		return errFindings
	} else if err != nil {
		return err
	}
	app := manifest.View(doc, v)
	current, err := currentVersion(app)
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "%s: error: %v [MC402]\n", app.Doc.Position("/app_manifest/version"), err)
		return errFindings
	}
	var target *semver.Version
	if class == "auto" {
		r, _, err := compareSpecs(c, c.String("against"), path)
		if err != nil {
			return err
		}
		base := current
		if r.OldVersion != nil {
			if v, err := semver.NewVersion(*r.OldVersion); err == nil {
				base = v
			}
		}
		if target, err = release.NextVersion(base, r.RequiredBump); err != nil {
			return inputError(fmt.Errorf("bump %s: %w", base, err))
		}
		if target.LessThan(current) {
			target = current
		}
		fmt.Fprintf(c.App.ErrWriter, "required bump from %s: %s\n", c.String("against"), r.RequiredBump)
	} else if target, err = release.NextVersion(current, bump); err != nil {
		return inputError(fmt.Errorf("bump %s: %w", current, err))
	}
	next := target.String()
	if app.AppVersion.Text() == next {
		fmt.Fprintf(c.App.ErrWriter, "%s: version %s unchanged\n", path, next)
		fmt.Fprintln(c.App.Writer, next)
		return nil
	}
	out, err := manifest.SetVersion(app.Doc, next)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", path, err))
	}
	if err := fsutil.ReplaceFile(path, doc.Src, out); err != nil {
		return inputError(err)
	}
	from := "no version"
	if app.AppVersion.IsString() {
		from = app.AppVersion.Str
	}
	fmt.Fprintf(c.App.ErrWriter, "%s: %s -> %s\n", path, from, next)
	fmt.Fprintln(c.App.Writer, next)
	return nil
}

// currentVersion returns the manifest's version, 0.0.0 when it has none.
func currentVersion(app *manifest.App) (*semver.Version, error) {
	n := app.AppVersion
	if n == nil {
		return semver.New(0, 0, 0, "", ""), nil
	}
	if !n.IsString() {
		return nil, fmt.Errorf("app_manifest.version is %s, not a string such as \"1.2.0\"", n.Kind)
	}
	v, err := manifest.ParseVersion(n.Str)
	if err != nil {
		return nil, fmt.Errorf("cannot bump version %q: it is not MAJOR.MINOR.PATCH (three integers, such as \"1.2.0\")", n.Str)
	}
	return v, nil
}

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "scaffold a new manifest (schema 4.1 or 3.x)",
		ArgsUsage: "[-o FILE]",
		Description: "Writes a new manifest that passes validate with no error and no warning: app_manifest with the\n" +
			"version, post-installation notes and a setup page (defaults when not given), and the components\n" +
			"asked for. A service account needs at least one --grant scope:tool=level (Procore creates no\n" +
			"service account without permissions); it implies User Level Authentication, as in Procore's builder.\n" +
			"In 4.1, user and none write the same file: every 4.1 app may use User Level Authentication.\n" +
			"A {{KEY}} variable in a component URL needs a configuration property the installing admin fills in:\n" +
			"--config-property KEY[=description] (repeatable) declares it; --required makes the ones a URL uses required.\n" +
			"When the flags would give a manifest with findings (an http URL, an unknown view key or tool, a\n" +
			"template variable that is not defined), init lists them and writes nothing.\n\n" +
			"The manifest goes to standard output, or to FILE with -o (never overwritten without --force).\n" +
			"Exit status: 0 written, 2 usage problem (including flags that give an invalid manifest).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "schema-version", Value: "4.1", Usage: "schema version to write: 4.1, or 3 (3.0, 3.1, 3.2)"},
			&cli.StringFlag{Name: "name", Usage: "the app's `NAME` (app_manifest.name; 3.x component names)"},
			&cli.StringFlag{Name: "data-connector", Value: release.ConnectorNone,
				Usage: "data connection: " + strings.Join(release.Connectors, ", ")},
			&cli.StringSliceFlag{Name: "grant", Usage: "service account permission `scope:tool=level` (repeatable), e.g. project:daily_log=readonly"},
			&cli.StringFlag{Name: "fullscreen", Usage: "add a full-screen component loading `URL`"},
			&cli.StringFlag{Name: "sidepanel", Usage: "add a side panel component loading `URL` (needs --view)"},
			&cli.StringSliceFlag{Name: "view", Usage: "side panel view `KEY` (repeatable), e.g. commitments.work_order_contracts.detail"},
			&cli.StringSliceFlag{Name: "config-property", Usage: "configuration property `KEY[=description]` the installing admin fills in, for a {{KEY}} in a component URL (repeatable)"},
			&cli.BoolFlag{Name: "required", Usage: "make the configuration properties a component's URL uses required"},
			&cli.StringFlag{Name: "notes", Usage: "post-installation `NOTES` shown to the installing admin"},
			&cli.StringFlag{Name: "instructions-url", Usage: "setup instructions page `URL` (default " + release.DefaultInstructionsURL + ")"},
			&cli.StringFlag{Name: "instructions-label", Usage: "setup instructions link `TEXT` (default \"" + release.DefaultInstructionsLabel + "\")"},
			&cli.StringFlag{Name: "version", Value: release.DefaultVersion, Usage: "app version (MAJOR.MINOR.PATCH)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the manifest to `FILE`"},
			&cli.BoolFlag{Name: "force", Usage: "overwrite FILE when it exists"},
		},
		Action: runInit,
	}
}

// initFlags are the flags of init.
type initFlags struct {
	scaffold release.ScaffoldOptions
	output   string
	force    bool
}

func parseInit(c *cli.Context) (*initFlags, error) {
	if c.NArg() > 0 {
		return nil, usageErrorf("init takes no arguments (use -o FILE to name the output): %q", c.Args().First())
	}
	sv, err := manifest.ParseSchemaVersion(c.String("schema-version"))
	if err != nil {
		return nil, usageErrorf("--schema-version: %v", err)
	}
	conn := c.String("data-connector")
	grants, err := parseGrants(c.StringSlice("grant"))
	if err != nil {
		return nil, err
	}
	if len(grants) > 0 && !c.IsSet("data-connector") {
		conn = release.ConnectorServiceAccount // --grant alone means a service account
	}
	o := &initFlags{output: c.String("output"), force: c.Bool("force"), scaffold: release.ScaffoldOptions{
		SchemaVersion: sv, Name: c.String("name"), DataConnector: conn, Grants: grants,
		Fullscreen: c.String("fullscreen"), Sidepanel: c.String("sidepanel"), Views: c.StringSlice("view"),
		Notes: c.String("notes"), InstructionsURL: c.String("instructions-url"),
		InstructionsLabel: c.String("instructions-label"), Version: c.String("version"),
		ConfigRequired: c.Bool("required"),
	}}
	for _, spec := range c.StringSlice("config-property") {
		key, desc, _ := strings.Cut(spec, "=")
		o.scaffold.Config = append(o.scaffold.Config, release.ConfigProperty{Key: strings.TrimSpace(key), Description: strings.TrimSpace(desc)})
	}
	if o.scaffold.ConfigRequired && len(o.scaffold.Config) == 0 {
		return nil, usageErrorf("--required makes the configuration properties required: declare them with --config-property KEY")
	}
	return o, nil
}

func runInit(c *cli.Context) error {
	o, err := parseInit(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	out, err := release.Scaffold(o.scaffold)
	var be *release.BuildError
	if errors.As(err, &be) && len(be.Diagnostics) > 0 {
		var problems []string
		hint := ""
		for _, d := range be.Diagnostics {
			problems = append(problems, fmt.Sprintf("%s: %s [%s]", d.Pos.Pointer, d.Message, d.Rule))
			if d.Rule == "MC204" {
				hint = "declare each {{KEY}} of a URL with --config-property KEY[=description] (--required to make them required)"
			}
		}
		return &exitError{code: exitUsage, hint: hint, err: fmt.Errorf("the flags give a manifest that does not validate; nothing written:\n  %s",
			strings.Join(problems, "\n  "))}
	}
	if err != nil {
		return usageErrorf("%v", err)
	}
	path := o.output
	if path == "" || path == "-" {
		_, err := e.Stdout.Write(out)
		return err
	}
	if _, err := os.Lstat(path); err == nil && !o.force {
		return usageErrorf("%s already exists; use --force to overwrite it", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return inputError(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return inputError(err)
	}
	if err := fsutil.CreateFile(path, out, o.force); err != nil {
		return inputError(err)
	}
	fmt.Fprintf(e.Stderr, "wrote %s\n", path)
	return nil
}

// parseGrants reads --grant scope:tool=level values.
func parseGrants(specs []string) ([]permissions.Assignment, error) {
	cat, err := permissions.Default()
	if err != nil {
		return nil, err
	}
	var out []permissions.Assignment
	for _, s := range specs {
		a, err := permissions.ParseAssignment(s, cat)
		if err != nil {
			return nil, usageErrorf("--grant %v", err)
		}
		out = append(out, a)
	}
	if err := release.CheckGrants(out); err != nil {
		return nil, usageErrorf("--grant: %v", err)
	}
	return out, nil
}

package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

func permissionsCommand() *cli.Command {
	toolsFlag := func() cli.Flag {
		return &cli.StringFlag{Name: "tools", Usage: "merge this tool catalogue `FILE` into the embedded one (same format as permissions/catalog.json)"}
	}
	schemaFlag := func() cli.Flag {
		return &cli.StringFlag{Name: "schema-version", Usage: "treat the file as this schema version (3, 3.0, 3.1, 3.2, 4.1) instead of the declared one"}
	}
	return &cli.Command{
		Name:  "permissions",
		Usage: "the Permission Builder: list the tools, show, set and unset a manifest's service account permissions",
		Description: "Permissions are the company and project tool levels of the app's Developer Managed Service Account:\n" +
			"inside the client_credentials oauth instance in schema 3.x, at the top level in 4.1.\n" +
			"Levels: none < readonly < standard < admin. Editing commands keep everything else in the file as it was.",
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usageErrorf("unknown permissions subcommand %q (want tools, show, set or unset)", c.Args().First())
			}
			return usageErrorf("permissions needs a subcommand: tools, show, set or unset")
		},
		Subcommands: []*cli.Command{
			{
				Name:  "tools",
				Usage: "list the tool catalogue: keys, display names and the levels each tool allows",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "scope", Usage: "only this scope: company or project"},
					&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text, json"},
					toolsFlag(),
				},
				Action: runPermissionsTools,
			},
			{
				Name:      "show",
				Usage:     "show the declared permissions as a table (markdown for pull-request descriptions)",
				ArgsUsage: "FILE",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text, json, markdown"},
					toolsFlag(),
					schemaFlag(),
				},
				Action: runPermissionsShow,
			},
			{
				Name:      "set",
				Usage:     "grant tools: scope:tool=level (a level of none removes the tool)",
				ArgsUsage: "FILE scope:tool=level...",
				Description: "Example: manifestctl permissions set manifest.json company:directory=readonly project:rfi=standard\n" +
					"Levels in any spelling (Read Only, read_only, 2) are written as the manifest spells them. A level the\n" +
					"tool does not allow is refused; an unknown tool is written with a warning.",
				Flags: []cli.Flag{
					toolsFlag(),
					schemaFlag(),
					&cli.BoolFlag{Name: "add-client-credentials", Usage: "schema 3.x: add a client_credentials oauth instance when the file has no data connection instance"},
					&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change; do not write the file"},
				},
				Action: runPermissionsSet,
			},
			{
				Name:      "unset",
				Usage:     "remove tools: scope:tool",
				ArgsUsage: "FILE scope:tool...",
				Flags: []cli.Flag{
					toolsFlag(),
					schemaFlag(),
					&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change; do not write the file"},
				},
				Action: runPermissionsUnset,
			},
			scanCommand(),
		},
	}
}

// toolCatalog returns the catalogue for a --tools flag: the embedded one
// with the file merged in ("" for none).
func toolCatalog(file string) (*permissions.Catalog, error) {
	var files []string
	if file != "" {
		files = append(files, file)
	}
	cat, err := permissions.LoadTools(files...)
	if err != nil && file != "" {
		return nil, inputError(fmt.Errorf("--tools: %w", err))
	}
	return cat, err
}

// permissionsToolsFlags are the flags of permissions tools.
type permissionsToolsFlags struct {
	scopes []string
	format string
	tools  string
}

func parsePermissionsTools(c *cli.Context) (*permissionsToolsFlags, error) {
	if c.Args().Len() > 0 {
		return nil, usageErrorf("permissions tools takes no arguments, got %q", c.Args().First())
	}
	o := &permissionsToolsFlags{scopes: permissions.Scopes, format: c.String("format"), tools: c.String("tools")}
	if s := c.String("scope"); s != "" {
		if !permissions.ValidScope(s) {
			return nil, usageErrorf("--scope %q: want company or project", s)
		}
		o.scopes = []string{s}
	}
	if err := report.Tools.Check(o.format); err != nil {
		return nil, usageErrorf("%v", err)
	}
	return o, nil
}

func runPermissionsTools(c *cli.Context) error {
	o, err := parsePermissionsTools(c)
	if err != nil {
		return err
	}
	cat, err := toolCatalog(o.tools)
	if err != nil {
		return err
	}
	return report.Tools.Write(envOf(c).Stdout, o.format, &report.ToolList{Catalog: cat, Scopes: o.scopes}, report.Options{})
}

// loadManifest reads and checks FILE ("-" is standard input when allowed;
// git:REF:PATH only when not editing) and decides its schema version. A
// file that does not parse, is not an App Manifest, or whose version is
// unknown is a finding (exit 1): its diagnostics go to standard error.
func loadManifest(c *cli.Context, path, schemaVersion string, allowStdin bool) (*manifest.Document, manifest.SchemaVersion, error) {
	o := loadOptions{stdin: allowStdin, git: allowStdin}
	if !allowStdin {
		o.edit = "permissions " + c.Command.Name
	}
	if s := schemaVersion; s != "" {
		v, err := manifest.ParseSchemaVersion(s)
		if err != nil {
			return nil, "", usageErrorf("--schema-version: %v", err)
		}
		o.schemaVersion = v
	}
	doc, v, err := load(c, path, o)
	var le *manifest.LoadError
	if errors.As(err, &le) {
		return nil, "", printFindings(c, le.Diagnostics)
	}
	return doc, v, err
}

// printFindings prints diagnostics that stop a permissions command and
// returns the error for exit 1.
func printFindings(c *cli.Context, diags []manifest.Diagnostic) error {
	for _, d := range diags {
		if d.Severity >= manifest.SeverityError {
			fmt.Fprintln(c.App.ErrWriter, d.String())
		}
	}
	fmt.Fprintln(c.App.ErrWriter, "manifestctl: the file must be a valid manifest to read its permissions (run manifestctl validate)")
	return errFindings
}

// permissionsShowFlags are the arguments and flags of permissions show.
type permissionsShowFlags struct {
	path, format, tools, schemaVersion string
}

func parsePermissionsShow(c *cli.Context) (*permissionsShowFlags, error) {
	if c.Args().Len() != 1 {
		return nil, usageErrorf("permissions show needs exactly one FILE (or - for standard input)")
	}
	o := &permissionsShowFlags{path: c.Args().First(), format: c.String("format"), tools: c.String("tools"), schemaVersion: c.String("schema-version")}
	if err := report.PermissionsShow.Check(o.format); err != nil {
		return nil, usageErrorf("%v", err)
	}
	return o, nil
}

func runPermissionsShow(c *cli.Context) error {
	o, err := parsePermissionsShow(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	cat, err := toolCatalog(o.tools)
	if err != nil {
		return err
	}
	doc, v, err := loadManifest(c, o.path, o.schemaVersion, true)
	if err != nil {
		return err
	}
	app := manifest.View(doc, v)
	// Permissions of the wrong shape cannot be read: saying that nothing
	// is declared would be false.
	if probs := permissions.ShapeProblems(app); len(probs) > 0 {
		for _, d := range probs {
			fmt.Fprintln(e.Stderr, d.String())
		}
		fmt.Fprintln(e.Stderr, "manifestctl: the permissions cannot be read until their shape is fixed (run manifestctl validate)")
		return errFindings
	}
	for _, conn := range app.Connectors {
		if !conn.ServiceAccount && conn.Permissions.Pointer != "" {
			fmt.Fprintf(e.Stderr, "manifestctl: note: %s is ignored: only a client_credentials instance carries permissions (MC107)\n", conn.Permissions.Pointer)
		}
	}
	grants := report.DeclaredGrants(o.path, app, cat)
	if sas := grants.ServiceAccounts; len(sas) > 1 {
		fmt.Fprintf(e.Stderr, "manifestctl: note: %d client_credentials instances (%s): an app has at most one (MC201); "+
			"the permissions of each are shown\n", len(sas), strings.Join(sas, ", "))
	}
	return report.PermissionsShow.Write(e.Stdout, o.format, grants, report.Options{})
}

// permissionsEditOptions are the arguments and flags of permissions set
// and unset.
type permissionsEditOptions struct {
	path                 string
	specs                []string // scope:tool=level (set) or scope:tool (unset)
	tools                string
	schemaVersion        string
	addClientCredentials bool
	dryRun               bool
}

// parsePermissionsEdit checks FILE plus at least one more argument.
func parsePermissionsEdit(c *cli.Context, what string) (*permissionsEditOptions, error) {
	args := c.Args().Slice()
	if len(args) < 2 {
		return nil, usageErrorf("permissions %s needs a FILE and at least one %s", c.Command.Name, what)
	}
	return &permissionsEditOptions{path: args[0], specs: args[1:], tools: c.String("tools"), schemaVersion: c.String("schema-version"),
		addClientCredentials: c.Bool("add-client-credentials"), dryRun: c.Bool("dry-run")}, nil
}

func runPermissionsSet(c *cli.Context) error {
	o, err := parsePermissionsEdit(c, "scope:tool=level")
	if err != nil {
		return err
	}
	cat, err := toolCatalog(o.tools)
	if err != nil {
		return err
	}
	assignments, err := permissions.ParseAssignments(o.specs, cat)
	if err != nil {
		return usageErrorf("%v", err)
	}
	doc, v, err := loadManifest(c, o.path, o.schemaVersion, false)
	if err != nil {
		return err
	}
	out, results, err := permissions.Assign(doc, v, assignments, &permissions.EditOptions{
		Catalog: cat, AddClientCredentials: o.addClientCredentials,
	})
	switch {
	case errors.Is(err, permissions.ErrNoClientCredentials):
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", o.path, err),
			hint: "rerun with --add-client-credentials to add a client_credentials oauth instance, or migrate the file to schema 4.1 (manifestctl migrate)"}
	case err != nil:
		return usageErrorf("%s: %v", o.path, err)
	}
	return finishEdit(envOf(c), o, &permissions.Edit{Before: doc, After: out, Version: v, Results: results})
}

func runPermissionsUnset(c *cli.Context) error {
	o, err := parsePermissionsEdit(c, "scope:tool")
	if err != nil {
		return err
	}
	cat, err := toolCatalog(o.tools)
	if err != nil {
		return err
	}
	for _, s := range o.specs {
		if strings.Contains(s, "=") {
			return usageErrorf("%q: unset takes scope:tool (no level); use set to change a level", s)
		}
	}
	refs, err := permissions.ParseToolRefs(o.specs, cat)
	if err != nil {
		return usageErrorf("%v", err)
	}
	doc, v, err := loadManifest(c, o.path, o.schemaVersion, false)
	if err != nil {
		return err
	}
	out, results, err := permissions.Revoke(doc, v, refs, &permissions.EditOptions{Catalog: cat})
	if err != nil {
		return usageErrorf("%s: %v", o.path, err)
	}
	return finishEdit(envOf(c), o, &permissions.Edit{Before: doc, After: out, Version: v, Results: results})
}

// finishEdit writes the file atomically when something changed (not with
// --dry-run; refused when the file changed since it was read), then prints
// what changed and warns about what the result lacks: nothing is reported
// as done before it is written.
func finishEdit(e *env, o *permissionsEditOptions, ed *permissions.Edit) error {
	changed := ed.Changed()
	if changed && !o.dryRun {
		if err := fsutil.ReplaceFile(o.path, ed.Before.Src, ed.After.Src); err != nil {
			return inputError(err)
		}
	}
	for _, r := range ed.Results {
		fmt.Fprintf(e.Stdout, "%s: %s\n", o.path, r)
		if r.Warning != "" {
			fmt.Fprintf(e.Stderr, "manifestctl: warning: %s\n", r.Warning)
		}
		if r.Note != "" {
			fmt.Fprintf(e.Stderr, "manifestctl: note: %s\n", r.Note)
		}
	}
	if ed.NoGrantLeft() {
		fmt.Fprintln(e.Stderr, "manifestctl: warning: no tool above none is declared now: Procore creates no service account credentials without one (MC106)")
	}
	switch {
	case !changed:
		fmt.Fprintf(e.Stderr, "%s: unchanged\n", o.path)
	case o.dryRun:
		fmt.Fprintf(e.Stderr, "%s: not written (--dry-run)\n", o.path)
	}
	return nil
}

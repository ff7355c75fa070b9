package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/permissions/scan"
)

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "find the Procore API calls in an app's code and compare the tools and levels they need with the manifest",
		ArgsUsage: "SRC... --manifest FILE",
		Description: "Reads JavaScript/TypeScript, Ruby, Python, Go, C#, Java and PHP files (folders are walked; dependency\n" +
			"and test folders skipped), finds /rest/vX.Y/ URLs and SDK calls, maps each to a tool and a minimum level\n" +
			"from an embedded table inferred from Procore's API description, and reports missing (warning), excess,\n" +
			"unused and unmapped (info). Exit 1 when something is missing. See docs/scan.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "manifest", Aliases: []string{"m"}, Usage: "the app manifest `FILE` to compare with (- for standard input)"},
			kindFormatFlag(report.Scan.Formats()),
			&cli.BoolFlag{Name: "fix", Usage: "add the missing grants to the manifest at their minimum level (confirmed and probable mappings only)"},
			&cli.StringFlag{Name: "tools", Usage: "merge this tool catalogue `FILE` into the embedded one (same format as permissions/catalog.json)"},
			&cli.StringFlag{Name: "schema-version", Usage: "treat the manifest as this schema version (3, 3.0, 3.1, 3.2, 4.1) instead of the declared one"},
		},
		Action: runPermissionsScan,
	}
}

// scanFlags are the arguments and flags of permissions scan.
type scanFlags struct {
	srcs                               []string
	manifest, format, tools, schemaVer string
	fix                                bool
}

func parsePermissionsScan(c *cli.Context) (*scanFlags, error) {
	o := &scanFlags{srcs: c.Args().Slice(), manifest: c.String("manifest"), format: c.String("format"), tools: c.String("tools"),
		schemaVer: c.String("schema-version"), fix: c.Bool("fix")}
	if len(o.srcs) == 0 {
		return nil, usageErrorf("permissions scan needs at least one SRC (a folder or a source file)")
	}
	if o.manifest == "" {
		return nil, usageErrorf("permissions scan needs --manifest FILE")
	}
	if err := report.Scan.Check(o.format); err != nil {
		return nil, usageErrorf("%v", err)
	}
	if o.fix && o.manifest == "-" {
		return nil, usageErrorf("--fix cannot edit standard input: give --manifest FILE")
	}
	return o, nil
}

func runPermissionsScan(c *cli.Context) error {
	o, err := parsePermissionsScan(c)
	if err != nil {
		return err
	}
	srcs, path, format, fix := o.srcs, o.manifest, o.format, o.fix
	cat, err := toolCatalog(o.tools)
	if err != nil {
		return err
	}
	doc, v, err := loadManifest(c, path, o.schemaVer, true)
	if errors.Is(err, errFindings) {
		return inputError(fmt.Errorf("%s: cannot read the manifest's permissions", path))
	}
	if err != nil {
		return err
	}
	inv, err := scan.Scan(c.Context, srcs, nil)
	var pe *scan.PathError
	if errors.As(err, &pe) {
		return inputError(err)
	}
	if err != nil {
		return err
	}
	for _, s := range inv.Skipped {
		fmt.Fprintf(c.App.ErrWriter, "manifestctl: note: %s: not scanned: %s\n", s.Path, s.Reason)
	}
	// One bad path does not hide the others (DESIGN §4): every readable
	// source is scanned and reported, each unreadable path is named, and
	// the exit code is 2.
	for _, s := range inv.Unreadable {
		fmt.Fprintf(c.App.ErrWriter, "manifestctl: %s: %s\n", s.Path, s.Reason)
	}
	rep := scan.CompareCalls(inv, path, manifest.View(doc, v), cat)
	if fix {
		if rep, err = fixScan(c, path, doc, v, inv, rep, cat); err != nil {
			return err
		}
	}
	table, _ := scan.DefaultTable()
	if table != nil {
		rep.TableSource = table.Source
	}
	wd, _ := envOf(c).Getwd()
	if err := report.Scan.Write(c.App.Writer, format, &report.ScanResult{Report: rep, ScanOptions: report.ScanOptions{
		Tool:    report.Tool{Name: "manifestctl", Version: toolVersion(), CatalogVersion: cat.Version},
		WorkDir: wd,
	}}, report.Options{}); err != nil {
		return err
	}
	if n := len(inv.Unreadable); n > 0 {
		return notDoneError(n, 0, rep.Files, "scanned")
	}
	if rep.Summary.Missing > 0 {
		return errFindings
	}
	return nil
}

// fixScan grants the missing tools through the permissions edit API, writes
// the manifest atomically (fsutil.ReplaceFile, as permissions set), and
// returns the report of the fixed manifest.
func fixScan(c *cli.Context, path string, doc *manifest.Document, v manifest.SchemaVersion, inv *scan.Inventory, rep *scan.Report, cat *permissions.Catalog) (*scan.Report, error) {
	fixes := rep.Fixes()
	if len(fixes) == 0 {
		return rep, nil
	}
	out, results, err := permissions.Assign(doc, v, fixes, &permissions.EditOptions{Catalog: cat})
	switch {
	case errors.Is(err, permissions.ErrNoClientCredentials):
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("--fix: %s: %w", path, err),
			hint: "add the grants with manifestctl permissions set --add-client-credentials, or migrate the file to schema 4.1 (manifestctl migrate)"}
	case err != nil:
		return nil, usageErrorf("--fix: %s: %v", path, err)
	}
	// Written as permissions set writes (refused when the file changed
	// since it was read), and reported only once written.
	if (&permissions.Edit{Before: doc, After: out}).Changed() {
		if err := fsutil.ReplaceFile(path, doc.Src, out.Src); err != nil {
			return nil, inputError(err)
		}
	}
	for _, r := range results {
		fmt.Fprintf(c.App.ErrWriter, "%s: %s\n", path, r)
		if r.Warning != "" {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: warning: %s\n", r.Warning)
		}
		if r.Note != "" {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: note: %s\n", r.Note)
		}
	}
	return scan.CompareCalls(inv, path, manifest.View(out, v), cat), nil
}

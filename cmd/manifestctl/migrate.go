package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
)

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:      "migrate",
		Usage:     "convert a 3.x manifest to schema 4.1",
		ArgsUsage: "FILE --to 4.1 [-o OUT | -w]",
		Description: "Converts a 3.x manifest to 4.1: iframe instances become the fullscreen and sidepanel members,\n" +
			"iframe_src becomes source_url, configuration becomes user_configuration, and the permissions of the\n" +
			"client_credentials instance move to the top level (how 4.1 declares Service Account Authentication;\n" +
			"User Level Authentication needs no member in 4.1). The output is in the canonical layout of fmt.\n\n" +
			"Members 4.1 no longer uses (grant_type, the oauth instance's uid and uuid, an iframe's name and\n" +
			"required flag) are listed as notes on standard error. Content with no 4.1 place (a second side\n" +
			"panel or full-screen instance, unknown instance fields, permissions outside a client_credentials\n" +
			"instance) is listed too, and migrate then refuses to write anything unless --force, which drops it.\n\n" +
			"The result goes to standard output, to OUT with -o (a new file: an existing one only with --force),\n" +
			"or back to FILE with -w (written atomically).\n" +
			"Exit status: 0 written, 1 refused or FILE is not a valid manifest, 2 usage or input problem.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Value: "4.1", Usage: "target schema `VERSION` (only 4.1)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the result to `OUT` (- is standard output)"},
			&cli.BoolFlag{Name: "write", Aliases: []string{"w"}, Usage: "write the result back to FILE"},
			&cli.BoolFlag{Name: "force", Usage: "write even when content with no 4.1 place is dropped; overwrite an existing OUT"},
		},
		Action: runMigrate,
	}
}

// migrateFlags are the arguments and flags of migrate.
type migrateFlags struct {
	path   string
	output string // -o
	write  bool   // -w
	force  bool
}

func parseMigrate(c *cli.Context) (*migrateFlags, error) {
	if c.String("to") != string(manifest.V41) {
		return nil, usageErrorf("--to %q: manifestctl migrates to 4.1 only", c.String("to"))
	}
	path, err := oneArg(c, "migrate")
	if err != nil {
		return nil, err
	}
	o := &migrateFlags{path: path, output: c.String("output"), write: c.Bool("write"), force: c.Bool("force")}
	if o.output == "-" {
		// "-" is standard output, as everywhere, not a file named "-".
		o.output = ""
	}
	switch {
	case o.output != "" && o.write:
		return nil, usageErrorf("-o and -w cannot be used together")
	case o.write && path == "-":
		return nil, usageErrorf("-w writes back to FILE: it cannot be used with standard input")
	}
	if _, _, isGit, _ := source.ParseGitSpec(path); isGit && o.write {
		return nil, usageErrorf("-w writes back to FILE: it cannot be used with a git:REF:PATH source")
	}
	return o, nil
}

func runMigrate(c *cli.Context) error {
	o, err := parseMigrate(c)
	if err != nil {
		return err
	}
	e := envOf(c)
	path, out, write := o.path, o.output, o.write
	// Refuse an existing OUT before migrating, so that no note is printed
	// about a migration that is then not written. CreateFile checks again
	// (a file created meanwhile is still not overwritten).
	if out != "" && !o.force {
		if _, err := os.Lstat(out); err == nil {
			return inputError(fmt.Errorf("write %s: %w: use --force to overwrite it", out, fsutil.ErrExist))
		}
	}
	// A file that is not an App Manifest is a finding and never written.
	doc, _, err := load(c, path, loadOptions{stdin: true, git: true})
	var le *manifest.LoadError
	if errors.As(err, &le) {
		printDiagnostics(e.Stderr, le.Diagnostics)
		return errFindings
	} else if err != nil {
		return err
	}
	name := doc.Path
	m, err := manifest.Migrate(doc, manifest.V41)
	if err != nil {
		fmt.Fprintf(e.Stderr, "%s: error: %v\n", name, err)
		return errFindings
	}
	if m.Unchanged {
		fmt.Fprintf(e.Stderr, "%s: already schema 4.1; nothing to migrate\n", name)
		if write {
			return nil
		}
	}
	for _, n := range m.Notes {
		label := "note"
		if n.Lost {
			label = "no 4.1 place"
		}
		fmt.Fprintf(e.Stderr, "%s: %s: %s\n", doc.KeyPosition(n.Pointer), label, n.Message)
	}
	if lost := m.Lost(); len(lost) > 0 {
		if !o.force {
			fmt.Fprintf(e.Stderr, "manifestctl: migrate: nothing written: %d item(s) above have no place in 4.1; "+
				"use --force to drop them\n", len(lost))
			return errFindings
		}
		fmt.Fprintf(e.Stderr, "manifestctl: migrate: --force: dropping %d item(s) with no place in 4.1\n", len(lost))
	}
	switch {
	case write:
		err = fsutil.ReplaceFile(path, doc.Src, m.Output)
	case out != "":
		err = fsutil.CreateFile(out, m.Output, o.force)
	default:
		_, err = e.Stdout.Write(m.Output)
	}
	if err != nil {
		return inputError(err)
	}
	return nil
}

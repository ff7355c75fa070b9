package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/internal/textdiff"
	"github.com/manifestctl/manifestctl/manifest"
)

func fmtCommand() *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "format manifests in the canonical layout",
		ArgsUsage: "[PATH|DIR|-]...",
		Description: "Writes each manifest in one canonical layout, changing layout only: two-space indentation,\n" +
			"one member per line (a list or object written on one line that holds only plain values stays on\n" +
			"one line, as in Procore's examples), strings re-encoded minimally, numbers as written, a final\n" +
			"newline, line endings as in the file. Members keep the order they are written in, so a manifest\n" +
			"pasted from Procore's editor keeps Procore's order; --reorder puts the members of each schema\n" +
			"section in the order of Procore's own examples (unknown members after the known ones, in their\n" +
			"order; tool keys and configuration fields keep theirs). Values and unknown fields are never\n" +
			"changed or lost, and formatting a formatted file changes nothing.\n\n" +
			"The flags mean what they mean for gofmt. Without flags the formatted text goes to standard output.\n" +
			"  -l  list the files whose formatting differs\n" +
			"  -w  write the result back to the file (atomically) instead of standard output\n" +
			"  -d  print unified diffs of the changes\n" +
			"With no PATH, or with -, standard input is read (-w cannot be used then). Only App Manifests are\n" +
			"formatted: a file named on the command line that is not one is an error (MC008) and is left\n" +
			"alone. Directories are walked for *.json App Manifests like validate does (other files, dot-folders,\n" +
			"node_modules, vendor, bower_components and what .gitignore files exclude are skipped). A file\n" +
			"that does not parse is reported like validate does and left alone.\n" +
			"Exit status: 0; 1 when a file does not parse, or, with -l or -d, when a file is not formatted\n" +
			"(a deliberate difference from gofmt, so that CI and hooks can use fmt -l); 2 usage or input problem\n" +
			"(also when some path could not be read, after the others were processed).",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "l", Usage: "list files whose formatting differs"},
			&cli.BoolFlag{Name: "w", Usage: "write the result to the file instead of standard output"},
			&cli.BoolFlag{Name: "d", Usage: "print diffs instead of the formatted text"},
			&cli.BoolFlag{Name: "reorder", Usage: "put members in the order of Procore's own examples"},
		},
		Action: runFmt,
	}
}

func runFmt(c *cli.Context) error {
	list, write, diff := c.Bool("l"), c.Bool("w"), c.Bool("d")
	args := c.Args().Slice()
	if len(args) == 0 {
		args = []string{"-"}
	}
	if stdinTwice(args) {
		return usageErrorf("standard input (-) can be named once")
	}
	if write && slices.Contains(args, "-") {
		return usageErrorf("-w cannot write to standard input: name a file")
	}
	failed, differs, unread, unwritten := false, false, 0, 0
	processed := 0 // files formatted (or checked, with -l or -d) in full
	for _, in := range manifest.Expand(args) {
		if in.Err != nil {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: read %s: %v\n", in.Path, in.Err)
			unread++
			continue
		}
		src, err := source.Read(c.Context, in.Path, source.Options{Stdin: c.App.Reader, Limit: manifest.DefaultMaxSize})
		if err != nil && !errors.Is(err, source.ErrTooLarge) {
			fmt.Fprintf(c.App.ErrWriter, "manifestctl: %v\n", err)
			unread++
			continue
		}
		name := in.Path
		doc, diags := manifest.Parse(name, src, manifest.ParseOptions{})
		// Only App Manifests are formatted: a walked file that is not
		// one is skipped, a named one is a finding; neither is written.
		isManifest := manifest.IsAppManifest(doc.Root)
		if in.Walked && !isManifest && (doc.Root != nil || !manifest.LooksLikeAppManifest(src)) {
			continue
		}
		if doc.Root != nil && !isManifest {
			failed = true
			printDiagnostics(c.App.ErrWriter, []manifest.Diagnostic{manifest.NotAppManifest(doc)})
			continue
		}
		out, err := manifest.FormatWith(doc, manifest.FormatOptions{Reorder: c.Bool("reorder")})
		if err != nil {
			failed = true
			var errs []manifest.Diagnostic
			for _, d := range diags {
				if d.Severity == manifest.SeverityError {
					errs = append(errs, d)
				}
			}
			printDiagnostics(c.App.ErrWriter, errs)
			continue
		}
		changed := !bytes.Equal(src, out)
		differs = differs || changed
		if list && changed {
			fmt.Fprintln(c.App.Writer, in.Path)
		}
		if diff && changed {
			if _, err := io.WriteString(c.App.Writer, textdiff.Unified(in.Path, src, out)); err != nil {
				return err
			}
		}
		if write && changed {
			if err := fsutil.ReplaceFile(in.Path, src, out); err != nil {
				// One file that cannot be written does not stop the others.
				fmt.Fprintf(c.App.ErrWriter, "manifestctl: %v\n", err)
				unwritten++
				continue
			}
		}
		if !list && !write && !diff {
			if _, err := c.App.Writer.Write(out); err != nil {
				return err
			}
		}
		processed++
	}
	if unread > 0 || unwritten > 0 {
		done := "formatted"
		if list || diff {
			done = "checked" // -l and -d format nothing
		}
		return notDoneError(unread, unwritten, processed, done)
	}
	if failed || ((list || diff) && differs) {
		return errFindings
	}
	return nil
}

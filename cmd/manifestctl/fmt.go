package main

import (
	"bytes"
	"context"
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

// fmtFlags are the arguments and flags of fmt.
type fmtFlags struct {
	args              []string
	list, write, diff bool
	reorder           bool
}

func parseFmt(c *cli.Context) (*fmtFlags, error) {
	o := &fmtFlags{args: c.Args().Slice(), list: c.Bool("l"), write: c.Bool("w"), diff: c.Bool("d"), reorder: c.Bool("reorder")}
	if len(o.args) == 0 {
		o.args = []string{"-"}
	}
	if stdinTwice(o.args) {
		return nil, usageErrorf("standard input (-) can be named once")
	}
	if o.write && slices.Contains(o.args, "-") {
		return nil, usageErrorf("-w cannot write to standard input: name a file")
	}
	return o, nil
}

func runFmt(c *cli.Context) error {
	o, err := parseFmt(c)
	if err != nil {
		return err
	}
	return fmtRun(c.Context, envOf(c), o)
}

func fmtRun(ctx context.Context, e *env, o *fmtFlags) error {
	list, write, diff := o.list, o.write, o.diff
	failed, differs, unread, unwritten := false, false, 0, 0
	processed := 0 // files formatted (or checked, with -l or -d) in full
	for _, in := range manifest.Expand(o.args) {
		if ctx.Err() != nil {
			// Ctrl-C: the files not reached are neither checked nor written.
			return errInterrupted
		}
		if in.Err != nil {
			fmt.Fprintf(e.Stderr, "manifestctl: read %s: %v\n", in.Path, in.Err)
			unread++
			continue
		}
		src, err := source.Read(ctx, in.Path, source.Options{Stdin: e.Stdin, Limit: manifest.DefaultMaxSize})
		if err != nil && !errors.Is(err, source.ErrTooLarge) {
			if ctx.Err() != nil {
				return errInterrupted
			}
			fmt.Fprintf(e.Stderr, "manifestctl: %v\n", err)
			unread++
			continue
		}
		out, findings, skip := manifest.FormatSource(in.Path, src, in.Walked, manifest.FormatOptions{Reorder: o.reorder})
		if skip {
			continue
		}
		if out == nil {
			// Not formatted (findings say why), not written.
			failed = true
			printDiagnostics(e.Stderr, findings)
			continue
		}
		changed := !bytes.Equal(src, out)
		differs = differs || changed
		if list && changed {
			fmt.Fprintln(e.Stdout, in.Path)
		}
		if diff && changed {
			if _, err := io.WriteString(e.Stdout, textdiff.Unified(in.Path, src, out)); err != nil {
				return err
			}
		}
		if write && changed {
			if err := fsutil.ReplaceFile(in.Path, src, out); err != nil {
				// One file that cannot be written does not stop the others.
				fmt.Fprintf(e.Stderr, "manifestctl: %v\n", err)
				unwritten++
				continue
			}
		}
		if !list && !write && !diff {
			if _, err := e.Stdout.Write(out); err != nil {
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

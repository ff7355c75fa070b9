package main

import (
	"bytes"
	"fmt"
	"github.com/manifestctl/manifestctl/internal/textdiff"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

func fmtCommand() *cli.Command {
	return &cli.Command{
		Name:      "fmt",
		Usage:     "format manifests in the canonical layout",
		ArgsUsage: "[PATH|DIR|-]...",
		Description: "Writes each manifest in one canonical layout: two-space indentation, one member per line,\n" +
			"the members of each schema section in a stable order (unknown members after the known ones, in\n" +
			"their order; tool keys and configuration fields keep theirs), strings re-encoded minimally,\n" +
			"numbers as written, a final newline. Values and unknown fields are never changed or lost, and\n" +
			"formatting a formatted file changes nothing.\n\n" +
			"The flags mean what they mean for gofmt. Without flags the formatted text goes to standard output.\n" +
			"  -l  list the files whose formatting differs\n" +
			"  -w  write the result back to the file (atomically) instead of standard output\n" +
			"  -d  print unified diffs of the changes\n" +
			"With no PATH, or with -, standard input is read (-w cannot be used then). Directories are walked\n" +
			"for *.json files. A file that does not parse is reported like validate does and left alone.\n" +
			"Exit status: 0; 1 when a file does not parse, or, with -l or -d, when a file is not formatted\n" +
			"(a deliberate difference from gofmt, so that CI and hooks can use fmt -l); 2 usage or input problem.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "l", Usage: "list files whose formatting differs"},
			&cli.BoolFlag{Name: "w", Usage: "write the result to the file instead of standard output"},
			&cli.BoolFlag{Name: "d", Usage: "print diffs instead of the formatted text"},
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
	inputs, err := validate.Expand(args)
	if err != nil {
		return inputError(err)
	}
	stdinUsed := false
	for _, in := range inputs {
		if in.Path == "-" {
			if write {
				return usageErrorf("-w cannot write to standard input: name a file")
			}
			if stdinUsed {
				return usageErrorf("standard input (-) can be named once")
			}
			stdinUsed = true
		}
	}
	failed, differs := false, false
	for _, in := range inputs {
		src, err := readFmtInput(in.Path, c.App.Reader)
		if err != nil {
			return inputError(err)
		}
		name := in.Path
		if name == "-" {
			name = "<stdin>"
		}
		doc, diags := manifest.Parse(name, src, manifest.ParseOptions{})
		out, err := manifest.Format(doc)
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
			if err := fsutil.WriteFileAtomic(in.Path, out, 0o644); err != nil {
				return inputError(err)
			}
		}
		if !list && !write && !diff {
			if _, err := c.App.Writer.Write(out); err != nil {
				return err
			}
		}
	}
	if failed || ((list || diff) && differs) {
		return errFindings
	}
	return nil
}

func readFmtInput(path string, stdin io.Reader) ([]byte, error) {
	limit := int64(manifest.DefaultMaxSize) + 1
	if path == "-" {
		return io.ReadAll(io.LimitReader(stdin, limit))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

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
			if _, err := io.WriteString(c.App.Writer, unifiedDiff(in.Path, src, out)); err != nil {
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

// unifiedDiff returns a unified diff (three lines of context) from a to b,
// labelled a/PATH and b/PATH, or "" when they are equal.
func unifiedDiff(path string, a, b []byte) string {
	al, bl := splitLines(a), splitLines(b)
	ops := diffLines(al, bl)
	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "diff -u a/%s b/%s\n--- a/%s\n+++ b/%s\n", path, path, path, path)
	// Walk the edit script, grouping changes within 2*context lines.
	i := 0
	for i < len(ops) {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		aStart, bStart, aLen, bLen := ops[start].a, ops[start].b, 0, 0
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				aLen++
			}
			if op.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, op := range ops[start:end] {
			out.WriteByte(op.kind)
			out.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// lineOp is one line of an edit script: ' ' kept, '-' removed, '+' added;
// a and b are the line's 0-based index in the old and new text (for an
// added line, a is where it goes; for a removed one, b).
type lineOp struct {
	kind byte
	text string
	a, b int
}

// diffLines returns an edit script from a to b: the common prefix and
// suffix, and a longest common subsequence of the middle (when it is
// small enough; else the middle is replaced as a whole).
func diffLines(a, b []string) []lineOp {
	var ops []lineOp
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		ops = append(ops, lineOp{' ', a[p], p, p})
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	am, bm := a[p:len(a)-s], b[p:len(b)-s]
	if len(am)*len(bm) <= 4_000_000 {
		// lcs[i][j] is the LCS length of am[i:] and bm[j:].
		lcs := make([][]int32, len(am)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(bm)+1)
		}
		for i := len(am) - 1; i >= 0; i-- {
			for j := len(bm) - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(am) || j < len(bm) {
			switch {
			case i < len(am) && j < len(bm) && am[i] == bm[j]:
				ops = append(ops, lineOp{' ', am[i], p + i, p + j})
				i++
				j++
			case i < len(am) && (j == len(bm) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, lineOp{'-', am[i], p + i, p + j})
				i++
			default:
				ops = append(ops, lineOp{'+', bm[j], p + i, p + j})
				j++
			}
		}
	} else {
		for i, l := range am {
			ops = append(ops, lineOp{'-', l, p + i, p})
		}
		for j, l := range bm {
			ops = append(ops, lineOp{'+', l, p + len(am), p + j})
		}
	}
	for k := 0; k < s; k++ {
		ops = append(ops, lineOp{' ', a[len(a)-s+k], len(a) - s + k, len(b) - s + k})
	}
	return ops
}

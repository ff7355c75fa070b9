package report

import (
	"bytes"
	"io"
	"strings"
	"text/tabwriter"
)

// table is a tabwriter for the text tables of the reports (two spaces
// between columns) whose lines carry no trailing spaces.
type table struct {
	*tabwriter.Writer
	buf bytes.Buffer
	out io.Writer
}

func newTable(w io.Writer) *table {
	t := &table{out: w}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 4, 2, ' ', 0)
	return t
}

func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(t.buf.String(), "\n") {
		if line == "" {
			continue
		}
		nl := strings.HasSuffix(line, "\n")
		line = strings.TrimRight(line, " \n")
		if nl {
			line += "\n"
		}
		if _, err := io.WriteString(t.out, line); err != nil {
			return err
		}
	}
	return nil
}

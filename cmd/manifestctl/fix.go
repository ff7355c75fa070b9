package main

import (
	"fmt"
	"io"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/validate"
)

// fixFile applies the meaning-preserving fixes of r to its file
// (validate.Fix), writes it atomically (owner and mode kept; refused when
// the file changed since it was read), then prints each applied fix to w,
// and returns the result of validating the fixed file, so the report shows
// what is left. A file with nothing to fix is returned unchanged and not
// written; standard input ("-") is never written: the fixed source is in
// the result's Document, for the caller to print.
func fixFile(r validate.Result, opts *validate.Options, w io.Writer) (validate.Result, error) {
	if r.Document == nil || r.Document.Root == nil {
		return r, nil
	}
	original := r.Document.Src
	src, applied, fixed, err := validate.Fix(r, opts)
	if err != nil {
		return r, fmt.Errorf("fix %s: %w", r.Path, err)
	}
	if len(applied) == 0 {
		return r, nil
	}
	// Standard input is not written: the caller prints the result.
	if r.Path != "-" {
		if err := fsutil.ReplaceFile(r.Path, original, src); err != nil {
			return fixed, inputError(err)
		}
	}
	for _, d := range applied {
		desc := d.Fix.Description
		if desc == "" {
			desc = d.Message
		}
		if _, err := fmt.Fprintf(w, "fixed %s: %s [%s]\n", d.Pos, desc, d.Rule); err != nil {
			return fixed, err
		}
	}
	return fixed, nil
}

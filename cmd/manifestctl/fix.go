package main

import (
	"fmt"
	"io"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

// maxFixRounds bounds how often a file is fixed and validated again: a
// fix skipped because it overlapped another is picked up by the next
// round.
const maxFixRounds = 4

// fixFile applies the meaning-preserving fixes of r to its file, writes it
// atomically (owner and mode kept; refused when the file changed since it
// was read), then prints each applied fix to w, and returns the
// result of validating the fixed file, so the report shows what is left.
// A file with nothing to fix is returned unchanged and not written.
func fixFile(r validate.Result, opts *validate.Options, w io.Writer) (validate.Result, error) {
	if r.Document == nil || r.Document.Root == nil {
		return r, nil
	}
	original := r.Document.Src
	src := original
	var fixed []string // printed once the file is written
	changed := false
	for round := 0; round < maxFixRounds; round++ {
		newSrc, applied, err := manifest.ApplyFixes(r.Document, r.Diagnostics)
		if err != nil {
			return r, fmt.Errorf("fix %s: %w", r.Path, err)
		}
		if len(applied) == 0 {
			break
		}
		for _, d := range applied {
			desc := d.Fix.Description
			if desc == "" {
				desc = d.Message
			}
			fixed = append(fixed, fmt.Sprintf("fixed %s: %s [%s]\n", d.Pos, desc, d.Rule))
		}
		src, changed = newSrc, true
		r = validate.Bytes(r.Path, src, opts)
	}
	if !changed {
		return r, nil
	}
	if err := fsutil.ReplaceFile(r.Path, original, src); err != nil {
		return r, inputError(err)
	}
	for _, line := range fixed {
		if _, err := io.WriteString(w, line); err != nil {
			return r, err
		}
	}
	return r, nil
}

package main

import (
	"fmt"
	"io"
	"os"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

// maxFixRounds bounds how often a file is fixed and validated again: a
// fix skipped because it overlapped another is picked up by the next
// round.
const maxFixRounds = 4

// fixFile applies the meaning-preserving fixes of r to its file, writes it
// atomically (mode kept), prints each applied fix to w, and returns the
// result of validating the fixed file, so the report shows what is left.
// A file with nothing to fix is returned unchanged and not written.
func fixFile(r validate.Result, opts *validate.Options, w io.Writer) (validate.Result, error) {
	if r.Document == nil || r.Document.Root == nil {
		return r, nil
	}
	src := r.Document.Src
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
			fmt.Fprintf(w, "fixed %s: %s [%s]\n", d.Pos, desc, d.Rule)
		}
		src, changed = newSrc, true
		r = validate.Bytes(r.Path, src, opts)
	}
	if !changed {
		return r, nil
	}
	info, err := os.Stat(r.Path)
	if err != nil {
		return r, inputError(err)
	}
	if err := fsutil.WriteFileAtomic(r.Path, src, info.Mode().Perm()); err != nil {
		return r, inputError(fmt.Errorf("write %s: %w", r.Path, err))
	}
	return r, nil
}

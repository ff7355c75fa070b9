package validate

import "github.com/manifestctl/manifestctl/manifest"

// maxFixRounds bounds how often a file is fixed and validated again: a fix
// skipped because it overlapped another is picked up by the next round.
const maxFixRounds = 4

// Fix applies the meaning-preserving fixes of r, a result validated with
// Options.KeepDocument, as `validate --fix` does: in rounds of applying
// every fix that does not overlap another and validating the new source
// with opts again. It returns the fixed source, the fixes applied (each
// positioned in the source of its round), and the result of validating the
// fixed source, so that the caller can report what is left. With nothing
// to fix, src is r's source (nil without a Document), applied is empty and
// res is r. Fix writes nothing.
func Fix(r Result, opts *Options) (src []byte, applied []manifest.Diagnostic, res Result, err error) {
	res = r
	if r.Document == nil || r.Document.Root == nil {
		return nil, nil, r, nil
	}
	src = r.Document.Src
	o := Options{}
	if opts != nil {
		o = *opts
	}
	o.KeepDocument = true
	for range maxFixRounds {
		newSrc, done, err := manifest.ApplyFixes(res.Document, res.Diagnostics)
		if err != nil {
			return src, applied, res, err
		}
		if len(done) == 0 {
			break
		}
		applied = append(applied, done...)
		src = newSrc
		res = Bytes(r.Path, src, &o)
	}
	return src, applied, res, nil
}

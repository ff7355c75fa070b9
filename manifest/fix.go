package manifest

import (
	"fmt"
	"sort"
)

// ApplyFixes applies the fixes attached to diags to doc.Src and returns
// the new source and the diagnostics whose fixes were applied, in the
// order given. Each Fix is applied whole or not at all: a fix with an edit
// that overlaps an edit of an earlier accepted fix is skipped (an
// identical edit is shared, not an overlap), so that only non-overlapping
// fixes are applied; a later run picks up what was skipped. Fixes are
// meaning-preserving by construction (see Fix), so the result means what
// the original meant.
//
// When no fix applies, newSrc is doc.Src itself and applied is nil. The
// result is checked to parse; if it does not (a rule's bug), the error
// says so and nothing is returned.
func ApplyFixes(doc *Document, diags []Diagnostic) (newSrc []byte, applied []Diagnostic, err error) {
	if doc == nil || doc.Root == nil {
		return nil, nil, ErrNoDocument
	}
	var accepted []Edit
	for _, d := range diags {
		if d.Fix == nil || len(d.Fix.Edits) == 0 {
			continue
		}
		var add []Edit
		ok := true
		for _, e := range d.Fix.Edits {
			if e.Start < 0 || e.End < e.Start || e.End > len(doc.Src) {
				ok = false
				break
			}
			if containsEdit(accepted, e) || containsEdit(add, e) {
				continue
			}
			if overlapsAny(accepted, e) || overlapsAny(add, e) {
				ok = false
				break
			}
			add = append(add, e)
		}
		if !ok {
			continue
		}
		accepted = append(accepted, add...)
		applied = append(applied, d)
	}
	if len(applied) == 0 {
		return doc.Src, nil, nil
	}
	sort.SliceStable(accepted, func(i, j int) bool {
		if accepted[i].Start != accepted[j].Start {
			return accepted[i].Start < accepted[j].Start
		}
		return accepted[i].End < accepted[j].End
	})
	src, err := ApplyEdits(doc.Src, accepted)
	if err != nil {
		return nil, nil, err
	}
	out, diags2 := Parse(doc.Path, src, ParseOptions{MaxSize: max(len(src), DefaultMaxSize)})
	if out.Root == nil {
		msg := "unknown error"
		if len(diags2) > 0 {
			msg = diags2[len(diags2)-1].Message
		}
		return nil, nil, fmt.Errorf("fixes produced invalid JSON (%s); nothing was changed", msg)
	}
	return src, applied, nil
}

func containsEdit(edits []Edit, e Edit) bool {
	for _, o := range edits {
		if o == e {
			return true
		}
	}
	return false
}

func overlapsAny(edits []Edit, e Edit) bool {
	for _, o := range edits {
		if overlap(o, e) {
			return true
		}
	}
	return false
}

// overlap reports whether two edits cannot both be applied: their ranges
// share a byte, two insertions are at the same offset (their order would
// be arbitrary), or an insertion falls strictly inside a replaced range.
func overlap(a, b Edit) bool {
	if a.Start < b.End && b.Start < a.End {
		return true
	}
	if a.Start == a.End && b.Start == b.End {
		return a.Start == b.Start
	}
	if a.Start == a.End {
		return b.Start < a.Start && a.Start < b.End
	}
	if b.Start == b.End {
		return a.Start < b.Start && b.Start < a.End
	}
	return false
}

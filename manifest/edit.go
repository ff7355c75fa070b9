package manifest

import (
	"fmt"
	"sort"
)

// Edit replaces Src[Start:End] with Text. An insertion has Start == End.
type Edit struct {
	Start int
	End   int
	Text  string
}

// ApplyEdits returns src with the edits applied. Edits must not overlap;
// they may come in any order. src is not modified.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) overlaps another or lies outside the file", e.Start, e.End)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.Text...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

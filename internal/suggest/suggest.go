// Package suggest measures how far apart two words are, for "did you
// mean" suggestions (unknown tools, view keys, template variables).
package suggest

// Distance is the optimal string alignment distance between a and b, in
// runes: insertions, deletions, substitutions and transpositions of
// adjacent runes each cost one.
func Distance(a, b string) int {
	return AtMost(a, b, -1)
}

// stackRunes is the length up to which AtMost works in stack memory: tool
// keys and view keys are far shorter, and a validation with an unknown
// tool on every line of a 10 MiB file asks for hundreds of thousands of
// distances.
const stackRunes = 48

// AtMost is Distance when it is at most limit; otherwise it returns some
// value above limit, as soon as every alignment is known to cost more
// (a suggestion with a bound needs no more). A negative limit means no
// bound.
func AtMost(a, b string, limit int) int {
	var abuf, bbuf [stackRunes]rune
	ra, rb := appendRunes(abuf[:0], a), appendRunes(bbuf[:0], b)
	if len(ra) == 0 {
		return len(rb)
	}
	if len(rb) == 0 {
		return len(ra)
	}
	// Three rows: i-2, i-1 and i.
	var rowbuf [3 * (stackRunes + 1)]int
	rows := rowbuf[:]
	if w := len(rb) + 1; 3*w > len(rows) {
		rows = make([]int, 3*w)
	}
	w := len(rb) + 1
	prev2, prev, cur := rows[:w], rows[w:2*w], rows[2*w:3*w]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		// Every cell of a later row costs at least the minimum of this
		// row or of the previous one (a transposition reaches back two
		// rows), so once both are above the limit the answer is too.
		if limit >= 0 && i > 1 && rowMin > limit && minOf(prev) > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func minOf(row []int) int {
	m := row[0]
	for _, v := range row[1:] {
		m = min(m, v)
	}
	return m
}

// appendRunes appends the runes of s to buf (which stays on the stack
// when s fits).
func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

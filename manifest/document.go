package manifest

import (
	"bytes"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Document is a parsed manifest: its source bytes, as read, and the tree.
type Document struct {
	Path  string // as given by the caller; used in positions
	Src   []byte // the bytes as read, byte-order mark included
	Root  *Node  // nil when the source is not a JSON document
	BOM   bool   // the source starts with a UTF-8 byte-order mark
	lines []int  // offsets of line starts, built on first use
	marks []runeMark
}

// runeMark is a checkpoint for counting columns on long lines: off is a
// character boundary and count the number of characters before it, as
// utf8.RuneCount counts them (an invalid byte is one character).
type runeMark struct{ off, count int }

// markStep is the spacing of the checkpoints in bytes. A column on a line
// shorter than two steps is counted from the line start; on a longer line,
// from the nearest checkpoint, so that every position costs at most about
// markStep bytes of counting however long the line (a 10 MiB one-line
// file with a finding on every member stays linear).
const markStep = 1024

// runeMarks returns a checkpoint at (or just after) every markStep bytes
// of the source, built on first use.
func (d *Document) runeMarks() []runeMark {
	if d.marks != nil {
		return d.marks
	}
	src := d.Src
	marks := make([]runeMark, 1, len(src)/markStep+1)
	prev := runeMark{}
	for target := markStep; target < len(src); target += markStep {
		off := target
		// A checkpoint must not split a character: if a valid encoded
		// character (which starts at a boundary: its first byte is not a
		// continuation byte) spans target, move past it. Invalid bytes are
		// one character each, so any other offset is a boundary.
		for p := max(target-(utf8.UTFMax-1), prev.off); p < target; p++ {
			if _, size := utf8.DecodeRune(src[p:]); size > 1 && p+size > target {
				off = p + size
				break
			}
		}
		if off <= prev.off || off >= len(src) {
			continue
		}
		prev = runeMark{off: off, count: prev.count + utf8.RuneCount(src[prev.off:off])}
		marks = append(marks, prev)
	}
	d.marks = marks
	return marks
}

// runesBefore returns utf8.RuneCount(d.Src[:offset]) using the checkpoints.
func (d *Document) runesBefore(offset int) int {
	marks := d.runeMarks()
	k := min(offset/markStep, len(marks)-1)
	for k > 0 && marks[k].off > offset {
		k--
	}
	return marks[k].count + utf8.RuneCount(d.Src[marks[k].off:offset])
}

func (d *Document) lineStarts() []int {
	if d.lines == nil {
		lines := make([]int, 1, bytes.Count(d.Src, []byte{'\n'})+1)
		for i := 0; ; {
			j := bytes.IndexByte(d.Src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			lines = append(lines, i)
		}
		d.lines = lines
	}
	return d.lines
}

// LineCol returns the 1-based line and column of a byte offset. Columns
// count Unicode characters; a byte-order mark is not counted.
func (d *Document) LineCol(offset int) (line, col int) {
	if offset < 0 {
		return 0, 0
	}
	if offset > len(d.Src) {
		offset = len(d.Src)
	}
	lines := d.lineStarts()
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > offset }) - 1
	start := lines[i]
	if i == 0 && d.BOM {
		start = min(3, offset)
	}
	if offset-start < 2*markStep {
		return i + 1, utf8.RuneCount(d.Src[start:offset]) + 1
	}
	// A line start (after '\n', or after the byte-order mark) is a
	// character boundary, so the count from it is the difference of the
	// counts from the start of the file.
	return i + 1, d.runesBefore(offset) - d.runesBefore(start) + 1
}

func (d *Document) lineCol(offset int) string {
	l, c := d.LineCol(offset)
	return "line " + strconv.Itoa(l) + " column " + strconv.Itoa(c)
}

// PositionAt returns the Position of a byte offset, labelled with pointer.
func (d *Document) PositionAt(offset int, pointer string) Position {
	l, c := d.LineCol(offset)
	return Position{File: d.Path, Pointer: pointer, Line: l, Col: c, Offset: offset}
}

// Position returns the position of the value at pointer. When the pointer
// names nothing, the position of its nearest existing ancestor is used, but
// the pointer is kept as given.
func (d *Document) Position(pointer string) Position {
	n := d.nearest(pointer)
	if n == nil {
		return Position{File: d.Path, Pointer: pointer, Offset: -1}
	}
	return d.PositionAt(n.Start, pointer)
}

// Span returns the start and end positions of the value at pointer (or its
// nearest existing ancestor).
func (d *Document) Span(pointer string) (start, end Position) {
	n := d.nearest(pointer)
	if n == nil {
		p := Position{File: d.Path, Pointer: pointer, Offset: -1}
		return p, p
	}
	start = d.PositionAt(n.Start, pointer)
	if n.End >= n.Start && n.End-n.Start <= 64 && n.End <= len(d.Src) && bytes.IndexByte(d.Src[n.Start:n.End], '\n') < 0 {
		// Most values are short and end on the line they start on: count
		// on from the start instead of searching the line again. (A long
		// value is not scanned: every finding at a large object would
		// cost its whole length.)
		end = start
		end.Col += utf8.RuneCount(d.Src[n.Start:n.End])
		end.Offset = n.End
		return start, end
	}
	return start, d.PositionAt(n.End, pointer)
}

// KeyPosition returns the position of the member name that holds the value
// at pointer, or the value's position when it is not an object member.
func (d *Document) KeyPosition(pointer string) Position {
	if pointer == "" || d.Root == nil {
		return d.Position(pointer)
	}
	tokens, err := SplitPointer(pointer)
	if err != nil {
		return d.Position(pointer)
	}
	parent := d.Root.Lookup(ParentPointer(pointer))
	if i := parent.Member(tokens[len(tokens)-1]); i >= 0 {
		return d.PositionAt(parent.Members[i].KeyStart, pointer)
	}
	return d.Position(pointer)
}

func (d *Document) nearest(pointer string) *Node {
	if d.Root == nil {
		return nil
	}
	for {
		if n := d.Root.Lookup(pointer); n != nil {
			return n
		}
		if pointer == "" {
			return nil
		}
		pointer = ParentPointer(pointer)
	}
}

// Diag builds a Diagnostic at the value named by pointer.
func (d *Document) Diag(rule string, sev Severity, pointer, msg string) Diagnostic {
	start, end := d.Span(pointer)
	return Diagnostic{Rule: rule, Severity: sev, Message: msg, Pos: start, End: end}
}

// diagAt builds a Diagnostic of a built-in rule at a byte offset.
func (d *Document) diagAt(rule string, offset int, pointer, msg string) Diagnostic {
	pos := d.PositionAt(offset, pointer)
	return Diagnostic{Rule: rule, Severity: builtinSeverity(rule), Message: msg, Pos: pos, End: pos}
}

// Text returns the source text of a node.
func (d *Document) Text(n *Node) []byte {
	if n == nil {
		return nil
	}
	return d.Src[n.Start:n.End]
}

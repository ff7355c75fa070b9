package validate_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

// worstCases generate manifests of about a given size that are hard for a
// pipeline that is not linear (issue 9 item 10): very wide objects, a
// finding for every member, everything on one line, one huge string.
var worstCases = []struct {
	name string
	gen  func(size int) []byte
}{
	// One permissions object with a member per unknown tool, one per
	// line: a warning (MC101) for every member.
	{"unknown-tools", func(size int) []byte { return wideTools(size, "\n") }},
	// The same on a single line: every finding's column is on one line
	// that is the whole file.
	{"unknown-tools-one-line", func(size int) []byte { return wideTools(size, "") }},
	// A top-level object with many unknown members (kept, no finding):
	// wide objects without findings.
	{"unknown-members", wideMembers},
	// Levels the schema rejects for every tool: schema and permission
	// findings (MC011/MC102) for every member.
	{"bad-levels", badLevels},
	// One string of the whole size, on one line, with non-ASCII
	// characters, and a finding after it.
	{"long-line", longLine},
}

const worstHead = `{"schema_version":"4.1","app_manifest":{"id":"x","name":"n","version":"1.4.0"},`

func wideTools(size int, sep string) []byte {
	var b bytes.Buffer
	b.WriteString(worstHead + `"permissions":{"company":{`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString("," + sep)
		}
		b.WriteString(`"tool_` + strconv.Itoa(i) + `":"readonly"`)
	}
	b.WriteString("}}}\n")
	return b.Bytes()
}

func wideMembers(size int) []byte {
	var b bytes.Buffer
	b.WriteString(worstHead + "\n")
	for i := 0; b.Len() < size; i++ {
		b.WriteString(`"x_field_` + strconv.Itoa(i) + `":{"k":[1,2,"ü"]},` + "\n")
	}
	b.WriteString(`"permissions":{"company":{"directory":"readonly"}}}` + "\n")
	return b.Bytes()
}

func badLevels(size int) []byte {
	var b bytes.Buffer
	b.WriteString(worstHead + `"permissions":{"project":{`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`"tool_` + strconv.Itoa(i) + `":["é"]`)
	}
	b.WriteString("}}}\n")
	return b.Bytes()
}

func longLine(size int) []byte {
	var b bytes.Buffer
	b.WriteString(worstHead + `"post_installation_instruction":{"notes":"`)
	for b.Len() < size {
		b.WriteString("ünïcödé text, ")
	}
	b.WriteString(`"},"permissions":{"company":{"directory":"readonly","nope":"readonly"}}}`)
	return b.Bytes()
}

// worstSizes are the sizes every worst case is measured at: time per
// byte (ns/B, from the MB/s column) should stay roughly flat across them.
var worstSizes = []int{100 << 10, 1 << 20, 10<<20 - 64<<10}

// BenchmarkWorst measures the whole validation pipeline (parse, schema,
// rules, positions, sorting) on generated worst cases of 0.1, 1 and 10 MB.
// Compare the MB/s of one case across sizes: a near-linear pipeline keeps
// it roughly constant.
func BenchmarkWorst(b *testing.B) {
	for _, c := range worstCases {
		for _, size := range worstSizes {
			b.Run(fmt.Sprintf("%s/%s", c.name, sizeName(size)), func(b *testing.B) {
				src := c.gen(size)
				if len(src) > manifest.DefaultMaxSize {
					b.Fatalf("generated %d bytes, above the size limit", len(src))
				}
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				var n int
				cpu := cpuTime()
				for b.Loop() {
					r := validate.Bytes("worst.json", src, nil)
					n = len(r.Diagnostics)
				}
				cpu = cpuTime() - cpu
				b.ReportMetric(float64(n), "findings")
				// Processor time (user + system, every thread, the
				// collector's included) per byte: unlike ns/op, it does
				// not grow when other processes share the machine.
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(len(src)), "cpu-ns/B")
			})
		}
	}
}

func sizeName(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%dKB", n>>10)
	}
	return fmt.Sprintf("%dMB", (n+512<<10)>>20)
}

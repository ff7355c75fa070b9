package release_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/manifestctl/manifestctl/release"
)

// wideManifest is a 4.1 manifest declaring n company tools (unknown to the
// catalogue), at version, with tool number raised to admin when raised >= 0.
func wideManifest(n int, version string, raised int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"schema_version":"4.1","app_manifest":{"version":"` + version + `"},"permissions":{"company":{`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		level := "readonly"
		if i == raised {
			level = "admin"
		}
		b.WriteString(`"tool_` + strconv.Itoa(i) + `":"` + level + `"`)
	}
	b.WriteString("}}}\n")
	return b.Bytes()
}

// BenchmarkWorstCompare loads two manifests declaring n tools each, diffs
// them and runs the version check, as `diff` and `version check` do (issue
// 9 item 10: 200,000 tools took minutes). ns/B should stay roughly flat
// as n grows.
func BenchmarkWorstCompare(b *testing.B) {
	for _, n := range []int{4_000, 40_000, 400_000} {
		b.Run(fmt.Sprintf("tools=%d", n), func(b *testing.B) {
			oldSrc := wideManifest(n, "1.4.0", -1)
			newSrc := wideManifest(n, "2.0.0", n/2)
			b.SetBytes(int64(len(oldSrc) + len(newSrc)))
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				oldApp, err := release.Load("old.json", oldSrc)
				if err != nil {
					b.Fatal(err)
				}
				newApp, err := release.Load("new.json", newSrc)
				if err != nil {
					b.Fatal(err)
				}
				r := release.Compare("old.json", oldApp, "new.json", newApp, nil)
				if res := release.Check(r, newApp, release.CheckOptions{}); !res.OK || len(r.Changes) != 1 {
					b.Fatalf("check: ok %v, %d changes", res.OK, len(r.Changes))
				}
			}
			cpu = cpuTime() - cpu
			// Processor time per byte of the two files (see validate's
			// BenchmarkWorst).
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/float64(len(oldSrc)+len(newSrc)), "cpu-ns/B")
		})
	}
}

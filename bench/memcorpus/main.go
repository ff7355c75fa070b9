// Command memcorpus writes the two corpora bench/memory.sh measures peak
// memory on (issue 9 item 12): N large clean manifests of about SIZE bytes
// each, and M small ones, all App Manifest 4.1 files without errors; and
// F small files with findings (an error, warnings and an info each), for
// the formats that hold findings until the end.
//
//	go run ./bench/memcorpus -out bench/out/mem -big 80 -size 10000000 -small 20000 -findings 20000
//
// The large files hold a long installation note and many members the
// tool keeps but does not know (wide objects): a parse tree as large as
// the limit allows, and nothing to report. Output is deterministic.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
)

const head = `{
  "schema_version": "4.1",
  "app_manifest": {"id": "A1", "name": "Bench", "version": "1.0.0"},
  "post_installation_instruction": {
    "page": {"url": "https://example.com/setup", "label": "Setup"},
    "notes": "`

const tail = `"
  },
  "permissions": {
    "company": {"directory": "readonly"},
    "project": {"rfi": "standard", "submittals": "readonly"}
  }
}
`

// big returns a clean manifest of about size bytes: half a note, half
// unknown members.
func big(i, size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 1024)
	b.WriteString(head)
	for b.Len() < size/2 {
		b.WriteString("Thank you for installing the app; see the setup page. ")
	}
	b.WriteString(`",` + "\n" + `    "x_bench_index": ` + strconv.Itoa(i) + ",\n" + `    "x_bench": {`)
	for n := 0; b.Len() < size-len(tail)-64; n++ {
		if n > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n      \"field_" + strconv.Itoa(n) + `": "value"`)
	}
	b.WriteString("}\n  ")
	b.WriteString(tail[1:])
	return b.Bytes()
}

func small(i int) []byte {
	return []byte(head + "Thank you for installing. Bench file " + strconv.Itoa(i) + "." + tail)
}

// withFindings returns a small manifest with six findings: a level that
// is not one (MC102, error), a level spelled the 3.x way (MC104), two
// unknown tools (MC101), an admin grant (MC105, info) and an explicit none
// (MC110, info).
func withFindings(i int) []byte {
	return []byte(head + "Thank you for installing. Bench file " + strconv.Itoa(i) + "." + `"
  },
  "permissions": {
    "company": {"directory": "read_only", "no_such_tool_` + strconv.Itoa(i%97) + `": "readonly", "admin": "admin"},
    "project": {"rfi": "editor", "submittals": "none", "another_unknown_tool": "standard"}
  }
}
`)
}

func write(dir string, name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	out := flag.String("out", "bench/out/mem", "output folder (big/, small/ and findings/ are made in it)")
	nBig := flag.Int("big", 80, "number of large files")
	size := flag.Int("size", 10_000_000, "size of a large file in bytes (the limit is 10 MiB)")
	nSmall := flag.Int("small", 20_000, "number of small files")
	nFindings := flag.Int("findings", 20_000, "number of small files with findings")
	flag.Parse()
	for _, d := range []string{"big", "small", "findings"} {
		if err := os.MkdirAll(filepath.Join(*out, d), 0o755); err != nil {
			log.Fatal(err)
		}
	}
	for i := range *nBig {
		write(filepath.Join(*out, "big"), fmt.Sprintf("m%03d.json", i), big(i, *size))
	}
	for i := range *nSmall {
		write(filepath.Join(*out, "small"), fmt.Sprintf("m%05d.json", i), small(i))
	}
	for i := range *nFindings {
		write(filepath.Join(*out, "findings"), fmt.Sprintf("m%05d.json", i), withFindings(i))
	}
}

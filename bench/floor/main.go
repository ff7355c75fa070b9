// Command floor is the read+decode floor of the benchmarks: it reads every
// *.json file under the given paths (walked like manifestctl validate walks
// a directory) and decodes each with json.Unmarshal into an interface value,
// with no schema and no rules. Nothing a validator does can be cheaper than
// this, so manifestctl's time is stated as a multiple of it.
//
// Usage:
//
//	floor [-j N] PATH...
//
// -j is the number of files read and decoded at once (default: the number
// of CPUs); -j 1 gives the single-core floor. It prints the number of files
// and bytes on standard error and exits 1 if any file is not valid JSON.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

func main() {
	jobs := flag.Int("j", runtime.NumCPU(), "files decoded at once")
	flag.Parse()
	var files []string
	for _, arg := range flag.Args() {
		err := filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != arg && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if p == arg || strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(2)
		}
	}
	var (
		next, nbytes atomic.Int64
		bad          atomic.Int32
		wg           sync.WaitGroup
	)
	for range max(*jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				b, err := os.ReadFile(files[i])
				if err != nil {
					fmt.Fprintln(os.Stderr, "floor:", err)
					os.Exit(2)
				}
				nbytes.Add(int64(len(b)))
				var v any
				if json.Unmarshal(b, &v) != nil {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Fprintf(os.Stderr, "%d files, %d bytes, %d not JSON\n", len(files), nbytes.Load(), bad.Load())
	if bad.Load() > 0 {
		os.Exit(1)
	}
}

// Command manifestctl builds, validates, versions and audits Procore App
// Manifests. Run "manifestctl help" for the commands.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// The live heap is a few MB: collect less often (bench/RESULTS.md).
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft ceiling: with large files GOGC=200 alone lets the heap
		// reach three times two files in flight (bench/RESULTS.md, memory).
		debug.SetMemoryLimit(256 << 20)
	}
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

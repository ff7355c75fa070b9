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
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

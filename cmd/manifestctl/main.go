// Command manifestctl builds, validates, versions and audits Procore App
// Manifests. Run "manifestctl help" for the commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

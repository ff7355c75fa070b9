package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
)

// loadOptions say which inputs a command accepts besides a file path.
type loadOptions struct {
	stdin bool // "-" reads standard input
	git   bool // git:REF:PATH reads from git
	// edit names the command when it writes the file back: "-" and
	// git:REF:PATH are refused with a usage error naming it.
	edit string
	// schemaVersion overrides the declared version (--schema-version).
	schemaVersion manifest.SchemaVersion
}

// load reads and checks one manifest with manifest.Load, the one input
// layer: an unreadable input is exit 2 ("read SPEC: reason"); a file that
// is not a usable App Manifest returns its findings in a *LoadError for
// the caller to print (exit 1).
func load(c *cli.Context, spec string, o loadOptions) (*manifest.Document, manifest.SchemaVersion, error) {
	_, _, isGit, _ := source.ParseGitSpec(spec)
	switch {
	case spec == "-" && o.edit != "":
		return nil, "", usageErrorf("%s rewrites FILE in place: standard input cannot be edited; give a FILE", o.edit)
	case spec == "-" && !o.stdin:
		return nil, "", usageErrorf("standard input (-) cannot be read here: give a FILE")
	case isGit && o.edit != "":
		return nil, "", usageErrorf("%s rewrites FILE in place: a git:REF:PATH source cannot be edited", o.edit)
	case isGit && !o.git:
		return nil, "", usageErrorf("a git:REF:PATH source cannot be read here: give a FILE (or ./%s for a file of that name)", spec)
	}
	// Standard input is "-" in every report and message.
	doc, v, err := manifest.Load(c.Context, spec, &manifest.LoadOptions{Stdin: c.App.Reader, Name: spec, SchemaVersion: o.schemaVersion})
	var le *manifest.LoadError
	if err != nil && !errors.As(err, &le) {
		return nil, "", inputError(err)
	}
	return doc, v, err
}

// stdinTwice reports whether "-" is named more than once: standard input
// can be read once.
func stdinTwice(args []string) bool {
	n := 0
	for _, a := range args {
		if a == "-" {
			n++
		}
	}
	return n > 1
}

//go:build tools

// Package tools pins dependencies used by packages not yet written.
package tools

import (
	_ "github.com/Masterminds/semver/v3"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "github.com/santhosh-tekuri/jsonschema/v5"
	_ "github.com/urfave/cli/v2"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/sync/errgroup"
)

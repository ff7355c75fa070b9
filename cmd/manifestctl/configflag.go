package main

import (
	"errors"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/release"
)

// configFlag is --config: one configuration file for every manifest,
// instead of looking for .manifestctl.json from each manifest's folder.
func configFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "config", TakesFile: true, Usage: "use this configuration `FILE` instead of looking for " +
		config.FileName + " from each manifest's folder up to the repository root"}
}

// configResolver returns the resolver for a --config flag ("": none).
func configResolver(file string) *config.Resolver {
	return &config.Resolver{Explicit: file, Options: config.ParseOptions{ChangeKind: release.CheckKind}}
}

// configError turns a configuration problem into exit 2, with every
// problem on its own line as file:line:col: message.
func configError(err error) error {
	var ce *config.Error
	if errors.As(err, &ce) {
		return &exitError{code: exitUsage, err: ce}
	}
	if errors.Is(err, os.ErrNotExist) {
		return &exitError{code: exitUsage, err: err}
	}
	return inputError(err)
}

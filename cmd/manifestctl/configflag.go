package main

import (
	"errors"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

// configFlag is --config: one configuration file for every manifest,
// instead of looking for .manifestctl.json from each manifest's folder.
func configFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "config", TakesFile: true, Usage: "use this configuration `FILE` instead of looking for " +
		config.FileName + " from each manifest's folder up to the repository root"}
}

// configResolver returns the resolver for the command's --config flag.
func configResolver(c *cli.Context) *config.Resolver {
	return &config.Resolver{Explicit: c.String("config"), Options: config.ParseOptions{}}
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

// effectiveSeverity is a rule's severity under the precedence flag over
// configuration over default.
func effectiveSeverity(r *lint.Rule, flags map[string]manifest.Severity, cfg *config.Config) manifest.Severity {
	if s, ok := flags[r.ID]; ok {
		return s
	}
	return cfg.Severity(r.ID, r.Severity)
}

// reportRules lists every rule with its effective severity, for the
// formats that describe the rules checked (sarif, junit).
func reportRules(flags map[string]manifest.Severity, cfg *config.Config) []report.Rule {
	var out []report.Rule
	for _, r := range lint.All() {
		out = append(out, report.Rule{ID: r.ID, Title: r.Title, Severity: effectiveSeverity(r, flags, cfg), URL: r.URL()})
	}
	return out
}

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
)

// configFlag is --config: one configuration file for every manifest,
// instead of looking for .manifestctl.json from each manifest's folder.
func configFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "config", TakesFile: true, Usage: "use this configuration `FILE` instead of looking for " +
		config.FileName + " from each manifest's folder up to the repository root"}
}

// configResolver returns the resolver for the command's --config flag.
func configResolver(c *cli.Context) *config.Resolver {
	return &config.Resolver{Explicit: c.String("config"), Options: config.ParseOptions{ChangeKind: release.CheckKind}}
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

// configToolCatalog returns the embedded tool catalogue with the given files
// merged in order (a later file wins for a tool both define), as the
// "tools" of a configuration file ask.
func configToolCatalog(files []string) (*permissions.Catalog, error) {
	c, err := permissions.Default()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := source.ReadFile(f, permissions.MaxToolsFile)
		if err != nil {
			return nil, fmt.Errorf("tool catalogue: %w", err)
		}
		user, err := permissions.ParseTools(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if user.Version == "" {
			user.Version = filepath.Base(f)
		}
		if c, err = c.Merge(user); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return c, nil
}

package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/validate"
)

// ParseRuleSetting reads a --rule flag value, ID=error|warning|info|off
// (the ID and the severity in any case), and returns the rule's ID as the
// registry spells it.
func ParseRuleSetting(spec string) (string, manifest.Severity, error) {
	id, sev, ok := strings.Cut(spec, "=")
	if !ok {
		return "", 0, errors.New("want ID=error|warning|info|off")
	}
	r := lint.Lookup(id)
	if r == nil {
		return "", 0, fmt.Errorf("unknown rule %q (run \"manifestctl rules\")", id)
	}
	s, err := manifest.ParseSeverity(strings.ToLower(sev))
	if err != nil {
		return "", 0, err
	}
	return r.ID, s, nil
}

// EffectiveSeverity is a rule's severity under the precedence flags
// (--rule) over the configuration cfg (nil: none) over the rule's default.
func EffectiveSeverity(r *lint.Rule, flags map[string]manifest.Severity, cfg *Config) manifest.Severity {
	if s, ok := flags[r.ID]; ok {
		return s
	}
	return cfg.Severity(r.ID, r.Severity)
}

// Configure gives each input of a validation run the options of its
// configuration file, through opts.ForFile: severities (opts.Severity, the
// --rule flags, win over the file's), ignores and tool catalogues (a
// catalogue already in opts.Lint.Catalog, from --tools, wins over the
// file's "tools"). A configuration or tool catalogue that cannot be read
// or parsed is an error, before any file is validated. It returns the
// versions of the tool catalogues the run uses, for the report.
func (r *Resolver) Configure(opts *validate.Options, inputs []validate.Input) ([]string, error) {
	flags := opts.Severity
	perConfig := make(map[*Config]*validate.Options)
	perPath := make(map[string]*validate.Options)
	var versions []string
	addVersion := func(c *permissions.Catalog) {
		if c != nil && !slices.Contains(versions, c.Version) {
			versions = append(versions, c.Version)
		}
	}
	base := opts.Lint.Catalog
	if base == nil {
		base, _ = permissions.Default()
	}
	for _, in := range inputs {
		if in.Err != nil {
			continue
		}
		cfg, err := r.For(in.Path)
		if err != nil {
			return nil, err
		}
		if cfg == nil {
			addVersion(base)
			continue
		}
		o, ok := perConfig[cfg]
		if !ok {
			cp := *opts
			cp.Severity = make(map[string]manifest.Severity, len(cfg.Rules)+len(flags))
			for id, s := range cfg.Rules {
				cp.Severity[id] = s
			}
			for id, s := range flags {
				cp.Severity[id] = s
			}
			cp.Filter = cfg.Filter
			if len(cfg.Tools) > 0 && opts.Lint.Catalog == nil {
				cat, err := cfg.ToolCatalog()
				if err != nil {
					return nil, fmt.Errorf("%s: tools: %w", cfg.Path, err)
				}
				cp.Lint.Catalog = cat
			}
			o = &cp
			perConfig[cfg] = o
		}
		if o.Lint.Catalog != nil {
			addVersion(o.Lint.Catalog)
		} else {
			addVersion(base)
		}
		perPath[in.Path] = o
	}
	if len(perPath) > 0 {
		// perPath is only read from here on, by the workers.
		opts.ForFile = func(path string) *validate.Options { return perPath[path] }
	}
	return versions, nil
}

// ToolCatalog returns the embedded tool catalogue with the configuration's
// "tools" files merged in, in order (permissions.LoadTools): the embedded
// one alone for a nil configuration or one without tools.
func (c *Config) ToolCatalog() (*permissions.Catalog, error) {
	if c == nil {
		return permissions.LoadTools()
	}
	return permissions.LoadTools(c.Tools...)
}

// FileFindings are the findings of one configuration file.
type FileFindings struct {
	Path        string
	Diagnostics []manifest.Diagnostic
}

// RunFindings returns what the configurations the run used report about
// themselves (MC020: an ignore without a reason or that matched nothing),
// under the severities flags and each file set, and how many findings
// they ignored in all.
func (r *Resolver) RunFindings(flags map[string]manifest.Severity) (files []FileFindings, ignored int) {
	rule := lint.Lookup(RuleConfig)
	for _, cfg := range r.Configs() {
		ignored += cfg.Ignored()
		if rule == nil {
			continue
		}
		off := func(id string) bool {
			if s, ok := flags[id]; ok {
				return s == manifest.SeverityOff
			}
			return cfg.Severity(id, manifest.SeverityWarning) == manifest.SeverityOff
		}
		if diags := cfg.FindingsOff(EffectiveSeverity(rule, flags, cfg), off); len(diags) > 0 {
			files = append(files, FileFindings{Path: cfg.Path, Diagnostics: diags})
		}
	}
	return files, ignored
}

// Only returns the configuration when exactly one served the run so far,
// else nil: a report's list of rules then shows the severities it set.
func (r *Resolver) Only() *Config {
	if used := r.Configs(); len(used) == 1 {
		return used[0]
	}
	return nil
}

package report

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

// ToolURL is the project's home page, named in the reports that have a
// place for it.
const ToolURL = "https://github.com/manifestctl/manifestctl"

// ruleInfo returns the description of rule id: from the report's rule
// list, else from the catalogue, else a bare entry with the documentation
// URL the catalogue would give it.
func (r *Report) ruleInfo(id string) Rule {
	for _, ru := range r.Rules {
		if ru.ID == id {
			if ru.URL == "" {
				ru.URL = catalogRule(id).URL
			}
			return ru
		}
	}
	return catalogRule(id)
}

func catalogRule(id string) Rule {
	if lr := lint.Lookup(id); lr != nil {
		return Rule{ID: lr.ID, Title: lr.Title, Severity: lr.Severity, URL: lr.URL()}
	}
	return Rule{ID: id, URL: lint.DocsBaseURL + id + ".md"}
}

// listedRules returns the rules the report lists, sorted by ID: Report.Rules
// (or the whole catalogue when nil), leaving out rules that are off. It
// does not look at the files, so that a format writing file by file knows
// them before the first file.
func (r *Report) listedRules() []Rule {
	var out []Rule
	seen := make(map[string]bool)
	if r.Rules != nil {
		for _, ru := range r.Rules {
			if ru.Severity == manifest.SeverityOff || seen[ru.ID] {
				continue
			}
			if ru.URL == "" {
				ru.URL = catalogRule(ru.ID).URL
			}
			seen[ru.ID] = true
			out = append(out, ru)
		}
	} else {
		for _, lr := range lint.All() {
			seen[lr.ID] = true
			out = append(out, Rule{ID: lr.ID, Title: lr.Title, Severity: lr.Severity, URL: lr.URL()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// slashPath returns path as consumers of CI formats want it: relative to
// workDir when it is an absolute path under it, with forward slashes.
// Other paths are kept as given (cleaned).
func slashPath(path, workDir string) string {
	if path == "" || path == "-" {
		return path
	}
	if filepath.IsAbs(path) && workDir != "" {
		if rel, err := filepath.Rel(workDir, path); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			path = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// command returns the command line used in hints.
func (o Options) command() string {
	if o.Command == "" {
		return "manifestctl validate"
	}
	return o.Command
}

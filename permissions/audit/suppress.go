package audit

import (
	"fmt"
	"time"
)

// Ignore suppresses the rows of one verdict and tool, optionally only in
// one company and project (audit.ignore in .manifestctl.json). A
// suppressed row leaves the findings and the verdict counts and is counted
// in Summary.Suppressed.
type Ignore struct {
	Verdict Verdict
	// Tool is the tool as the report names it; "" only for unpermitted
	// (which has no tool).
	Tool string
	// CompanyID and ProjectID narrow the suppression when not nil.
	CompanyID, ProjectID *int64
	// Reason says why; required.
	Reason string
	// Expires is the last day (UTC) the suppression applies; zero means
	// it never expires.
	Expires time.Time
	// Source names the entry in messages, e.g. ".manifestctl.json:
	// audit.ignore[2]".
	Source string
}

// Expired reports whether the suppression no longer applies at now: its
// Expires day is over.
func (ig *Ignore) Expired(now time.Time) bool {
	if ig.Expires.IsZero() {
		return false
	}
	y, m, d := ig.Expires.Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	return !now.Before(end)
}

func (ig *Ignore) matches(f *Finding) bool {
	if ig.Verdict != f.Verdict || ig.Tool != f.ToolName() {
		return false
	}
	if ig.CompanyID != nil && (f.CompanyID == nil || *f.CompanyID != *ig.CompanyID) {
		return false
	}
	if ig.ProjectID != nil && (f.ProjectID == nil || *f.ProjectID != *ig.ProjectID) {
		return false
	}
	return true
}

func (ig *Ignore) describe() string {
	s := ig.Source
	if s == "" {
		s = "audit.ignore"
	}
	what := string(ig.Verdict)
	if ig.Tool != "" {
		what += " " + ig.Tool
	}
	if ig.CompanyID != nil {
		what += fmt.Sprintf(" in company %d", *ig.CompanyID)
	}
	if ig.ProjectID != nil {
		what += fmt.Sprintf(" in project %d", *ig.ProjectID)
	}
	return s + " (" + what + ")"
}

// applyIgnores removes the suppressed rows of r, counts them, and returns
// the warnings: one per expired suppression, and one per suppression that
// matched nothing.
func applyIgnores(r *Report, ignores []Ignore, now time.Time) []string {
	if len(ignores) == 0 {
		return nil
	}
	var warnings []string
	used := make([]int, len(ignores))
	for i := range ignores {
		if ignores[i].Expired(now) {
			warnings = append(warnings, fmt.Sprintf("%s expired on %s and no longer suppresses anything",
				ignores[i].describe(), ignores[i].Expires.Format(time.DateOnly)))
			used[i] = -1
		}
	}
	kept := r.Findings[:0]
	for _, f := range r.Findings {
		suppressed := false
		for i := range ignores {
			if used[i] >= 0 && ignores[i].matches(&f) {
				used[i]++
				suppressed = true
				break
			}
		}
		if suppressed {
			r.Summary.Suppressed++
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	for i, n := range used {
		if n == 0 {
			warnings = append(warnings, ignores[i].describe()+" matched no row")
		}
	}
	return warnings
}

package report

import (
	"io"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
)

// codeclimateFormatter writes the Code Climate issue list that GitLab's
// Code Quality report reads (artifacts:reports:codequality): a JSON array
// of issues with a description, the rule as check_name, a fingerprint (the
// SARIF one: rule, pointer and file, not the line), a severity and the
// file and line.
type codeclimateFormatter struct {
	opts Options
}

type ccIssue struct {
	Type        string     `json:"type"`
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Categories  []string   `json:"categories"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    ccLocation `json:"location"`
}

type ccLocation struct {
	Path  string  `json:"path"`
	Lines ccLines `json:"lines"`
}

type ccLines struct {
	Begin int `json:"begin"`
}

// ccSeverity maps a severity to Code Climate's info, minor, major,
// critical, blocker.
func ccSeverity(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return "major"
	case manifest.SeverityWarning:
		return "minor"
	}
	return "info"
}

func (f *codeclimateFormatter) Format(w io.Writer, r *Report) error {
	issues := []ccIssue{}
	seen := make(map[string]int)
	for _, file := range r.Files {
		path := slashPath(file.Path, f.opts.WorkDir)
		for _, d := range file.Diagnostics {
			fp := Fingerprint(d.Rule, d.Pos.Pointer, path)
			if n := seen[fp]; n > 0 {
				seen[fp] = n + 1
				fp += ":" + strconv.Itoa(n)
			} else {
				seen[fp] = 1
			}
			issues = append(issues, ccIssue{
				Type:        "issue",
				Description: d.Rule + ": " + d.Message,
				CheckName:   d.Rule,
				Categories:  []string{"Bug Risk"},
				Fingerprint: fp,
				Severity:    ccSeverity(d.Severity),
				Location:    ccLocation{Path: path, Lines: ccLines{Begin: max(d.Pos.Line, 1)}},
			})
		}
	}
	return writeJSON(w, issues)
}

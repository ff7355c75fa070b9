package report

import (
	"fmt"
	"io"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

// RuleRow is one rule of the catalogue as rules list shows it.
type RuleRow struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	// Effective is the severity under the configuration in use.
	Effective string `json:"effective"`
	Title     string `json:"title"`
	Fixable   bool   `json:"fixable"`
	URL       string `json:"url"`
}

// RuleRows lists every rule of the catalogue with the severity effective
// returns for it.
func RuleRows(effective func(*lint.Rule) manifest.Severity) []RuleRow {
	var out []RuleRow
	for _, r := range lint.All() {
		out = append(out, RuleRow{ID: r.ID, Severity: r.Severity.String(), Effective: effective(r).String(),
			Title: r.Title, Fixable: r.Fixable, URL: r.URL()})
	}
	return out
}

// Rules is the report of rules list: a table, or json.
var Rules = &Kind[[]RuleRow]{Name: "rules", formats: map[string]func(io.Writer, []RuleRow, Options) error{
	"text": func(w io.Writer, rows []RuleRow, _ Options) error {
		tw := newTable(w)
		fmt.Fprintf(tw, "ID\tDEFAULT\tEFFECTIVE\tTITLE\n")
		for _, r := range rows {
			fix := ""
			if r.Fixable {
				fix = " (fixable)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", r.ID, r.Severity, r.Effective, r.Title, fix)
		}
		return tw.Flush()
	},
	"json": func(w io.Writer, rows []RuleRow, _ Options) error {
		if rows == nil {
			rows = []RuleRow{}
		}
		return writeJSON(w, rows)
	},
}}

// RulePage is a rule's documentation page.
type RulePage struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Fixable  bool   `json:"fixable"`
	URL      string `json:"url"`
	// Page is the Markdown text of the page.
	Page string `json:"page"`
}

// NewRulePage returns the page of rule r.
func NewRulePage(r *lint.Rule) (*RulePage, error) {
	page, err := lint.Doc(r.ID)
	if err != nil {
		return nil, err
	}
	return &RulePage{ID: r.ID, Title: r.Title, Severity: r.Severity.String(), Fixable: r.Fixable, URL: r.URL(), Page: page}, nil
}

// RuleDoc is the report of rules explain: the page and its address
// (text), the page alone (markdown), or json.
var RuleDoc = &Kind[*RulePage]{Name: "rules explain", formats: map[string]func(io.Writer, *RulePage, Options) error{
	"text": func(w io.Writer, p *RulePage, _ Options) error {
		return writeString(w, p.Page+"\nOnline: "+p.URL+"\n")
	},
	"markdown": func(w io.Writer, p *RulePage, _ Options) error { return writeString(w, p.Page) },
	"json":     func(w io.Writer, p *RulePage, _ Options) error { return writeJSON(w, p) },
}}

// CheckedRules lists every rule with the severity it runs at (effective
// returns it), for the formats that describe the rules checked (sarif,
// junit).
func CheckedRules(effective func(*lint.Rule) manifest.Severity) []Rule {
	var out []Rule
	for _, r := range lint.All() {
		out = append(out, Rule{ID: r.ID, Title: r.Title, Severity: effective(r), URL: r.URL()})
	}
	return out
}

package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

// AuditOptions tune the audit formats.
type AuditOptions struct {
	// Tool names the program in sarif and markdown.
	Tool Tool
	// WorkDir: as Options.WorkDir (sarif paths).
	WorkDir string
	// Doc is the audited manifest, for the lines sarif points at; nil
	// leaves the results without a region.
	Doc *manifest.Document
	// PermissionsPointer is the manifest's permissions object, where sarif
	// puts undeclared tools and unpermitted projects ("" when the
	// manifest has none).
	PermissionsPointer string
}

// AuditResult is an audit report with what its formats need besides it.
type AuditResult struct {
	Report *audit.Report
	AuditOptions
}

// options are r's options, with Options.WorkDir when they have none.
func (r *AuditResult) options(o Options) AuditOptions {
	opts := r.AuditOptions
	if opts.WorkDir == "" {
		opts.WorkDir = o.WorkDir
	}
	return opts
}

// Audit is the report of audit: text, json, markdown and sarif.
var Audit = &Kind[*AuditResult]{Name: "audit", formats: map[string]func(io.Writer, *AuditResult, Options) error{
	"text":     func(w io.Writer, r *AuditResult, _ Options) error { return auditText(w, r.Report) },
	"json":     func(w io.Writer, r *AuditResult, _ Options) error { return auditJSON(w, r.Report) },
	"markdown": func(w io.Writer, r *AuditResult, o Options) error { return auditMarkdown(w, r.Report, r.options(o)) },
	"sarif":    func(w io.Writer, r *AuditResult, o Options) error { return auditSARIF(w, r.Report, r.options(o)) },
}}

// auditJSON writes the report as DESIGN.md section 4 shows it: two-space
// indentation, no HTML escaping.
func auditJSON(w io.Writer, r *audit.Report) error {
	return writeJSON(w, r)
}

// AuditSummaryLine is the one-line summary of an audit: the verdict
// counts, then errors, suppressed and new rows when there are any, and the
// requests.
func AuditSummaryLine(r *audit.Report) string {
	s := r.Summary
	var parts []string
	for _, v := range audit.Verdicts {
		parts = append(parts, strconv.Itoa(s.Count(v))+" "+string(v))
	}
	line := strings.Join(parts, ", ")
	if s.Errors > 0 {
		line += "; " + auditPlural(s.Errors, "error")
	}
	if s.Suppressed > 0 {
		line += "; " + strconv.Itoa(s.Suppressed) + " suppressed"
	}
	if r.Baseline {
		n := 0
		for i := range r.Findings {
			if r.Findings[i].IsNew() && r.Findings[i].Verdict != audit.OK {
				n++
			}
		}
		line += "; " + strconv.Itoa(n) + " new"
	}
	return line + "; " + auditPlural(int(r.Requests), "request")
}

func auditPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return strconv.Itoa(n) + " " + strings.TrimSuffix(word, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// auditGroup is the rows of one company scope or one project.
type auditGroup struct {
	companyID int64
	projectID *int64
	rows      []*audit.Finding
	diffs     int
}

// auditGroups splits the rows by company and project in report order;
// unpermitted rows (no company) are returned apart.
func auditGroups(r *audit.Report) (groups []*auditGroup, unpermitted []*audit.Finding) {
	index := map[[2]int64]*auditGroup{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.CompanyID == nil {
			unpermitted = append(unpermitted, f)
			continue
		}
		var pid int64 = -1
		if f.ProjectID != nil {
			pid = *f.ProjectID
		}
		k := [2]int64{*f.CompanyID, pid}
		g := index[k]
		if g == nil {
			g = &auditGroup{companyID: *f.CompanyID, projectID: f.ProjectID}
			index[k] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, f)
		if f.Verdict != audit.OK {
			g.diffs++
		}
	}
	for _, g := range groups {
		// Differences first (in verdict order), then ok rows, by tool
		// within each.
		sort.SliceStable(g.rows, func(i, j int) bool {
			return verdictRank(g.rows[i].Verdict) < verdictRank(g.rows[j].Verdict)
		})
	}
	return groups, unpermitted
}

// verdictRank orders the verdicts in text: differences first, ok last.
func verdictRank(v audit.Verdict) int {
	for i, x := range []audit.Verdict{audit.Over, audit.Undeclared, audit.Under, audit.Inactive, audit.Unpermitted} {
		if v == x {
			return i
		}
	}
	return 99
}

// rowDetail says what was declared and found.
func rowDetail(f *audit.Finding) string {
	d, a := "", ""
	if f.Declared != nil {
		d = *f.Declared
	}
	if f.Actual != nil {
		a = *f.Actual
	}
	var s string
	switch f.Verdict {
	case audit.OK:
		s = a
	case audit.Over, audit.Under:
		s = "declared " + d + ", actual " + a
	case audit.Undeclared:
		s = "actual " + a + ", not declared"
	case audit.Inactive:
		if f.Reason == audit.ReasonUnavailable {
			s = "declared " + d + ", not available"
		} else {
			s = "declared " + d + ", absent"
		}
	}
	if f.IsNew() {
		s += " (new)"
	}
	return s
}

func companyTitle(r *audit.Report, id int64) string {
	s := "company " + strconv.FormatInt(id, 10)
	for _, c := range r.Companies {
		if c.ID != id {
			continue
		}
		if c.Name != nil {
			s += " " + *c.Name
		}
		s += " (" + auditPlural(c.Projects, "project")
		if c.Installation != nil {
			s += ", installed " + c.Installation.Version
		}
		s += ")"
	}
	return s
}

// wrap breaks text into lines of at most width columns, the first
// starting with first and the others with indent.
func wrap(text, first, indent string, width int) string {
	var b strings.Builder
	line := first
	empty := strings.TrimSpace(first) == ""
	for _, word := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(word)) > width {
			b.WriteString(line + "\n")
			line, empty = indent, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

const textWidth = 80

// wrapParts joins parts with sep into lines of at most width columns where
// it can, breaking only between parts; lines after the first start with
// indent.
func wrapParts(parts []string, sep, indent string, width int) string {
	var b strings.Builder
	line := ""
	for i, p := range parts {
		if i < len(parts)-1 {
			p += strings.TrimRight(sep, " ")
		}
		switch {
		case line == "":
			line = p
		case len([]rune(line))+1+len([]rune(p)) > width:
			b.WriteString(line + "\n")
			line = indent + p
		default:
			line += " " + p
		}
	}
	b.WriteString(line + "\n")
	return b.String()
}

// auditText writes the report for a terminal of 80 columns: per company,
// the root cause first, then the company tools and each project with a
// difference (differences first), the projects without one on a line,
// the unpermitted projects, errors, warnings and one summary line.
// maxCleanIDs is how many ids of projects without a difference the text
// format lists per company.
const maxCleanIDs = 20

func auditText(w io.Writer, r *audit.Report) error {
	bw := bufio.NewWriter(w)
	groups, unpermitted := auditGroups(r)
	rootShown := map[string]bool{}
	head := []string{"audit of " + r.Manifest + ":", r.Environment.Name}
	if r.Environment.APIURL != "" {
		head = append(head, "("+r.Environment.APIURL+")")
	}
	bw.WriteString(wrap(strings.Join(head, " "), "", "  ", textWidth))
	if r.Principal.Kind != "" {
		fmt.Fprintf(bw, "  principal: %s\n", r.Principal.Kind)
	}
	for _, c := range r.Companies {
		bw.WriteString(companyTitle(r, c.ID) + "\n")
		if rc := r.RootCause(c.ID); rc != nil {
			bw.WriteString(wrap(rc.Message, "  root cause:", "    ", textWidth))
			rootShown[rc.Message] = true
		}
		var clean []string
		cleanRows := 0
		for _, g := range groups {
			if g.companyID != c.ID {
				continue
			}
			title := "  company tools"
			if g.projectID != nil {
				title = "  project " + strconv.FormatInt(*g.projectID, 10)
			}
			if g.diffs == 0 && g.projectID != nil {
				clean = append(clean, strconv.FormatInt(*g.projectID, 10))
				cleanRows += len(g.rows)
				continue
			}
			ok := len(g.rows) - g.diffs
			switch {
			case g.diffs == 0:
				title += fmt.Sprintf(": %s as declared", auditPlural(ok, "tool"))
			case ok > 0:
				title += fmt.Sprintf(" (%d ok)", ok)
			}
			bw.WriteString(title + "\n")
			for _, f := range g.rows {
				if f.Verdict == audit.OK {
					continue
				}
				fmt.Fprintf(bw, "    %-11s %-20s %s\n", f.Verdict, f.ToolName(), rowDetail(f))
			}
		}
		if len(clean) > 0 {
			head := fmt.Sprintf("  %s as declared (%d ok):", auditPlural(len(clean), "project"), cleanRows)
			if len(clean) > maxCleanIDs {
				// The ids are all in --format json; a terminal gets the first.
				more := len(clean) - maxCleanIDs
				clean = append(clean[:maxCleanIDs:maxCleanIDs], fmt.Sprintf("and %d more", more))
			}
			bw.WriteString(wrap(strings.Join(clean, ", "), head, "    ", textWidth))
		}
	}
	if len(unpermitted) > 0 {
		bw.WriteString("not permitted\n")
		for _, f := range unpermitted {
			fmt.Fprintf(bw, "    %-11s project %d is not among the permitted projects\n", f.Verdict, *f.ProjectID)
		}
	}
	for _, e := range r.Errors {
		bw.WriteString(wrap(errorText(e), "error:", "    ", textWidth))
	}
	for _, warn := range r.Warnings {
		if rootShown[warn] {
			continue
		}
		bw.WriteString(wrap(warn, "warning:", "    ", textWidth))
	}
	// One summary line; on a narrow terminal its tail goes on a second,
	// indented one rather than past column 80.
	bw.WriteString(wrapParts(strings.Split(AuditSummaryLine(r), "; "), "; ", "  ", textWidth))
	return bw.Flush()
}

// errorText describes an audit error on one line: where, the status and
// request id, and the message.
func errorText(e audit.Error) string {
	var where []string
	if e.CompanyID != nil {
		where = append(where, "company "+strconv.FormatInt(*e.CompanyID, 10))
	}
	if e.ProjectID != nil {
		where = append(where, "project "+strconv.FormatInt(*e.ProjectID, 10))
	}
	s := strings.Join(where, ", ")
	var meta []string
	if e.Status != nil {
		meta = append(meta, "HTTP "+strconv.Itoa(*e.Status))
	}
	if e.RequestID != "" {
		meta = append(meta, "request "+e.RequestID)
	}
	if len(meta) > 0 {
		if s != "" {
			s += " "
		}
		s += "(" + strings.Join(meta, ", ") + ")"
	}
	if s != "" {
		s += ": "
	}
	return s + e.Message
}

// auditMarkdown writes a summary for a pull request or a ticket: the
// counts, the root causes, a table of the differences, the ok rows folded,
// errors and warnings.
func auditMarkdown(w io.Writer, r *audit.Report, opts AuditOptions) error {
	bw := bufio.NewWriter(w)
	name := opts.Tool.Name
	if name == "" {
		name = "manifestctl"
	}
	bw.WriteString("### " + name + " audit: " + markdownCell(AuditSummaryLine(r)) + "\n\n")
	projects := 0
	for _, c := range r.Companies {
		projects += c.Projects
	}
	fmt.Fprintf(bw, "Manifest %s against %s (%s), %s, %s.\n\n",
		markdownCode(r.Manifest), markdownCell(r.Environment.Name), markdownCell(r.Environment.APIURL),
		auditPlural(len(r.Companies), "company"), auditPlural(projects, "project"))
	for _, rc := range r.RootCauses {
		bw.WriteString("> **Root cause:** " + markdownCell(rc.Message) + "\n\n")
	}
	var diffs, oks []*audit.Finding
	groups, unpermitted := auditGroups(r)
	for _, g := range groups {
		for _, f := range g.rows {
			if f.Verdict == audit.OK {
				oks = append(oks, f)
			} else {
				diffs = append(diffs, f)
			}
		}
	}
	diffs = append(diffs, unpermitted...)
	table := func(rows []*audit.Finding) {
		bw.WriteString("| Verdict | Company | Project | Tool | Declared | Actual | Where |\n")
		bw.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, f := range rows {
			verdict := string(f.Verdict)
			if f.Reason != "" {
				verdict += " (" + f.Reason + ")"
			}
			if f.IsNew() {
				verdict = "**new** " + verdict
			}
			bw.WriteString("| " + verdict +
				" | " + idCell(f.CompanyID) +
				" | " + idCell(f.ProjectID) +
				" | " + scopedTool(f) +
				" | " + strCell(f.Declared) +
				" | " + strCell(f.Actual) +
				" | " + markdownCode(f.Pointer) + " |\n")
		}
	}
	if len(diffs) == 0 {
		bw.WriteString("No differences.\n")
	} else {
		table(diffs)
	}
	if len(oks) > 0 {
		bw.WriteString("\n<details><summary>" + auditPlural(len(oks), "row") + " as declared</summary>\n\n")
		table(oks)
		bw.WriteString("\n</details>\n")
	}
	if len(r.Errors) > 0 {
		bw.WriteString("\n#### Errors\n\n")
		bw.WriteString("| Company | Project | Status | Request | Message |\n| --- | --- | --- | --- | --- |\n")
		for _, e := range r.Errors {
			status := ""
			if e.Status != nil {
				status = strconv.Itoa(*e.Status)
			}
			bw.WriteString("| " + idCell(e.CompanyID) + " | " + idCell(e.ProjectID) + " | " + status +
				" | " + markdownCode(e.RequestID) + " | " + markdownCell(e.Message) + " |\n")
		}
	}
	var warnings []string
	for _, warn := range r.Warnings {
		root := false
		for _, rc := range r.RootCauses {
			root = root || rc.Message == warn
		}
		if !root {
			warnings = append(warnings, warn)
		}
	}
	if len(warnings) > 0 {
		bw.WriteString("\n#### Warnings\n\n")
		for _, warn := range warnings {
			bw.WriteString("- " + markdownCell(warn) + "\n")
		}
	}
	if opts.Tool.Version != "" {
		bw.WriteString("\n<sub>" + markdownCell(name+" "+opts.Tool.Version) + "</sub>\n")
	}
	return bw.Flush()
}

func idCell(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func strCell(p *string) string {
	if p == nil {
		return ""
	}
	return markdownCell(*p)
}

func scopedTool(f *audit.Finding) string {
	if f.Tool == nil {
		return ""
	}
	return markdownCell(f.Scope + " " + *f.Tool)
}

// The audit's SARIF rules: one per verdict that is a difference.
var auditRules = []struct {
	verdict audit.Verdict
	level   string
	title   string
}{
	{audit.Over, "error", "the service account can do more than the manifest declares"},
	{audit.Undeclared, "error", "the service account can reach a tool the manifest does not declare"},
	{audit.Under, "warning", "the service account has less than the manifest declares"},
	{audit.Inactive, "warning", "a declared tool is not available to the service account"},
	{audit.Unpermitted, "warning", "an expected project is not permitted"},
}

// AuditRuleID is the SARIF rule of a verdict.
func AuditRuleID(v audit.Verdict) string { return "audit/" + string(v) }

type auditSarifRun struct {
	Tool        sarifTool          `json:"tool"`
	ColumnKind  string             `json:"columnKind"`
	Results     []sarifResult      `json:"results"`
	Invocations []sarifInvocation  `json:"invocations"`
	Properties  *auditSarifRunProp `json:"properties,omitempty"`
}

type auditSarifRunProp struct {
	Suppressed int `json:"suppressed"`
}

type auditSarifLog struct {
	Schema  string          `json:"$schema"`
	Version string          `json:"version"`
	Runs    []auditSarifRun `json:"runs"`
}

// auditSARIF writes each difference on the manifest line that declares the
// tool (undeclared tools and unpermitted projects on the permissions
// object); errors and warnings are notifications of the invocation.
func auditSARIF(w io.Writer, r *audit.Report, opts AuditOptions) error {
	driver := sarifDriver{Name: opts.Tool.Name, Version: opts.Tool.Version, InformationURI: ToolURL}
	if driver.Name == "" {
		driver.Name = "manifestctl"
	}
	if opts.Tool.CatalogVersion != "" {
		driver.Properties = &sarifToolProps{CatalogVersion: opts.Tool.CatalogVersion}
	}
	index := map[audit.Verdict]int{}
	for i, ru := range auditRules {
		index[ru.verdict] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: AuditRuleID(ru.verdict), ShortDescription: &sarifMessage{Text: ru.title},
			HelpURI:              ToolURL + "/blob/main/docs/audit.md#verdicts",
			DefaultConfiguration: sarifConfiguration{Level: ru.level},
		})
	}
	run := auditSarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	uri := sarifURI(slashPath(r.Manifest, opts.WorkDir))
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Verdict == audit.OK {
			continue
		}
		ptr := f.Pointer
		if ptr == "" {
			ptr = opts.PermissionsPointer
		}
		where := []string{}
		if f.CompanyID != nil {
			where = append(where, "company "+strconv.FormatInt(*f.CompanyID, 10))
		}
		if f.ProjectID != nil {
			where = append(where, "project "+strconv.FormatInt(*f.ProjectID, 10))
		}
		ru := auditRules[index[f.Verdict]]
		res := sarifResult{
			RuleID:     AuditRuleID(f.Verdict),
			RuleIndex:  index[f.Verdict],
			Level:      ru.level,
			Message:    sarifMessage{Text: strings.Join(where, ", ") + ": " + f.Message},
			Locations:  []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}}},
			Properties: sarifResultProps{Pointer: ptr},
		}
		if opts.Doc != nil && (ptr != "" || f.Pointer != "") {
			pos := opts.Doc.Position(ptr)
			if pos.Line > 0 {
				res.Locations[0].PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Col}
			}
		}
		k := f.Key()
		res.PartialFingerprints = map[string]string{FingerprintKey: Fingerprint(res.RuleID,
			fmt.Sprintf("%d/%d/%s/%s", k.CompanyID, k.ProjectID, k.Scope, k.Tool), uri)}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0 && !r.Interrupted, ToolExecutionNotifications: []sarifNotification{}}
	for _, e := range r.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "error", Message: sarifMessage{Text: errorText(e)}})
	}
	for _, warn := range r.Warnings {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{Level: "warning", Message: sarifMessage{Text: warn}})
	}
	run.Invocations = []sarifInvocation{inv}
	if r.Summary.Suppressed > 0 {
		run.Properties = &auditSarifRunProp{Suppressed: r.Summary.Suppressed}
	}
	return writeJSON(w, auditSarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []auditSarifRun{run}})
}

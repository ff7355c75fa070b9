package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
)

// Diff is the report of diff: text, json (DESIGN.md section 4) and
// markdown.
var Diff = &Kind[*release.DiffReport]{Name: "diff", formats: map[string]func(io.Writer, *release.DiffReport, Options) error{
	"text":     func(w io.Writer, r *release.DiffReport, _ Options) error { return writeString(w, diffText(r)) },
	"json":     func(w io.Writer, r *release.DiffReport, _ Options) error { return writeJSON(w, r.JSON()) },
	"markdown": func(w io.Writer, r *release.DiffReport, _ Options) error { return writeString(w, diffMarkdown(r)) },
}}

// Check is the result of version check: the diff from the previous
// release and the verdict.
type Check struct {
	Diff   *release.DiffReport
	Result *release.CheckResult
	// File is the checked manifest (path and schema version), where the
	// findings formats report the reasons.
	File File
	Tool Tool
}

// VersionCheck is the report of version check: its own text and json (the
// diff report plus "ok" and "reasons"), and every findings format of
// validate (sarif, github, junit, ...) with the reasons as findings.
var VersionCheck = &Kind[*Check]{Name: "version check", formats: map[string]func(io.Writer, *Check, Options) error{
	"text": func(w io.Writer, c *Check, _ Options) error { return writeString(w, checkText(c.Diff, c.Result)) },
	"json": func(w io.Writer, c *Check, _ Options) error { return writeJSON(w, c.Diff.CheckJSON(c.Result)) },
}}

func init() {
	for name, f := range formats {
		if VersionCheck.Has(name) {
			continue
		}
		VersionCheck.formats[name] = func(w io.Writer, c *Check, o Options) error {
			if o.Command == "" {
				o.Command = "manifestctl version check"
			}
			file := c.File
			file.Diagnostics = c.Result.Reasons
			rep := &Report{Tool: c.Tool, Files: []File{file}}
			for _, r := range lint.All() {
				if strings.HasPrefix(r.ID, "MC4") { // the rules version check applies
					rep.Rules = append(rep.Rules, Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, URL: r.URL()})
				}
			}
			return f(o).Format(w, rep)
		}
	}
}

func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

func versionLabel(v *string) string {
	if v == nil {
		return "no version"
	}
	return "version " + *v
}

// diffText is the report for a terminal: the two manifests, one line per
// change with its bump, and the verdict.
func diffText(r *release.DiffReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "old: %s (%s)\nnew: %s (%s)\n\n", r.Old, versionLabel(r.OldVersion), r.New, versionLabel(r.NewVersion))
	if len(r.Changes) == 0 {
		b.WriteString("no semantic changes\n")
	}
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "%-5s  %s", c.Bump, c.Message)
		if c.AdminApproval {
			b.WriteString(" [admin approval]")
		}
		if c.Pointer != "" {
			fmt.Fprintf(&b, "  (%s)", c.Pointer)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nrequired bump: %s\n", r.RequiredBump)
	if r.AdminApproval {
		b.WriteString("admin approval: required -- the update raises the service account's permissions; " +
			"company admins must approve it before it takes effect\n")
	} else {
		b.WriteString("admin approval: not required\n")
	}
	return b.String()
}

// checkText is the report of version check: the diff report, then the
// verdict with each reason as a finding line.
func checkText(r *release.DiffReport, c *release.CheckResult) string {
	var b strings.Builder
	b.WriteString(diffText(r))
	for _, reason := range c.Reasons {
		b.WriteString(reason.String() + "\n")
	}
	verdict := "ok"
	if !c.OK {
		verdict = "failed"
	}
	o, n := "none", "none"
	if r.OldVersion != nil {
		o = *r.OldVersion
	}
	if r.NewVersion != nil {
		n = *r.NewVersion
	}
	fmt.Fprintf(&b, "version check: %s (%s -> %s, required bump %s)\n", verdict, o, n, r.RequiredBump)
	return b.String()
}

// levelCell writes a level as the manifest spells it ("readonly"), the
// raw text in code for a value that is not a level, or an em dash when
// the tool is absent.
func levelCell(s *string) string {
	if s == nil {
		return "—"
	}
	l, err := permissions.ParseLevel(*s)
	if err != nil {
		return markdownCode(*s)
	}
	return l.String()
}

var permissionVerb = map[release.Kind]string{
	release.PermissionAdded:   "added",
	release.PermissionRemoved: "removed",
	release.PermissionRaised:  "raised",
	release.PermissionLowered: "lowered",
	release.PermissionChanged: "changed (unknown level)",
}

// diffMarkdown is the report for a pull-request comment or release notes:
// the versions, a clear line on admin approval, a table of permission
// changes with the levels before and after, and the other changes.
func diffMarkdown(r *release.DiffReport) string {
	var b strings.Builder
	b.WriteString("## App Manifest changes\n\n")
	fmt.Fprintf(&b, "%s (%s) → %s (%s)\n\n", markdownCode(r.Old), versionLabel(r.OldVersion), markdownCode(r.New), versionLabel(r.NewVersion))
	if r.AdminApproval {
		b.WriteString("> **Company admins must approve this update.** It gives the app's service account more access " +
			"than the installed version: installed copies keep the current version until a company admin accepts the update " +
			"(Procore shows it as Update Available in App Management).\n\n")
	} else {
		b.WriteString("No admin approval needed: this update does not raise the app's permissions.\n\n")
	}
	fmt.Fprintf(&b, "**Required version bump: %s**\n\n", r.RequiredBump)
	if len(r.Changes) == 0 {
		b.WriteString("No semantic changes: admins will see no difference.\n")
		return b.String()
	}
	var perms, other []release.Change
	for _, c := range r.Changes {
		if _, ok := permissionVerb[c.Kind]; ok {
			perms = append(perms, c)
		} else {
			other = append(other, c)
		}
	}
	if len(perms) > 0 {
		b.WriteString("### Permission changes\n\n")
		b.WriteString("| Scope | Tool | Before | After | Change | Bump |\n|---|---|---|---|---|---|\n")
		for _, c := range perms {
			verb := permissionVerb[c.Kind]
			if c.AdminApproval {
				verb = "**" + verb + "** (admin approval)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", scopeTitle(c.Scope), markdownCode(c.Tool),
				levelCell(c.Old), levelCell(c.New), verb, c.Bump)
		}
		b.WriteString("\n")
	}
	if len(other) > 0 {
		b.WriteString("### Other changes\n\n")
		sorted := append([]release.Change(nil), other...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Bump > sorted[j].Bump })
		for _, c := range sorted {
			fmt.Fprintf(&b, "- **%s**: %s\n", c.Bump, markdownCell(c.Message))
		}
	}
	return b.String()
}

func scopeTitle(s string) string {
	switch s {
	case permissions.Company:
		return "Company"
	case permissions.Project:
		return "Project"
	}
	return markdownCell(s)
}

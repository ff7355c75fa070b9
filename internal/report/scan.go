package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/manifestctl/manifestctl/permissions/scan"
)

// ScanOptions tune the scan formats.
type ScanOptions struct {
	Tool Tool
	// WorkDir makes absolute paths relative in sarif (Options.WorkDir
	// when empty).
	WorkDir string
}

// ScanResult is a permissions scan report with what its formats need
// besides it.
type ScanResult struct {
	Report *scan.Report
	ScanOptions
}

// Scan is the report of permissions scan: text, json, markdown and sarif.
var Scan = &Kind[*ScanResult]{Name: "permissions scan", formats: map[string]func(io.Writer, *ScanResult, Options) error{
	"text":     func(w io.Writer, r *ScanResult, _ Options) error { return scanText(w, r.Report) },
	"json":     func(w io.Writer, r *ScanResult, _ Options) error { return writeJSON(w, r.Report) },
	"markdown": func(w io.Writer, r *ScanResult, _ Options) error { return scanMarkdown(w, r.Report) },
	"sarif": func(w io.Writer, r *ScanResult, o Options) error {
		opts := r.ScanOptions
		if opts.WorkDir == "" {
			opts.WorkDir = o.WorkDir
		}
		return scanSARIF(w, r.Report, opts)
	},
}}

func scanSeverity(k scan.Kind) string {
	if k == scan.Missing {
		return "warning"
	}
	return "info"
}

// scanSARIFLevel is a finding's SARIF level: a warning when missing, else
// a note.
func scanSARIFLevel(k scan.Kind) string {
	if k == scan.Missing {
		return "warning"
	}
	return "note"
}

func callMethod(c scan.CallRef) string {
	if c.MethodSeen {
		return c.Method
	}
	return c.Method + "?"
}

// callNote describes what a call's mapping adds: a version fallback, a
// possible admin, the spec's words.
func callNote(c scan.CallRef) []string {
	var out []string
	if c.MatchedVersion != "" {
		out = append(out, fmt.Sprintf("%s is not listed for this path: matched %s", c.APIVersion, c.MatchedVersion))
	}
	if c.MayNeedAdmin {
		out = append(out, "may need admin")
	}
	if c.Spec != "" {
		out = append(out, "spec: "+strconv.Quote(c.Spec))
	}
	return out
}

func scanText(w io.Writer, r *scan.Report) error {
	b := bufio.NewWriter(w)
	for _, f := range r.Findings {
		head := fmt.Sprintf("%s: %s", scanSeverity(f.Kind), f.Kind)
		if f.Tool != "" {
			head += " " + f.Scope + ":" + f.Tool
		}
		if f.Confidence != "" {
			head += " (" + string(f.Confidence) + ")"
		}
		fmt.Fprintf(b, "%s: %s\n", head, f.Message)
		if len(f.Calls) == 0 && f.Declaration.Line > 0 {
			fmt.Fprintf(b, "  %s:%d:%d: declared here\n", r.Manifest, f.Declaration.Line, f.Declaration.Col)
		}
		for _, c := range f.Calls {
			fmt.Fprintf(b, "  %s:%d:%d: %s %s", c.Path, c.Line, c.Column, callMethod(c), c.Endpoint)
			if n := callNote(c); len(n) > 0 {
				fmt.Fprintf(b, " (%s)", strings.Join(n, "; "))
			}
			b.WriteByte('\n')
		}
	}
	s := r.Summary
	fmt.Fprintf(b, "%d %s, %d %s: %d missing, %d excess, %d unused, %d unmapped%s\n",
		r.Files, pluralWord(r.Files, "file"), r.Calls, pluralWord(r.Calls, "call"), s.Missing, s.Excess, s.Unused, s.Unmapped, notReadSuffix(len(r.Errors)))
	if r.Calls > 0 {
		fmt.Fprintln(b, "Tools and levels are inferred from Procore's API description: levels are lower bounds; confirm with GET /rest/v1.0/settings/permissions.")
	}
	return b.Flush()
}

func scanMarkdown(w io.Writer, r *scan.Report) error {
	b := bufio.NewWriter(w)
	s := r.Summary
	fmt.Fprintf(b, "### Permissions scan of %s\n\n", markdownCode(r.Manifest))
	fmt.Fprintf(b, "%d %s, %d %s: **%d missing**, %d excess, %d unused, %d unmapped%s.\n", r.Files, pluralWord(r.Files, "file"), r.Calls, pluralWord(r.Calls, "call"), s.Missing, s.Excess, s.Unused, s.Unmapped, notReadSuffix(len(r.Errors)))
	// The paths that were not read, as validate's markdown lists them.
	if len(r.Errors) > 0 {
		b.WriteString("\n")
		for _, e := range r.Errors {
			b.WriteString("- **Not read:** " + markdownCode(e.Path) + ": " + markdownCell(e.Message) + "\n")
		}
	}
	if len(r.Findings) == 0 {
		return b.Flush()
	}
	fmt.Fprintln(b, "\n| Kind | Tool | Declared | Needs | Confidence | Finding | Calls |")
	fmt.Fprintln(b, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, f := range r.Findings {
		tool := ""
		if f.Tool != "" {
			tool = markdownCode(f.Scope + ":" + f.Tool)
		}
		var calls []string
		for i, c := range f.Calls {
			if i == 5 {
				calls = append(calls, fmt.Sprintf("and %d more", len(f.Calls)-5))
				break
			}
			calls = append(calls, markdownCode(fmt.Sprintf("%s:%d", c.Path, c.Line))+" "+markdownCell(callMethod(c)+" "+c.Endpoint))
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", f.Kind, tool, markdownCell(f.Declared), markdownCell(f.Required),
			markdownCell(string(f.Confidence)), markdownCell(f.Message), strings.Join(calls, "<br>"))
	}
	fmt.Fprintln(b, "\n_Tools and levels are inferred from Procore's API description; levels are lower bounds._")
	return b.Flush()
}

var scanRules = []struct {
	kind  scan.Kind
	title string
}{
	{scan.Missing, "A call needs a tool the manifest does not grant, or grants below the call's minimum level"},
	{scan.Excess, "A tool is declared above the highest minimum any call needs"},
	{scan.Unused, "A declared tool no call uses"},
	{scan.Unmapped, "A call whose endpoint or tool is unknown"},
}

func scanSARIF(w io.Writer, r *scan.Report, opts ScanOptions) error {
	driver := sarifDriver{Name: opts.Tool.Name, Version: opts.Tool.Version, InformationURI: ToolURL}
	if driver.Name == "" {
		driver.Name = "manifestctl"
	}
	if opts.Tool.CatalogVersion != "" {
		driver.Properties = &sarifToolProps{CatalogVersion: opts.Tool.CatalogVersion}
	}
	index := map[scan.Kind]int{}
	for i, ru := range scanRules {
		index[ru.kind] = i
		driver.Rules = append(driver.Rules, sarifRule{ID: "scan/" + string(ru.kind), ShortDescription: &sarifMessage{Text: ru.title},
			HelpURI: ToolURL + "/blob/main/docs/scan.md", DefaultConfiguration: sarifConfiguration{Level: scanSARIFLevel(ru.kind)}})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{},
		Invocations: sarifNotRead(scanNotRead(r), opts.WorkDir)}
	seen := map[string]int{}
	add := func(f scan.Finding, uri string, reg *sarifRegion, msg string) {
		rule := "scan/" + string(f.Kind)
		res := sarifResult{RuleID: rule, RuleIndex: index[f.Kind], Level: scanSARIFLevel(f.Kind), Message: sarifMessage{Text: msg},
			Locations:  []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}, Region: reg}}},
			Properties: sarifResultProps{Pointer: f.Pointer}}
		fp := Fingerprint(rule, f.Scope+":"+f.Tool+" "+f.Endpoint, uri)
		if n := seen[fp]; n > 0 {
			seen[fp] = n + 1
			fp += ":" + strconv.Itoa(n)
		} else {
			seen[fp] = 1
		}
		res.PartialFingerprints = map[string]string{FingerprintKey: fp}
		run.Results = append(run.Results, res)
	}
	for _, f := range r.Findings {
		if len(f.Calls) == 0 {
			var reg *sarifRegion
			if f.Declaration.Line > 0 {
				reg = &sarifRegion{StartLine: f.Declaration.Line, StartColumn: f.Declaration.Col}
			}
			add(f, sarifURI(slashPath(r.Manifest, opts.WorkDir)), reg, f.Message)
			continue
		}
		for _, c := range f.Calls {
			msg := f.Message + ": " + callMethod(c) + " " + c.Endpoint
			if n := callNote(c); len(n) > 0 {
				msg += " (" + strings.Join(n, "; ") + ")"
			}
			add(f, sarifURI(slashPath(c.Path, opts.WorkDir)), &sarifRegion{StartLine: c.Line, StartColumn: c.Column}, msg)
		}
	}
	return writeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

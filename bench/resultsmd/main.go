// Command resultsmd turns the measurements bench/run.sh leaves in a results
// directory into the generated part of bench/RESULTS.md: the machine, one
// table per case (median, spread, peak RSS of each command) and one line per
// target with the measured ratio and whether it is met.
//
// Usage:
//
//	resultsmd -dir bench/out/results -o bench/RESULTS.md
//
// The results directory holds, per case ID:
//
//	ID.json  hyperfine --export-json output (optional: a case may measure
//	         memory only)
//	ID.rss   lines "NAME KIB..." (peak RSS of each run from /usr/bin/time -v)
//
// and, once:
//
//	cases.txt    lines "ID|TITLE", in the order to print
//	targets.txt  lines "CASE|METRIC|SUBJECT|MAX|REFERENCE|TEXT": SUBJECT's
//	             METRIC (time: median; rss: median peak RSS) divided by
//	             REFERENCE's must be at most MAX. TEXT says it in words.
//	meta.txt     lines "KEY|VALUE" printed in the machine section
//
// Only the text between the markers <!-- begin generated --> and
// <!-- end generated --> in the output file is replaced; the rest (what was
// profiled and changed, by hand) is kept. A missing file gets both markers.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	beginMarker = "<!-- begin generated -->"
	endMarker   = "<!-- end generated -->"
)

// hyperfineExport is the part of hyperfine's JSON export that is used.
type hyperfineExport struct {
	Results []struct {
		Command   string    `json:"command"`
		Mean      float64   `json:"mean"`
		Stddev    float64   `json:"stddev"`
		Median    float64   `json:"median"`
		Min       float64   `json:"min"`
		Max       float64   `json:"max"`
		Times     []float64 `json:"times"`
		ExitCodes []int     `json:"exit_codes"`
	} `json:"results"`
}

type command struct {
	name               string
	median, stddev     float64 // seconds; median < 0 when not timed
	min, max           float64
	runs               int
	exitCodes          string
	rssKiB             []int
	medianRSS, maxRSS  int // KiB; 0 when not measured
	hasTime, hasMemory bool
}

type caseResult struct {
	id, title string
	commands  []*command
}

func (c *caseResult) find(name string) *command {
	for _, cmd := range c.commands {
		if cmd.name == name {
			return cmd
		}
	}
	return nil
}

func (c *caseResult) command(name string) *command {
	if cmd := c.find(name); cmd != nil {
		return cmd
	}
	cmd := &command{name: name}
	c.commands = append(c.commands, cmd)
	return cmd
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

func loadCase(dir, id, title string) (*caseResult, error) {
	c := &caseResult{id: id, title: title}
	if b, err := os.ReadFile(filepath.Join(dir, id+".json")); err == nil {
		var exp hyperfineExport
		if err := json.Unmarshal(b, &exp); err != nil {
			return nil, fmt.Errorf("read %s.json: %w", id, err)
		}
		for _, r := range exp.Results {
			cmd := c.command(r.Command)
			cmd.hasTime = true
			cmd.median, cmd.stddev, cmd.min, cmd.max, cmd.runs = r.Median, r.Stddev, r.Min, r.Max, len(r.Times)
			cmd.exitCodes = exitCodes(r.ExitCodes)
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	lines, err := readLines(filepath.Join(dir, id+".rss"))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		cmd := c.command(f[0])
		for _, s := range f[1:] {
			kb, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("%s.rss: %q: %w", id, line, err)
			}
			cmd.rssKiB = append(cmd.rssKiB, kb)
		}
		if len(cmd.rssKiB) > 0 {
			s := append([]int(nil), cmd.rssKiB...)
			sort.Ints(s)
			cmd.medianRSS, cmd.maxRSS, cmd.hasMemory = s[len(s)/2], s[len(s)-1], true
		}
	}
	return c, nil
}

func exitCodes(codes []int) string {
	seen := map[int]bool{}
	var out []string
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, strconv.Itoa(c))
		}
	}
	return strings.Join(out, ",")
}

// duration formats seconds for people: 3.2 ms, 412 ms, 1.24 s.
func duration(s float64) string {
	switch ms := s * 1000; {
	case ms < 10:
		return fmt.Sprintf("%.2f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.2f s", s)
}

func mib(kib int) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func generate(dir string) (string, error) {
	var b strings.Builder
	meta, err := readLines(filepath.Join(dir, "meta.txt"))
	if err != nil {
		return "", err
	}
	b.WriteString("## Machine and run\n\n")
	for _, line := range meta {
		k, v, _ := strings.Cut(line, "|")
		fmt.Fprintf(&b, "- %s: %s\n", k, v)
	}
	caseLines, err := readLines(filepath.Join(dir, "cases.txt"))
	if err != nil {
		return "", err
	}
	cases := map[string]*caseResult{}
	var order []*caseResult
	for _, line := range caseLines {
		id, title, _ := strings.Cut(line, "|")
		c, err := loadCase(dir, id, title)
		if err != nil {
			return "", err
		}
		cases[id] = c
		order = append(order, c)
	}

	targets, err := readLines(filepath.Join(dir, "targets.txt"))
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	if len(targets) > 0 {
		b.WriteString("\n## Targets (issue 6)\n\n")
		b.WriteString("| case | target | measured | met |\n|---|---|---|---|\n")
		for _, line := range targets {
			f := strings.Split(line, "|")
			if len(f) != 6 {
				return "", fmt.Errorf("targets.txt: %q: want CASE|METRIC|SUBJECT|MAX|REFERENCE|TEXT", line)
			}
			b.WriteString(targetRow(cases[f[0]], f[1], f[2], f[3], f[4], f[5]))
		}
	}

	for _, c := range order {
		fmt.Fprintf(&b, "\n## %s\n\n", c.title)
		b.WriteString("| command | median | ± stddev | min … max | runs | exit | peak RSS (median) |\n")
		b.WriteString("|---|---|---|---|---|---|---|\n")
		for _, cmd := range c.commands {
			t := []string{"–", "–", "–", "–", "–"}
			if cmd.hasTime {
				t = []string{duration(cmd.median), duration(cmd.stddev), duration(cmd.min) + " … " + duration(cmd.max),
					strconv.Itoa(cmd.runs), cmd.exitCodes}
			}
			m := "–"
			if cmd.hasMemory {
				m = mib(cmd.medianRSS)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", cmd.name, t[0], t[1], t[2], t[3], t[4], m)
		}
		if ref := c.find("manifestctl"); ref != nil && ref.hasTime {
			var parts []string
			for _, cmd := range c.commands {
				if cmd != ref && cmd.hasTime && cmd.median > 0 {
					parts = append(parts, fmt.Sprintf("%.2f× %s", ref.median/cmd.median, cmd.name))
				}
			}
			if len(parts) > 0 {
				fmt.Fprintf(&b, "\nmanifestctl's median time is %s.\n", strings.Join(parts, ", "))
			}
		}
	}
	return b.String(), nil
}

func targetRow(c *caseResult, metric, subject, maxRatio, reference, text string) string {
	fail := func(why string) string {
		return fmt.Sprintf("| %s | %s | %s | **not measured** |\n", caseTitle(c), text, why)
	}
	if c == nil {
		return fail("case missing")
	}
	limit, err := strconv.ParseFloat(maxRatio, 64)
	if err != nil {
		return fail("bad limit " + maxRatio)
	}
	s, r := c.find(subject), c.find(reference)
	if s == nil || r == nil {
		return fail(subject + " or " + reference + " missing")
	}
	var sv, rv float64
	var shown string
	switch metric {
	case "time":
		if !s.hasTime || !r.hasTime {
			return fail("no timing")
		}
		sv, rv = s.median, r.median
		shown = duration(sv) + " vs " + duration(rv)
	case "rss":
		if !s.hasMemory || !r.hasMemory {
			return fail("no memory figure")
		}
		sv, rv = float64(s.medianRSS), float64(r.medianRSS)
		shown = mib(s.medianRSS) + " vs " + mib(r.medianRSS)
	default:
		return fail("unknown metric " + metric)
	}
	if rv == 0 {
		return fail("zero reference")
	}
	ratio := sv / rv
	met := "yes"
	if ratio > limit {
		met = "**no**"
	}
	return fmt.Sprintf("| %s | %s (≤ %s× %s) | %.3f× (%s) | %s |\n", caseTitle(c), text, maxRatio, reference, ratio, shown, met)
}

func caseTitle(c *caseResult) string {
	if c == nil {
		return "?"
	}
	return c.title
}

func splice(old, generated string) string {
	i := strings.Index(old, beginMarker)
	j := strings.Index(old, endMarker)
	if i < 0 || j < i {
		head := "# Benchmark results\n\nGenerated by `bench/run.sh` between the markers; the rest is written by hand.\n\n"
		if old != "" {
			head = old + "\n"
		}
		return head + beginMarker + "\n" + generated + endMarker + "\n"
	}
	return old[:i] + beginMarker + "\n" + generated + old[j:]
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("resultsmd: ")
	dir := flag.String("dir", "bench/out/results", "results directory")
	out := flag.String("o", "bench/RESULTS.md", "file to update")
	flag.Parse()
	gen, err := generate(*dir)
	if err != nil {
		log.Fatal(err)
	}
	old, err := os.ReadFile(*out)
	if err != nil && !os.IsNotExist(err) {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, []byte(splice(string(old), gen)), 0o644); err != nil {
		log.Fatal(err)
	}
}

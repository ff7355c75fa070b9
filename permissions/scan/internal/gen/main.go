// Command gen builds permissions/scan's embedded endpoint table from the
// research data in shared/procore: endpoints.csv (every REST operation of
// Procore's OpenAPI description with a guessed tool, its confidence and a
// guessed minimum level) and operation-ids.csv (the generated Python
// SDK's method names).
//
//	go run ./internal/gen -shared ../../../shared/procore -out endpoints.tsv.gz
//
// The output is a gzip'd TSV: comment lines starting with "#" (source and
// date), then one line per operation:
//
//	method  path  version  scope  tool  confidence  level  tool-name  tag  spec  python-method
//
// scope is p (project), c (company), e (either: the spec does not tie the
// operation to one) or - (no tool permission); confidence is c
// (confirmed), p (probable) or u (unknown); level is r (read only), s
// (standard), S (standard, may need admin), a (admin) or - (no tool
// permission). python-method is empty when it is the name derived from
// method and path (see pythonName).
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	shared := flag.String("shared", "", "the shared/procore folder holding endpoints.csv and operation-ids.csv")
	out := flag.String("out", "endpoints.tsv.gz", "the file to write")
	flag.Parse()
	if err := run(*shared, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(shared, out string) error {
	if shared == "" {
		return errors.New("-shared is required")
	}
	table, err := generateFromDir(shared)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(table); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func generateFromDir(dir string) ([]byte, error) {
	ep, err := os.ReadFile(filepath.Join(dir, "endpoints.csv"))
	if err != nil {
		return nil, err
	}
	ops, err := os.ReadFile(filepath.Join(dir, "operation-ids.csv"))
	if err != nil {
		return nil, err
	}
	return generate(ep, ops)
}

// header is the source line of the table; the data's own date is in
// SOURCES.md (2026-06 research on MCP 2026-05-08 and PY 2024-10-07).
const header = "# Procore REST operations: shared/procore/endpoints.csv and operation-ids.csv\n" +
	"# research of 2026-06 on Procore's OpenAPI description (MCP snapshot 2026-05-08, generated Python SDK 2024-10-07); see docs/scan.md\n"

func readCSV(data []byte) ([]map[string]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("empty CSV")
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func generate(endpoints, opIDs []byte) ([]byte, error) {
	rows, err := readCSV(endpoints)
	if err != nil {
		return nil, fmt.Errorf("endpoints.csv: %w", err)
	}
	ops, err := readCSV(opIDs)
	if err != nil {
		return nil, fmt.Errorf("operation-ids.csv: %w", err)
	}
	py := map[string]string{}
	for _, o := range ops {
		py[o["method"]+" "+o["path"]] = o["python_sdk_method"]
	}
	type line struct{ key, text string }
	var lines []line
	var errs []error
	for i, r := range rows {
		f, err := fields(r, py)
		if err != nil {
			errs = append(errs, fmt.Errorf("endpoints.csv row %d (%s %s): %w", i+2, r["method"], r["path"], err))
			continue
		}
		lines = append(lines, line{r["path"] + " " + r["method"], strings.Join(f, "\t")})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].key < lines[j].key })
	sum := sha256.Sum256(endpoints)
	var b strings.Builder
	b.WriteString(header)
	fmt.Fprintf(&b, "# endpoints.csv sha256 %s, %d operations\n", hex.EncodeToString(sum[:8]), len(lines))
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}

func fields(r map[string]string, py map[string]string) ([]string, error) {
	method, path, version := r["method"], r["path"], r["api_version"]
	if !methods[method] {
		return nil, fmt.Errorf("unknown method %q", method)
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q does not start with /", path)
	}
	if version != "oauth" && !strings.HasPrefix(path, "/rest/"+version+"/") {
		return nil, fmt.Errorf("path %q is not under version %q", path, version)
	}
	level, err := level(r["min_level_guess"])
	if err != nil {
		return nil, err
	}
	scope := "-"
	tool := r["tool_engine_guess"]
	if level != "-" {
		switch r["scope"] {
		case "project":
			scope = "p"
		case "company":
			scope = "c"
		case "project-or-company", "none/unknown":
			scope = "e"
		default:
			return nil, fmt.Errorf("unknown scope %q", r["scope"])
		}
	} else {
		tool = ""
	}
	conf := confidence(tool, r["engine_confidence"], r["tool_mapping_confidence"])
	spec := clean(r["permission_text_in_spec"])
	if t := clean(r["spec_403_text"]); t != "" {
		if spec != "" {
			spec += " "
		}
		spec += "(403: " + t + ")"
	}
	name := py[method+" "+path]
	if name == pythonName(method, path) {
		name = ""
	}
	return []string{method, path, version, scope, tool, conf, level, clean(r["tool_human"]), clean(r["oas_tag"]), spec, name}, nil
}

// level maps min_level_guess: GET read_only, writes standard, the
// "often admin" deletes and the path heuristic's "admin?" standard with a
// mark (a lower bound never claims admin on a guess), spec text admin.
func level(s string) (string, error) {
	switch s {
	case "read_only":
		return "r", nil
	case "standard":
		return "s", nil
	case "standard?(often admin)", "admin?":
		return "S", nil
	case "admin":
		return "a", nil
	case "n/a":
		return "-", nil
	}
	return "", fmt.Errorf("unknown min_level_guess %q", s)
}

// confidence maps the two confidences of endpoints.csv (how sure the tool
// key is, how sure the tag-to-tool mapping is) to one, as SOURCES.md
// recommends: confirmed when the key is confirmed by the API or a manifest
// and the mapping is high; probable when the key is at least medium and
// the mapping at least medium; unknown otherwise (weak or unknown keys,
// low mappings, no key).
func confidence(tool, engine, mapping string) string {
	if tool == "" {
		return "u"
	}
	key := map[string]int{"confirmed-api": 3, "confirmed-manifest": 3, "strong": 2, "medium": 1}[engine]
	m := map[string]int{"high": 2, "medium": 1}[mapping]
	switch {
	case key == 3 && m == 2:
		return "c"
	case key >= 1 && m >= 1:
		return "p"
	}
	return "u"
}

func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// pythonName is the method name openapi-generator gives an operation in
// Procore's Python SDK: the path and method, lowercased, every run of
// other characters an underscore, the version's dot dropped
// (rest_v10_projects_project_id_rfis_get). It must stay in step with
// permissions/scan's copy.
func pythonName(method, path string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(strings.ReplaceAll(path, ".", "") + "_" + method) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	return b.String()
}

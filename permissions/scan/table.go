package scan

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/manifestctl/manifestctl/permissions"
)

//go:generate go run ./internal/gen -shared ../../../shared/procore -out endpoints.tsv.gz

//go:embed endpoints.tsv.gz
var endpointsGz []byte

// Confidence says how sure the table is of an endpoint's tool.
type Confidence string

// The confidences of the endpoint table (docs/scan.md says how they are
// derived from endpoints.csv).
const (
	Confirmed Confidence = "confirmed"
	Probable  Confidence = "probable"
	Unknown   Confidence = "unknown"
)

// rank orders confidences: unknown < probable < confirmed.
func (c Confidence) rank() int {
	switch c {
	case Confirmed:
		return 2
	case Probable:
		return 1
	}
	return 0
}

// Scope values of an Endpoint besides permissions.Company and Project.
const (
	// ScopeEither: the spec does not tie the operation to a scope; the
	// tool is looked for in both.
	ScopeEither = "either"
)

// Endpoint is one REST operation of the table.
type Endpoint struct {
	Method  string // GET, POST, PUT, PATCH, DELETE
	Path    string // the template: /rest/v1.0/projects/{project_id}/rfis
	Version string // v1.0, v1.1, v2.0 ...; "oauth" for /oauth/...
	// Scope is permissions.Company, permissions.Project, ScopeEither, or
	// "" when the operation needs no tool permission (NoTool).
	Scope string
	// Tool is the guessed tool key, "" when no key is known.
	Tool string
	// ToolName is the tool's human name ("RFIs"), "" when none.
	ToolName   string
	Confidence Confidence
	// Level is the guessed minimum level; MayNeedAdmin marks deletes and
	// settings writes that may need Admin.
	Level        permissions.Level
	MayNeedAdmin bool
	// NoTool marks OAuth, /me and personal settings operations, which need
	// no tool permission.
	NoTool bool
	Tag    string // the OpenAPI tag: "Project Management/RFI/rfis"
	// Spec is the spec's own words about permissions, "" when it has none.
	Spec string
	// PythonMethod is the generated Python SDK's method name.
	PythonMethod string
}

// Table is the endpoint table: every operation, a path trie and the
// Python SDK's names. It is immutable and safe for concurrent use.
type Table struct {
	// Source says where the data comes from and its date.
	Source    string
	endpoints []*Endpoint
	root      *node
	python    map[string]*Endpoint
}

// node is a trie node: the segments after the version prefix.
type node struct {
	literal map[string]*node
	params  []*paramNode // {x} and partial segments such as {id}.pdf
	// ops are the operations ending here, any version.
	ops []*Endpoint
}

type paramNode struct {
	prefix, suffix string // "" and "" for a whole {x}
	next           *node
}

var defaultTable = syncOnceTable()

func syncOnceTable() func() (*Table, error) { return sync.OnceValues(loadTable) }

func loadTable() (*Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(endpointsGz))
	if err != nil {
		return nil, fmt.Errorf("embedded endpoint table: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("embedded endpoint table: %w", err)
	}
	t, err := ParseTable(data)
	if err != nil {
		return nil, fmt.Errorf("embedded endpoint table: %w", err)
	}
	return t, nil
}

// DefaultTable returns the embedded endpoint table, parsed on first use.
func DefaultTable() (*Table, error) { return defaultTable() }

// ParseTable reads the table format the generator writes (see
// internal/gen).
func ParseTable(data []byte) (*Table, error) {
	t := &Table{root: &node{}, python: map[string]*Endpoint{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var src []string
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			src = append(src, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 11 {
			return nil, fmt.Errorf("line %d: %d fields, want 11", n, len(f))
		}
		e := &Endpoint{Method: f[0], Path: f[1], Version: f[2], Tool: f[4], ToolName: f[7], Tag: f[8], Spec: f[9], PythonMethod: f[10]}
		switch f[3] {
		case "p":
			e.Scope = permissions.Project
		case "c":
			e.Scope = permissions.Company
		case "e":
			e.Scope = ScopeEither
		case "-":
		default:
			return nil, fmt.Errorf("line %d: unknown scope %q", n, f[3])
		}
		switch f[5] {
		case "c":
			e.Confidence = Confirmed
		case "p":
			e.Confidence = Probable
		case "u":
			e.Confidence = Unknown
		default:
			return nil, fmt.Errorf("line %d: unknown confidence %q", n, f[5])
		}
		switch f[6] {
		case "r":
			e.Level = permissions.ReadOnly
		case "s":
			e.Level = permissions.Standard
		case "S":
			e.Level, e.MayNeedAdmin = permissions.Standard, true
		case "a":
			e.Level = permissions.Admin
		case "-":
			e.NoTool = true
		default:
			return nil, fmt.Errorf("line %d: unknown level %q", n, f[6])
		}
		if e.PythonMethod == "" {
			e.PythonMethod = PythonName(e.Method, e.Path)
		}
		if e.Tool == "" && !e.NoTool {
			e.Confidence = Unknown
		}
		t.insert(e)
		t.python[e.PythonMethod] = e
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(t.endpoints) == 0 {
		return nil, fmt.Errorf("no operations")
	}
	t.root.order()
	t.Source = strings.Join(src, "; ")
	return t, nil
}

// Endpoints returns every operation, by path then method.
func (t *Table) Endpoints() []*Endpoint { return append([]*Endpoint(nil), t.endpoints...) }

// Python returns the operation a generated Python SDK method name calls
// (a "_with_http_info" or "_without_preload_content" suffix is ignored),
// or nil.
func (t *Table) Python(name string) *Endpoint {
	for _, s := range []string{"_with_http_info", "_without_preload_content"} {
		name = strings.TrimSuffix(name, s)
	}
	return t.python[name]
}

// splitVersion splits /rest/v1.0/rest-of-path into "v1.0" and the rest;
// other paths have the version "".
func splitVersion(path string) (version, rest string) {
	if after, ok := strings.CutPrefix(path, "/rest/"); ok {
		v, r, _ := strings.Cut(after, "/")
		if _, _, ok := parseVersion(v); ok {
			return v, "/" + r
		}
	}
	return "", path
}

// parseVersion reads "v1.0" into 1, 0.
func parseVersion(v string) (major, minor int, ok bool) {
	s, found := strings.CutPrefix(v, "v")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(s, ".")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || x < 0 || y < 0 || y > 99 {
		return 0, 0, false
	}
	return x, y, true
}

func segments(rest string) []string {
	rest = strings.Trim(rest, "/")
	if rest == "" {
		return nil
	}
	return strings.Split(rest, "/")
}

func (t *Table) insert(e *Endpoint) {
	t.endpoints = append(t.endpoints, e)
	_, rest := splitVersion(e.Path)
	n := t.root
	for _, seg := range segments(rest) {
		n = n.child(seg)
	}
	n.ops = append(n.ops, e)
}

func (n *node) child(seg string) *node {
	if i := strings.IndexByte(seg, '{'); i >= 0 {
		if j := strings.IndexByte(seg[i:], '}'); j >= 0 {
			pre, suf := seg[:i], seg[i+j+1:]
			for _, p := range n.params {
				if p.prefix == pre && p.suffix == suf {
					return p.next
				}
			}
			p := &paramNode{prefix: pre, suffix: suf, next: &node{}}
			n.params = append(n.params, p)
			return p.next
		}
	}
	if n.literal == nil {
		n.literal = map[string]*node{}
	}
	c, ok := n.literal[seg]
	if !ok {
		c = &node{}
		n.literal[seg] = c
	}
	return c
}

// order sorts each node's parameters: the longest fixed parts
// ({id}.pdf) before whole parameters.
func (n *node) order() {
	sort.SliceStable(n.params, func(a, b int) bool {
		return len(n.params[a].prefix)+len(n.params[a].suffix) > len(n.params[b].prefix)+len(n.params[b].suffix)
	})
	for _, c := range n.literal {
		c.order()
	}
	for _, p := range n.params {
		p.next.order()
	}
}

// Hole marks a part of a path the code computes at run time (an
// interpolation, a concatenated variable): it matches a template
// parameter, never a fixed segment.
const Hole = "\x00"

// Match is the result of a lookup.
type Match struct {
	Endpoint *Endpoint
	// Fallback is true when the table has the path, but not at the version
	// the code uses: Endpoint is the nearest version's.
	Fallback bool
}

// Lookup matches a concrete path (/rest/v1.0/projects/123/rfis/45, with
// Hole for computed parts; a query or fragment is ignored) and an HTTP
// method to an operation. Fixed segments are preferred to parameters. A
// version the table does not list for the path falls back to the nearest
// one listed (Fallback). ok is false when nothing matches.
func (t *Table) Lookup(method, path string) (Match, bool) {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	version, rest := splitVersion(path)
	if version == "" && !strings.HasPrefix(path, "/oauth/") {
		return Match{}, false
	}
	segs := segments(rest)
	var found Match
	ok := t.root.walk(segs, func(n *node) bool {
		m, ok := pick(n.ops, method, version)
		if ok {
			found = m
		}
		return ok
	})
	return found, ok
}

// walk finds the first node matching segs, literal segments first,
// for which accept is true.
func (n *node) walk(segs []string, accept func(*node) bool) bool {
	if len(segs) == 0 {
		return len(n.ops) > 0 && accept(n)
	}
	seg := segs[0]
	if seg == "" {
		return false
	}
	if !strings.Contains(seg, Hole) {
		if c, ok := n.literal[seg]; ok && c.walk(segs[1:], accept) {
			return true
		}
	}
	for _, p := range n.params {
		if len(seg) <= len(p.prefix)+len(p.suffix) && (p.prefix != "" || p.suffix != "") {
			continue
		}
		if strings.HasPrefix(seg, p.prefix) && strings.HasSuffix(seg, p.suffix) && p.next.walk(segs[1:], accept) {
			return true
		}
	}
	return false
}

// pick chooses the operation of method at version among ops, or at the
// nearest version listed: the highest one below, else the lowest above.
func pick(ops []*Endpoint, method, version string) (Match, bool) {
	var cands []*Endpoint
	for _, e := range ops {
		if e.Method == method {
			if e.Version == version || version == "" && e.Version == "oauth" {
				return Match{Endpoint: e}, true
			}
			cands = append(cands, e)
		}
	}
	if len(cands) == 0 {
		return Match{}, false
	}
	want := versionKey(version)
	var best *Endpoint
	for _, e := range cands {
		k := versionKey(e.Version)
		if best == nil {
			best = e
			continue
		}
		bk := versionKey(best.Version)
		switch {
		case k <= want && (bk > want || k > bk):
			best = e
		case k > want && bk > want && k < bk:
			best = e
		}
	}
	return Match{Endpoint: best, Fallback: true}, true
}

func versionKey(v string) int {
	x, y, ok := parseVersion(v)
	if !ok {
		return -1
	}
	return x*100 + y
}

// PythonName is the method name openapi-generator gives an operation in
// Procore's Python SDK: path and method lowercased, every run of other
// characters an underscore, the version's dot dropped
// (rest_v10_projects_project_id_rfis_get).
func PythonName(method, path string) string {
	b := make([]byte, 0, len(path)+len(method)+1)
	under := false
	add := func(c byte) {
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.':
			return
		default:
			under = true
			return
		}
		if under && len(b) > 0 {
			b = append(b, '_')
		}
		under = false
		b = append(b, c)
	}
	for i := 0; i < len(path); i++ {
		add(path[i])
	}
	under = true
	for i := 0; i < len(method); i++ {
		add(method[i])
	}
	return string(b)
}

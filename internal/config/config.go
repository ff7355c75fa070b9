package config

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

// FileName is the name Find looks for.
const FileName = ".manifestctl.json"

// RuleConfig is the rule of configuration findings: an ignore without a
// reason, or one that matched nothing.
const RuleConfig = lint.RuleConfig

// Bumps are the values a policy line may take, from largest to smallest.
var Bumps = []string{"major", "minor", "patch", "none"}

// Config is one parsed configuration file.
type Config struct {
	// Path is the file as given or found (relative to the working
	// directory when found from a relative manifest path).
	Path string
	// Dir is the absolute folder of the file: "tools" and ignore paths
	// are relative to it.
	Dir string
	// Rules sets rule severities by canonical rule ID; SeverityOff turns
	// a rule off.
	Rules map[string]manifest.Severity
	// Ignores are the ignore entries, in file order.
	Ignores []*Ignore
	// Policy maps a change kind to the bump it requires, overriding the
	// default policy of DESIGN.md section 2.
	Policy map[string]string
	// Tools are extra tool catalogue files, absolute paths.
	Tools []string
	// Audit is the "audit" section: the audit's suppressions.
	Audit Audit

	doc     *manifest.Document
	mu      sync.Mutex
	ignored int
	files   int // manifests filtered through this configuration
}

// Ignore suppresses the findings of one rule at a JSON Pointer (and the
// values below it), optionally only in the manifests whose path, relative
// to the configuration's folder, matches a glob.
type Ignore struct {
	Rule    string
	Pointer string
	Reason  string
	// Path is a slash-separated glob ("apps/*/manifest.json"); "**"
	// matches any number of folders. Empty means every manifest.
	Path string
	// Index is the entry's position in the "ignore" array.
	Index int

	applicable int // manifests it was considered for
	matched    int // findings it suppressed
}

// Error is a configuration file that cannot be used: every problem found,
// with its position.
type Error struct {
	Path     string
	Problems []manifest.Diagnostic
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(d.Pos.String() + ": " + d.Message)
	}
	if len(e.Problems) == 0 {
		b.WriteString(e.Path + ": invalid configuration")
	}
	return b.String()
}

// ParseOptions tune Parse. The zero value is ready to use.
type ParseOptions struct {
	// ChangeKind, when not nil, checks a policy key (a change kind of
	// `diff`, release.CheckKind); for an unknown kind it returns an error
	// whose message names the kind and the valid ones, reported as is.
	// When nil, any kind is accepted and only the bump values are checked.
	ChangeKind func(kind string) error
}

// MaxFileSize is the size cap of a configuration file.
const MaxFileSize = 1 << 20

// Load reads and parses the configuration file at path.
func Load(path string, opts ParseOptions) (*Config, error) {
	src, err := source.ReadFile(path, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return Parse(path, src, opts)
}

// Parse parses a configuration file held in memory. Every problem is
// collected into one *Error.
func Parse(file string, src []byte, opts ParseOptions) (*Config, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("configuration %s: %w", file, err)
	}
	doc, diags := manifest.Parse(file, src, manifest.ParseOptions{MaxSize: MaxFileSize})
	c := &Config{Path: file, Dir: filepath.Dir(abs), doc: doc}
	p := &parser{doc: doc, opts: opts}
	for _, d := range diags {
		if d.Severity == manifest.SeverityError {
			p.problems = append(p.problems, d)
		}
	}
	if doc.Root != nil {
		p.root(c)
	}
	if len(p.problems) > 0 {
		return nil, &Error{Path: file, Problems: p.problems}
	}
	return c, nil
}

type parser struct {
	doc      *manifest.Document
	opts     ParseOptions
	problems []manifest.Diagnostic
}

func (p *parser) errorf(pointer, format string, args ...any) {
	p.problems = append(p.problems, p.doc.Diag(RuleConfig, manifest.SeverityError, pointer, fmt.Sprintf(format, args...)))
}

// keyErrorf reports a problem with a member's name, at the name.
func (p *parser) keyErrorf(pointer, format string, args ...any) {
	d := p.doc.Diag(RuleConfig, manifest.SeverityError, pointer, fmt.Sprintf(format, args...))
	d.Pos = p.doc.KeyPosition(pointer)
	p.problems = append(p.problems, d)
}

var topKeys = []string{"$schema", "rules", "ignore", "policy", "tools", "audit"}

func (p *parser) root(c *Config) {
	root := p.doc.Root
	if !root.IsObject() {
		p.errorf("", "a configuration is a JSON object, found %s", root.Kind)
		return
	}
	for _, m := range root.Members {
		ptr := manifest.AppendPointer("", m.Key)
		switch m.Key {
		case "$schema":
			if !m.Value.IsString() {
				p.errorf(ptr, "\"$schema\" must be a string")
			}
		case "rules":
			p.rules(c, ptr, m.Value)
		case "ignore":
			p.ignores(c, ptr, m.Value)
		case "policy":
			p.policy(c, ptr, m.Value)
		case "tools":
			p.tools(c, ptr, m.Value)
		case "audit":
			p.audit(c, ptr, m.Value)
		default:
			p.keyErrorf(ptr, "unknown key %q (want %s)", m.Key, strings.Join(topKeys, ", "))
		}
	}
}

func (p *parser) rules(c *Config, ptr string, n *manifest.Node) {
	if !n.IsObject() {
		p.errorf(ptr, "\"rules\" must be an object of rule IDs to severities, e.g. {\"MC105\": \"off\"}")
		return
	}
	c.Rules = make(map[string]manifest.Severity, len(n.Members))
	for _, m := range n.Members {
		mptr := manifest.AppendPointer(ptr, m.Key)
		r := lint.Lookup(m.Key)
		if r == nil {
			p.keyErrorf(mptr, "unknown rule %q (run \"manifestctl rules\" for the list)", m.Key)
			continue
		}
		if !m.Value.IsString() {
			p.errorf(mptr, "severity of %s must be a string: error, warning, info or off", r.ID)
			continue
		}
		sev, err := manifest.ParseSeverity(strings.ToLower(strings.TrimSpace(m.Value.Str)))
		if err != nil {
			p.errorf(mptr, "severity %q of %s is not one of error, warning, info, off", m.Value.Str, r.ID)
			continue
		}
		c.Rules[r.ID] = sev
	}
}

var ignoreKeys = []string{"rule", "pointer", "reason", "path"}

func (p *parser) ignores(c *Config, ptr string, n *manifest.Node) {
	if !n.IsArray() {
		p.errorf(ptr, "\"ignore\" must be an array of {\"rule\", \"pointer\", \"reason\", \"path\"} objects")
		return
	}
	for i, e := range n.Elems {
		eptr := manifest.AppendIndex(ptr, i)
		if !e.IsObject() {
			p.errorf(eptr, "an ignore must be an object with \"rule\", \"pointer\" and \"reason\"")
			continue
		}
		ig := &Ignore{Index: i}
		ok := true
		for _, m := range e.Members {
			mptr := manifest.AppendPointer(eptr, m.Key)
			if !slices.Contains(ignoreKeys, m.Key) {
				p.keyErrorf(mptr, "unknown key %q in an ignore (want %s)", m.Key, strings.Join(ignoreKeys, ", "))
				ok = false
				continue
			}
			if !m.Value.IsString() {
				p.errorf(mptr, "%q of an ignore must be a string", m.Key)
				ok = false
				continue
			}
			switch m.Key {
			case "rule":
				r := lint.Lookup(m.Value.Str)
				if r == nil {
					p.errorf(mptr, "unknown rule %q (run \"manifestctl rules\" for the list)", m.Value.Str)
					ok = false
					continue
				}
				ig.Rule = r.ID
			case "pointer":
				if _, err := manifest.SplitPointer(m.Value.Str); err != nil {
					p.errorf(mptr, "pointer %q is not a JSON Pointer (RFC 6901): %v", m.Value.Str, err)
					ok = false
					continue
				}
				ig.Pointer = m.Value.Str
			case "reason":
				ig.Reason = strings.TrimSpace(m.Value.Str)
			case "path":
				if err := checkGlob(m.Value.Str); err != nil {
					p.errorf(mptr, "path %q is not a valid glob: %v", m.Value.Str, err)
					ok = false
					continue
				}
				ig.Path = m.Value.Str
			}
		}
		if !e.Has("rule") {
			p.errorf(eptr, "ignore %d has no \"rule\": name the rule whose findings it suppresses", i)
			ok = false
		}
		if !e.Has("pointer") {
			p.errorf(eptr, "ignore %d has no \"pointer\": give the JSON Pointer of the value (\"\" for the whole manifest)", i)
			ok = false
		}
		if ok {
			c.Ignores = append(c.Ignores, ig)
		}
	}
}

func (p *parser) policy(c *Config, ptr string, n *manifest.Node) {
	if !n.IsObject() {
		p.errorf(ptr, "\"policy\" must be an object of change kinds to bumps, e.g. {\"permission_lowered\": \"major\"}")
		return
	}
	c.Policy = make(map[string]string, len(n.Members))
	for _, m := range n.Members {
		mptr := manifest.AppendPointer(ptr, m.Key)
		if p.opts.ChangeKind != nil {
			if err := p.opts.ChangeKind(m.Key); err != nil {
				p.keyErrorf(mptr, "%v", err)
				continue
			}
		}
		if !m.Value.IsString() || !slices.Contains(Bumps, m.Value.Str) {
			p.errorf(mptr, "bump for %q must be one of %s", m.Key, strings.Join(Bumps, ", "))
			continue
		}
		c.Policy[m.Key] = m.Value.Str
	}
}

func (p *parser) tools(c *Config, ptr string, n *manifest.Node) {
	if !n.IsArray() {
		p.errorf(ptr, "\"tools\" must be an array of tool catalogue files, relative to the configuration file")
		return
	}
	dir := filepath.Dir(p.doc.Path)
	abs := c.Dir
	for i, e := range n.Elems {
		if !e.IsString() || e.Str == "" {
			p.errorf(manifest.AppendIndex(ptr, i), "a tool catalogue must be a file name")
			continue
		}
		f := filepath.FromSlash(e.Str)
		if !filepath.IsAbs(f) {
			f = filepath.Join(abs, f)
		}
		if _, err := os.Stat(f); err != nil {
			p.errorf(manifest.AppendIndex(ptr, i), "tool catalogue %q: %v", filepath.Join(dir, filepath.FromSlash(e.Str)), unwrapPath(err))
			continue
		}
		c.Tools = append(c.Tools, f)
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkGlob reports a malformed glob.
func checkGlob(pattern string) error {
	if pattern == "" {
		return errors.New("empty")
	}
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// matchGlob matches a slash path against a glob whose "**" segments match
// any number of segments and whose other segments follow path.Match.
func matchGlob(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// relPath returns the manifest path relative to the configuration's
// folder, with forward slashes, or "" for standard input or a manifest
// outside that folder.
func (c *Config) relPath(manifestPath string) string {
	if manifestPath == "-" || manifestPath == "" {
		return ""
	}
	abs, err := filepath.Abs(manifestPath)
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// covers reports whether pointer is ptr or a value below it.
func covers(ptr, pointer string) bool {
	return ptr == "" || pointer == ptr || strings.HasPrefix(pointer, ptr+"/")
}

// Filter removes the findings of one manifest that an ignore with a reason
// covers, and counts them. It is safe for concurrent use; call it once per
// manifest, with that manifest's findings after severities are applied.
func (c *Config) Filter(manifestPath string, diags []manifest.Diagnostic) []manifest.Diagnostic {
	rel := c.relPath(manifestPath)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files++
	var active []*Ignore
	for _, ig := range c.Ignores {
		if ig.Path != "" && (rel == "" || !matchGlob(ig.Path, rel)) {
			continue
		}
		ig.applicable++
		if ig.Reason != "" {
			active = append(active, ig)
		}
	}
	if len(active) == 0 || len(diags) == 0 {
		return diags
	}
	out := diags[:0:0]
	for _, d := range diags {
		var hit *Ignore
		for _, ig := range active {
			if ig.Rule == d.Rule && covers(ig.Pointer, d.Pos.Pointer) {
				hit = ig
				break
			}
		}
		if hit != nil {
			hit.matched++
			c.ignored++
			continue
		}
		out = append(out, d)
	}
	return out
}

// Ignored returns the number of findings Filter removed.
func (c *Config) Ignored() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ignored
}

// Findings returns the configuration's own findings (rule MC020) after a
// run: each ignore without a reason (it was not applied), and each ignore
// that matched no finding in the manifests it applied to. An ignore whose
// path matched none of the manifests of this run is not reported, so that
// a run over some files (a pre-commit hook) does not flag ignores meant
// for others. sev is the rule's severity; SeverityOff returns nothing.
// An ignore of a rule this configuration turns off matches nothing by
// design and is not reported.
func (c *Config) Findings(sev manifest.Severity) []manifest.Diagnostic {
	return c.FindingsOff(sev, nil)
}

// FindingsOff is Findings where off tells which rules are off for the run
// (this configuration's rules with the command line's --rule flags on
// top): their ignores match nothing by design and are not reported. A nil
// off means this configuration's rules alone.
func (c *Config) FindingsOff(sev manifest.Severity, off func(rule string) bool) []manifest.Diagnostic {
	if sev == manifest.SeverityOff {
		return nil
	}
	isOff := off
	if isOff == nil {
		isOff = func(rule string) bool { s, ok := c.Rules[rule]; return ok && s == manifest.SeverityOff }
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []manifest.Diagnostic
	for _, ig := range c.Ignores {
		ptr := manifest.AppendIndex("/ignore", ig.Index)
		what := "ignore of " + ig.Rule + " at " + strconv.Quote(ig.Pointer)
		if ig.Path != "" {
			what += " in " + strconv.Quote(ig.Path)
		}
		switch {
		case ig.Reason == "":
			out = append(out, c.doc.Diag(RuleConfig, sev, ptr,
				what+" has no \"reason\": say why the finding is accepted; until then the ignore is not applied"))
		case ig.applicable > 0 && ig.matched == 0 && !isOff(ig.Rule):
			out = append(out, c.doc.Diag(RuleConfig, sev, ptr,
				what+" matched no finding: remove it, or correct its rule, pointer or path"))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Offset < out[j].Pos.Offset })
	return out
}

// Severity returns the severity of a rule under this configuration: the
// configured one, else def.
func (c *Config) Severity(id string, def manifest.Severity) manifest.Severity {
	if c != nil {
		if s, ok := c.Rules[id]; ok {
			return s
		}
	}
	return def
}

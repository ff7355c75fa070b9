package permissions

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/manifestctl/manifestctl/internal/source"
	"github.com/manifestctl/manifestctl/internal/suggest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/manifestctl/manifestctl/manifest"
)

// The permission scopes.
const (
	Company = manifest.ScopeCompany
	Project = manifest.ScopeProject
)

// Scopes lists the scopes in report order.
var Scopes = []string{Company, Project}

// ValidScope reports whether s is "company" or "project".
func ValidScope(s string) bool { return s == Company || s == Project }

// Tool is one tool of the Permission Builder.
type Tool struct {
	Scope string // Company or Project
	// Key is the member name in the manifest's permissions object.
	Key string
	// Name is the display name the Permission Builder shows.
	Name string
	// Levels are the levels the Permission Builder allows, in order.
	Levels []Level
	// APIName is the name the REST API reports (settings/permissions
	// tools[].name) when it differs from Key; "" otherwise.
	APIName string
	// Aliases are other keys that name the same tool, such as keys used by
	// older manifests (budget for budgeting).
	Aliases []string
	// Confidence says how sure the key is (shared/procore/tools.csv):
	// ConfirmedAPI, ConfirmedManifest, Strong, Medium, Weak, Unknown, or
	// User for a tool of a user catalogue that states none.
	Confidence string
	// Confirmed is true when the key is confirmed (by an API response, a
	// manifest of Procore's, or the user's own catalogue): Confidence is
	// ConfirmedAPI, ConfirmedManifest or User.
	Confirmed bool
	// Pattern is the catalogue key a concrete key matched
	// ("generic_tool_{id}" for generic_tool_126094), "" for other tools.
	Pattern string
	// Note says where the entry comes from.
	Note string
}

// The confidences of a tool key, strongest first (tools.csv's scale, plus
// User).
const (
	ConfirmedAPI      = "confirmed-api"      // in a real API response or Procore's example of one
	ConfirmedManifest = "confirmed-manifest" // in Procore's own manifest screenshots
	Strong            = "strong"             // an OpenAPI example or enum names it as a tool
	Medium            = "medium"             // two independent indirect signals
	Weak              = "weak"               // one indirect signal (a web URL segment)
	Unknown           = "unknown"            // a human name only: the key is a guess
	User              = "user"               // a user catalogue's tool that states no confidence
)

// Confidences lists the confidences, strongest first.
var Confidences = []string{ConfirmedAPI, ConfirmedManifest, User, Strong, Medium, Weak, Unknown}

func validConfidence(s string) bool {
	for _, c := range Confidences {
		if c == s {
			return true
		}
	}
	return false
}

// pattern is a catalogue key with an {id} placeholder: generic_tool_{id}
// names generic_tool_ followed by digits.
type pattern struct {
	prefix, suffix string
	tool           *Tool
}

func (p pattern) match(key string) bool {
	if len(key) <= len(p.prefix)+len(p.suffix) || !strings.HasPrefix(key, p.prefix) || !strings.HasSuffix(key, p.suffix) {
		return false
	}
	for _, r := range key[len(p.prefix) : len(key)-len(p.suffix)] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// concrete returns the tool of a key the pattern matched.
func (p pattern) concrete(key string) *Tool {
	cp := *p.tool
	cp.Key, cp.Pattern = key, p.tool.Key
	return &cp
}

// Allows reports whether the Permission Builder allows level l for the
// tool.
func (t *Tool) Allows(l Level) bool {
	for _, a := range t.Levels {
		if a == l {
			return true
		}
	}
	return false
}

// API returns the name the REST API uses for the tool: APIName, else Key.
func (t *Tool) API() string {
	if t.APIName != "" {
		return t.APIName
	}
	return t.Key
}

// LevelList returns the allowed levels as "none, readonly, standard,
// admin".
func (t *Tool) LevelList() string {
	names := make([]string, len(t.Levels))
	for i, l := range t.Levels {
		names[i] = l.String()
	}
	return strings.Join(names, ", ")
}

// Catalog is a tool catalogue: the tools of each scope. A Catalog is
// immutable once built and safe for concurrent use.
type Catalog struct {
	// Version names the catalogue in reports: the embedded catalogue's
	// version, plus "+" and the user file's version (or its name) when
	// LoadTools merged one.
	Version string
	// Source says what the catalogue was built from.
	Source   string
	tools    map[string][]*Tool          // scope -> tools sorted by key
	byName   map[string]map[string]*Tool // scope -> key or alias -> tool
	byAPI    map[string]map[string]*Tool // scope -> API name -> tool
	patterns map[string][]pattern        // scope -> keys with an {id}

	// Suggestions: the normalised names of each scope's tools, built on
	// first use, and the answers given so far (a run meets the same
	// unknown tool in many files).
	suggestOnce sync.Once
	candidates  map[string][]candidate
	suggested   sync.Map // scope + "\x00" + key -> *Tool (nil: nothing close)
	nSuggested  atomic.Int32
}

// candidate is one name a tool answers to, normalised for suggestions.
type candidate struct {
	name  string
	runes int
	tool  *Tool
}

// maxMemo bounds the memory of remembered suggestions.
const maxMemo = 4096

//go:embed catalog.json
var catalogJSON []byte

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) {
	c, err := ParseTools(catalogJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded tool catalogue: %w", err)
	}
	return c, nil
})

// Default returns the embedded tool catalogue, parsed on first use. The
// error is never nil for a broken build only (a test checks the data).
func Default() (*Catalog, error) { return defaultCatalog() }

// fileTool is a tool entry of a catalogue file.
type fileTool struct {
	Key     string   `json:"key"`
	Name    string   `json:"name"`
	Levels  []string `json:"levels,omitempty"`
	APIName string   `json:"api_name,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// Confidence is one of Confidences; Confirmed is the older yes/no
	// form, still read in user catalogues (true: user, false: unknown).
	Confidence string `json:"confidence,omitempty"`
	Confirmed  *bool  `json:"confirmed,omitempty"`
	Note       string `json:"note,omitempty"`
}

// catalogFile is the format of catalog.json and of --tools files.
type catalogFile struct {
	Version string     `json:"version,omitempty"`
	Source  string     `json:"source,omitempty"`
	Company []fileTool `json:"company,omitempty"`
	Project []fileTool `json:"project,omitempty"`
}

// ParseTools reads a catalogue file:
//
//	{"version": "...", "company": [TOOL...], "project": [TOOL...]}
//
// where TOOL is {"key", "name", "levels" (default: all four), "api_name",
// "aliases", "confidence" (default user; "confirmed": false is read as
// unknown), "note"}. A key with an {id} placeholder (generic_tool_{id}) is
// a pattern: it names every key with digits in its place. Unknown members
// are an error, to catch typos.
func ParseTools(data []byte) (*Catalog, error) {
	var f catalogFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode tool catalogue: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode tool catalogue: data after the top-level object")
	}
	c := &Catalog{Version: f.Version, Source: f.Source, tools: map[string][]*Tool{}}
	var errs []error
	for _, scope := range Scopes {
		entries := f.Company
		if scope == Project {
			entries = f.Project
		}
		for _, e := range entries {
			t, err := e.tool(scope)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			c.tools[scope] = append(c.tools[scope], t)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	return c, nil
}

func (e fileTool) tool(scope string) (*Tool, error) {
	t := &Tool{Scope: scope, Key: e.Key, Name: e.Name, APIName: e.APIName, Note: e.Note, Confidence: e.Confidence}
	switch {
	case e.Confidence != "" && e.Confirmed != nil:
		return nil, fmt.Errorf("%s tool %q: give confidence or confirmed, not both", scope, e.Key)
	case e.Confidence != "" && !validConfidence(e.Confidence):
		return nil, fmt.Errorf("%s tool %q: unknown confidence %q (want one of %s)", scope, e.Key, e.Confidence, strings.Join(Confidences, ", "))
	case e.Confirmed != nil && !*e.Confirmed:
		t.Confidence = Unknown
	case e.Confidence == "":
		t.Confidence = User
	}
	t.Confirmed = t.Confidence == ConfirmedAPI || t.Confidence == ConfirmedManifest || t.Confidence == User
	if strings.ContainsAny(e.Key, "{}") && (strings.Count(e.Key, "{id}") != 1 || strings.Count(e.Key, "{")+strings.Count(e.Key, "}") != 2) {
		return nil, fmt.Errorf("%s tool %q: the only placeholder a key may have is {id}", scope, e.Key)
	}
	if strings.TrimSpace(e.Key) == "" {
		return nil, fmt.Errorf("%s tool %q: empty key", scope, e.Name)
	}
	if strings.TrimSpace(e.Name) == "" {
		return nil, fmt.Errorf("%s tool %q: empty name", scope, e.Key)
	}
	if e.APIName == e.Key {
		t.APIName = ""
	}
	if len(e.Levels) == 0 {
		t.Levels = append([]Level(nil), Levels...)
	}
	seen := map[Level]bool{}
	for _, s := range e.Levels {
		l, err := ParseLevel(s)
		if err != nil {
			return nil, fmt.Errorf("%s tool %q: %w", scope, e.Key, err)
		}
		if seen[l] {
			return nil, fmt.Errorf("%s tool %q: level %q listed twice", scope, e.Key, l)
		}
		seen[l] = true
		t.Levels = append(t.Levels, l)
	}
	sort.Slice(t.Levels, func(i, j int) bool { return t.Levels[i] < t.Levels[j] })
	for _, a := range e.Aliases {
		if strings.TrimSpace(a) == "" {
			return nil, fmt.Errorf("%s tool %q: empty alias", scope, e.Key)
		}
		if a != e.Key {
			t.Aliases = append(t.Aliases, a)
		}
	}
	return t, nil
}

// index sorts the tools and builds the lookup maps. It reports duplicate
// keys, aliases and API names within a scope.
func (c *Catalog) index() error {
	c.byName = map[string]map[string]*Tool{}
	c.byAPI = map[string]map[string]*Tool{}
	c.patterns = map[string][]pattern{}
	var errs []error
	for _, scope := range Scopes {
		tools := c.tools[scope]
		sort.Slice(tools, func(i, j int) bool { return tools[i].Key < tools[j].Key })
		names := map[string]*Tool{}
		api := map[string]*Tool{}
		for _, t := range tools {
			if pre, suf, ok := strings.Cut(t.Key, "{id}"); ok {
				c.patterns[scope] = append(c.patterns[scope], pattern{prefix: pre, suffix: suf, tool: t})
				continue
			}
			for _, n := range append([]string{t.Key}, t.Aliases...) {
				if prev, ok := names[n]; ok {
					errs = append(errs, fmt.Errorf("%s tool %q: key or alias %q already names tool %q", scope, t.Key, n, prev.Key))
					continue
				}
				names[n] = t
			}
			if prev, ok := api[t.API()]; ok {
				errs = append(errs, fmt.Errorf("%s tool %q: API name %q already names tool %q", scope, t.Key, t.API(), prev.Key))
				continue
			}
			api[t.API()] = t
		}
		c.byName[scope] = names
		c.byAPI[scope] = api
	}
	return errors.Join(errs...)
}

// MaxToolsFile is the size cap of a tool catalogue file.
const MaxToolsFile = 10 << 20

// LoadTools returns the embedded catalogue with the user files at paths
// merged in order (the --tools flag, a configuration's "tools"): a later
// file wins for a tool both define (see Merge). Without paths it is the
// embedded catalogue.
func LoadTools(paths ...string) (*Catalog, error) {
	c, err := Default()
	if err != nil {
		return nil, err
	}
	for _, path := range paths {
		data, err := source.ReadFile(path, MaxToolsFile)
		if err != nil {
			return nil, fmt.Errorf("tool catalogue: %w", err)
		}
		user, err := ParseTools(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if user.Version == "" {
			user.Version = filepath.Base(path)
		}
		if c, err = c.Merge(user); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return c, nil
}

// Merge returns a new catalogue: c with the tools of user added. A user
// tool replaces the tool of c with the same key in the same scope; a user
// key or alias that was an alias of another tool of c is taken from it.
// The version becomes c.Version + "+" + user.Version.
func (c *Catalog) Merge(user *Catalog) (*Catalog, error) {
	out := &Catalog{Version: c.Version, Source: c.Source, tools: map[string][]*Tool{}}
	if user.Version != "" {
		out.Version += "+" + user.Version
	}
	for _, scope := range Scopes {
		claimed := map[string]bool{}
		replaced := map[string]bool{}
		for _, t := range user.tools[scope] {
			replaced[t.Key] = true
			claimed[t.Key] = true
			for _, a := range t.Aliases {
				claimed[a] = true
			}
		}
		for _, t := range c.tools[scope] {
			if replaced[t.Key] {
				continue
			}
			cp := *t
			cp.Levels = append([]Level(nil), t.Levels...)
			cp.Aliases = nil
			for _, a := range t.Aliases {
				if !claimed[a] {
					cp.Aliases = append(cp.Aliases, a)
				}
			}
			out.tools[scope] = append(out.tools[scope], &cp)
		}
		for _, t := range user.tools[scope] {
			cp := *t
			out.tools[scope] = append(out.tools[scope], &cp)
		}
	}
	if err := out.index(); err != nil {
		return nil, err
	}
	return out, nil
}

// Tools returns the tools of a scope sorted by key (nil for an unknown
// scope). The slice is a copy; the tools are shared and must not be
// modified.
func (c *Catalog) Tools(scope string) []*Tool {
	return append([]*Tool(nil), c.tools[scope]...)
}

// Lookup returns the tool a key or alias names in a scope, or nil. A key
// a pattern matches (generic_tool_126094) gives a copy of the pattern's
// tool with that Key and Pattern set.
func (c *Catalog) Lookup(scope, key string) *Tool {
	if t := c.byName[scope][key]; t != nil {
		return t
	}
	return c.matchPattern(scope, key)
}

func (c *Catalog) matchPattern(scope, key string) *Tool {
	for _, p := range c.patterns[scope] {
		if p.match(key) {
			return p.concrete(key)
		}
	}
	return nil
}

// LookupAPI returns the tool the REST API names name in a scope, or nil
// (patterns as in Lookup).
func (c *Catalog) LookupAPI(scope, name string) *Tool {
	if t := c.byAPI[scope][name]; t != nil {
		return t
	}
	return c.matchPattern(scope, name)
}

// OtherScope returns the tool key names in the other scope when key is
// unknown in scope but known there: a tool declared under the wrong scope.
func (c *Catalog) OtherScope(scope, key string) *Tool {
	if c.Lookup(scope, key) != nil {
		return nil
	}
	for _, s := range Scopes {
		if s != scope {
			if t := c.Lookup(s, key); t != nil {
				return t
			}
		}
	}
	return nil
}

// Suggest returns the tool of scope whose key, alias or display name is
// closest to key, or nil when nothing is close. Case, spaces and hyphens
// are ignored ("Daily Log" suggests daily_log).
func (c *Catalog) Suggest(scope, key string) *Tool {
	in := normalizeName(key)
	if in == "" {
		return nil
	}
	memoKey := scope + "\x00" + in
	if t, ok := c.suggested.Load(memoKey); ok {
		return t.(*Tool)
	}
	c.suggestOnce.Do(c.buildCandidates)
	inRunes := utf8.RuneCountInString(in)
	var best *Tool
	bestDist := -1
	for _, cand := range c.candidates[scope] {
		limit := max(1, min(inRunes, cand.runes)/4)
		if diff := inRunes - cand.runes; diff > limit || -diff > limit {
			continue // the distance is at least the difference in length
		}
		d := suggest.AtMost(in, cand.name, limit)
		if d > limit {
			continue
		}
		if bestDist < 0 || d < bestDist || (d == bestDist && cand.tool.Key < best.Key) {
			best, bestDist = cand.tool, d
		}
	}
	if c.nSuggested.Load() < maxMemo {
		c.nSuggested.Add(1)
		c.suggested.Store(memoKey, best)
	}
	return best
}

func (c *Catalog) buildCandidates() {
	c.candidates = make(map[string][]candidate, len(c.tools))
	for scope, tools := range c.tools {
		for _, t := range tools {
			if strings.Contains(t.Key, "{id}") {
				continue // a pattern is no suggestion
			}
			for _, name := range append([]string{t.Key, t.Name}, t.Aliases...) {
				n := normalizeName(name)
				c.candidates[scope] = append(c.candidates[scope], candidate{name: n, runes: utf8.RuneCountInString(n), tool: t})
			}
		}
	}
}

// normalizeName lowercases s and turns spaces and hyphens into
// underscores.
func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

package permissions

import (
	"errors"
	"fmt"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// Assignment is one "scope:tool=level" request of the Permission Builder.
type Assignment struct {
	Scope, Tool string
	Level       Level
}

// String writes the assignment as "scope:tool=level".
func (a Assignment) String() string { return a.Scope + ":" + a.Tool + "=" + a.Level.String() }

// ToolRef names a tool in a scope: "scope:tool".
type ToolRef struct {
	Scope, Tool string
}

// String writes the reference as "scope:tool".
func (r ToolRef) String() string { return r.Scope + ":" + r.Tool }

// ParseToolRef reads "scope:tool". Without a scope ("rfi"), the scope is
// taken from the catalogue when the tool is known in exactly one scope.
func ParseToolRef(s string, c *Catalog) (ToolRef, error) {
	scope, tool, ok := strings.Cut(s, ":")
	if !ok {
		tool, scope = s, ""
	}
	scope = strings.ToLower(strings.TrimSpace(scope))
	tool = strings.TrimSpace(tool)
	if tool == "" {
		return ToolRef{}, fmt.Errorf("%q: no tool: write scope:tool, e.g. project:rfi", s)
	}
	if !ok {
		var found []string
		for _, sc := range Scopes {
			if c != nil && c.Lookup(sc, tool) != nil {
				found = append(found, sc)
			}
		}
		if len(found) != 1 {
			return ToolRef{}, fmt.Errorf("%q: no scope: write company:%s or project:%s", s, tool, tool)
		}
		scope = found[0]
	}
	if !ValidScope(scope) {
		return ToolRef{}, fmt.Errorf("%q: unknown scope %q: use company or project", s, scope)
	}
	return ToolRef{Scope: scope, Tool: tool}, nil
}

// ParseAssignment reads "scope:tool=level" (see ParseToolRef for the
// scope; the level in any spelling ParseLevel accepts).
func ParseAssignment(s string, c *Catalog) (Assignment, error) {
	ref, lvl, ok := strings.Cut(s, "=")
	if !ok {
		return Assignment{}, fmt.Errorf("%q: no level: write scope:tool=level, e.g. project:rfi=readonly", s)
	}
	r, err := ParseToolRef(ref, c)
	if err != nil {
		return Assignment{}, err
	}
	l, err := ParseLevel(lvl)
	if err != nil {
		return Assignment{}, fmt.Errorf("%q: %w", s, err)
	}
	return Assignment{Scope: r.Scope, Tool: r.Tool, Level: l}, nil
}

// Sentinel errors of Assign.
var (
	// ErrNoClientCredentials: a 3.x manifest has no client_credentials
	// oauth instance to hold permissions (see EditOptions).
	ErrNoClientCredentials = errors.New("the manifest has no client_credentials oauth instance: in schema 3.x the service account's permissions live inside it")
	// ErrOtherGrant: a 3.x manifest already has a data connection instance
	// of another grant type, so none can be added (an app has at most
	// one).
	ErrOtherGrant = errors.New("the manifest already has a data connection instance of another grant type; an app has at most one")
)

// AssignmentError is an assignment the catalogue refuses: a level the
// tool does not allow, or a tool of the other scope.
type AssignmentError struct {
	Assignment Assignment
	Reason     string
}

func (e *AssignmentError) Error() string {
	return fmt.Sprintf("%s: %s", e.Assignment, e.Reason)
}

// EditOptions tune Assign and Revoke.
type EditOptions struct {
	// Catalog checks the assignments; nil means Default.
	Catalog *Catalog
	// AddClientCredentials lets Assign add a client_credentials oauth
	// instance to a 3.x manifest that has no data connection instance.
	AddClientCredentials bool
}

// Action says what an edit did to one tool.
type Action string

// The actions of EditResult.
const (
	ActionAdded     Action = "added"
	ActionChanged   Action = "changed"
	ActionUnchanged Action = "unchanged"
	ActionRemoved   Action = "removed"
	ActionAbsent    Action = "absent" // unset of a tool that is not declared
)

// EditResult is what Assign or Revoke did to one tool.
type EditResult struct {
	Scope string
	// Tool is the member key in the file: the catalogue key for a new
	// member, the key as written (perhaps an alias) for an existing one.
	Tool    string
	Action  Action
	Old     string // the level as written before, "" when absent
	New     Level  // the level now (None after a removal)
	Pointer string
	// Warning, when set, is about an unknown tool (with a suggestion).
	Warning string
	// Note, when set, says that the catalogue entry of the tool is not
	// confirmed by Procore's documentation.
	Note string
}

// String describes the result, e.g. "project:rfi readonly -> standard".
func (r EditResult) String() string {
	ref := r.Scope + ":" + r.Tool
	switch r.Action {
	case ActionAdded:
		return fmt.Sprintf("%s added at %s", ref, r.New)
	case ActionChanged:
		return fmt.Sprintf("%s %s -> %s", ref, r.Old, r.New)
	case ActionUnchanged:
		if r.Old == "" {
			return fmt.Sprintf("%s unchanged (not declared, none)", ref)
		}
		return fmt.Sprintf("%s unchanged (%s)", ref, r.Old)
	case ActionRemoved:
		return fmt.Sprintf("%s removed (was %s)", ref, r.Old)
	}
	return fmt.Sprintf("%s not declared", ref)
}

// Assign applies assignments to a parsed manifest of schema version v and
// returns the edited document (re-parsed) and one EditResult per assignment.
// Existing members keep their place and key (an alias stays an alias);
// new tools are inserted in key order; missing permissions, company and
// project objects are created. A level of none removes the tool (and an
// object it leaves empty), as the Permission Builder writes it. In 3.x
// the permissions live inside the client_credentials oauth instance;
// without one Assign fails with ErrNoClientCredentials unless
// opts.AddClientCredentials is set. Levels the tool does not allow and
// tools of the other scope fail with *AssignmentError; unknown tools are
// written, with a Warning. On error nothing is returned.
func Assign(doc *manifest.Document, v manifest.SchemaVersion, assignments []Assignment, opts *EditOptions) (*manifest.Document, []EditResult, error) {
	cat, err := opts.catalog()
	if err != nil {
		return nil, nil, err
	}
	var warnings, notes []string
	for _, a := range assignments {
		w, n, err := checkAssignment(cat, a)
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, w)
		notes = append(notes, n)
	}
	base, doc, err := permissionsBase(doc, v, opts != nil && opts.AddClientCredentials)
	if err != nil {
		return nil, nil, err
	}
	var results []EditResult
	for i, a := range assignments {
		var r EditResult
		doc, r, err = setOne(doc, base, cat, a)
		if err != nil {
			return nil, nil, err
		}
		r.Warning, r.Note = warnings[i], notes[i]
		results = append(results, r)
	}
	return doc, results, nil
}

// Revoke removes tools from a parsed manifest (see Assign): the member, with
// its line, and a company or project object left empty. A tool that is
// not declared gives ActionAbsent.
func Revoke(doc *manifest.Document, v manifest.SchemaVersion, refs []ToolRef, opts *EditOptions) (*manifest.Document, []EditResult, error) {
	cat, err := opts.catalog()
	if err != nil {
		return nil, nil, err
	}
	base, err := existingBase(doc, v)
	if err != nil {
		return nil, nil, err
	}
	var results []EditResult
	for _, ref := range refs {
		var r EditResult
		if base == "" {
			results = append(results, EditResult{Scope: ref.Scope, Tool: ref.Tool, Action: ActionAbsent})
			continue
		}
		doc, r, err = removeOne(doc, base, cat, ref)
		if err != nil {
			return nil, nil, err
		}
		results = append(results, r)
	}
	return doc, results, nil
}

func (o *EditOptions) catalog() (*Catalog, error) {
	if o != nil && o.Catalog != nil {
		return o.Catalog, nil
	}
	return Default()
}

// checkAssignment refuses what the Permission Builder would refuse and
// returns a warning for a tool the catalogue does not know, and a note for
// one whose entry is unconfirmed.
func checkAssignment(cat *Catalog, a Assignment) (warning, note string, err error) {
	if !ValidScope(a.Scope) {
		return "", "", &AssignmentError{a, fmt.Sprintf("unknown scope %q: use company or project", a.Scope)}
	}
	if !a.Level.Valid() {
		return "", "", &AssignmentError{a, "invalid level"}
	}
	t := cat.Lookup(a.Scope, a.Tool)
	if t == nil && a.Level != None && !ValidToolKey(a.Tool) {
		return "", "", &AssignmentError{a, fmt.Sprintf("%q is not a tool key: Procore's tool keys are letters, digits and underscores, such as daily_log", a.Tool)}
	}
	if t == nil {
		if other := cat.OtherScope(a.Scope, a.Tool); other != nil {
			return "", "", &AssignmentError{a, fmt.Sprintf("%q is a %s tool (%s), not a %s tool: write %s:%s", a.Tool, other.Scope, other.Name, a.Scope, other.Scope, a.Tool)}
		}
		w := fmt.Sprintf("unknown %s tool %q: written as given", a.Scope, a.Tool)
		if s := cat.Suggest(a.Scope, a.Tool); s != nil {
			w += fmt.Sprintf("; did you mean %s:%s (%s)?", a.Scope, s.Key, s.Name)
		}
		return w, "", nil
	}
	if !t.Allows(a.Level) {
		return "", "", &AssignmentError{a, fmt.Sprintf("level %q is not allowed for %s tool %q (%s): the Permission Builder offers only %s", a.Level, a.Scope, t.Key, t.Name, t.LevelList())}
	}
	if !t.Confirmed && a.Level != None {
		note = fmt.Sprintf("%s tool %q (%s): Procore's documentation does not confirm this key or its levels; check them in the Permission Builder", a.Scope, t.Key, t.Name)
	}
	return "", note, nil
}

// ValidToolKey reports whether key can be a tool key: one to 100 ASCII
// letters, digits and underscores, as every key of Procore's Permission
// Builder is. Assign refuses to add any other key (a "-" or "a/b" would
// not name a tool, and "-" once made the edit engine write an array).
func ValidToolKey(key string) bool {
	if key == "" || len(key) > 100 {
		return false
	}
	for _, c := range []byte(key) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// existingBase returns the pointer of the service account's permissions
// object, or "" when there is none.
func existingBase(doc *manifest.Document, v manifest.SchemaVersion) (string, error) {
	if doc == nil || doc.Root == nil {
		return "", manifest.ErrNoDocument
	}
	if !doc.Root.IsObject() {
		return "", errors.New("the manifest is not a JSON object")
	}
	if v.Family() == manifest.V41 {
		if doc.Root.Has("permissions") {
			return "/permissions", nil
		}
		return "", nil
	}
	conn := manifest.View(doc, v).ServiceAccount()
	if conn == nil || conn.Permissions.Pointer == "" {
		return "", nil
	}
	return conn.Permissions.Pointer, nil
}

// permissionsBase returns the pointer where the permissions object is or
// goes, adding a client_credentials instance when allowed.
func permissionsBase(doc *manifest.Document, v manifest.SchemaVersion, add bool) (string, *manifest.Document, error) {
	if _, err := existingBase(doc, v); err != nil {
		return "", nil, err
	}
	if v.Family() == manifest.V41 {
		return "/permissions", doc, nil
	}
	app := manifest.View(doc, v)
	if conn := app.ServiceAccount(); conn != nil {
		return conn.Pointer + "/permissions", doc, nil
	}
	if !add {
		return "", nil, ErrNoClientCredentials
	}
	if len(app.Connectors) > 0 {
		c := app.Connectors[0]
		return "", nil, fmt.Errorf("%w: %s has grant_type %q", ErrOtherGrant, c.Pointer, c.GrantType)
	}
	if inst := doc.Root.Lookup("/components/oauth/instances"); inst != nil && !inst.IsArray() {
		return "", nil, fmt.Errorf("/components/oauth/instances is %s, not an array", inst.Kind.WithArticle())
	}
	out, err := manifest.Append(doc, "/components/oauth/instances",
		manifest.Fields{{Key: "grant_type", Value: manifest.GrantClientCredentials}, {Key: "permissions", Value: manifest.Fields{}}}, nil)
	if err != nil {
		return "", nil, err
	}
	n := out.Root.Lookup("/components/oauth/instances")
	return manifest.AppendIndex("/components/oauth/instances", n.Len()-1) + "/permissions", out, nil
}

// member finds the member of the scope object that names the tool: the
// key itself, else an alias (or the key, when the tool was given as an
// alias). It returns "" when the tool is not declared.
func member(scopeNode *manifest.Node, cat *Catalog, scope, tool string) string {
	if !scopeNode.IsObject() {
		return ""
	}
	if scopeNode.Has(tool) {
		return tool
	}
	t := cat.Lookup(scope, tool)
	if t == nil {
		return ""
	}
	for _, name := range append([]string{t.Key}, t.Aliases...) {
		if scopeNode.Has(name) {
			return name
		}
	}
	return ""
}

func sortedPlacement(base string) *manifest.EditOptions {
	return &manifest.EditOptions{Placement: map[string]manifest.Placement{
		base:                 {Sorted: true},
		base + "/" + Company: {Sorted: true},
		base + "/" + Project: {Sorted: true},
	}}
}

func checkObject(doc *manifest.Document, ptr string) error {
	if n := doc.Root.Lookup(ptr); n != nil && !n.IsObject() {
		return &manifest.EditError{Pointer: ptr, Reason: fmt.Sprintf("it is %s, not an object", n.Kind.WithArticle())}
	}
	return nil
}

// oldValue is how an EditResult shows the value a tool had: a string's
// text, or any other value as written in the file.
func oldValue(doc *manifest.Document, old *manifest.Node) string {
	if old.IsString() {
		return old.Str
	}
	return string(doc.Text(old))
}

func setOne(doc *manifest.Document, base string, cat *Catalog, a Assignment) (*manifest.Document, EditResult, error) {
	if a.Level == None {
		out, r, err := removeOne(doc, base, cat, ToolRef{Scope: a.Scope, Tool: a.Tool})
		if r.Action == ActionAbsent {
			r.Action = ActionUnchanged
		}
		return out, r, err
	}
	scopePtr := base + "/" + a.Scope
	for _, p := range []string{base, scopePtr} {
		if err := checkObject(doc, p); err != nil {
			return nil, EditResult{}, err
		}
	}
	scopeNode := doc.Root.Lookup(scopePtr)
	key := member(scopeNode, cat, a.Scope, a.Tool)
	r := EditResult{Scope: a.Scope, New: a.Level}
	if key == "" {
		key = a.Tool
		if t := cat.Lookup(a.Scope, a.Tool); t != nil {
			key = t.Key
		}
		r.Action = ActionAdded
	} else {
		old := scopeNode.Get(key)
		r.Old = oldValue(doc, old)
		r.Action = ActionChanged
		if old.IsString() && old.Str == a.Level.String() {
			r.Action = ActionUnchanged
		}
	}
	r.Tool = key
	r.Pointer = manifest.AppendPointer(scopePtr, key)
	out, err := manifest.Set(doc, r.Pointer, a.Level.String(), sortedPlacement(base))
	if err != nil {
		return nil, EditResult{}, err
	}
	return out, r, nil
}

func removeOne(doc *manifest.Document, base string, cat *Catalog, ref ToolRef) (*manifest.Document, EditResult, error) {
	scopePtr := base + "/" + ref.Scope
	r := EditResult{Scope: ref.Scope, Tool: ref.Tool, Action: ActionAbsent}
	scopeNode := doc.Root.Lookup(scopePtr)
	key := member(scopeNode, cat, ref.Scope, ref.Tool)
	if key == "" {
		if t := cat.Lookup(ref.Scope, ref.Tool); t != nil {
			r.Tool = t.Key
		}
		return doc, r, nil
	}
	if err := checkObject(doc, scopePtr); err != nil {
		return nil, EditResult{}, err
	}
	r.Tool, r.Old, r.Action = key, oldValue(doc, scopeNode.Get(key)), ActionRemoved
	r.Pointer = manifest.AppendPointer(scopePtr, key)
	target := r.Pointer
	remaining := 0
	for _, m := range scopeNode.Members {
		if m.Key != key {
			remaining++
		}
	}
	if remaining == 0 {
		target = scopePtr // remove the object the tool leaves empty
	}
	out, err := manifest.Delete(doc, target)
	if err != nil {
		return nil, EditResult{}, err
	}
	return out, r, nil
}

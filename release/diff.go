package release

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// Change is one semantic change from an old manifest to a new one.
type Change struct {
	Kind Kind
	// Pointer is an RFC 6901 JSON Pointer into the new manifest, or into
	// the old one for a removal.
	Pointer string
	// Scope and Tool are set for permission changes.
	Scope, Tool string
	// Old and New are the values before and after (a permission level, a
	// URL, a view key, ...); nil when there is none.
	Old, New *string
	// Bump is the bump the policy requires for this change.
	Bump Bump
	// AdminApproval is true for a change company admins must approve
	// again: a permission escalation.
	AdminApproval bool
	Message       string
}

// Options tune Diff. The zero value uses the default policy and the
// embedded tool catalogue.
type Options struct {
	Policy Policy
	// Catalog resolves tool key aliases (budget and budgeting are the same
	// tool); nil means the embedded catalogue.
	Catalog *permissions.Catalog
}

// Diff returns the semantic changes from old to new, in a stable order:
// schema version, permissions (company then project, by tool), data
// connectors, embedded components, post-installation instruction,
// app_manifest and other top-level members.
//
// Key order, formatting and the fields the Developer Portal generates
// (uid, uuid, app_manifest.id and app_manifest.name) never count, nor does
// app_manifest.version (the version commands compare it). The two schema
// families are compared through the normalised view: the same permissions
// written in 3.x (inside the client_credentials instance) and in 4.1 (at
// the top level) are equal, iframe_src and source_url are the same URL,
// configuration and user_configuration the same fields.
func Diff(old, new *manifest.App, opts *Options) []Change {
	if opts == nil {
		opts = &Options{}
	}
	d := &differ{old: old, new: new, opts: opts}
	d.schemaVersion()
	d.permissions()
	d.connectors()
	d.embedded()
	d.install()
	d.appManifest()
	d.topLevel()
	for i := range d.changes {
		c := &d.changes[i]
		c.Bump = opts.Policy.Bump(c.Kind)
	}
	return d.changes
}

type differ struct {
	old, new *manifest.App
	opts     *Options
	changes  []Change
}

func str(s string) *string { return &s }

func (d *differ) add(c Change) { d.changes = append(d.changes, c) }

func family(a *manifest.App) manifest.SchemaVersion { return a.Version.Family() }

// declaredVersion is the schema_version as written, "3" for a legacy file
// without one.
func declaredVersion(a *manifest.App) string {
	if a.Doc == nil || a.Doc.Root == nil {
		return string(a.Version)
	}
	n := a.Doc.Root.Get("schema_version")
	switch {
	case n == nil:
		return string(a.Version)
	case n.Kind == manifest.String || n.Kind == manifest.Number:
		return n.Str
	}
	return string(a.Version)
}

func (d *differ) schemaVersion() {
	o, n := declaredVersion(d.old), declaredVersion(d.new)
	if o == n {
		return
	}
	d.add(Change{Kind: SchemaVersionChanged, Pointer: "/schema_version", Old: str(o), New: str(n),
		Message: fmt.Sprintf("schema version changed from %q to %q", o, n)})
}

// rawGrant is a declared grant with its level as written.
type rawGrant struct {
	scope, tool, level, pointer string
	valid                       bool
}

// declaredSet is the service account's grants: the valid ones (aliases
// resolved) and, to compare odd tools as written, the valid ones as
// written and the invalid ones.
type declaredSet struct {
	set     permissions.Set // valid grants, canonical tool keys
	written permissions.Set // valid grants, tool keys as written
	invalid map[[2]string]rawGrant
}

// raw returns the grant of scope and tool as written (an invalid one
// first), keyed by the key as written.
func (ds *declaredSet) raw(k [2]string) (rawGrant, bool) {
	if g, ok := ds.invalid[k]; ok {
		return g, true
	}
	if g, ok := ds.written.Get(k[0], k[1]); ok {
		return rawGrant{scope: g.Scope, tool: g.Tool, level: g.Level.String(), pointer: g.Pointer, valid: true}, true
	}
	return rawGrant{}, false
}

// declared reads the service account's grants.
func (d *differ) declared(app *manifest.App) declaredSet {
	set, err := permissions.Declared(app)
	ds := declaredSet{written: set}
	var invalid []*permissions.InvalidGrantError
	for _, e := range unjoin(err) {
		var ie *permissions.InvalidGrantError
		if errors.As(e, &ie) {
			invalid = append(invalid, ie)
		}
	}
	if len(invalid) > 0 {
		ds.invalid = make(map[[2]string]rawGrant, len(invalid))
		conn := app.ServiceAccount()
		for _, ie := range invalid {
			level := ""
			if conn != nil {
				if n := app.Doc.Root.Lookup(ie.Pointer); n != nil {
					level = n.Text()
					if !n.IsString() {
						level = string(app.Doc.Text(n))
					}
				}
			}
			ds.invalid[[2]string{ie.Scope, ie.Tool}] = rawGrant{scope: ie.Scope, tool: ie.Tool, level: level, pointer: ie.Pointer}
		}
	}
	cat := d.opts.Catalog
	if cat == nil {
		cat, _ = permissions.Default()
	}
	if cat != nil {
		set = set.Canonical(cat)
	}
	ds.set = set
	return ds
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// toolName returns the tool key as written at pointer (the last token),
// or fallback.
func toolName(pointer, fallback string) string {
	tokens, err := manifest.SplitPointer(pointer)
	if err != nil || len(tokens) == 0 {
		return fallback
	}
	return tokens[len(tokens)-1]
}

func (d *differ) permissions() {
	oldDecl, newDecl := d.declared(d.old), d.declared(d.new)
	oldSet, newSet := oldDecl.set, newDecl.set
	// Tools whose level is not a level on either side are compared as
	// written and left out of the set comparison.
	odd := make(map[[2]string]bool, len(oldDecl.invalid)+len(newDecl.invalid))
	for k := range oldDecl.invalid {
		odd[k] = true
	}
	for k := range newDecl.invalid {
		odd[k] = true
	}
	if len(odd) > 0 {
		isOdd := func(g permissions.Grant) bool { return odd[[2]string{g.Scope, g.Tool}] }
		oldSet, newSet = oldSet.Without(isOdd), newSet.Without(isOdd)
	}
	type entry struct {
		scope, tool string
		c           Change
	}
	var entries []entry
	for _, pc := range permissions.DiffSets(oldSet, newSet) {
		c := Change{Scope: pc.Scope, Tool: pc.Tool}
		ptr := pc.NewPointer
		if pc.Kind == permissions.Removed {
			ptr = pc.OldPointer
		} else {
			c.New = str(pc.New.String())
		}
		if pc.Kind != permissions.Added {
			c.Old = str(pc.Old.String())
		}
		if pc.Kind == permissions.Removed {
			c.New = nil
		}
		c.Pointer = ptr
		c.Tool = toolName(ptr, pc.Tool)
		pc.Tool = c.Tool
		c.Kind = Kind("permission_" + string(pc.Kind))
		c.AdminApproval = pc.Escalation()
		c.Message = pc.String()
		entries = append(entries, entry{pc.Scope, pc.Tool, c})
	}
	keys := make([][2]string, 0, len(odd))
	for k := range odd {
		keys = append(keys, k)
	}
	for _, k := range keys {
		o, hasOld := oldDecl.raw(k)
		n, hasNew := newDecl.raw(k)
		if hasOld && hasNew && o.level == n.level {
			continue
		}
		c := Change{Kind: PermissionChanged, Scope: k[0], Tool: k[1], AdminApproval: true}
		oldDesc, newDesc := "nothing", "nothing"
		if hasOld {
			c.Old, c.Pointer, oldDesc = str(o.level), o.pointer, strconv.Quote(o.level)
		}
		if hasNew {
			c.New, c.Pointer, newDesc = str(n.level), n.pointer, strconv.Quote(n.level)
		}
		c.Tool = toolName(c.Pointer, k[1])
		c.Message = fmt.Sprintf("%s tool %s changed from %s to %s; %s is not a permission level (%s), "+
			"so the change counts as an escalation", k[0], c.Tool, oldDesc, newDesc,
			unknownSide(o, hasOld, n, hasNew), permissions.LevelNames)
		entries = append(entries, entry{k[0], c.Tool, c})
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.scope != b.scope {
			return permissions.ScopeRank(a.scope) < permissions.ScopeRank(b.scope)
		}
		return a.tool < b.tool
	})
	for _, e := range entries {
		d.add(e.c)
	}
}

func unknownSide(o rawGrant, hasOld bool, n rawGrant, hasNew bool) string {
	if hasNew && !n.valid {
		return strconv.Quote(n.level)
	}
	return strconv.Quote(o.level)
}

// connectors compares the data connection components: Service Account
// Authentication everywhere, and User Level Authentication when both files
// are 3.x (4.1 does not state it: every 4.1 app may use it).
func (d *differ) connectors() {
	oldSA, newSA := d.old.ServiceAccount(), d.new.ServiceAccount()
	switch {
	case oldSA == nil && newSA != nil:
		d.add(Change{Kind: ComponentAdded, Pointer: newSA.Pointer, New: str("service_account"),
			Message: "data connection component added: Service Account Authentication (client credentials through a DMSA)"})
	case oldSA != nil && newSA == nil:
		d.add(Change{Kind: ComponentRemoved, Pointer: oldSA.Pointer, Old: str("service_account"),
			Message: "data connection component removed: Service Account Authentication (client credentials through a DMSA)"})
	}
	if family(d.old) != manifest.V3 || family(d.new) != manifest.V3 {
		return
	}
	ou, nu := userLevel(d.old), userLevel(d.new)
	switch {
	case ou == nil && nu != nil:
		d.add(Change{Kind: ComponentAdded, Pointer: nu.Pointer, New: str("user_level"),
			Message: "data connection component added: User Level Authentication (authorization code)"})
	case ou != nil && nu == nil:
		d.add(Change{Kind: ComponentRemoved, Pointer: ou.Pointer, Old: str("user_level"),
			Message: "data connection component removed: User Level Authentication (authorization code)"})
	}
	// Members of the oauth instances manifestctl does not interpret.
	known := []string{"uid", "uuid", "grant_type", "permissions"}
	for i := 0; i < min(len(d.old.Connectors), len(d.new.Connectors)); i++ {
		oc, nc := d.old.Connectors[i], d.new.Connectors[i]
		d.leftovers(oc.Node, nc.Node, oc.Pointer, nc.Pointer, known, known, "data connection component")
	}
	d.leftovers(d.old.Doc.Root.Get("components"), d.new.Doc.Root.Get("components"), "/components", "/components",
		[]string{"oauth", "iframe"}, []string{"oauth", "iframe"}, "components")
	for _, k := range []string{"oauth", "iframe"} {
		ptr := "/components/" + k
		d.leftovers(d.old.Doc.Root.Lookup(ptr), d.new.Doc.Root.Lookup(ptr), ptr, ptr,
			[]string{"instances"}, []string{"instances"}, "components."+k)
	}
}

// userLevel returns the first 3.x connector that gives User Level
// Authentication (a service account implies it, as in Procore's builder).
func userLevel(a *manifest.App) *manifest.Connector {
	for i := range a.Connectors {
		c := &a.Connectors[i]
		if c.UserLevel || c.ServiceAccount {
			return c
		}
	}
	return nil
}

// component names an embedded component for messages: "sidepanel", or
// "fullscreen #2" for the second of its kind in a 3.x file.
func componentLabel(kind string, ordinal int) string {
	if ordinal == 0 {
		return kind
	}
	return kind + " #" + strconv.Itoa(ordinal+1)
}

func (d *differ) embedded() {
	byKind := func(a *manifest.App) map[string][]*manifest.Embedded {
		m := make(map[string][]*manifest.Embedded)
		for i := range a.Embedded {
			e := &a.Embedded[i]
			m[e.Kind] = append(m[e.Kind], e)
		}
		return m
	}
	om, nm := byKind(d.old), byKind(d.new)
	kinds := make([]string, 0, len(om)+len(nm))
	seen := map[string]bool{}
	for _, a := range []*manifest.App{d.old, d.new} {
		for _, e := range a.Embedded {
			if !seen[e.Kind] {
				seen[e.Kind] = true
				kinds = append(kinds, e.Kind)
			}
		}
	}
	sort.SliceStable(kinds, func(i, j int) bool { return kindRank(kinds[i]) < kindRank(kinds[j]) })
	for _, kind := range kinds {
		ol, nl := om[kind], nm[kind]
		for i := 0; i < max(len(ol), len(nl)); i++ {
			label := componentLabel(kind, i)
			switch {
			case i >= len(ol):
				d.add(Change{Kind: ComponentAdded, Pointer: nl[i].Pointer, New: str(kind),
					Message: label + " component added"})
			case i >= len(nl):
				d.add(Change{Kind: ComponentRemoved, Pointer: ol[i].Pointer, Old: str(kind),
					Message: label + " component removed"})
			default:
				d.component(label, ol[i], nl[i])
			}
		}
	}
}

func kindRank(kind string) int {
	switch kind {
	case manifest.Fullscreen:
		return 0
	case manifest.Sidepanel:
		return 1
	}
	return 2
}

// valueText returns a string value, or the JSON text of any other value;
// nil for a missing node.
func valueText(doc *manifest.Document, n *manifest.Node) *string {
	if n == nil {
		return nil
	}
	if n.IsString() {
		return str(n.Str)
	}
	return str(string(doc.Text(n)))
}

func same(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func quoteOr(s *string, none string) string {
	if s == nil {
		return none
	}
	return strconv.Quote(*s)
}

// pick returns the pointer of the new value, or of the old one when the
// value was removed.
func pick(oldPtr, newPtr string, newVal *string) string {
	if newVal == nil {
		return oldPtr
	}
	return newPtr
}

// textChange reports a change of a short text (URL, label, name) with its
// values in the message.
func (d *differ) textChange(kind Kind, what string, oldPtr, newPtr string, o, n *manifest.Node) {
	ov, nv := valueText(d.old.Doc, o), valueText(d.new.Doc, n)
	if same(ov, nv) {
		return
	}
	var msg string
	switch {
	case ov == nil:
		msg = fmt.Sprintf("%s set to %q", what, *nv)
	case nv == nil:
		msg = fmt.Sprintf("%s removed (was %q)", what, *ov)
	default:
		msg = fmt.Sprintf("%s changed from %q to %q", what, *ov, *nv)
	}
	d.add(Change{Kind: kind, Pointer: pick(oldPtr, newPtr, nv), Old: ov, New: nv, Message: msg})
}

// longTextChange reports a change of a long text (description, notes),
// with the values in Old and New but not in the message.
func (d *differ) longTextChange(kind Kind, what string, oldPtr, newPtr string, o, n *manifest.Node) {
	ov, nv := valueText(d.old.Doc, o), valueText(d.new.Doc, n)
	if same(ov, nv) {
		return
	}
	verb := "changed"
	switch {
	case ov == nil:
		verb = "added"
	case nv == nil:
		verb = "removed"
	}
	d.add(Change{Kind: kind, Pointer: pick(oldPtr, newPtr, nv), Old: ov, New: nv, Message: what + " " + verb})
}

// embedded component members handled by component, per family.
var (
	knownIframe   = []string{"name", "type", "uuid", "views", "required", "iframe_src", "description", "configuration"}
	knownEmbedded = []string{"uuid", "views", "source_url", "description", "user_configuration"}
)

func (d *differ) component(label string, o, n *manifest.Embedded) {
	d.textChange(URLChanged, label+" URL", o.URLPointer, n.URLPointer, o.URL, n.URL)
	d.longTextChange(DescriptionChanged, label+" description", o.Pointer+"/description", n.Pointer+"/description",
		o.Node.Get("description"), n.Node.Get("description"))
	d.views(label, o, n)
	d.config(label, o, n)
	oldKnown, newKnown := knownEmbedded, knownEmbedded
	if family(d.old) == manifest.V3 {
		oldKnown = knownIframe
	}
	if family(d.new) == manifest.V3 {
		newKnown = knownIframe
	}
	if family(d.old) == manifest.V3 && family(d.new) == manifest.V3 {
		// 3.x members with no 4.1 counterpart are compared only between
		// two 3.x files: migrating to 4.1 drops them by design.
		d.textChange(NameChanged, label+" component name", o.Pointer+"/name", n.Pointer+"/name",
			o.Node.Get("name"), n.Node.Get("name"))
		d.field(o.Pointer+"/required", n.Pointer+"/required", o.Node.Get("required"), n.Node.Get("required"),
			label+" \"required\"")
	}
	d.leftovers(o.Node, n.Node, o.Pointer, n.Pointer, oldKnown, newKnown, label+" component")
	oc, nc := configContainer(o), configContainer(n)
	d.leftovers(o.Node.Get(oc), n.Node.Get(nc), o.Pointer+"/"+oc, n.Pointer+"/"+nc,
		[]string{"schema"}, []string{"schema"}, label+" configuration")
}

func configContainer(e *manifest.Embedded) string {
	if e.URLPointer == e.Pointer+"/iframe_src" {
		return "configuration"
	}
	return "user_configuration"
}

func (d *differ) views(label string, o, n *manifest.Embedded) {
	list := func(e *manifest.Embedded) ([]string, map[string]string) {
		var keys []string
		ptrs := make(map[string]string)
		if !e.Views.IsArray() {
			return nil, ptrs
		}
		for i, v := range e.Views.Elems {
			if !v.IsString() {
				continue
			}
			if _, dup := ptrs[v.Str]; dup {
				continue
			}
			keys = append(keys, v.Str)
			ptrs[v.Str] = manifest.AppendIndex(e.ViewsPointer, i)
		}
		return keys, ptrs
	}
	ok, optr := list(o)
	nk, nptr := list(n)
	for _, k := range nk {
		if _, ok := optr[k]; !ok {
			d.add(Change{Kind: ViewAdded, Pointer: nptr[k], New: str(k), Message: fmt.Sprintf("%s view %q added", label, k)})
		}
	}
	for _, k := range ok {
		if _, ok := nptr[k]; !ok {
			d.add(Change{Kind: ViewRemoved, Pointer: optr[k], Old: str(k), Message: fmt.Sprintf("%s view %q removed", label, k)})
		}
	}
}

// config compares the configuration fields of two matched components.
func (d *differ) config(label string, o, n *manifest.Embedded) {
	type field struct {
		prop     *manifest.ConfigProperty
		required string // pointer of the required entry, "" when optional
	}
	fields := func(c manifest.Config) (map[string]*field, []string) {
		m := make(map[string]*field)
		var order []string
		get := func(k string) *field {
			f, ok := m[k]
			if !ok {
				f = &field{}
				m[k] = f
				order = append(order, k)
			}
			return f
		}
		for i := range c.Properties {
			p := &c.Properties[i]
			get(p.Key).prop = p
		}
		for _, r := range c.Required {
			if f := get(r.Value); f.required == "" {
				f.required = r.Pointer
			}
		}
		return m, order
	}
	om, oorder := fields(o.Config)
	nm, norder := fields(n.Config)
	keys := append([]string(nil), norder...)
	for _, k := range oorder {
		if _, ok := nm[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		of, nf := om[k], nm[k]
		if of == nil {
			of = &field{}
		}
		if nf == nil {
			nf = &field{}
		}
		what := fmt.Sprintf("%s configuration field %q", label, k)
		switch {
		case of.prop == nil && nf.prop != nil:
			c := Change{Kind: ConfigFieldAdded, Pointer: nf.prop.Pointer, New: str(k)}
			if nf.required != "" {
				c.Message = what + " added (required)"
			} else {
				c.Message = what + " added (optional)"
			}
			d.add(c)
			if nf.required != "" && of.required == "" {
				d.add(Change{Kind: ConfigFieldRequired, Pointer: nf.required, New: str(k),
					Message: what + " is required: existing installs must fill it in"})
			}
			continue
		case of.prop != nil && nf.prop == nil:
			d.add(Change{Kind: ConfigFieldRemoved, Pointer: of.prop.Pointer, Old: str(k), Message: what + " removed"})
			continue
		}
		switch {
		case of.required == "" && nf.required != "":
			d.add(Change{Kind: ConfigFieldRequired, Pointer: nf.required, New: str(k),
				Message: what + " made required: existing installs must fill it in"})
		case of.required != "" && nf.required == "":
			ptr := of.required
			if nf.prop != nil {
				ptr = nf.prop.Pointer
			}
			d.add(Change{Kind: ConfigFieldOptional, Pointer: ptr, Old: str(k), Message: what + " made optional"})
		}
		if of.prop != nil && nf.prop != nil {
			d.property(what, of.prop, nf.prop)
		}
	}
	d.leftovers(o.Config.Node, n.Config.Node, o.Config.Pointer, n.Config.Pointer,
		[]string{"required", "properties"}, []string{"required", "properties"}, label+" configuration schema")
}

func (d *differ) property(what string, o, n *manifest.ConfigProperty) {
	d.textChange(LabelChanged, what+" name", o.Pointer+"/name", n.Pointer+"/name", o.Node.Get("name"), n.Node.Get("name"))
	ot, nt := valueText(d.old.Doc, o.Node.Get("type")), valueText(d.new.Doc, n.Node.Get("type"))
	if !same(ot, nt) {
		d.add(Change{Kind: ConfigFieldTypeChanged, Pointer: pick(o.Pointer+"/type", n.Pointer+"/type", nt), Old: ot, New: nt,
			Message: fmt.Sprintf("%s type changed from %s to %s", what, quoteOr(ot, "none"), quoteOr(nt, "none"))})
	}
	d.longTextChange(DescriptionChanged, what+" description", o.Pointer+"/description", n.Pointer+"/description",
		o.Node.Get("description"), n.Node.Get("description"))
	ol, nl := o.Node.Get("support_link"), n.Node.Get("support_link")
	d.textChange(URLChanged, what+" support link URL", o.Pointer+"/support_link/url", n.Pointer+"/support_link/url",
		ol.Get("url"), nl.Get("url"))
	d.textChange(LabelChanged, what+" support link label", o.Pointer+"/support_link/label", n.Pointer+"/support_link/label",
		ol.Get("label"), nl.Get("label"))
	if (ol != nil && !ol.IsObject()) || (nl != nil && !nl.IsObject()) {
		d.field(o.Pointer+"/support_link", n.Pointer+"/support_link", nonObject(ol), nonObject(nl), what+" support link")
	}
	d.leftovers(ol, nl, o.Pointer+"/support_link", n.Pointer+"/support_link", []string{"url", "label"}, []string{"url", "label"},
		what+" support link")
	known := []string{"name", "type", "description", "support_link"}
	d.leftovers(o.Node, n.Node, o.Pointer, n.Pointer, known, known, what)
}

// nonObject returns n unless it is an object (whose members are compared
// one by one).
func nonObject(n *manifest.Node) *manifest.Node {
	if n.IsObject() {
		return nil
	}
	return n
}

func (d *differ) install() {
	o, n := d.old.Install, d.new.Install
	const ptr = "/post_installation_instruction"
	d.longTextChange(NotesChanged, "post-installation notes", ptr+"/notes", ptr+"/notes", o.Notes, n.Notes)
	d.textChange(URLChanged, "post-installation page URL", ptr+"/page/url", ptr+"/page/url", o.Page.Get("url"), n.Page.Get("url"))
	d.textChange(LabelChanged, "post-installation page label", ptr+"/page/label", ptr+"/page/label",
		o.Page.Get("label"), n.Page.Get("label"))
	if !o.Page.IsObject() || !n.Page.IsObject() {
		d.field(ptr+"/page", ptr+"/page", nonObject(o.Page), nonObject(n.Page), "post-installation page")
	}
	d.leftovers(o.Page, n.Page, ptr+"/page", ptr+"/page", []string{"url", "label"}, []string{"url", "label"},
		"post-installation page")
	d.leftovers(o.Node, n.Node, ptr, ptr, []string{"notes", "page"}, []string{"notes", "page"},
		"post-installation instruction")
	d.field(ptr, ptr, nonObject(d.old.Doc.Root.Get("post_installation_instruction")),
		nonObject(d.new.Doc.Root.Get("post_installation_instruction")), "post-installation instruction")
}

func (d *differ) appManifest() {
	known := []string{"id", "name", "version"}
	d.leftovers(d.old.AppManifest, d.new.AppManifest, "/app_manifest", "/app_manifest", known, known, "app_manifest")
}

// topLevel compares the top-level members neither family defines.
func (d *differ) topLevel() {
	known := func(a *manifest.App) []string {
		if family(a) == manifest.V3 {
			return []string{"schema_version", "app_manifest", "post_installation_instruction", "components"}
		}
		return []string{"schema_version", "app_manifest", "post_installation_instruction", "fullscreen", "sidepanel", "permissions"}
	}
	d.leftovers(d.old.Doc.Root, d.new.Doc.Root, "", "", known(d.old), known(d.new), "manifest")
}

// leftovers compares the members of two objects that are not in their
// known lists, value by value; a member unknown on one side only is
// compared with nothing on the other.
func (d *differ) leftovers(o, n *manifest.Node, oldPtr, newPtr string, oldKnown, newKnown []string, where string) {
	isKnown := func(list []string, k string) bool {
		for _, x := range list {
			if x == k {
				return true
			}
		}
		return false
	}
	var keys []string
	seen := map[string]bool{}
	for _, side := range []struct {
		n     *manifest.Node
		known []string
	}{{n, newKnown}, {o, oldKnown}} {
		if !side.n.IsObject() {
			continue
		}
		for _, m := range side.n.Members {
			if !isKnown(side.known, m.Key) && !seen[m.Key] {
				seen[m.Key] = true
				keys = append(keys, m.Key)
			}
		}
	}
	for _, k := range keys {
		var ov, nv *manifest.Node
		if o.IsObject() && !isKnown(oldKnown, k) {
			ov = o.Get(k)
		}
		if n.IsObject() && !isKnown(newKnown, k) {
			nv = n.Get(k)
		}
		d.field(manifest.AppendPointer(oldPtr, k), manifest.AppendPointer(newPtr, k), ov, nv,
			fmt.Sprintf("%q in %s", k, where))
	}
}

// field reports a FieldChanged when two values differ.
func (d *differ) field(oldPtr, newPtr string, o, n *manifest.Node, what string) {
	if o == nil && n == nil {
		return
	}
	if o != nil && n != nil && reflect.DeepEqual(o.Interface(), n.Interface()) {
		return
	}
	c := Change{Kind: FieldChanged, Pointer: newPtr, Old: valueText(d.old.Doc, o), New: valueText(d.new.Doc, n)}
	switch {
	case o == nil:
		c.Message = what + " added"
	case n == nil:
		c.Pointer = oldPtr
		c.Message = what + " removed"
	default:
		c.Message = what + " changed"
	}
	d.add(c)
}

package release

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/validate"
)

// Builder assembles a manifest in Go, for programs that generate
// manifests: start with NewBuilder, set the install notes, add components,
// grant tool permissions, then Bytes. It is manifestctl's one manifest
// generator (Scaffold, behind `manifestctl init`, uses it too).
//
// The methods check the shape of their input (a side panel has views, a
// configuration key is defined once, a level is a permission level the
// tool allows) and a failed call leaves the Builder as it was. Everything
// else is checked by Bytes, which validates the manifest with validate's
// pipeline (parser, schema and every rule) and refuses it when validate
// reports an error: the Builder accepts exactly what validate accepts.
type Builder struct {
	// Catalog is the tool catalogue grants are checked against; nil means
	// permissions.Default.
	Catalog *permissions.Catalog
	// Rand is the source of the UUIDs generated for components without
	// one; nil means crypto/rand.
	Rand io.Reader
	// Validate tunes the check of Bytes (for example
	// Lint.AllowPrerelease); nil means validate's defaults.
	Validate *validate.Options
	// Refuse is the least severity of a finding that makes Bytes fail;
	// the zero value means manifest.SeverityError (Scaffold refuses
	// warnings too).
	Refuse manifest.Severity

	version    manifest.SchemaVersion
	name       string
	appVersion string
	notes      string
	page       *Link
	components []Component
	grants     map[string]map[string]string // scope -> tool -> level
	userLevel  bool
	// noUUIDs leaves the uuid out of components that have none, as
	// Scaffold does (the Developer Portal does not need one).
	noUUIDs bool
}

// Component is a full-screen or side panel component for Builder.
type Component struct {
	// Name is the 3.x instance name (4.1 has none); empty means the
	// description.
	Name string
	// UUID is generated (version 4) when empty.
	UUID string
	// URL is the URL template (iframe_src in 3.x, source_url in 4.1): an
	// https URL whose {{variables}} are built-ins or configuration keys.
	URL         string
	Description string
	// Views are the side panel view keys (side panels only, at least one).
	Views []string
	// Required is the 3.x instance's "required" flag, written when true.
	Required bool
	// Config is the configuration a company admin fills in at install.
	Config []ConfigField

	kind string
}

// ConfigField is one configuration property of a component.
type ConfigField struct {
	Key         string
	Name        string
	Type        string // "string" when empty
	Description string
	Required    bool
	// SupportLink is a help link shown next to the field (4.1 only).
	SupportLink *Link
}

// Link is a URL with a label.
type Link struct {
	URL, Label string
}

// BuildError reports input the Builder refuses. Diagnostics are validate's
// findings when Bytes refused the manifest.
type BuildError struct {
	Reason      string
	Diagnostics []manifest.Diagnostic
}

func (e *BuildError) Error() string { return "build manifest: " + e.Reason }

func buildErr(format string, args ...any) error {
	return &BuildError{Reason: fmt.Sprintf(format, args...)}
}

// NewBuilder starts a manifest of schema version v ("4.1", or "3",
// "3.0" to "3.2").
func NewBuilder(v manifest.SchemaVersion) (*Builder, error) {
	if _, err := manifest.ParseSchemaVersion(string(v)); err != nil {
		return nil, &BuildError{Reason: err.Error()}
	}
	return &Builder{version: v, grants: map[string]map[string]string{}}, nil
}

// SetName sets app_manifest.name (the Developer Portal replaces it with
// the listing's name).
func (b *Builder) SetName(name string) error {
	if strings.TrimSpace(name) == "" {
		return buildErr("the app name is empty")
	}
	b.name = name
	return nil
}

// SetAppVersion sets app_manifest.version: MAJOR.MINOR.PATCH, as the
// Developer Portal requires (manifest.IsReleaseVersion).
func (b *Builder) SetAppVersion(v string) error {
	if !manifest.IsReleaseVersion(v) {
		return buildErr("app version %q is not MAJOR.MINOR.PATCH (three integers, e.g. 1.0.0)", v)
	}
	b.appVersion = v
	return nil
}

// SetNotes sets the post-installation notes shown to the company admin.
func (b *Builder) SetNotes(notes string) error {
	if strings.TrimSpace(notes) == "" {
		return buildErr("post-installation notes are empty: tell the admin what to do after installing")
	}
	b.notes = notes
	return nil
}

// SetPage sets the post-installation instructions page (an https URL and
// its label).
func (b *Builder) SetPage(url, label string) error {
	if strings.TrimSpace(label) == "" {
		return buildErr("the instructions page needs a label")
	}
	b.page = &Link{URL: url, Label: label}
	return nil
}

// AddFullscreen adds a full-screen component. Schema 4.1 allows one.
func (b *Builder) AddFullscreen(c Component) error {
	c.kind = manifest.Fullscreen
	return b.add(c)
}

// AddSidepanel adds a side panel component. Schema 4.1 allows one.
func (b *Builder) AddSidepanel(c Component) error {
	c.kind = manifest.Sidepanel
	return b.add(c)
}

func (b *Builder) add(c Component) error {
	v41 := b.version.Family() == manifest.V41
	if v41 {
		for _, have := range b.components {
			if have.kind == c.kind {
				return buildErr("schema 4.1 has one %s component; this manifest has one already", c.kind)
			}
		}
	}
	switch {
	case c.kind == manifest.Sidepanel && len(c.Views) == 0:
		return buildErr("a side panel needs at least one view key (where it appears), e.g. commitments.work_order_contracts.detail")
	case c.kind == manifest.Fullscreen && len(c.Views) > 0:
		return buildErr("a full-screen component has no views; use a side panel")
	}
	if strings.TrimSpace(c.Description) == "" {
		return buildErr("the %s component needs a description", c.kind)
	}
	keys := map[string]bool{}
	for i, f := range c.Config {
		switch {
		case strings.TrimSpace(f.Key) == "":
			return buildErr("configuration field %d has no key", i+1)
		case keys[f.Key]:
			return buildErr("configuration field %q is defined twice", f.Key)
		case strings.TrimSpace(f.Name) == "":
			return buildErr("configuration field %q needs a name (the label admins see)", f.Key)
		case f.SupportLink != nil && !v41:
			return buildErr("configuration field %q: support links need schema 4.1", f.Key)
		}
		keys[f.Key] = true
	}
	if c.UUID == "" && !b.noUUIDs {
		u, err := newUUID(b.Rand)
		if err != nil {
			return fmt.Errorf("build manifest: generate a uuid: %w", err)
		}
		c.UUID = u
	}
	c.Views = append([]string(nil), c.Views...)
	c.Config = append([]ConfigField(nil), c.Config...)
	b.components = append(b.components, c)
	return nil
}

// newUUID returns a random (version 4) UUID.
func newUUID(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var u [16]byte
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return "", err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
}

// Grant gives the service account level on tool in scope ("company" or
// "project"). The level may be in any spelling permissions.ParseLevel
// reads and is written in the manifest spelling; a level the tool does
// not allow or a tool of the other scope is an error, an unknown tool is
// accepted (the catalogue may lag Procore). A level of none removes the
// grant, as the Permission Builder leaves such tools out. Granting makes
// the app use Service Account Authentication: in 3.x through a
// client_credentials oauth instance, in 4.1 through the top-level
// permissions.
func (b *Builder) Grant(scope, tool, level string) error {
	if !permissions.ValidScope(scope) {
		return buildErr("unknown scope %q: use company or project", scope)
	}
	if strings.TrimSpace(tool) == "" {
		return buildErr("empty tool key in %s scope", scope)
	}
	lvl, err := permissions.ParseLevel(level)
	if err == nil {
		err = permissions.CheckAssignment(b.Catalog, permissions.Assignment{Scope: scope, Tool: tool, Level: lvl})
	}
	if err != nil {
		var ae *permissions.AssignmentError
		if errors.As(err, &ae) {
			err = errors.New(ae.Reason)
		}
		return &BuildError{Reason: fmt.Sprintf("%s:%s: %v", scope, tool, err)}
	}
	if lvl == permissions.None {
		delete(b.grants[scope], tool)
		return nil
	}
	if b.userLevel && b.version.Family() != manifest.V41 {
		return buildErr("this 3.x manifest has an authorization_code instance already; an app has at most one data connection instance (use schema 4.1 for both kinds of authentication)")
	}
	if b.grants == nil {
		b.grants = map[string]map[string]string{}
	}
	if b.grants[scope] == nil {
		b.grants[scope] = map[string]string{}
	}
	b.grants[scope][tool] = lvl.String()
	return nil
}

// UserLevelAuth declares User Level Authentication (the app acts as the
// signed-in user). In 3.x it adds an authorization_code oauth instance,
// which excludes grants (an app has at most one data connection
// instance); in 4.1 it is implied and this does nothing.
func (b *Builder) UserLevelAuth() error {
	if b.version.Family() == manifest.V41 {
		return nil
	}
	if b.hasGrants() {
		return buildErr("this 3.x manifest declares permissions (a client_credentials instance); an app has at most one data connection instance (use schema 4.1 for both kinds of authentication)")
	}
	b.userLevel = true
	return nil
}

func (b *Builder) hasGrants() bool {
	for _, g := range b.grants {
		if len(g) > 0 {
			return true
		}
	}
	return false
}

// Bytes renders the manifest in the canonical layout of manifest.Format
// and validates it. It fails when no post-installation notes were set, or
// when validate reports a finding of severity Refuse or more (errors by
// default): the *BuildError lists those findings in Diagnostics, and its
// Reason names the first.
func (b *Builder) Bytes() ([]byte, error) {
	if b == nil || b.version == "" {
		return nil, buildErr("use NewBuilder to start a manifest")
	}
	if b.notes == "" {
		return nil, buildErr("no post-installation notes: call SetNotes")
	}
	out := manifest.FormatNode(b.node(), nil)
	refuse := b.Refuse
	if refuse == manifest.SeverityOff {
		refuse = manifest.SeverityError
	}
	var refused []manifest.Diagnostic
	for _, d := range validate.Bytes("manifest.json", out, b.Validate).Diagnostics {
		if d.Severity >= refuse {
			refused = append(refused, d)
		}
	}
	if len(refused) > 0 {
		d := refused[0]
		reason := fmt.Sprintf("the manifest does not validate: %s: %s [%s]", d.Pos.Pointer, d.Message, d.Rule)
		if len(refused) > 1 {
			reason += fmt.Sprintf(" (and %d more)", len(refused)-1)
		}
		return nil, &BuildError{Reason: reason, Diagnostics: refused}
	}
	return out, nil
}

// node builds the manifest tree, members in the order of Procore's
// examples.
func (b *Builder) node() *manifest.Node {
	root := fields{{"schema_version", text(string(b.version))}}
	am := fields{}
	if b.name != "" {
		am = append(am, field{"name", text(b.name)})
	}
	if b.appVersion != "" {
		am = append(am, field{"version", text(b.appVersion)})
	}
	if len(am) > 0 {
		root = append(root, field{"app_manifest", am.node()})
	}
	pii := fields{{"notes", text(b.notes)}}
	if b.page != nil {
		pii = append(pii, field{"page", fields{{"url", text(b.page.URL)}, {"label", text(b.page.Label)}}.node()})
	}
	root = append(root, field{"post_installation_instruction", pii.node()})
	if b.version.Family() == manifest.V41 {
		for _, kind := range []string{manifest.Fullscreen, manifest.Sidepanel} {
			for _, c := range b.components {
				if c.kind == kind {
					root = append(root, field{kind, c.node41()})
				}
			}
		}
		if b.hasGrants() {
			root = append(root, field{"permissions", b.permissionsNode()})
		}
		return root.node()
	}
	comps := fields{}
	switch {
	case b.hasGrants():
		comps = append(comps, field{"oauth", instances(fields{
			{"grant_type", text(manifest.GrantClientCredentials)}, {"permissions", b.permissionsNode()},
		}.node())})
	case b.userLevel:
		comps = append(comps, field{"oauth", instances(fields{{"grant_type", text(manifest.GrantAuthorizationCode)}}.node())})
	}
	if len(b.components) > 0 {
		var inst []*manifest.Node
		for _, c := range b.components {
			inst = append(inst, c.node3())
		}
		comps = append(comps, field{"iframe", instances(inst...)})
	}
	return append(root, field{"components", comps.node()}).node()
}

func (b *Builder) permissionsNode() *manifest.Node {
	var out fields
	for _, scope := range permissions.Scopes {
		g := b.grants[scope]
		if len(g) == 0 {
			continue
		}
		var tools fields
		for _, t := range slices.Sorted(maps.Keys(g)) {
			tools = append(tools, field{t, text(g[t])})
		}
		out = append(out, field{scope, tools.node()})
	}
	return out.node()
}

func (c Component) configSchema() *manifest.Node {
	required := &manifest.Node{Kind: manifest.Array}
	props := fields{}
	for _, f := range c.Config {
		typ := f.Type
		if typ == "" {
			typ = "string"
		}
		p := fields{{"name", text(f.Name)}, {"type", text(typ)}}
		if f.Description != "" {
			p = append(p, field{"description", text(f.Description)})
		}
		if f.SupportLink != nil {
			link := fields{{"url", text(f.SupportLink.URL)}}
			if f.SupportLink.Label != "" {
				link = append(link, field{"label", text(f.SupportLink.Label)})
			}
			p = append(p, field{"support_link", link.node()})
		}
		props = append(props, field{f.Key, p.node()})
		if f.Required {
			required.Elems = append(required.Elems, text(f.Key))
		}
	}
	return fields{{"type", text("object")}, {"required", required}, {"properties", props.node()}}.node()
}

func (c Component) node41() *manifest.Node {
	var f fields
	if c.UUID != "" {
		f = append(f, field{"uuid", text(c.UUID)})
	}
	if c.kind == manifest.Sidepanel {
		f = append(f, field{"views", texts(c.Views)})
	}
	f = append(f, field{"source_url", text(c.URL)}, field{"description", text(c.Description)})
	if len(c.Config) > 0 {
		f = append(f, field{"user_configuration", fields{{"schema", c.configSchema()}}.node()})
	}
	return f.node()
}

func (c Component) node3() *manifest.Node {
	name := c.Name
	if name == "" {
		name = c.Description
	}
	f := fields{{"name", text(name)}, {"type", text(c.kind)}}
	if c.UUID != "" {
		f = append(f, field{"uuid", text(c.UUID)})
	}
	if c.kind == manifest.Sidepanel {
		f = append(f, field{"views", texts(c.Views)})
	}
	if c.Required {
		f = append(f, field{"required", &manifest.Node{Kind: manifest.Bool, Bool: true}})
	}
	f = append(f, field{"iframe_src", text(c.URL)}, field{"description", text(c.Description)})
	if len(c.Config) > 0 {
		f = append(f, field{"configuration", fields{{"schema", c.configSchema()}}.node()})
	}
	return f.node()
}

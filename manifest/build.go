package manifest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Builder assembles a manifest in Go, for programs that generate
// manifests: start with NewBuilder, set the install notes, add components,
// grant tool permissions, then Bytes. Every method checks its input and
// returns an error instead of accepting something the Developer Portal or
// validate would refuse; a failed call leaves the Builder as it was.
//
// Levels are strings here: package manifest does not know the tool
// catalogue. LevelCheck validates and normalises them; the default accepts
// the four manifest spellings only. permissions.NewBuilder returns a
// Builder whose LevelCheck reads every spelling and checks each tool's
// allowed levels against the catalogue.
type Builder struct {
	// LevelCheck validates a grant and returns the level to write. nil
	// accepts exactly "none", "readonly", "standard" and "admin".
	LevelCheck LevelCheck
	// Rand is the source of the UUIDs generated for components without
	// one; nil means crypto/rand.
	Rand io.Reader

	version    SchemaVersion
	appVersion string
	notes      string
	page       *Link
	components []Component
	grants     map[string]map[string]string // scope -> tool -> level
	userLevel  bool
}

// LevelCheck validates the level of a grant of tool in scope and returns
// it in the manifest spelling.
type LevelCheck func(scope, tool, level string) (string, error)

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
	// Required is the 3.x instance's "required" flag.
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

// BuildError reports input the Builder refuses.
type BuildError struct {
	Reason string
}

func (e *BuildError) Error() string { return "build manifest: " + e.Reason }

func buildErr(format string, args ...any) error {
	return &BuildError{Reason: fmt.Sprintf(format, args...)}
}

// Built-in URL template variables (Procore fills them in).
var builtinTemplateVars = []string{"procore.company.id", "procore.company.name", "procore.project.id", "procore.project.name"}

// The regular expressions are compiled on first use, not at start-up.
var (
	templateVar   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`) })
	releaseSemver = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	})
	canonicalLvls = []string{"none", "readonly", "standard", "admin"}
)

// NewBuilder starts a manifest of schema version v ("4.1", or "3",
// "3.0" to "3.2").
func NewBuilder(v SchemaVersion) (*Builder, error) {
	if _, err := ParseSchemaVersion(string(v)); err != nil {
		return nil, &BuildError{Reason: err.Error()}
	}
	return &Builder{version: v, grants: map[string]map[string]string{}}, nil
}

// SetAppVersion sets app_manifest.version: MAJOR.MINOR.PATCH, as the
// Developer Portal requires.
func (b *Builder) SetAppVersion(v string) error {
	if !releaseSemver().MatchString(v) {
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
	if err := checkHTTPS("instructions page URL", url); err != nil {
		return err
	}
	if strings.TrimSpace(label) == "" {
		return buildErr("the instructions page needs a label")
	}
	b.page = &Link{URL: url, Label: label}
	return nil
}

func checkHTTPS(what, url string) error {
	if !strings.HasPrefix(strings.ToLower(url), "https://") || len(url) <= len("https://") {
		return buildErr("%s %q must be an https URL: Procore loads apps inside an https page", what, url)
	}
	return nil
}

// AddFullscreen adds a full-screen component. Schema 4.1 allows one.
func (b *Builder) AddFullscreen(c Component) error {
	c.kind = Fullscreen
	return b.add(c)
}

// AddSidepanel adds a side panel component (schema 3.2 or 4.1). Schema
// 4.1 allows one.
func (b *Builder) AddSidepanel(c Component) error {
	c.kind = Sidepanel
	return b.add(c)
}

func (b *Builder) add(c Component) error {
	v41 := b.version.Family() == V41
	if c.kind == Sidepanel && !v41 && b.version != "3.2" {
		return buildErr("side panels need schema 3.2 or 4.1, not %s", b.version)
	}
	if v41 {
		for _, have := range b.components {
			if have.kind == c.kind {
				return buildErr("schema 4.1 has one %s component; this manifest has one already", c.kind)
			}
		}
	}
	if err := checkHTTPS(c.kind+" URL", c.URL); err != nil {
		return err
	}
	switch {
	case c.kind == Sidepanel && len(c.Views) == 0:
		return buildErr("a side panel needs at least one view key (where it appears), e.g. commitments.work_order_contracts.detail")
	case c.kind == Fullscreen && len(c.Views) > 0:
		return buildErr("a full-screen component has no views; use a side panel")
	}
	for _, view := range c.Views {
		if strings.TrimSpace(view) == "" {
			return buildErr("empty side panel view key")
		}
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
		if f.SupportLink != nil {
			if err := checkHTTPS("support link of "+f.Key, f.SupportLink.URL); err != nil {
				return err
			}
		}
		keys[f.Key] = true
	}
	for _, m := range templateVar().FindAllStringSubmatch(c.URL, -1) {
		name := m[1]
		if !keys[name] && !isBuiltinVar(name) {
			return buildErr("the %s URL uses {{%s}}, which is neither a built-in (%s) nor a configuration field",
				c.kind, name, strings.Join(builtinTemplateVars, ", "))
		}
	}
	if c.UUID == "" {
		u, err := newUUID(b.Rand)
		if err != nil {
			return fmt.Errorf("build manifest: generate a uuid: %w", err)
		}
		c.UUID = u
	}
	for _, have := range b.components {
		if have.UUID == c.UUID {
			return buildErr("uuid %q is used by another component", c.UUID)
		}
	}
	c.Views = append([]string(nil), c.Views...)
	c.Config = append([]ConfigField(nil), c.Config...)
	b.components = append(b.components, c)
	return nil
}

func isBuiltinVar(name string) bool {
	for _, v := range builtinTemplateVars {
		if v == name {
			return true
		}
	}
	return false
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
// "project"). A level of none removes the grant, as the Permission
// Builder leaves such tools out. Granting makes the app use Service
// Account Authentication: in 3.x through a client_credentials oauth
// instance, in 4.1 through the top-level permissions.
func (b *Builder) Grant(scope, tool, level string) error {
	if scope != ScopeCompany && scope != ScopeProject {
		return buildErr("unknown scope %q: use company or project", scope)
	}
	if strings.TrimSpace(tool) == "" {
		return buildErr("empty tool key in %s scope", scope)
	}
	check := b.LevelCheck
	if check == nil {
		check = canonicalLevel
	}
	lvl, err := check(scope, tool, level)
	if err != nil {
		return &BuildError{Reason: fmt.Sprintf("%s:%s: %v", scope, tool, err)}
	}
	if lvl == "none" {
		delete(b.grants[scope], tool)
		return nil
	}
	if b.userLevel && b.version.Family() != V41 {
		return buildErr("this 3.x manifest has an authorization_code instance already; an app has at most one data connection instance (use schema 4.1 for both kinds of authentication)")
	}
	if b.grants == nil {
		b.grants = map[string]map[string]string{}
	}
	if b.grants[scope] == nil {
		b.grants[scope] = map[string]string{}
	}
	b.grants[scope][tool] = lvl
	return nil
}

func canonicalLevel(_, _, level string) (string, error) {
	for _, l := range canonicalLvls {
		if level == l {
			return level, nil
		}
	}
	return "", fmt.Errorf("level %q is not one of %s", level, strings.Join(canonicalLvls, ", "))
}

// UserLevelAuth declares User Level Authentication (the app acts as the
// signed-in user). In 3.x it adds an authorization_code oauth instance,
// which excludes grants (an app has at most one data connection
// instance); in 4.1 it is implied and this does nothing.
func (b *Builder) UserLevelAuth() error {
	if b.version.Family() == V41 {
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

// Bytes renders the manifest in the canonical layout of Format. It fails
// when the manifest would be empty of content (no component and no
// permission) or when no post-installation notes were set.
func (b *Builder) Bytes() ([]byte, error) {
	if b == nil || b.version == "" {
		return nil, buildErr("use NewBuilder to start a manifest")
	}
	if len(b.components) == 0 && !b.hasGrants() && !b.userLevel {
		return nil, buildErr("the manifest has no component: add a full-screen or side panel component, or grant permissions")
	}
	if b.notes == "" {
		return nil, buildErr("no post-installation notes: call SetNotes")
	}
	root := Fields{{"schema_version", string(b.version)}}
	if b.appVersion != "" {
		root = append(root, Field{"app_manifest", Fields{{"version", b.appVersion}}})
	}
	pii := Fields{{"notes", b.notes}}
	if b.page != nil {
		pii = append(pii, Field{"page", Fields{{"url", b.page.URL}, {"label", b.page.Label}}})
	}
	root = append(root, Field{"post_installation_instruction", pii})
	if b.version.Family() == V41 {
		for _, kind := range []string{Fullscreen, Sidepanel} {
			for _, c := range b.components {
				if c.kind == kind {
					root = append(root, Field{kind, c.fields41()})
				}
			}
		}
		if b.hasGrants() {
			root = append(root, Field{"permissions", b.permissionFields()})
		}
	} else {
		comps := Fields{}
		switch {
		case b.hasGrants():
			comps = append(comps, Field{"oauth", Fields{{"instances", []any{Fields{
				{"grant_type", GrantClientCredentials}, {"permissions", b.permissionFields()},
			}}}}})
		case b.userLevel:
			comps = append(comps, Field{"oauth", Fields{{"instances", []any{Fields{{"grant_type", GrantAuthorizationCode}}}}}})
		}
		if len(b.components) > 0 {
			var inst []any
			for _, c := range b.components {
				inst = append(inst, c.fields3(b.version))
			}
			comps = append(comps, Field{"iframe", Fields{{"instances", inst}}})
		}
		root = append(root, Field{"components", comps})
	}
	text, err := render(root, "", style{unit: "  ", colon: ": "}, true)
	if err != nil {
		return nil, fmt.Errorf("build manifest: %w", err)
	}
	doc, diags := Parse("", []byte(text), ParseOptions{})
	if doc.Root == nil {
		return nil, errors.Join(errors.New("build manifest: rendered invalid JSON"), fmt.Errorf("%v", diags))
	}
	return Format(doc)
}

func (b *Builder) permissionFields() Fields {
	var out Fields
	for _, scope := range []string{ScopeCompany, ScopeProject} {
		g := b.grants[scope]
		if len(g) == 0 {
			continue
		}
		tools := make([]string, 0, len(g))
		for t := range g {
			tools = append(tools, t)
		}
		sort.Strings(tools)
		var sf Fields
		for _, t := range tools {
			sf = append(sf, Field{t, g[t]})
		}
		out = append(out, Field{scope, sf})
	}
	return out
}

func (c Component) configSchema() Fields {
	var required []any
	props := Fields{}
	for _, f := range c.Config {
		typ := f.Type
		if typ == "" {
			typ = "string"
		}
		p := Fields{{"name", f.Name}, {"type", typ}}
		if f.Description != "" {
			p = append(p, Field{"description", f.Description})
		}
		if f.SupportLink != nil {
			link := Fields{{"url", f.SupportLink.URL}}
			if f.SupportLink.Label != "" {
				link = append(link, Field{"label", f.SupportLink.Label})
			}
			p = append(p, Field{"support_link", link})
		}
		props = append(props, Field{f.Key, p})
		if f.Required {
			required = append(required, f.Key)
		}
	}
	if required == nil {
		required = []any{}
	}
	return Fields{{"type", "object"}, {"required", required}, {"properties", props}}
}

func (c Component) fields41() Fields {
	f := Fields{{"uuid", c.UUID}}
	if c.kind == Sidepanel {
		f = append(f, Field{"views", c.Views})
	}
	f = append(f, Field{"source_url", c.URL}, Field{"description", c.Description})
	if len(c.Config) > 0 {
		f = append(f, Field{"user_configuration", Fields{{"schema", c.configSchema()}}})
	}
	return f
}

func (c Component) fields3(version SchemaVersion) Fields {
	name := c.Name
	if name == "" {
		name = c.Description
	}
	f := Fields{{"name", name}}
	if version == "3.2" {
		f = append(f, Field{"type", c.kind}) // before 3.2 every iframe was full-screen
	}
	f = append(f, Field{"uuid", c.UUID})
	if c.kind == Sidepanel {
		f = append(f, Field{"views", c.Views})
	}
	f = append(f, Field{"required", c.Required}, Field{"iframe_src", c.URL}, Field{"description", c.Description})
	if len(c.Config) > 0 {
		f = append(f, Field{"configuration", Fields{{"schema", c.configSchema()}}})
	}
	return f
}

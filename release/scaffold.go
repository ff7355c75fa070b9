package release

import (
	"errors"
	"fmt"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// Data connector choices of Scaffold.
const (
	ConnectorNone           = "none"
	ConnectorUser           = "user"
	ConnectorServiceAccount = "service-account"
)

// Connectors lists the data connector choices.
var Connectors = []string{ConnectorNone, ConnectorUser, ConnectorServiceAccount}

// Defaults of Scaffold: Procore's own defaults for a new manifest's
// post-installation page, and the version
// Procore suggests for development.
const (
	DefaultInstructionsURL   = "https://support.procore.com/integrations/app-setup-instructions"
	DefaultInstructionsLabel = "App Setup Instructions"
	DefaultVersion           = "0.1.0"
	DefaultName              = "My Procore App"
)

// ScaffoldOptions describe a new manifest. The zero value is a 4.1
// manifest with no component.
type ScaffoldOptions struct {
	// SchemaVersion is "4.1" (the default) or a 3.x version.
	SchemaVersion manifest.SchemaVersion
	// Name is the app's name: app_manifest.name (the portal replaces it
	// with the listing's name) and, in 3.x, the iframe instances' names.
	Name string
	// DataConnector is ConnectorNone (default), ConnectorUser or
	// ConnectorServiceAccount. A service account implies User Level
	// Authentication, as in Procore's builder; in 4.1 both are expressed
	// by the permissions alone, and User Level Authentication needs no
	// member.
	DataConnector string
	// Grants are the service account's permissions (at least one is
	// needed: a service account without permissions is invalid, MC106).
	Grants []permissions.Assignment
	// Fullscreen and Sidepanel are the URL templates of the embedded
	// components to create; Views are the side panel's view keys.
	Fullscreen, Sidepanel string
	Views                 []string
	// Notes, InstructionsURL and InstructionsLabel make the
	// post_installation_instruction; empty means a default.
	Notes, InstructionsURL, InstructionsLabel string
	// Version is app_manifest.version; empty means DefaultVersion.
	Version string
	// Config are the configuration properties the installing admin fills
	// in, for {{KEY}} variables in the component URLs. Each goes to the
	// components whose URL uses it (to every component when no URL does:
	// the app may read it through the App Configurations API).
	Config []ConfigProperty
	// ConfigRequired lists the configuration properties a component's URL
	// uses in its schema's "required" array, as Procore's examples do for
	// URL parameters (a required property the URL does not use would be
	// MC205's).
	ConfigRequired bool
}

// ConfigProperty is one configuration property of a new manifest.
type ConfigProperty struct {
	Key string
	// Name is the label the installing admin sees; empty means one made
	// from Key ("folder_id" gives "Folder id").
	Name string
	// Description is the help text; empty means one naming the variable.
	Description string
}

// ScaffoldError is a combination of options that cannot give a valid
// manifest.
type ScaffoldError struct{ Reason string }

func (e *ScaffoldError) Error() string { return e.Reason }

func scaffoldErrorf(format string, args ...any) error {
	return &ScaffoldError{Reason: fmt.Sprintf(format, args...)}
}

// Scaffold writes a new manifest in the canonical layout (manifest.Format),
// through the Builder. It checks the options that would make the manifest
// invalid whatever the values (a service account without grants, a side
// panel without views, views without a side panel, grants without a
// service account, a version that is not MAJOR.MINOR.PATCH): those errors
// are *ScaffoldError. The manifest is then validated like any Builder
// output, refusing warnings as well as errors: a *BuildError lists the
// findings (an http URL, an unknown view key or tool, an undefined
// template variable).
func Scaffold(opts ScaffoldOptions) ([]byte, error) {
	sv := opts.SchemaVersion
	if sv == "" {
		sv = manifest.V41
	}
	if _, err := manifest.ParseSchemaVersion(string(sv)); err != nil {
		return nil, &ScaffoldError{Reason: err.Error()}
	}
	conn := opts.DataConnector
	if conn == "" {
		conn = ConnectorNone
	}
	switch conn {
	case ConnectorNone, ConnectorUser, ConnectorServiceAccount:
	default:
		return nil, scaffoldErrorf("unknown data connector %q (want %s)", conn, strings.Join(Connectors, ", "))
	}
	if conn == ConnectorServiceAccount && len(opts.Grants) == 0 {
		return nil, scaffoldErrorf("a service account needs at least one permission: add --grant scope:tool=level " +
			"(for example project:daily_log=readonly); without permissions Procore creates no service account (MC106)")
	}
	if conn != ConnectorServiceAccount && len(opts.Grants) > 0 {
		return nil, scaffoldErrorf("permissions are for a service account: use --data-connector service-account with --grant")
	}
	for _, g := range opts.Grants {
		if g.Level == permissions.None {
			return nil, scaffoldErrorf("grant %s: level none declares nothing; leave the tool out", g)
		}
	}
	if opts.Sidepanel != "" && len(opts.Views) == 0 {
		return nil, scaffoldErrorf("a side panel needs at least one view: add --view KEY (for example commitments.work_order_contracts.detail)")
	}
	if opts.Sidepanel == "" && len(opts.Views) > 0 {
		return nil, scaffoldErrorf("views belong to a side panel: add --sidepanel URL")
	}
	if len(opts.Config) > 0 && opts.Fullscreen == "" && opts.Sidepanel == "" {
		return nil, scaffoldErrorf("configuration properties belong to a component: add --fullscreen URL or --sidepanel URL")
	}
	seen := make(map[string]bool)
	for _, p := range opts.Config {
		if strings.TrimSpace(p.Key) == "" || strings.ContainsAny(p.Key, "{}") {
			return nil, scaffoldErrorf("configuration property %q: want a key such as folder_id", p.Key)
		}
		if seen[p.Key] {
			return nil, scaffoldErrorf("configuration property %q given twice", p.Key)
		}
		seen[p.Key] = true
	}
	version := or(opts.Version, DefaultVersion)
	if !manifest.IsReleaseVersion(version) {
		return nil, scaffoldErrorf("version %q is not MAJOR.MINOR.PATCH (three integers, such as \"1.0.0\")", version)
	}

	b, err := NewBuilder(sv)
	if err != nil {
		return nil, err
	}
	b.noUUIDs = true
	b.Refuse = manifest.SeverityWarning
	name := strings.TrimSpace(opts.Name)
	notes := opts.Notes
	if notes == "" {
		notes = fmt.Sprintf("Thank you for installing %s. Open the setup instructions linked below to finish connecting it "+
			"to your Procore company.", or(name, "this app"))
	}
	compName := or(name, DefaultName)
	steps := []error{
		b.SetAppVersion(version),
		b.SetNotes(notes),
		b.SetPage(or(opts.InstructionsURL, DefaultInstructionsURL), or(opts.InstructionsLabel, DefaultInstructionsLabel)),
	}
	if name != "" {
		steps = append(steps, b.SetName(name))
	}
	if opts.Fullscreen != "" {
		steps = append(steps, b.AddFullscreen(Component{Name: compName, URL: opts.Fullscreen,
			Description: "Full-screen view of " + compName, Config: componentConfig(opts, opts.Fullscreen)}))
	}
	if opts.Sidepanel != "" {
		steps = append(steps, b.AddSidepanel(Component{Name: compName, URL: opts.Sidepanel, Views: opts.Views,
			Description: "Side panel of " + compName, Config: componentConfig(opts, opts.Sidepanel)}))
	}
	if conn == ConnectorUser {
		steps = append(steps, b.UserLevelAuth())
	}
	for _, g := range opts.Grants {
		steps = append(steps, b.Grant(g.Scope, g.Tool, g.Level.String()))
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	return b.Bytes()
}

// componentConfig returns the configuration properties of the component
// loading url: those its URL uses, or all of them when no component URL
// uses one (the app may read it through the App Configurations API).
// With ConfigRequired, the ones its URL uses are required.
func componentConfig(opts ScaffoldOptions, url string) []ConfigField {
	used := func(u, key string) bool {
		vars, _ := manifest.TemplateVars(u)
		for _, v := range vars {
			if v.Name == key {
				return true
			}
		}
		return false
	}
	var out []ConfigField
	for _, p := range opts.Config {
		if !used(url, p.Key) && (used(opts.Fullscreen, p.Key) || used(opts.Sidepanel, p.Key)) {
			continue // another component's
		}
		name := p.Name
		if name == "" {
			name = strings.ToUpper(p.Key[:1]) + strings.NewReplacer("_", " ", "-", " ").Replace(p.Key[1:])
		}
		out = append(out, ConfigField{Key: p.Key, Name: name, Type: "string",
			Description: or(p.Description, "The value of {{"+p.Key+"}} in the app's URL."),
			Required:    opts.ConfigRequired && used(url, p.Key)})
	}
	return out
}

// ErrDuplicateGrant is returned by CheckGrants for a tool given twice.
var ErrDuplicateGrant = errors.New("tool given twice")

// CheckGrants reports a tool given twice in the same scope.
func CheckGrants(grants []permissions.Assignment) error {
	seen := map[[2]string]bool{}
	for _, g := range grants {
		k := [2]string{g.Scope, g.Tool}
		if seen[k] {
			return fmt.Errorf("%s tool %s: %w", g.Scope, g.Tool, ErrDuplicateGrant)
		}
		seen[k] = true
	}
	return nil
}

func or(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// field and fields build manifest trees in memory, in order.
type field struct {
	key   string
	value *manifest.Node
}

type fields []field

func (fs fields) node() *manifest.Node {
	n := &manifest.Node{Kind: manifest.Object}
	for _, f := range fs {
		n.Members = append(n.Members, manifest.Member{Key: f.key, Value: f.value})
	}
	return n
}

func text(s string) *manifest.Node { return &manifest.Node{Kind: manifest.String, Str: s} }

func texts(list []string) *manifest.Node {
	n := &manifest.Node{Kind: manifest.Array}
	for _, s := range list {
		n.Elems = append(n.Elems, text(s))
	}
	return n
}

func instances(elems ...*manifest.Node) *manifest.Node {
	return fields{{"instances", &manifest.Node{Kind: manifest.Array, Elems: elems}}}.node()
}

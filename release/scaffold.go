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
// post-installation page (procore-facts.md section 4), and the version
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
			Description: "Full-screen view of " + compName}))
	}
	if opts.Sidepanel != "" {
		steps = append(steps, b.AddSidepanel(Component{Name: compName, URL: opts.Sidepanel, Views: opts.Views,
			Description: "Side panel of " + compName}))
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

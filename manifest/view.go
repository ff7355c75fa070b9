package manifest

// Grant types of a 3.x oauth instance.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantClientCredentials = "client_credentials"
	GrantImplicit          = "implicit"
)

// Embedded component kinds.
const (
	Fullscreen = "fullscreen"
	Sidepanel  = "sidepanel"
)

// Permission scopes.
const (
	ScopeCompany = "company"
	ScopeProject = "project"
)

// App is the normalised view of a manifest over schema 3.x and 4.1.
type App struct {
	Doc     *Document
	Version SchemaVersion

	// Connectors lists the data connection components: the oauth instances
	// of a 3.x file, or in 4.1 the one implied by a permissions member.
	Connectors []Connector
	// Embedded lists fullscreen and side panel components in file order.
	Embedded []Embedded
	// Install is the post-installation instruction.
	Install Install
	// AppManifest is the app_manifest object, nil when missing.
	AppManifest *Node
	// AppVersion is app_manifest.version, nil when missing.
	AppVersion *Node
}

// Connector is one data connection component. In 3.x it is an oauth
// instance and GrantType says what it is; in 4.1 there is no grant type in
// the file, and declaring permissions means Service Account Authentication
// on top of User Level Authentication.
type Connector struct {
	Pointer   string // the oauth instance, or "/permissions" in 4.1
	Node      *Node
	GrantType string // as written in 3.x; GrantClientCredentials when implied (4.1)
	Implied   bool   // 4.1: no grant type in the file
	// UserLevel is User Level Authentication (authorization code grant).
	UserLevel bool
	// ServiceAccount is Service Account Authentication (client credentials
	// through a Developer Managed Service Account).
	ServiceAccount bool
	// Permissions are the DMSA's declared tool permissions (3.x: inside the
	// instance; 4.1: at the top level).
	Permissions Permissions
}

// Permissions are declared tool permissions: the Permission Builder's output.
type Permissions struct {
	Pointer string // "" when the permissions member is absent
	Node    *Node
	Company Scope
	Project Scope
}

// Scope is the company or project part of a permissions object.
type Scope struct {
	Name    string // ScopeCompany or ScopeProject
	Pointer string // "" when absent
	Node    *Node
	Grants  []Grant
}

// Grant is one declared tool permission, with the level as written.
type Grant struct {
	Scope   string
	Tool    string
	Level   string // raw spelling, "" when not a string
	Pointer string
	Node    *Node
}

// Scopes returns the company and project scopes, in that order.
func (p *Permissions) Scopes() []*Scope { return []*Scope{&p.Company, &p.Project} }

// Embedded is a fullscreen or side panel component.
type Embedded struct {
	Kind        string // Fullscreen or Sidepanel
	Pointer     string
	Node        *Node
	Name        string
	Description string
	UUID        *Node
	// URL is the URL template: iframe_src (3.x) or source_url (4.1).
	URL        *Node
	URLPointer string
	// Views is the side panel views array, nil when absent.
	Views        *Node
	ViewsPointer string
	Config       Config
}

// Config is a component's configuration schema: configuration.schema (3.x)
// or user_configuration.schema (4.1).
type Config struct {
	Pointer    string // the schema object; "" when absent
	Node       *Node
	Required   []Ref // required property names as written
	Properties []ConfigProperty
}

// Ref is a string value and where it is.
type Ref struct {
	Value   string
	Pointer string
}

// ConfigProperty is one configuration field.
type ConfigProperty struct {
	Key     string
	Pointer string
	Node    *Node
}

// Install is the post_installation_instruction member.
type Install struct {
	Pointer string // "" when absent
	Node    *Node
	Notes   *Node
	Page    *Node
}

// View builds the normalised view of a parsed document. Members of the wrong
// type are left out of the view (the schema reports them).
func View(doc *Document, v SchemaVersion) *App {
	app := &App{Doc: doc, Version: v}
	root := doc.Root
	if !root.IsObject() {
		return app
	}
	if am := root.Get("app_manifest"); am.IsObject() {
		app.AppManifest = am
		app.AppVersion = am.Get("version")
	}
	if pii := root.Get("post_installation_instruction"); pii.IsObject() {
		app.Install = Install{Pointer: "/post_installation_instruction", Node: pii, Notes: pii.Get("notes"), Page: pii.Get("page")}
	}
	if v.Family() == V41 {
		for _, kind := range []string{Fullscreen, Sidepanel} {
			n := root.Get(kind)
			if !n.IsObject() {
				continue
			}
			ptr := "/" + kind
			app.Embedded = append(app.Embedded, embedded(kind, ptr, n, "source_url", "user_configuration"))
		}
		if p := root.Get("permissions"); p != nil {
			app.Connectors = append(app.Connectors, Connector{
				Pointer: "/permissions", Node: p, GrantType: GrantClientCredentials, Implied: true,
				UserLevel: true, ServiceAccount: true, Permissions: permissions("/permissions", p),
			})
		}
		return app
	}
	comps := root.Get("components")
	if oauth := comps.Get("oauth").Get("instances"); oauth.IsArray() {
		for i, inst := range oauth.Elems {
			if !inst.IsObject() {
				continue
			}
			ptr := AppendIndex("/components/oauth/instances", i)
			c := Connector{Pointer: ptr, Node: inst, GrantType: inst.Get("grant_type").Text()}
			c.UserLevel = c.GrantType == GrantAuthorizationCode || c.GrantType == GrantImplicit
			c.ServiceAccount = c.GrantType == GrantClientCredentials
			if p := inst.Get("permissions"); p != nil {
				c.Permissions = permissions(ptr+"/permissions", p)
			}
			app.Connectors = append(app.Connectors, c)
		}
	}
	if iframes := comps.Get("iframe").Get("instances"); iframes.IsArray() {
		for i, inst := range iframes.Elems {
			if !inst.IsObject() {
				continue
			}
			kind := inst.Get("type").Text()
			if kind == "" {
				kind = Fullscreen // before 3.2 every iframe was a full-screen app
			}
			e := embedded(kind, AppendIndex("/components/iframe/instances", i), inst, "iframe_src", "configuration")
			e.Name = inst.Get("name").Text()
			app.Embedded = append(app.Embedded, e)
		}
	}
	return app
}

func embedded(kind, ptr string, n *Node, urlKey, configKey string) Embedded {
	e := Embedded{
		Kind: kind, Pointer: ptr, Node: n,
		Description: n.Get("description").Text(),
		UUID:        n.Get("uuid"),
		URL:         n.Get(urlKey), URLPointer: ptr + "/" + urlKey,
		Views: n.Get("views"), ViewsPointer: ptr + "/views",
	}
	schemaPtr := ptr + "/" + configKey + "/schema"
	if s := n.Get(configKey).Get("schema"); s.IsObject() {
		e.Config = Config{Pointer: schemaPtr, Node: s}
		if req := s.Get("required"); req.IsArray() {
			for i, r := range req.Elems {
				if r.IsString() {
					e.Config.Required = append(e.Config.Required, Ref{Value: r.Str, Pointer: AppendIndex(schemaPtr+"/required", i)})
				}
			}
		}
		if props := s.Get("properties"); props.IsObject() {
			for _, m := range props.Members {
				e.Config.Properties = append(e.Config.Properties, ConfigProperty{
					Key: m.Key, Pointer: AppendPointer(schemaPtr+"/properties", m.Key), Node: m.Value,
				})
			}
		}
	}
	return e
}

func permissions(ptr string, n *Node) Permissions {
	p := Permissions{Pointer: ptr, Node: n}
	for _, s := range p.Scopes() {
		name := ScopeCompany
		if s == &p.Project {
			name = ScopeProject
		}
		s.Name = name
		sn := n.Get(name)
		if sn == nil {
			continue
		}
		s.Pointer = ptr + "/" + name
		s.Node = sn
		if !sn.IsObject() {
			continue
		}
		for _, m := range sn.Members {
			s.Grants = append(s.Grants, Grant{
				Scope: name, Tool: m.Key, Level: m.Value.Text(),
				Pointer: AppendPointer(s.Pointer, m.Key), Node: m.Value,
			})
		}
	}
	return p
}

// ServiceAccount returns the first connector with Service Account
// Authentication, or nil.
func (a *App) ServiceAccount() *Connector {
	for i := range a.Connectors {
		if a.Connectors[i].ServiceAccount {
			return &a.Connectors[i]
		}
	}
	return nil
}

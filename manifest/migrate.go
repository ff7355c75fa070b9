package manifest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// MigrationNote is something of a 3.x manifest that has no place in 4.1.
type MigrationNote struct {
	// Pointer is where it is in the input.
	Pointer string
	Message string
	// Lost is true when content would be lost or change meaning (a second
	// side panel, an unknown field): Migrate leaves it out, and the
	// migrate command refuses to write unless forced. Notes that are not
	// Lost are 3.x members 4.1 no longer uses (grant_type, the oauth
	// instance's uid and uuid, an iframe's name and required flag, an
	// authorization_code instance, since every 4.1 app may use User Level
	// Authentication).
	Lost bool
}

// Migration is the result of Migrate.
type Migration struct {
	// Output is the migrated manifest in the canonical layout of Format;
	// the input unchanged when Unchanged is true.
	Output []byte
	Notes  []MigrationNote
	// Unchanged is true when the input already is a 4.1 manifest.
	Unchanged bool
}

// Lost returns the notes about content the migration leaves out.
func (m *Migration) Lost() []MigrationNote {
	var out []MigrationNote
	for _, n := range m.Notes {
		if n.Lost {
			out = append(out, n)
		}
	}
	return out
}

// ErrMigrateTarget is returned by Migrate for a target other than 4.1.
var ErrMigrateTarget = errors.New("migration target must be schema version 4.1")

// Migrate converts a 3.x manifest to schema 4.1:
//
//   - schema_version becomes "4.1";
//   - the first fullscreen and the first sidepanel iframe instance become
//     the top-level fullscreen and sidepanel members (an instance without
//     type is a full-screen one), with iframe_src as source_url and
//     configuration as user_configuration; uuid, views and description are
//     kept;
//   - the permissions of the client_credentials oauth instance move to the
//     top-level permissions member, which is how 4.1 declares Service
//     Account Authentication; User Level Authentication needs no member;
//   - app_manifest, post_installation_instruction and unknown top-level
//     members are kept as they are.
//
// Everything else is reported in Notes: content with no 4.1 place (a second
// instance of a kind, unknown instance fields, permissions outside a
// client_credentials instance, a client_credentials instance without
// permissions) is Lost and left out of the output. A 4.1 input is returned
// unchanged. The document must parse.
func Migrate(doc *Document, to SchemaVersion) (*Migration, error) {
	if to != V41 {
		return nil, fmt.Errorf("%w (got %q)", ErrMigrateTarget, to)
	}
	if doc == nil || doc.Root == nil {
		return nil, ErrNoDocument
	}
	if !doc.Root.IsObject() {
		return nil, errors.New("migrate: the manifest is not a JSON object")
	}
	v, d := DetectSchemaVersion(doc)
	switch {
	case v == "" && d != nil:
		return nil, fmt.Errorf("migrate: %s", d.Message)
	case v.Family() == V41:
		return &Migration{Output: doc.Src, Unchanged: true}, nil
	}
	m := &migrator{doc: doc}
	root := m.root()
	sort.SliceStable(m.notes, func(i, j int) bool {
		return doc.Position(m.notes[i].Pointer).Offset < doc.Position(m.notes[j].Pointer).Offset
	})
	return &Migration{Output: FormatNode(root, doc.Src), Notes: m.notes}, nil
}

type migrator struct {
	doc   *Document
	notes []MigrationNote
}

func (m *migrator) lost(ptr, format string, args ...any) {
	m.notes = append(m.notes, MigrationNote{Pointer: ptr, Message: fmt.Sprintf(format, args...), Lost: true})
}

func (m *migrator) dropped(ptr, format string, args ...any) {
	m.notes = append(m.notes, MigrationNote{Pointer: ptr, Message: fmt.Sprintf(format, args...)})
}

func newString(s string) *Node { return &Node{Kind: String, Str: s} }

func (m *migrator) root() *Node {
	in := m.doc.Root
	out := &Node{Kind: Object}
	out.Members = append(out.Members, Member{Key: "schema_version", Value: newString(string(V41))})
	var produced []Member
	if comps := in.Get("components"); comps != nil {
		produced = m.components(comps)
	}
	has := func(key string) bool {
		for _, p := range produced {
			if p.Key == key {
				return true
			}
		}
		return false
	}
	for _, mem := range in.Members {
		switch mem.Key {
		case "schema_version", "components":
			continue
		case Fullscreen, Sidepanel, "permissions":
			// Unknown to 3.x, meaningful in 4.1: keeping it would change
			// what the manifest declares.
			ptr := AppendPointer("", mem.Key)
			if has(mem.Key) {
				m.lost(ptr, "top-level %q is not a 3.x member and would clash with the migrated %s", mem.Key, mem.Key)
			} else {
				m.lost(ptr, "top-level %q is not a 3.x member (3.x ignores it) but would be read as a 4.1 %s; "+
					"left out", mem.Key, mem.Key)
			}
			continue
		}
		out.Members = append(out.Members, mem)
	}
	out.Members = append(out.Members, produced...)
	return out
}

var (
	iframeMoved   = map[string]string{"uuid": "uuid", "views": "views", "iframe_src": "source_url", "description": "description", "configuration": "user_configuration"}
	iframeDropped = map[string]string{
		"type":     "",
		"name":     "4.1 components have no name (the app's name comes from its listing)",
		"required": "4.1 components have no required flag",
	}
)

// components converts the 3.x components member to 4.1 top-level members.
func (m *migrator) components(comps *Node) []Member {
	const ptr = "/components"
	if !comps.IsObject() {
		m.lost(ptr, "components is %s, not an object; left out", comps.Kind.WithArticle())
		return nil
	}
	var out []Member
	for _, mem := range comps.Members {
		p := AppendPointer(ptr, mem.Key)
		switch mem.Key {
		case "oauth":
			if perms := m.oauth(p, mem.Value); perms != nil {
				out = append(out, Member{Key: "permissions", Value: perms})
			}
		case "iframe":
			out = append(out, m.iframe(p, mem.Value)...)
		default:
			m.lost(p, "components member %q has no 4.1 place; left out", mem.Key)
		}
	}
	return out
}

// instances checks a components.oauth or components.iframe object and
// returns its instances.
func (m *migrator) instances(ptr string, n *Node) []*Node {
	if !n.IsObject() {
		m.lost(ptr, "%s is %s, not an object; left out", ptr, n.Kind.WithArticle())
		return nil
	}
	for _, mem := range n.Members {
		if mem.Key != "instances" {
			m.lost(AppendPointer(ptr, mem.Key), "member %q of %s has no 4.1 place; left out", mem.Key, ptr)
		}
	}
	inst := n.Get("instances")
	if inst == nil {
		return nil
	}
	if !inst.IsArray() {
		m.lost(ptr+"/instances", "instances is %s, not an array; left out", inst.Kind.WithArticle())
		return nil
	}
	return inst.Elems
}

// oauth returns the permissions node of the client_credentials instance.
func (m *migrator) oauth(ptr string, n *Node) *Node {
	var perms *Node
	seenCC := false
	for i, inst := range m.instances(ptr, n) {
		ip := AppendIndex(ptr+"/instances", i)
		if !inst.IsObject() {
			m.lost(ip, "oauth instance is %s, not an object; left out", inst.Kind.WithArticle())
			continue
		}
		grant := inst.Get("grant_type").Text()
		for _, mem := range inst.Members {
			mp := AppendPointer(ip, mem.Key)
			switch mem.Key {
			case "uid", "uuid":
				m.dropped(mp, "oauth instance %s dropped: 4.1 has no oauth instances (the portal generated it)", mem.Key)
			case "grant_type", "permissions":
			default:
				m.lost(mp, "oauth instance member %q has no 4.1 place; left out", mem.Key)
			}
		}
		p := inst.Get("permissions")
		switch grant {
		case GrantClientCredentials:
			if seenCC {
				m.lost(ip, "a second client_credentials instance has no 4.1 place (4.1 declares one set of permissions); left out")
				continue
			}
			seenCC = true
			if p == nil {
				m.lost(ip, "the client_credentials instance declares no permissions: 4.1 expresses Service Account "+
					"Authentication only through top-level permissions, so it would be dropped")
				continue
			}
			m.dropped(ip+"/grant_type", "grant_type \"client_credentials\" dropped: in 4.1 declaring permissions means Service Account Authentication")
			perms = p
		case GrantAuthorizationCode, GrantImplicit:
			m.dropped(ip, "%s instance dropped: every 4.1 app may use User Level Authentication, with no member to declare it", grant)
			if p != nil {
				m.lost(ip+"/permissions", "permissions of an %s instance give the app nothing (only a client_credentials "+
					"instance's do) but would declare a service account in 4.1; left out", grant)
			}
		default:
			m.lost(ip, "oauth instance with grant_type %q has no 4.1 place; left out", inst.Get("grant_type").Text())
		}
	}
	return perms
}

// iframe returns the fullscreen and sidepanel members.
func (m *migrator) iframe(ptr string, n *Node) []Member {
	var out []Member
	seen := map[string]bool{}
	for i, inst := range m.instances(ptr, n) {
		ip := AppendIndex(ptr+"/instances", i)
		if !inst.IsObject() {
			m.lost(ip, "iframe instance is %s, not an object; left out", inst.Kind.WithArticle())
			continue
		}
		kind := Fullscreen
		if t := inst.Get("type"); t != nil {
			kind = t.Text()
		}
		if kind != Fullscreen && kind != Sidepanel {
			m.lost(ip, "iframe instance of type %q has no 4.1 place (want fullscreen or sidepanel); left out", inst.Get("type").Text())
			continue
		}
		if seen[kind] {
			m.lost(ip, "a second %s instance has no 4.1 place (4.1 has one %s component); left out", kind, kind)
			continue
		}
		seen[kind] = true
		comp := &Node{Kind: Object}
		for _, mem := range inst.Members {
			mp := AppendPointer(ip, mem.Key)
			if to, ok := iframeMoved[mem.Key]; ok {
				comp.Members = append(comp.Members, Member{Key: to, Value: mem.Value})
				continue
			}
			if why, ok := iframeDropped[mem.Key]; ok {
				if why != "" {
					m.dropped(mp, "%s %q dropped: %s", kind, mem.Key, why)
				}
				continue
			}
			m.lost(mp, "%s member %q has no 4.1 place; left out", kind, mem.Key)
		}
		out = append(out, Member{Key: kind, Value: comp})
	}
	return out
}

// String formats a note as "POINTER: message".
func (n MigrationNote) String() string {
	p := n.Pointer
	if p == "" {
		p = "/"
	}
	return strings.TrimSpace(p + ": " + n.Message)
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// ToolList is the result of permissions tools: the catalogue's tools of
// some scopes.
type ToolList struct {
	Catalog *permissions.Catalog
	Scopes  []string // permissions.Scopes for every scope
}

type toolJSON struct {
	Scope      string   `json:"scope"`
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Levels     []string `json:"levels"`
	APIName    string   `json:"api_name,omitempty"`
	Aliases    []string `json:"aliases,omitempty"`
	Confidence string   `json:"confidence"`
	Note       string   `json:"note,omitempty"`
}

// Tools is the report of permissions tools: a table, or json.
var Tools = &Kind[*ToolList]{Name: "permissions tools", formats: map[string]func(io.Writer, *ToolList, Options) error{
	"text": toolsText,
	"json": func(w io.Writer, l *ToolList, _ Options) error {
		out := struct {
			CatalogVersion string     `json:"catalog_version"`
			Tools          []toolJSON `json:"tools"`
		}{CatalogVersion: l.Catalog.Version, Tools: []toolJSON{}}
		for _, scope := range l.Scopes {
			for _, t := range l.Catalog.Tools(scope) {
				levels := make([]string, len(t.Levels))
				for i, lv := range t.Levels {
					levels[i] = lv.String()
				}
				out.Tools = append(out.Tools, toolJSON{Scope: t.Scope, Key: t.Key, Name: t.Name, Levels: levels,
					APIName: t.APIName, Aliases: t.Aliases, Confidence: t.Confidence, Note: t.Note})
			}
		}
		return writeJSON(w, out)
	},
}}

func toolsText(w io.Writer, l *ToolList, _ Options) error {
	fmt.Fprintf(w, "Tool catalogue %s (CONFIDENCE of the key: confirmed-api, confirmed-manifest, strong, medium, weak, unknown = a guess from the name)\n\n", l.Catalog.Version)
	tw := newTable(w)
	fmt.Fprintf(tw, "SCOPE\tKEY\tNAME\tLEVELS\tCONFIDENCE\tALSO\n")
	for _, scope := range l.Scopes {
		for _, t := range l.Catalog.Tools(scope) {
			var also []string
			if len(t.Aliases) > 0 {
				also = append(also, "aliases: "+strings.Join(t.Aliases, ", "))
			}
			if t.APIName != "" {
				also = append(also, "API name: "+t.APIName)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Scope, t.Key, t.Name, t.LevelList(), t.Confidence, strings.Join(also, "; "))
		}
	}
	return tw.Flush()
}

// Grants is the result of permissions show: a manifest's service account
// grants (JSON: {"path", "schema_version", "catalog_version",
// "permissions"}).
type Grants struct {
	Path           string  `json:"path"`
	SchemaVersion  string  `json:"schema_version"`
	CatalogVersion string  `json:"catalog_version"`
	Permissions    []Grant `json:"permissions"`
	// ServiceAccounts are the pointers of the client_credentials
	// instances (more than one is MC201: text and markdown then name the
	// instance of each grant).
	ServiceAccounts []string `json:"-"`
}

// Grant is one declared tool level.
type Grant struct {
	Scope   string  `json:"scope"`
	Tool    string  `json:"tool"`
	Name    *string `json:"name"`  // display name, null for an unknown tool
	Level   *string `json:"level"` // manifest spelling, null when not a level
	Written string  `json:"written"`
	Pointer string  `json:"pointer"`
	// Instance is the data connector (the oauth instance, or
	// /permissions): the pointer names it in JSON.
	Instance string `json:"-"`
}

// DeclaredGrants lists the service account's grants of app in file
// order, company first; for a duplicate key only the effective (last)
// one. A 3.x file with several client_credentials instances (MC201) has
// the grants of each, instance by instance: none is hidden. path names the
// manifest as given on the command line.
func DeclaredGrants(path string, app *manifest.App, cat *permissions.Catalog) *Grants {
	g := &Grants{Path: path, SchemaVersion: string(app.Version), CatalogVersion: cat.Version, Permissions: []Grant{}}
	for ci := range app.Connectors {
		conn := &app.Connectors[ci]
		if !conn.ServiceAccount {
			continue
		}
		g.ServiceAccounts = append(g.ServiceAccounts, conn.Pointer)
		for _, sc := range conn.Permissions.Scopes() {
			for i, gr := range sc.Grants {
				if sc.Node.Member(gr.Tool) != i {
					continue
				}
				sg := Grant{Scope: gr.Scope, Tool: gr.Tool, Pointer: gr.Pointer, Written: string(app.Doc.Text(gr.Node)),
					Instance: conn.Pointer}
				if gr.Node.IsString() {
					sg.Written = gr.Level
					if l, err := permissions.ParseLevel(gr.Level); err == nil {
						s := l.String()
						sg.Level = &s
					}
				}
				if t := cat.Lookup(gr.Scope, gr.Tool); t != nil {
					name := t.Name
					sg.Name = &name
				}
				g.Permissions = append(g.Permissions, sg)
			}
		}
	}
	return g
}

// PermissionsShow is the report of permissions show: a table, json, or a
// Markdown table for pull-request descriptions.
var PermissionsShow = &Kind[*Grants]{Name: "permissions show", formats: map[string]func(io.Writer, *Grants, Options) error{
	"text": func(w io.Writer, g *Grants, _ Options) error {
		if len(g.Permissions) == 0 {
			_, err := fmt.Fprintf(w, "%s: no service account permissions declared\n", g.Path)
			return err
		}
		multi := len(g.ServiceAccounts) > 1
		tw := newTable(w)
		if multi {
			fmt.Fprintf(tw, "INSTANCE\t")
		}
		fmt.Fprintf(tw, "SCOPE\tTOOL\tNAME\tLEVEL\n")
		for _, gr := range g.Permissions {
			if multi {
				fmt.Fprintf(tw, "%s\t", gr.Instance)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", gr.Scope, gr.Tool, nameOr(gr.Name, "(unknown tool)"), levelText(gr))
		}
		return tw.Flush()
	},
	"json": func(w io.Writer, g *Grants, _ Options) error { return writeJSON(w, g) },
	"markdown": func(w io.Writer, g *Grants, _ Options) error {
		var b strings.Builder
		if len(g.Permissions) == 0 {
			b.WriteString("_No service account permissions declared._\n")
			return writeString(w, b.String())
		}
		multi := len(g.ServiceAccounts) > 1
		if multi {
			b.WriteString("| Instance | Scope | Tool | Name | Level |\n")
			b.WriteString("| --- | --- | --- | --- | --- |\n")
		} else {
			b.WriteString("| Scope | Tool | Name | Level |\n")
			b.WriteString("| --- | --- | --- | --- |\n")
		}
		for _, gr := range g.Permissions {
			if multi {
				b.WriteString("| " + markdownCode(gr.Instance) + " ")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", gr.Scope, markdownCode(gr.Tool),
				markdownCell(nameOr(gr.Name, "(unknown tool)")), markdownCell(levelText(gr)))
		}
		return writeString(w, b.String())
	},
}}

func nameOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// levelText is the level in the manifest spelling, with the spelling as
// written when it differs or is not a level.
func levelText(g Grant) string {
	switch {
	case g.Level == nil:
		return fmt.Sprintf("%s (not a level)", g.Written)
	case *g.Level != g.Written:
		return fmt.Sprintf("%s (written %q)", *g.Level, g.Written)
	}
	return *g.Level
}

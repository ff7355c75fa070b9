package manifest

import (
	"bytes"
	"strings"
)

// RuleNotManifest is the rule of a file named on the command line that is
// JSON but not an App Manifest (a package.json, a web app manifest, a
// browser extension's manifest.json).
const RuleNotManifest = "MC008"

// markers are the top-level members that make a JSON object an App
// Manifest (DESIGN §4 "What is a manifest"); an object "permissions" with
// "company" or "project" is one too.
var markers = []string{"schema_version", "app_manifest", "components", "post_installation_instruction", "fullscreen", "sidepanel"}

// IsAppManifest reports whether root is an App Manifest: a JSON object
// with at least one of schema_version, app_manifest, components,
// post_installation_instruction, fullscreen, sidepanel, or an object
// permissions with company or project; and not a browser-extension
// manifest (manifest_version).
func IsAppManifest(root *Node) bool {
	if !root.IsObject() || root.Has("manifest_version") {
		return false
	}
	for _, m := range markers {
		if root.Has(m) {
			return true
		}
	}
	p := root.Get("permissions")
	return p.IsObject() && (p.Has("company") || p.Has("project"))
}

// NotAppManifest returns the finding for a parsed document that is not an
// App Manifest (IsAppManifest is false; doc.Root is not nil), at the top
// of the file: it says why,
// and what the file looks like when that is clear.
func NotAppManifest(doc *Document) Diagnostic {
	root := doc.Root
	var msg string
	switch {
	case !root.IsObject():
		msg = "not an App Manifest: a manifest is a JSON object, this file holds " + root.Kind.WithArticle()
	case root.Has("manifest_version"):
		msg = `not an App Manifest: "manifest_version" marks a browser-extension manifest`
	default:
		msg = "not an App Manifest: it has none of schema_version, app_manifest, components, " +
			"post_installation_instruction, fullscreen, sidepanel or permissions with company or project"
		if like := lookalike(root); like != "" {
			msg += " (it looks like " + like + ")"
		}
	}
	return doc.DiagRule(RuleNotManifest, "", msg)
}

// lookalike names the kind of JSON file root seems to be, or "".
func lookalike(root *Node) string {
	switch {
	case root.Has("compilerOptions") || root.Has("extends") && root.Has("include"):
		return "a TypeScript configuration"
	case root.Has("start_url") || root.Has("icons") || root.Has("display") && root.Has("name"):
		return "a web app manifest"
	case root.Has("dependencies") || root.Has("devDependencies") || root.Has("scripts") && root.Has("name"):
		return "a package.json"
	case root.Has("views") && len(root.Members) == 1:
		return "a fragment of a manifest: a whole manifest has schema_version and app_manifest"
	}
	return ""
}

// LooksLikeAppManifest reports whether src, a file that is not valid
// JSON, names a member that marks an App Manifest (a quoted
// "schema_version", "app_manifest", "components",
// "post_installation_instruction", "fullscreen" or "sidepanel" followed
// by a colon) and no "manifest_version". A directory walk uses it to
// report a broken manifest, and to skip a broken file of another kind
// (a tsconfig.json with comments).
func LooksLikeAppManifest(src []byte) bool {
	if hasKey(src, "manifest_version") {
		return false
	}
	for _, m := range markers {
		if hasKey(src, m) {
			return true
		}
	}
	return false
}

// hasKey reports whether src holds "key" followed by optional white space
// and a colon.
func hasKey(src []byte, key string) bool {
	q := []byte(`"` + key + `"`)
	for rest := src; ; {
		i := bytes.Index(rest, q)
		if i < 0 {
			return false
		}
		rest = rest[i+len(q):]
		if after := strings.TrimLeft(string(rest[:min(len(rest), 64)]), " \t\r\n"); strings.HasPrefix(after, ":") {
			return true
		}
	}
}

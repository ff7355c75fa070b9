package manifest

import (
	"fmt"
	"strings"
)

// SchemaVersion is the normalised App Manifest schema version of a document.
type SchemaVersion string

// The schema families manifestctl understands.
const (
	V3  SchemaVersion = "3"   // 3.x, including legacy files with no schema_version
	V41 SchemaVersion = "4.1" // 4.1
)

// RuleSchemaVersion is the rule ID for an unknown or missing schema version.
const RuleSchemaVersion = "MC010"

// Family returns "3" for every 3.x version and "4.1" for 4.1.
func (v SchemaVersion) Family() SchemaVersion {
	if v == V41 {
		return V41
	}
	if v == V3 || strings.HasPrefix(string(v), "3.") {
		return V3
	}
	return v
}

// KnownSchemaVersions lists the schema_version values manifestctl accepts.
var KnownSchemaVersions = []string{"3", "3.0", "3.1", "3.2", "4.1"}

// ParseSchemaVersion checks a schema_version value (or a --schema-version
// flag) and returns it. It accepts "3", "3.0" to "3.2" and "4.1".
func ParseSchemaVersion(s string) (SchemaVersion, error) {
	switch s {
	case "3", "3.0", "3.1", "3.2", "4.1":
		return SchemaVersion(s), nil
	}
	return "", fmt.Errorf("unknown schema version %q (want one of %s)", s, strings.Join(KnownSchemaVersions, ", "))
}

// DetectSchemaVersion decides the schema version of a parsed document.
// A legacy 3.x manifest has no schema_version and is recognised by
// components. It returns "" and a diagnostic when the version is unknown.
func DetectSchemaVersion(doc *Document) (SchemaVersion, *Diagnostic) {
	root := doc.Root
	if !root.IsObject() {
		return "", nil // the schema reports the wrong top-level type
	}
	sv := root.Get("schema_version")
	if sv == nil {
		// Legacy 3.x files carry components; a file with neither is judged
		// by its shape: 4.1 members mean 4.1, else 3.x.
		if root.Has("fullscreen") || root.Has("sidepanel") || root.Has("permissions") {
			d := doc.DiagRule(RuleSchemaVersion, "",
				`missing "schema_version": the file has 4.1 members (fullscreen, sidepanel or permissions); add "schema_version": "4.1"`)
			return V41, &d
		}
		return V3, nil
	}
	var s string
	switch sv.Kind {
	case String:
		s = sv.Str
	case Number:
		s = sv.Str
	default:
		d := doc.DiagRule(RuleSchemaVersion, "/schema_version",
			fmt.Sprintf("schema_version must be a string such as \"4.1\", found %s", sv.Kind))
		return "", &d
	}
	v, err := ParseSchemaVersion(s)
	if err != nil {
		d := doc.DiagRule(RuleSchemaVersion, "/schema_version", err.Error())
		return "", &d
	}
	if sv.Kind == Number {
		d := doc.DiagRule(RuleSchemaVersion, "/schema_version",
			fmt.Sprintf("schema_version must be a string: write \"%s\"", s))
		return v, &d
	}
	return v, nil
}

package release

import (
	"fmt"
	"sort"
	"strings"
)

// Kind names a semantic change between two manifests. The values are the
// "kind" strings of the diff report.
type Kind string

// The change kinds Diff reports.
const (
	SchemaVersionChanged Kind = "schema_version_changed"

	PermissionAdded   Kind = "permission_added"
	PermissionRemoved Kind = "permission_removed"
	PermissionRaised  Kind = "permission_raised"
	PermissionLowered Kind = "permission_lowered"
	// PermissionChanged is a level change where one side is not a level
	// manifestctl knows ("editor"): it cannot tell an escalation from a
	// reduction, so it counts as an escalation.
	PermissionChanged Kind = "permission_changed"

	ComponentAdded   Kind = "component_added"
	ComponentRemoved Kind = "component_removed"
	ViewAdded        Kind = "view_added"
	ViewRemoved      Kind = "view_removed"

	ConfigFieldAdded       Kind = "config_field_added"
	ConfigFieldRemoved     Kind = "config_field_removed"
	ConfigFieldRequired    Kind = "config_field_required"
	ConfigFieldOptional    Kind = "config_field_optional"
	ConfigFieldTypeChanged Kind = "config_field_type_changed"

	URLChanged         Kind = "url_changed"
	DescriptionChanged Kind = "description_changed"
	LabelChanged       Kind = "label_changed"
	NotesChanged       Kind = "notes_changed"
	NameChanged        Kind = "name_changed"
	// FieldChanged is any other difference in a value: a member manifestctl
	// does not interpret (unknown fields included) added, removed or
	// changed.
	FieldChanged Kind = "field_changed"
)

// defaultPolicy is DESIGN.md section 2 written out per kind.
var defaultPolicy = map[Kind]Bump{
	// major: permission escalation, a component removed, a configuration
	// field made required or removed.
	PermissionAdded:        BumpMajor,
	PermissionRaised:       BumpMajor,
	PermissionChanged:      BumpMajor,
	ComponentRemoved:       BumpMajor,
	ViewRemoved:            BumpMajor,
	ConfigFieldRemoved:     BumpMajor,
	ConfigFieldRequired:    BumpMajor,
	ConfigFieldTypeChanged: BumpMajor,
	// minor: a component or view added, a permission lowered or removed,
	// an optional configuration field added.
	ComponentAdded:      BumpMinor,
	ViewAdded:           BumpMinor,
	PermissionLowered:   BumpMinor,
	PermissionRemoved:   BumpMinor,
	ConfigFieldAdded:    BumpMinor,
	ConfigFieldOptional: BumpMinor,
	// patch: what admins do not see as a different app.
	URLChanged:           BumpPatch,
	DescriptionChanged:   BumpPatch,
	LabelChanged:         BumpPatch,
	NotesChanged:         BumpPatch,
	NameChanged:          BumpPatch,
	SchemaVersionChanged: BumpPatch,
	FieldChanged:         BumpPatch,
}

// Kinds returns every change kind, sorted.
func Kinds() []Kind {
	out := make([]Kind, 0, len(defaultPolicy))
	for k := range defaultPolicy {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// CheckKind returns an error naming the valid kinds when s is not a change
// kind. It is the check internal/config uses for policy keys.
func CheckKind(s string) error {
	if _, ok := defaultPolicy[Kind(s)]; ok {
		return nil
	}
	names := make([]string, 0, len(defaultPolicy))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return fmt.Errorf("unknown change kind %q (want one of %s)", s, strings.Join(names, ", "))
}

// Policy maps a change kind to the bump it requires. Kinds it does not
// list use the default policy (DESIGN.md section 2), so the zero value (a
// nil map) is the default policy.
type Policy map[Kind]Bump

// DefaultPolicy returns a copy of the default policy.
func DefaultPolicy() Policy {
	p := make(Policy, len(defaultPolicy))
	for k, b := range defaultPolicy {
		p[k] = b
	}
	return p
}

// Bump returns the bump the policy requires for kind.
func (p Policy) Bump(kind Kind) Bump {
	if b, ok := p[kind]; ok {
		return b
	}
	return defaultPolicy[kind]
}

// ParsePolicy builds a policy from overrides such as a configuration
// file's {"permission_lowered": "major"}: kind names to "major", "minor",
// "patch" or "none". Kinds not listed keep their default.
func ParsePolicy(overrides map[string]string) (Policy, error) {
	p := DefaultPolicy()
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := CheckKind(k); err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		b, err := ParseBump(overrides[k])
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", k, err)
		}
		p[Kind(k)] = b
	}
	return p, nil
}

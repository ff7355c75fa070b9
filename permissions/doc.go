// Package permissions models the tool permissions a Procore app declares
// for its Developer Managed Service Account (DMSA): permission levels, the
// tool catalogue of the Permission Builder, declared permission sets read
// from a manifest, and their comparison and diff.
//
// Levels are ordered None < ReadOnly < Standard < Admin. ParseLevel reads
// every spelling people and the Procore API use; Level.String writes the
// manifest spelling ("none", "readonly", "standard", "admin").
//
// The catalogue is embedded data (catalog.json), parsed on first use;
// LoadTools merges a user file that adds or overrides tools.
//
// The package imports manifest and nothing else of manifestctl.
package permissions

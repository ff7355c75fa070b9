// Package config reads .manifestctl.json, the per-repository settings of
// manifestctl: rule severities (and "off"), ignores scoped to a rule and a
// JSON Pointer with a written reason, the bump policy of `diff` and
// `version check`, and extra tool catalogue files.
//
// A configuration applies to the manifests below the folder that holds
// it. Find looks for it from a manifest's folder upwards, stopping at the
// repository root (a folder that contains .git) or the filesystem root;
// Resolver does that once per folder for many manifests, or uses one file
// given on the command line.
//
// The file is read with manifest.Parse, so every problem is reported with
// its file, line and column: unknown keys, unknown rule IDs, bad
// severities and bumps are errors (the configuration is not used). An
// ignore with no reason, or one that matched no finding in a run, is a
// finding of rule MC020 instead, so it shows up where findings do.
package config

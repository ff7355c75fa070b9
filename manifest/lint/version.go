package lint

import "github.com/manifestctl/manifestctl/manifest"

// versionRules are the MC4xx rules: the app version in
// app_manifest.version. MC403 and MC404 compare two manifests, so
// `manifestctl version check` reports them, not validate.
var versionRules = []*Rule{
	{ID: "MC401", Title: "app_manifest or its version missing", Severity: manifest.SeverityInfo, Run: runMC401},
	{ID: "MC402", Title: "app version is not MAJOR.MINOR.PATCH", Severity: manifest.SeverityError, Run: runMC402},
	{ID: RuleVersionNotGreater, Title: "version not greater than the previous release", Severity: manifest.SeverityError, Builtin: true},
	{ID: RuleBumpTooSmall, Title: "version bump smaller than the changes require", Severity: manifest.SeverityError, Builtin: true},
}

// Rule IDs reported by `manifestctl version check`.
const (
	// RuleVersionNotGreater: the new version is not strictly greater than
	// the previous release.
	RuleVersionNotGreater = "MC403"
	// RuleBumpTooSmall: the bump from the previous version is smaller than
	// the changes between the two manifests require.
	RuleBumpTooSmall = "MC404"
)

package lint

import "github.com/manifestctl/manifestctl/manifest"

// MC403 and MC404 compare two manifests, so
// `manifestctl version check` reports them, not validate.
var (
	mc403 = &Rule{ID: RuleVersionNotGreater, Title: "version not greater than the previous release",
		Severity: manifest.SeverityError, Builtin: true}
	mc404 = &Rule{ID: RuleBumpTooSmall, Title: "version bump smaller than the changes require",
		Severity: manifest.SeverityError, Builtin: true}
)

// Rule IDs reported by `manifestctl version check`.
const (
	// RuleVersionNotGreater: the new version is not strictly greater than
	// the previous release.
	RuleVersionNotGreater = "MC403"
	// RuleBumpTooSmall: the bump from the previous version is smaller than
	// the changes between the two manifests require.
	RuleBumpTooSmall = "MC404"
)

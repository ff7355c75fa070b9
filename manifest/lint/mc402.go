package lint

import (
	"fmt"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// RuleVersionFormat is the ID of MC402, also reported by `manifestctl
// version check`.
const RuleVersionFormat = "MC402"

var mc402 = &Rule{ID: RuleVersionFormat, Title: "app version is not MAJOR.MINOR.PATCH", Severity: manifest.SeverityError, Run: runMC402}

// runMC402 reports an app version the Developer Portal would refuse. With
// Options.AllowPrerelease, pre-release and build suffixes are accepted.
// A version that is not a string is the schema's business.
func runMC402(p *Pass) {
	n := p.App.AppVersion
	if !n.IsString() {
		return
	}
	s := n.Str
	if manifest.IsReleaseVersion(s) || (p.Options.AllowPrerelease && manifest.IsSemanticVersion(s)) {
		return
	}
	p.Report("/app_manifest/version", versionMessage(s, p.Options.AllowPrerelease))
}

func versionMessage(s string, allowPrerelease bool) string {
	const portal = `the Developer Portal accepts only MAJOR.MINOR.PATCH, three integers without leading zeros such as "1.2.0"`
	if manifest.IsSemanticVersion(s) { // a suffix, and pre-releases are not allowed
		return fmt.Sprintf("version %q has a pre-release or build suffix, but %s; "+
			"use --allow-prerelease for versions you never upload", s, portal)
	}
	if rest, ok := strings.CutPrefix(s, "v"); ok && manifest.IsSemanticVersion(rest) {
		if allowPrerelease || manifest.IsReleaseVersion(rest) {
			return fmt.Sprintf("version %q starts with \"v\": write %q", s, rest)
		}
		return fmt.Sprintf("version %q starts with \"v\" and has a pre-release or build suffix, but %s", s, portal)
	}
	if allowPrerelease {
		return fmt.Sprintf("version %q is not a semantic version: write MAJOR.MINOR.PATCH, three integers without "+
			"leading zeros such as \"1.2.0\", optionally followed by a pre-release or build suffix such as \"-beta.1\"", s)
	}
	return fmt.Sprintf("version %q is not MAJOR.MINOR.PATCH: the Developer Portal accepts only three integers "+
		"without leading zeros, such as \"1.2.0\" (a pre-release suffix would also need --allow-prerelease)", s)
}

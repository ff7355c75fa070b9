package release

import (
	"fmt"

	"github.com/Masterminds/semver/v3"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

// Rule IDs of version check findings (see lint.RuleVersionNotGreater and
// lint.RuleBumpTooSmall; MC401 and MC402 are the validate rules).
const (
	RuleVersionMissing    = lint.RuleVersionMissing
	RuleVersionFormat     = lint.RuleVersionFormat
	RuleVersionNotGreater = lint.RuleVersionNotGreater
	RuleBumpTooSmall      = lint.RuleBumpTooSmall
)

// CheckOptions tune Check. The zero value is ready to use.
type CheckOptions struct {
	// AllowPrerelease accepts a new version with a pre-release or build
	// suffix (never uploaded to the Developer Portal).
	AllowPrerelease bool
}

// CheckResult is the verdict of version check.
type CheckResult struct {
	OK bool
	// Reasons are the failures, as error findings at app_manifest.version
	// of the new manifest, in rule order.
	Reasons []manifest.Diagnostic
}

// Check is the release gate: it fails when the new manifest's version is
// missing or not MAJOR.MINOR.PATCH (MC401, MC402; pre-release suffixes
// only with AllowPrerelease), not strictly greater than the old one
// (MC403), or greater by less than the changes require (MC404): the
// version must be at least the old version bumped by r.RequiredBump.
//
// When the old manifest has no version (its first versioned release) only
// the new version's form is checked. An old version that is not strict
// semver is read leniently ("1.2" is 1.2.0); when even that fails, only
// the form is checked.
func Check(r *DiffReport, newApp *manifest.App, opts CheckOptions) *CheckResult {
	res := &CheckResult{}
	fail := func(rule, msg string) {
		res.Reasons = append(res.Reasons, newApp.Doc.Diag(rule, manifest.SeverityError, "/app_manifest/version", msg))
	}
	defer func() { res.OK = len(res.Reasons) == 0 }()

	// The form of the new version: the same findings as validate.
	for _, d := range lint.RunRules(newApp, &lint.Options{AllowPrerelease: opts.AllowPrerelease},
		RuleVersionMissing, RuleVersionFormat) {
		d.Severity = manifest.SeverityError
		res.Reasons = append(res.Reasons, d)
	}
	if am := appManifestNode(newApp); am != nil && !am.IsObject() {
		// validate leaves this to the schema (MC011); the gate cannot read
		// a version from it, so it fails here.
		res.Reasons = append(res.Reasons, newApp.Doc.Diag(RuleVersionMissing, manifest.SeverityError, "/app_manifest",
			fmt.Sprintf(`app_manifest must be an object with a "version" such as {"version": "1.0.0"}, found %s; `+
				"the version cannot be read", kindPhrase(am.Kind))))
		return res
	}
	vn := newApp.AppVersion
	if vn != nil && !vn.IsString() {
		fail(RuleVersionFormat, fmt.Sprintf("app_manifest.version must be a string such as \"1.2.0\", found %s", kindPhrase(vn.Kind)))
		return res
	}
	if vn == nil {
		if len(res.Reasons) == 0 {
			// Not expected (MC401 reports a missing version), but a gate
			// must never pass without a version.
			fail(RuleVersionMissing, "the new manifest has no readable app_manifest.version")
		}
		return res
	}
	newV, err := manifest.ParseVersion(vn.Str)
	if err != nil {
		if len(res.Reasons) == 0 {
			fail(RuleVersionFormat, fmt.Sprintf("version %q cannot be read: %v", vn.Str, err))
		}
		return res
	}
	if r.OldVersion == nil {
		return res
	}
	oldV, err := semver.StrictNewVersion(*r.OldVersion)
	if err != nil {
		if oldV, err = semver.NewVersion(*r.OldVersion); err != nil {
			return res
		}
	}
	minimum, err := NextVersion(oldV, max(r.RequiredBump, BumpPatch))
	if err != nil {
		minimum = oldV
	}
	if !newV.GreaterThan(oldV) {
		why := "every release needs a higher version"
		if r.RequiredBump > BumpNone {
			why = fmt.Sprintf("the changes require a %s bump%s", r.RequiredBump, firstCause(r))
		}
		fail(RuleVersionNotGreater, fmt.Sprintf("version %q is not greater than the previous version %q: %s, so use %q or higher",
			vn.Str, *r.OldVersion, why, minimum.String()))
		return res
	}
	if r.RequiredBump == BumpNone {
		return res
	}
	if withoutSuffix(newV).LessThan(minimum) {
		got := BumpBetween(oldV, newV)
		what := fmt.Sprintf("is a %s bump from %q", got, *r.OldVersion)
		if got == BumpNone {
			what = fmt.Sprintf("keeps the numbers of %q", *r.OldVersion)
		}
		fail(RuleBumpTooSmall, fmt.Sprintf("version %q %s, but the changes require a %s bump%s: use %q or higher",
			vn.Str, what, r.RequiredBump, firstCause(r), minimum.String()))
	}
	return res
}

// appManifestNode returns the app_manifest member of the new manifest as
// written (any kind), or nil.
func appManifestNode(a *manifest.App) *manifest.Node {
	if a == nil || a.Doc == nil || a.Doc.Root == nil {
		return nil
	}
	return a.Doc.Root.Get("app_manifest")
}

// kindPhrase names a JSON kind with an article: "null", "an array", "a
// string".
func kindPhrase(k manifest.Kind) string {
	switch k {
	case manifest.Null:
		return "null"
	case manifest.Array, manifest.Object:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// firstCause names the first change that requires the report's bump:
// " (project tool rfi raised from readonly to standard, and 2 more)".
func firstCause(r *DiffReport) string {
	var first *Change
	n := 0
	for i := range r.Changes {
		if r.Changes[i].Bump == r.RequiredBump {
			if first == nil {
				first = &r.Changes[i]
			}
			n++
		}
	}
	switch {
	case first == nil:
		return ""
	case n == 1:
		return " (" + first.Message + ")"
	case n == 2:
		return " (" + first.Message + ", and 1 more)"
	}
	return fmt.Sprintf(" (%s, and %d more)", first.Message, n-1)
}

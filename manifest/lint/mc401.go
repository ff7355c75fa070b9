package lint

import "github.com/manifestctl/manifestctl/manifest"

// RuleVersionMissing is the ID of MC401, also reported by `manifestctl
// version check`.
const RuleVersionMissing = "MC401"

var mc401 = &Rule{ID: RuleVersionMissing, Title: "app_manifest or its version missing", Severity: manifest.SeverityInfo, Run: runMC401}

// runMC401 notes a missing app_manifest or app_manifest.version. Neither
// is required by Procore (the portal generates the id and name), but the
// version commands read and write app_manifest.version.
func runMC401(p *Pass) {
	switch {
	case !p.Doc.Root.Has("app_manifest"):
		p.Report("", `"app_manifest" is missing: the Developer Portal generates its id and name, `+
			`but manifestctl's version commands need "app_manifest": {"version": "1.0.0"}`)
	case p.App.AppManifest == nil:
		// Not an object: the schema reports it.
	case p.App.AppVersion == nil:
		p.Report("/app_manifest", `app_manifest has no "version": the Developer Portal generates the id and name, `+
			`but manifestctl's version commands need "version": "MAJOR.MINOR.PATCH", such as "1.0.0"`)
	}
}

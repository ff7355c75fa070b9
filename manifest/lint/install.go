package lint

import "github.com/manifestctl/manifestctl/manifest"

// installRules are the MC3xx rules: the post-installation instruction shown
// to the admin who installs the app.
var installRules = []*Rule{
	{ID: "MC301", Title: "post-installation notes missing or empty", Severity: manifest.SeverityWarning, Run: runMC301},
	{ID: "MC302", Title: "setup instructions page or its label missing", Severity: manifest.SeverityWarning, Run: runMC302},
	{ID: "MC303", Title: "post-installation notes are a template placeholder", Severity: manifest.SeverityWarning, Run: runMC303},
}

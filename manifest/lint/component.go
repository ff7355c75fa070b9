package lint

import "github.com/manifestctl/manifestctl/manifest"

// componentRules are the MC2xx rules: data connection, full-screen and side
// panel components, their URL templates and configuration.
var componentRules = []*Rule{
	{ID: "MC201", Title: "more than one data connection component", Severity: manifest.SeverityError, Run: runMC201},
	{ID: "MC202", Title: "side panel component without views", Severity: manifest.SeverityError, Run: runMC202},
	{ID: "MC203", Title: "full-screen component with side panel views", Severity: manifest.SeverityError, Run: runMC203},
	{ID: "MC204", Title: "unknown variable in a URL template", Severity: manifest.SeverityError, Run: runMC204},
	{ID: "MC205", Title: "required configuration property unused in the URL", Severity: manifest.SeverityWarning, Run: runMC205},
	{ID: "MC206", Title: "two components share a uuid", Severity: manifest.SeverityError, Run: runMC206},
	{ID: "MC207", Title: "unknown side panel view key", Severity: manifest.SeverityWarning, Run: runMC207},
	{ID: "MC208", Title: "required names an undefined configuration property", Severity: manifest.SeverityError, Run: runMC208},
}

package lint

import "github.com/manifestctl/manifestctl/manifest"

// documentRules are the MC0xx rules: the document and the schema.
var documentRules = []*Rule{
	{ID: manifest.RuleInvalidJSON, Title: "the file is not valid JSON", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleInvalidUTF8, Title: "the file is not valid UTF-8", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleEmptyFile, Title: "the file is empty", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleByteOrder, Title: "the file starts with a byte-order mark", Severity: manifest.SeverityWarning, Builtin: true},
	{ID: manifest.RuleDuplicateKey, Title: "an object has the same key twice", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleLimit, Title: "the file is too large or too deeply nested", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleNumberRange, Title: "a number does not fit in a 64-bit float", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleNotManifest, Title: "the file is JSON but not an App Manifest", Severity: manifest.SeverityError, Builtin: true},
	{ID: manifest.RuleSchemaVersion, Title: "schema_version is missing or unknown", Severity: manifest.SeverityError, Builtin: true},
	{ID: RuleSchema, Title: "the manifest does not match the App Manifest schema", Severity: manifest.SeverityError, Builtin: true},
	{ID: "MC012", Title: "a URL uses plain http instead of https", Severity: manifest.SeverityError, Run: runMC012},
	{ID: "MC013", Title: "a top-level member belongs to the other schema version", Severity: manifest.SeverityWarning, Run: runMC013},
	// MC020 is reported by internal/config about .manifestctl.json itself.
	{ID: "MC020", Title: "an ignore in .manifestctl.json is unused or has no reason", Severity: manifest.SeverityWarning, Builtin: true},
}

// RuleSchema is the rule ID of schema violations reported by package schema.
const RuleSchema = "MC011"

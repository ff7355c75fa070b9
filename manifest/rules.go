package manifest

// RuleSchema is the rule of a document that does not match the App
// Manifest schema: reported by package schema, and by Load for a JSON
// value that is not an object.
const RuleSchema = "MC011"

// RuleInfo is a rule's identity: its ID, its title (one lowercase line)
// and its default severity.
type RuleInfo struct {
	ID       string
	Title    string
	Severity Severity
}

// builtinRules are the rules reported by this package (the parser, the
// version detection, Load) and by package schema, declared once: the
// emitters take their severity from here, and package lint registers them
// in its catalogue with these titles.
var builtinRules = [...]RuleInfo{
	{RuleInvalidJSON, "the file is not valid JSON", SeverityError},
	{RuleInvalidUTF8, "the file is not valid UTF-8", SeverityError},
	{RuleEmptyFile, "the file is empty", SeverityError},
	{RuleByteOrder, "the file starts with a byte-order mark", SeverityWarning},
	{RuleDuplicateKey, "an object has the same key twice", SeverityError},
	{RuleLimit, "the file is too large or too deeply nested", SeverityError},
	{RuleNumberRange, "a number does not fit in a 64-bit float", SeverityError},
	{RuleNotManifest, "the file is JSON but not an App Manifest", SeverityError},
	{RuleSchemaVersion, "schema_version is missing or unknown", SeverityError},
	{RuleSchema, "the manifest does not match the App Manifest schema", SeverityError},
}

// BuiltinRules returns the identity of the rules that packages manifest
// and schema report themselves. The slice is a copy.
func BuiltinRules() []RuleInfo { return append([]RuleInfo(nil), builtinRules[:]...) }

// builtinSeverity returns the default severity of a built-in rule.
func builtinSeverity(id string) Severity {
	for _, r := range builtinRules {
		if r.ID == id {
			return r.Severity
		}
	}
	panic("manifest: " + id + " is not a built-in rule")
}

// DiagRule is Diag for a built-in rule (BuiltinRules), with its default
// severity.
func (d *Document) DiagRule(rule, pointer, msg string) Diagnostic {
	return d.Diag(rule, builtinSeverity(rule), pointer, msg)
}

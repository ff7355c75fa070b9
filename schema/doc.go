// Package schema embeds the JSON Schemas of App Manifest 3.x and 4.1 and
// validates parsed manifests against them, turning the validator's nested
// errors into one manifest.Diagnostic (rule MC011) per problem, placed at
// the offending value.
package schema

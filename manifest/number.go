package manifest

import "encoding/json"

// jsonNumber returns the literal as a json.Number, the form
// jsonschema expects after decoding with UseNumber.
func jsonNumber(s string) json.Number { return json.Number(s) }

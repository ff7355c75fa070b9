// Package schema embeds the JSON Schemas of App Manifest 3.x and 4.1 and
// validates parsed manifests against them, reporting one
// manifest.Diagnostic (rule MC011) per problem, placed at the offending
// value.
//
// The embedded files v3.json and v41.json are the single source of truth
// (manifestctl schema prints them for editors and other validators), but
// package schema does not hand them to a general JSON Schema library.
// It interprets them itself: on first use, and once, each file is parsed
// with manifest.Parse and compiled into a small tree holding exactly the
// keywords the two files use (type, properties, required, items,
// additionalProperties, enum, const, pattern with x-pattern-message, $ref,
// anyOf, oneOf and annotations); any other keyword makes compilation fail,
// and a test pins that, so a schema edit can never be silently ignored.
// Validation walks the *manifest.Node tree directly. A general validator
// (santhosh-tekuri/jsonschema/v5, used until then) compiled its
// meta-schemas at every process start (about 3 ms and 1 MB, the largest
// start-up cost), needed a map[string]any copy of every file, and built an
// error tree that had to be mapped back to messages; the native validator
// costs nothing at start-up, compiles a schema in a fraction of a
// millisecond and allocates nothing for a valid file. jsonschema/v5 stays
// as the oracle in tests only: the previous implementation is frozen in
// oracle_test.go, and a differential test and fuzz test
// (FuzzNativeMatchesJSONSchema) check that both give the same diagnostics
// on every manifest under testdata, mutations of them and any fuzzed input.
package schema

// Package manifest is the document model of a Procore App Manifest.
//
// Parse reads JSON into an ordered tree of Nodes that keeps every member,
// known or not, in its original order and remembers the byte span of every
// key and value, so that any RFC 6901 JSON Pointer maps back to a line and
// column in the file as written, and edits can splice the original bytes
// without disturbing anything else (see Edit).
//
// On top of the tree, View gives one normalised picture of a manifest
// whatever its schema version (3.x or 4.1): data connector components (User
// Level Authentication and Service Account Authentication with its declared
// permissions), embedded components (fullscreen and side panel), and the
// post-installation instruction. Rules, init, diff and the audit use the
// view and never branch on the file format.
//
// Problems with the input are Diagnostics, never panics or errors: an error
// from this package means the tool itself could not do its job.
package manifest

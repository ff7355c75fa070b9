// Package audit compares what a Developer Managed Service Account (DMSA)
// can really reach in Procore with what an App Manifest declares
// (DESIGN.md section 4, "audit").
//
// The engine talks to Procore through the API interface, defined here with
// its own small types, so that it knows nothing about HTTP: the command
// line adapts the REST client to it, and tests use an in-memory fake.
// Remote errors are inspected only through RemoteError (errors.As).
//
// Run audits each company: the company tools' actual levels, the permitted
// projects (active only unless IncludeInactive), and each project's tools,
// compared tool by tool with the declared set. It makes exactly the calls
// DESIGN lists and no more, at most Concurrency at once for a company, and
// returns a Report whose JSON encoding is the wire shape of DESIGN.md. A
// failure in one project goes into Report.Errors and the rest goes on; a
// cancelled context returns what was finished.
//
// The package does no work at initialisation.
package audit

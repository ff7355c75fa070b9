// Package sandbox is a local fake of the Procore endpoints manifestctl
// uses: the login host's OAuth endpoints (token, token info, the
// installed-app authorize page) and the REST API's companies, me,
// projects, settings/permissions, project tools and app installations.
//
// It enforces what Procore enforces, as documented in procore-facts.md:
// bearer tokens that expire, single-use refresh tokens and authorization
// codes, the Procore-Company-Id header, per-company rate limits for
// service-account (DMSA) tokens with X-Rate-Limit-* headers and 429s, and
// 403 for a company the app is not installed in. A Scenario (JSON,
// documented in docs/sandbox.md) describes the clients, users, companies,
// projects, the DMSA's levels per tool, and faults to inject.
//
// The package shares no code with the client in internal/procore, so the
// fake cannot share the client's misunderstandings. It never echoes a
// request body, a credential or a token in a response or a log line.
package sandbox

// Package procore is manifestctl's REST client for Procore's API: OAuth 2.0
// (client credentials, a given token, or a stored authorization-code
// login), the Procore-Company-Id header, Link pagination, and Procore's
// per-company rate limits.
//
// Every request goes through one transport stack, outermost first:
//
//   - authentication: a cached token (fetched once, reused until shortly
//     before it expires), one fresh token and one retry on a 401;
//   - pacing and retries: one rate-limit state per Procore-Company-Id,
//     waits computed from the response's Date header, 429/503/5xx/408 and
//     network errors retried within bounds (GET only), a reset beyond the
//     run's deadline reported as a *RateLimitError instead of slept;
//   - a guard that refuses, before the network, any method but GET (POST
//     only to the token URL), any host but the login and API hosts, and
//     plain http except on loopback;
//   - a counter: Client.Requests reports every request that reached the
//     network.
//
// Redirects are never followed, so a bearer token never travels to another
// host. No error, log line or formatted value carries the client secret or
// a token: they are held as Secret, which prints "[REDACTED]".
//
// The package does no work at init time: nothing is compiled or allocated
// before NewClient is called.
package procore

// Package console is the Billing console: the module's screens (Settings with the API
// tokens, Payees, Clients, Templates with a live split preview, Contracts with their
// installments — the Mark-as-paid modal, an installment's change and re-issue, and
// cancellation —, the Payout report, Payouts recorded and their Void,
// Reconciliations and their reports, Audit trail, Webhook events, Bills) served by
// `billing api` under /console/ from html/template pages and static files embedded in
// the binary.
//
// One business logic, two front doors: the console has no rules of its own. Every
// page is rendered from answers of the REST API and every form is posted to it, in
// process: a handler builds an ordinary request and passes it to the API's
// http.Handler with the signed-in user's API token attached to the request context
// (api.WithTokenHash). Validation, idempotency, audit, account isolation and the
// contract actions (through the workflow) are therefore the API's own; a 404 for
// another account's id, a 409 or a 422 with field-level errors reach the page as the
// API answered them, and the errors are shown next to the form fields they name.
// The console only converts between what people type and read (R$ 1.234,56,
// dd/mm/aaaa) and the API's plain forms, and uses two pure domain functions for
// previews (domain.Schedule for a new contract's installments before saving).
//
// Sign-in is with an API token (`billing accounts create` or `billing tokens create`
// print one; `make run` prints the demo account's). The session lives in PostgreSQL
// (console_sessions: the SHA-256 of a random session id, the API token it was opened
// with, an expiry); the cookie carries only the session id, HttpOnly, SameSite=Strict
// and Secure behind TLS. Every form carries the session's CSRF token. Every answer has
// a strict Content-Security-Policy: the pages use no inline script or style; the
// progressive enhancements (modal, live previews, progress) are in static/console.js.
package console

// Package e2e holds end-to-end tests: the API, the worker, a real Temporal dev
// server, the real PostgreSQL and the Asaas simulator, wired as in production.
package e2e

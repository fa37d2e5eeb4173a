// Package webhooks ingests Asaas webhook deliveries: it stores each one, routes
// it by its charge's externalReference and signals the contract workflow named
// there (contract/<id>), or applies it right away (bill events) or records why
// nothing is to be done. A delivery is acknowledged only once it can no longer
// be lost: Temporal took the signal, or the row is durably queued for the relay,
// which signals it later. docs/architecture.md ("Webhook ingestion") draws the
// path and explains the choices.
package webhooks

// Package asaas is a typed client for the Asaas v3 REST API (the Brazilian
// payment gateway) and the parser of its webhook payloads.
//
// The types follow what the real sandbox returns (see testdata/, copied from
// the captures in asaas-sandbox-captures): money and percentages are decimals
// that travel as plain JSON numbers ([Number]), dates are "YYYY-MM-DD"
// ([Date], zero = null), and a key Asaas sometimes omits and sometimes sends as
// null is an [Optional] so that re-encoding a decoded object gives back the
// same JSON.
//
// The client never retries on its own: callers (Temporal activities) retry,
// and [IsRetryable] tells them whether retrying can help. Asaas has no
// idempotency key, so creations that may be retried go through
// [Client.EnsurePayment] and [Client.EnsureCustomer], which look the object up
// by externalReference first.
package asaas

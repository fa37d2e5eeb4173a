// Package asaassim is a stateful simulator of the Asaas v3 API, for development,
// demos and tests without the real gateway. Its behaviour comes from real
// sandbox captures (testdata/, replayed byte for byte by capture_test.go) and
// the Asaas webhook documentation; whatever those do not show is invented and
// marked so in a comment.
//
// With Options.StateFile the state survives a restart: Open loads the file
// and every change is written back soon after (Options.StateFile says what is
// kept). Without it everything lives in memory.
//
// Asaas routes (header access_token; errors {"errors":[{code,description}]}):
//
//	POST   /v3/customers                          GET /v3/customers[/{id}]
//	POST   /v3/payments                           GET /v3/payments[/{id}]
//	DELETE /v3/payments/{id}                      POST /v3/payments/{id}/restore
//	POST   /v3/payments/{id}/receiveInCash        POST /v3/payments/{id}/undoReceivedInCash
//	POST   /v3/payments/{id}/refund {value?}      GET /v3/payments/{id}/pixQrCode
//	GET    /v3/payments/{id}/identificationField  PUT /v3/payments/{id} {value?, dueDate?}
//	POST   /v3/installments                       GET /v3/installments/{id}[/payments]
//	POST   /v3/paymentLinks                       GET /v3/paymentLinks/{id}
//	POST   /v3/transfers                          GET /v3/transfers/{id}
//	GET    /v3/finance/balance                    GET /v3/bill/{id}
//	GET    /v3/webhooks                           GET|PUT /v3/webhooks/{id}
//
// The webhook resource is the account's one delivery queue: interrupted is
// true while it is paused (15 consecutive failures, or paused on demand),
// penalizedRequestsCount is its consecutive failures, and PUT {"interrupted":
// false} resumes it. Events wait at most 14 days (simulator clock) in a
// paused queue.
//
// Control routes (no auth; each is also a Server method):
//
//	GET  /_sim/health
//	POST /_sim/accounts {name, apiKey?, walletId?, webhook?}   GET /_sim/accounts[/{id}]
//	PUT  /_sim/accounts/{id}/webhook {url, authToken, enabled, name?, email?, events?}   GET same
//	POST /_sim/accounts/{id}/webhook/pause                     POST /_sim/accounts/{id}/webhook/resume
//	GET|PUT /_sim/accounts/{id}/webhook/faults {lossRate|null} GET /_sim/accounts/{id}/deliveries
//	POST /_sim/payments/{id}/pay {billingType?, value?, date?}   (no value: what the charge asks on date, charge_terms.go)
//	POST /_sim/payments/{id}/settle {date?}     POST /_sim/payments/{id}/overdue
//	POST /_sim/payments/{id}/refund             POST /_sim/payments/{id}/chargeback {reason?}
//	POST /_sim/payments/{id}/chargeback/dispute POST /_sim/payments/{id}/chargeback/resolve {won}
//	POST /_sim/payments/{id}/chargeback/reversal
//	POST /_sim/payments/{id}/partial-refund {value, description?}   POST /_sim/payments/{id}/undo-cash
//	POST /_sim/payments/{id}/refund-in-progress  POST /_sim/payments/{id}/refund-outcome {done}
//	POST /_sim/payments/{id}/split-status {walletId?, status: REFUSED|CANCELLED, refusalReason?}
//	POST /_sim/payments/{id}/refuse-updates {refuse}
//	POST /_sim/paymentLinks/{id}/pay {customer?, billingType?, value?, date?}
//	POST /_sim/bills {accountId, value, ...}    POST /_sim/bills/{id}/status {status, failReasons?}
//	POST /_sim/transfers/{id}/status {status, failReason?}
//	POST /_sim/tick                             GET|PUT /_sim/faults {failRate, timeoutRate, timeoutDelay, lossRate}
//
// lossRate is the share of webhook events lost for good (status "lost" in the
// deliveries, never sent; GET /v3/payments/{id} stays the truth); an account's
// own rate (webhook/faults) wins over the global one, null clears it. PUT
// /_sim/faults replaces every rate (a field not sent is 0).
package asaassim

package metrics

// PaymentOrigins are where an applied payment came from, as PaymentApplied counts
// them.
var PaymentOrigins = []string{
	"gateway",    // an Asaas webhook event
	"manual",     // mark paid (API or console)
	"reconciled", // found by reconciliation: the webhook never came
}

var paymentsApplied = zeroed(counterVec("billing_payments_applied_total",
	"Installment payments applied, by origin (gateway: an Asaas event; manual: mark paid; reconciled: found by reconciliation).",
	"origin"), PaymentOrigins...)

// PaymentApplied counts one installment payment applied (committed), by origin (one
// of PaymentOrigins).
func PaymentApplied(origin string) { paymentsApplied.WithLabelValues(origin).Inc() }

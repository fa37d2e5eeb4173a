package metrics

// ReconciliationKinds are what reconciliation repairs: the state Asaas has that
// billing had missed.
var ReconciliationKinds = []string{"paid", "deleted", "restored", "refunded", "overdue"}

var (
	reconciliationRepairs = zeroed(counterVec("billing_reconciliation_repairs_total",
		"Differences with Asaas that reconciliation repaired (an event billing missed), by kind.",
		"kind"), ReconciliationKinds...)
	reconciliationMismatches = zeroed(counterVec("billing_reconciliation_mismatches_total",
		"Differences with Asaas that reconciliation could not repair on its own (a person must look), by kind.",
		"kind"), ReconciliationKinds...)
)

// ReconciliationRepair counts one difference with Asaas that reconciliation
// repaired (kind: one of ReconciliationKinds).
func ReconciliationRepair(kind string) { reconciliationRepairs.WithLabelValues(kind).Inc() }

// ReconciliationMismatch counts one difference reconciliation left for a person.
func ReconciliationMismatch(kind string) { reconciliationMismatches.WithLabelValues(kind).Inc() }

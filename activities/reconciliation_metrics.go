package activities

import "billing/asaas"

// What the queue watch and reconciliation report to Prometheus (the metrics
// package: queue health per account, repairs and mismatches by kind). Each
// report is made once per recorded fact: a retried activity that finds its
// write done reports nothing again.

// reportQueueHealth is the account's queue health as last read from Asaas.
func reportQueueHealth(account string, enabled, interrupted bool, penalized int) {
	// TODO(metrics): metrics.QueueHealth(account, enabled, interrupted, penalized)
}

// countFindings counts a contract's recorded repairs and mismatches.
func countFindings(answer ContractReconcileAnswer) {
	for _, r := range answer.Repairs {
		countRepair(RepairKind(r.Event))
	}
	for _, m := range answer.Mismatches {
		countMismatch(MismatchKind(m.Detail))
	}
}

func countRepair(kind string) {
	// TODO(metrics): metrics.ReconciliationRepair(kind)
}

func countMismatch(kind string) {
	// TODO(metrics): metrics.ReconciliationMismatch(kind)
}

// RepairKind is the metrics kind of a repair (metrics.ReconciliationKinds):
// what the contract took from Asaas, by the event it stands for.
func RepairKind(event string) string {
	switch event {
	case asaas.EventPaymentConfirmed, asaas.EventPaymentReceived, asaas.EventPaymentDunningReceived, "PAYMENT_RECEIVED_IN_CASH":
		return "paid"
	case asaas.EventPaymentDeleted, asaas.EventPaymentCreated: // a deleted charge; a stray charge of ours retired
		return "deleted"
	case asaas.EventPaymentRestored:
		return "restored"
	case asaas.EventPaymentRefunded:
		return "refunded"
	case asaas.EventPaymentOverdue:
		return "overdue"
	}
	return "other"
}

// MismatchKind is the metrics kind of a mismatch. A contract's mismatches carry
// no event (workflows.Mismatch has number, payment and detail), so they are
// told apart only from a contract that could not be asked.
func MismatchKind(detail string) string {
	if detail == NoRunningWorkflow {
		return "no_workflow"
	}
	return "contract"
}

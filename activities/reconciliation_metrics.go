package activities

import "billing/metrics"

// What the queue watch and reconciliation runs report to Prometheus. A
// contract's repairs and mismatches are counted where the contract makes them
// (ApplyContractEvent, once its transaction commits), whoever asked: its own
// timer, the queue sweep or an operator's run. A run adds only what no contract
// could say: a contract it could not ask. Each is counted once per recorded
// fact: a retried activity that finds its write done counts nothing again.

// reportQueueHealth is the account's queue health as last read from Asaas.
func reportQueueHealth(account string, enabled, interrupted bool, penalized int) {
	metrics.QueueHealth(account, enabled, interrupted, penalized)
}

// countUnasked counts the mismatches of a contract the run could not ask.
func countUnasked(status string, answer ContractReconcileAnswer) {
	if status != "failed" {
		return
	}
	for _, m := range answer.Mismatches {
		metrics.ReconciliationMismatch(MismatchKind(m.Detail))
	}
}

// MismatchKind is the metrics kind of a contract a run could not ask: its
// workflow is not running, or it did not answer.
func MismatchKind(detail string) string {
	if detail == NoRunningWorkflow {
		return "no_workflow"
	}
	return "unanswered"
}

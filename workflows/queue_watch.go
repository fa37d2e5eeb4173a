package workflows

import "time"

// The public contract of the queue watch (docs/architecture.md,
// "Reconciliation of an account"): a Temporal Schedule per account with Asaas settings,
// QueueWatchScheduleID, runs QueueWatchWorkflow every QUEUE_WATCH_EVERY. It
// reads the account's webhook queue at Asaas, records its health, reactivates
// an interrupted queue when our endpoint is healthy, and sweeps the account
// (a ReconciliationWorkflow with source queue-sweep) after a reactivation or
// when the last sweep is older than QUEUE_SWEEP_EVERY.

// QueueWatchScheduleID is the account's schedule; its runs' workflow IDs start
// with it (the schedule appends the time of the run).
func QueueWatchScheduleID(accountID string) string { return "asaas-queue/" + accountID }

// QueueWatchInput is one watch of an account's queue.
type QueueWatchInput struct {
	AccountID string
	// SweepDelay: after a reactivation, how long Asaas is left to deliver what
	// the queue kept before the sweep asks it about every open installment (so
	// payments the queue still held arrive as webhooks, not as repairs). 0: at once.
	SweepDelay time.Duration `json:",omitempty"`
}

// DefaultSweepDelay is the schedule's SweepDelay.
const DefaultSweepDelay = 2 * time.Minute

// QueueWatchResult is what a watch saw and did (shown in the Temporal UI).
type QueueWatchResult struct {
	Webhooks    int      // webhooks at Asaas that deliver to us
	Interrupted []string `json:",omitempty"` // their ids, interrupted when read
	Reactivated []string `json:",omitempty"`
	// NotReactivated says why interrupted queues were left as they were.
	NotReactivated string `json:",omitempty"`
	// SweepID is the reconciliation the watch started ("" when none).
	SweepID string `json:",omitempty"`
	// Skipped says why the watch did nothing (the account has no usable Asaas
	// settings, or Asaas refuses its key).
	Skipped string `json:",omitempty"`
}

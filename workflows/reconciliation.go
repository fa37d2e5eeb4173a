package workflows

import "time"

import "billing/activities"

// The public contract of a reconciliation run (docs/architecture.md,
// "Reconciliation"): the API (POST /v1/reconciliations) and the account's queue
// watch start one after recording its row; it asks every contract of the
// account that can still take money through ReconcileUpdate and records each
// answer. Payloads carry ids and counts only.

// ReconciliationWorkflowID is the one workflow of a run.
func ReconciliationWorkflowID(reconciliationID string) string {
	return "reconciliation/" + reconciliationID
}

// Reconciliation sources: what started a run (ReconcileRequest.Source too).
const (
	SourceOnDemand   = activities.SourceOnDemand
	SourceQueueSweep = activities.SourceQueueSweep
)

// ReconciliationInput starts (or, with Planned, continues) a run.
type ReconciliationInput struct {
	AccountID        string
	ReconciliationID string
	Source           string
	// StartAfter: how long the run waits before it lists the account's
	// contracts (a sweep after a reactivation leaves Asaas time to deliver what
	// the queue kept, so those payments arrive as webhooks, not as repairs).
	StartAfter time.Duration `json:",omitempty"`
	// Planned and After are set when the run continues as new: the contracts
	// are listed, and those up to After (a contract id) have been asked.
	Planned bool   `json:",omitempty"`
	After   string `json:",omitempty"`
	Options ReconciliationOptions
}

// ReconciliationOptions tune a run; zero values mean the defaults.
type ReconciliationOptions struct {
	// Concurrency is how many contracts are asked at once (each asks Asaas
	// about its installments, a few at a time).
	Concurrency int
	// PageSize is how many contracts are read from PostgreSQL at a time.
	PageSize int
	// MaxPerRun continues as new after this many contracts, so a run over a
	// large account keeps a short history.
	MaxPerRun int
}

// Defaults for ReconciliationOptions.
const (
	DefaultReconcileConcurrency = 4
	DefaultReconcilePageSize    = 100
	DefaultReconcileMaxPerRun   = 500
)

func (o ReconciliationOptions) withDefaults() ReconciliationOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultReconcileConcurrency
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultReconcilePageSize
	}
	if o.MaxPerRun <= 0 {
		o.MaxPerRun = DefaultReconcileMaxPerRun
	}
	return o
}

// ReconciliationResult is a finished run's totals (as recorded in PostgreSQL).
type ReconciliationResult = activities.ReconciliationSummary

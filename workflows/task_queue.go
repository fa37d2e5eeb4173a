// Package workflows holds the Temporal workflows of the billing service. Each
// workflow has a small file that owns its public contract (ID, signal, update and
// query names, payload types) and a private struct with its state and run loop.
package workflows

import "go.temporal.io/sdk/worker"

// TaskQueue is the one task queue every billing workflow and activity runs on.
const TaskQueue = "billing"

// Register adds every workflow of this package to a worker.
func Register(w worker.WorkflowRegistry) {
	w.RegisterWorkflow(ContractWorkflow)
	w.RegisterWorkflow(AsaasEventWorkflow)
	w.RegisterWorkflow(QueueWatchWorkflow)
	w.RegisterWorkflow(ReconciliationWorkflow)
}

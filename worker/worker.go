// Package worker hosts the workflows and activities on the billing task queue.
package worker

import (
	"context"
	"fmt"

	"billing/activities"
	"billing/workflows"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
)

// New builds a worker with every workflow and activity registered.
func New(c client.Client, deps activities.Deps) sdkworker.Worker {
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		// More long polls than the SDK's 2 each: a payment is a chain of short
		// workflow and activity tasks, and each waits for a free poller.
		MaxConcurrentWorkflowTaskPollers: 8,
		MaxConcurrentActivityTaskPollers: 8,
	})
	workflows.Register(w)
	if deps.Temporal == nil {
		deps.Temporal = c // a reconciliation asks each contract's workflow
	}
	activities.Register(w, deps)
	return w
}

// Run starts the worker and stops it (letting running activities finish) when ctx ends.
func Run(ctx context.Context, c client.Client, deps activities.Deps) error {
	w := New(c, deps)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

package workflows

import (
	"errors"
	"slices"
	"time"

	"billing/activities"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activity options of the queue watch and the reconciliation run.

// contractUpdateActivity: ReconcileContract waits for a contract's
// ReconcileUpdate, which asks Asaas about every installment, a few at a time;
// it heartbeats while it waits. A contract that has not answered after five
// attempts (the same update each time) is recorded as unreconciled.
func contractUpdateActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        2 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        5,
			NonRetryableErrorTypes: slices.Concat(nonRetryable, []string{activities.ErrTypeContractUnreconciled}),
		},
	})
}

// watchActivity: the queue watch's calls to Asaas. Bounded: the next scheduled
// watch (QUEUE_WATCH_EVERY) tries again, so a run does not retry for long.
func watchActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    45 * time.Second,
		ScheduleToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

// healthActivity: one GET of our own /readyz (5 s), a few attempts.
func healthActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    15 * time.Second,
		ScheduleToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Second,
		},
	})
}

// failureType is the type of the innermost application error ("" when none).
func failureType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

// failureText is the innermost application error's message, without the
// activity-task wrapping Temporal adds.
func failureText(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	return err.Error()
}

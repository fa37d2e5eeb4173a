package workflows

import (
	"time"

	"billing/activities"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Error types activities fail with that no retry can fix.
const (
	ErrTypeAsaasRejected = activities.ErrTypeAsaasRejected
	ErrTypeNotFound      = activities.ErrTypeNotFound
	ErrTypeNotConfigured = activities.ErrTypeNotConfigured
)

var nonRetryable = []string{ErrTypeAsaasRejected, ErrTypeNotFound, ErrTypeNotConfigured, ErrTypeInvalidState, ErrTypeInvalidInput}

// dbActivity: PostgreSQL-only work. Retried until the database answers again (a
// payment must never be dropped because the database restarted), with backoff.
func dbActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        500 * time.Millisecond,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

// gatewayActivity: calls to Asaas. 429, 5xx and timeouts are retried with backoff
// (activities honour Retry-After through NextRetryDelay); validation errors are not.
// An attempt is one or two calls of at most asaas.DefaultTimeout (20 s) each; 45 s
// also bounds how long an attempt lost with a crashed worker waits to be retried.
func gatewayActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 45 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        5 * time.Minute,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

// interactiveGatewayActivity: an Asaas call a user is waiting on (mark paid): it
// gives up after two minutes so the API can answer instead of hanging.
func interactiveGatewayActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        20 * time.Second,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

// localDBActivity: the PostgreSQL write of a contract's event, run by the
// workflow worker itself inside the workflow task. A few quick attempts; past
// them the caller falls back to dbActivity, which retries until the database
// answers again.
func localDBActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: 20 * time.Second,
		StartToCloseTimeout:    5 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        200 * time.Millisecond,
			BackoffCoefficient:     2,
			MaximumInterval:        2 * time.Second,
			NonRetryableErrorTypes: nonRetryable,
		},
	})
}

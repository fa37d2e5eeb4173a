package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// EnsureQueueWatchSchedule creates the account's queue watch schedule
// (QueueWatchScheduleID, every `every`), or sets the interval of the one that
// exists. The API calls it when Asaas settings are saved, the worker for every
// account with settings when it starts. A schedule paused by an operator stays
// paused.
func EnsureQueueWatchSchedule(ctx context.Context, c client.Client, accountID string, every time.Duration) error {
	if every <= 0 {
		return fmt.Errorf("queue watch interval must be positive, not %s", every)
	}
	id := QueueWatchScheduleID(accountID)
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:   id,
		Spec: spec,
		Action: &client.ScheduleWorkflowAction{
			ID:                    id,
			Workflow:              QueueWatchWorkflow,
			Args:                  []any{QueueWatchInput{AccountID: accountID, SweepDelay: DefaultSweepDelay}},
			TaskQueue:             TaskQueue,
			WorkflowRunTimeout:    30 * time.Minute,
			TypedSearchAttributes: temporal.NewSearchAttributes(AccountIDKey.ValueSet(accountID)),
			StaticSummary:         "Asaas webhook queue watch of account " + accountID,
		},
		// A watch still running (waiting to sweep) when the next is due: skip that one.
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "Reads the account's Asaas webhook queue, reactivates it when interrupted, sweeps the account (docs/architecture.md, Reconciliation of an account).",
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return err
	}
	return c.ScheduleClient().GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			if s.Spec != nil && len(s.Spec.Intervals) == 1 && s.Spec.Intervals[0].Every == every &&
				len(s.Spec.Calendars) == 0 && len(s.Spec.CronExpressions) == 0 {
				return nil, temporal.ErrSkipScheduleUpdate
			}
			s.Spec = &spec
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
}

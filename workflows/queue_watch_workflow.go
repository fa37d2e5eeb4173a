package workflows

import (
	"time"

	"billing/activities"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Sweep reasons (the reconciliation.started audit event says which).
const (
	sweepReactivated = "reactivated"
	sweepDue         = "due"
)

// QueueWatchWorkflow watches an account's Asaas webhook queue once: it records
// the queue's health; an interrupted queue (of a webhook still enabled) is
// reactivated when our endpoint answers its health check, and audited; then,
// after a reactivation or when the last sweep is too old, it starts a sweep of
// the account and returns without waiting for it.
func QueueWatchWorkflow(ctx workflow.Context, in QueueWatchInput) (QueueWatchResult, error) {
	var res QueueWatchResult
	var health activities.QueueHealth
	err := workflow.ExecuteActivity(watchActivity(ctx), a.CheckWebhookQueue, activities.QueueRef{AccountID: in.AccountID}).Get(ctx, &health)
	switch failureType(err) {
	case ErrTypeNotConfigured, ErrTypeNotFound, ErrTypeAsaasRejected: // no usable settings, or Asaas refuses the key
		res.Skipped = failureText(err)
		workflow.GetLogger(ctx).Warn("Asaas webhook queue not watched", "account", in.AccountID, "reason", res.Skipped)
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.Webhooks = len(health.Webhooks)
	var resume []string
	for _, h := range health.Webhooks {
		if h.Interrupted {
			res.Interrupted = append(res.Interrupted, h.ID)
			if h.Enabled {
				resume = append(resume, h.ID)
			}
		}
	}
	reason, startAfter := "", time.Duration(0)
	if health.SweepDue {
		reason = sweepDue
	}
	if len(resume) > 0 {
		var api activities.APIHealth
		if err := workflow.ExecuteActivity(healthActivity(ctx), a.CheckAPIHealth).Get(ctx, &api); err != nil {
			return res, err
		}
		if api.Healthy {
			if err := workflow.ExecuteActivity(watchActivity(ctx), a.ReactivateWebhookQueues, activities.ReactivateInput{
				AccountID: in.AccountID, WebhookIDs: resume, Key: workflow.GetInfo(ctx).WorkflowExecution.RunID,
			}).Get(ctx, nil); err != nil {
				return res, err
			}
			res.Reactivated, reason = resume, sweepReactivated
			// The sweep waits, not the watch: a watch sleeping would make the
			// schedule skip the next ones (overlap: skip). Runs started before
			// this change slept here.
			if workflow.GetVersion(ctx, "sweep-waits-not-the-watch", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
				if in.SweepDelay > 0 {
					if err := workflow.Sleep(ctx, in.SweepDelay); err != nil {
						return res, err
					}
				}
			} else {
				startAfter = in.SweepDelay
			}
		} else {
			res.NotReactivated = "our endpoint is not healthy: " + api.Detail
			workflow.GetLogger(ctx).Warn("interrupted Asaas queue left as it is", "account", in.AccountID, "reason", api.Detail)
		}
	}
	if reason == "" {
		return res, nil
	}
	id, err := startSweep(ctx, in.AccountID, reason, startAfter)
	res.SweepID = id
	return res, err
}

// startSweep records a queue-sweep reconciliation and starts its workflow as an
// abandoned child: the sweep outlives this short watch.
func startSweep(ctx workflow.Context, accountID, reason string, startAfter time.Duration) (string, error) {
	var id string
	if err := workflow.SideEffect(ctx, func(workflow.Context) any { return uuid.NewString() }).Get(&id); err != nil {
		return "", err
	}
	wfID := ReconciliationWorkflowID(id)
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.StartQueueSweep, activities.StartSweepInput{
		AccountID: accountID, ReconciliationID: id, WorkflowID: wfID, Reason: reason, StartAfter: startAfter,
	}).Get(ctx, nil); err != nil {
		return "", err
	}
	child := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            wfID,
		ParentClosePolicy:     enums.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(AccountIDKey.ValueSet(accountID)),
		StaticSummary:         "Queue sweep of account " + accountID,
	}), ReconciliationWorkflow, ReconciliationInput{AccountID: accountID, ReconciliationID: id, Source: SourceQueueSweep, StartAfter: startAfter})
	if err := child.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		return "", err
	}
	return id, nil
}

package workflows

import (
	"errors"
	"time"

	"billing/activities"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReconciliationWorkflow is a run over an account's contracts: it lists them,
// asks each through its ReconcileUpdate (Concurrency at a time, towards Asaas),
// records every answer as it comes (the run's progress), and ends the run:
// completed, or failed with the reason when it cannot go on.
func ReconciliationWorkflow(ctx workflow.Context, in ReconciliationInput) (ReconciliationResult, error) {
	r := &reconciliationRun{in: in, opts: in.Options.withDefaults(),
		ref: activities.ReconciliationRef{AccountID: in.AccountID, ReconciliationID: in.ReconciliationID}}
	err := r.run(ctx)
	var next *workflow.ContinueAsNewError
	if errors.As(err, &next) {
		return ReconciliationResult{}, err
	}
	return r.finish(ctx, err)
}

type reconciliationRun struct {
	in   ReconciliationInput
	opts ReconciliationOptions
	ref  activities.ReconciliationRef
}

// planAttempts × planWait bounds how long the run waits for its row: the API
// commits it just after starting the workflow.
const (
	planAttempts = 15
	planWait     = 2 * time.Second
)

func (r *reconciliationRun) run(ctx workflow.Context) error {
	if !r.in.Planned {
		if r.in.StartAfter > 0 {
			if err := workflow.Sleep(ctx, r.in.StartAfter); err != nil {
				return err
			}
		}
		if err := r.plan(ctx); err != nil {
			return err
		}
		r.in.Planned = true
	}
	asked := 0
	for {
		var ids []string
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.NextReconciliationContracts, activities.NextContractsInput{
			ReconciliationRef: r.ref, After: r.in.After, Limit: r.opts.PageSize,
		}).Get(ctx, &ids); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		if err := r.askAll(ctx, ids); err != nil {
			return err
		}
		r.in.After = ids[len(ids)-1]
		asked += len(ids)
		if asked >= r.opts.MaxPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return workflow.NewContinueAsNewError(ctx, ReconciliationWorkflow, r.in)
		}
	}
}

// plan lists the run's contracts, waiting a little for a row not committed yet.
func (r *reconciliationRun) plan(ctx workflow.Context) error {
	for attempt := 1; ; attempt++ {
		err := workflow.ExecuteActivity(dbActivity(ctx), a.PlanReconciliation, r.ref).Get(ctx, nil)
		if err == nil || failureType(err) != ErrTypeNotFound || attempt == planAttempts {
			return err
		}
		if err := workflow.Sleep(ctx, planWait); err != nil {
			return err
		}
	}
}

// askAll asks the contracts, at most Concurrency at a time, and returns when
// every answer is recorded.
func (r *reconciliationRun) askAll(ctx workflow.Context, ids []string) error {
	sem := workflow.NewSemaphore(ctx, int64(r.opts.Concurrency))
	wg := workflow.NewWaitGroup(ctx)
	var firstErr error
	for _, id := range ids {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			defer sem.Release(1)
			if err := r.ask(ctx, id); err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	wg.Wait(ctx)
	return firstErr
}

// ask runs one contract's reconciliation; a contract that could not answer is
// recorded with the reason (a mismatch), and the run goes on.
func (r *reconciliationRun) ask(ctx workflow.Context, contractID string) error {
	err := workflow.ExecuteActivity(contractUpdateActivity(ctx), a.ReconcileContract, activities.ReconcileContractInput{
		ReconciliationRef: r.ref, ContractID: contractID, Source: r.in.Source,
	}).Get(ctx, nil)
	if err == nil || temporal.IsCanceledError(err) {
		return err
	}
	detail := failureText(err)
	if failureType(err) != activities.ErrTypeContractUnreconciled {
		detail = "the contract did not answer: " + detail
	}
	return workflow.ExecuteActivity(dbActivity(ctx), a.RecordContractUnreconciled, activities.UnreconciledInput{
		ReconciliationRef: r.ref, ContractID: contractID, Detail: detail,
	}).Get(ctx, nil)
}

// finish ends the run in PostgreSQL (also when it was cancelled) and returns
// its totals.
func (r *reconciliationRun) finish(ctx workflow.Context, runErr error) (ReconciliationResult, error) {
	in := activities.FinishReconciliationInput{ReconciliationRef: r.ref}
	if runErr != nil {
		in.Failed, in.Error = true, failureText(runErr)
		if temporal.IsCanceledError(runErr) {
			ctx, _ = workflow.NewDisconnectedContext(ctx)
			in.Error = "cancelled"
		}
	}
	var sum ReconciliationResult
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.FinishReconciliation, in).Get(ctx, &sum); err != nil && runErr == nil {
		return sum, err
	}
	return sum, runErr
}

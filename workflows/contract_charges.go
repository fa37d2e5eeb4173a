package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"billing/activities"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// issueCharges ensures the Asaas customer, then issues one charge per installment
// that has none, a few at a time. A charge Asaas rejects (a validation error no
// retry can fix) is surfaced on the contract and in the audit trail; its
// installment stays scheduled and can still be paid manually or cancelled.
func (w *contractWorkflow) issueCharges(ctx workflow.Context) error {
	if w.state.AsaasCustomerID == "" {
		var customerID string
		err := workflow.ExecuteActivity(gatewayActivity(ctx), a.EnsureCustomer, w.ref()).Get(ctx, &customerID)
		if rejected(err) {
			return w.recordError(ctx, 0, "create Asaas customer", err)
		}
		if err != nil {
			return err
		}
		w.state.AsaasCustomerID = customerID
	}

	type result struct {
		number int
		charge activities.ChargeIssued
		err    error
	}
	var todo []int
	for _, inst := range w.state.Installments {
		if inst.ChargeID == "" && inst.Status == instScheduled {
			todo = append(todo, inst.Number)
		}
	}
	results := make([]result, len(todo))
	sem := workflow.NewSemaphore(ctx, int64(w.opts.IssueConcurrency))
	wg := workflow.NewWaitGroup(ctx)
	for i, n := range todo {
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer wg.Done()
			results[i].number = n
			if results[i].err = sem.Acquire(ctx, 1); results[i].err != nil {
				return
			}
			defer sem.Release(1)
			results[i].err = workflow.ExecuteActivity(gatewayActivity(ctx), a.IssueCharge, activities.IssueChargeInput{
				ContractRef: w.ref(), Number: n, AsaasCustomerID: w.state.AsaasCustomerID,
			}).Get(ctx, &results[i].charge)
		})
	}
	wg.Wait(ctx)

	var failures []string
	firstFailed := 0
	for _, r := range results {
		switch {
		case r.err == nil:
			inst := w.installment(r.number)
			inst.ChargeID = r.charge.AsaasPaymentID
			inst.Status = instOpen
		case rejected(r.err):
			failures = append(failures, fmt.Sprintf("installment %d: %s", r.number, errorMessage(r.err)))
			if firstFailed == 0 {
				firstFailed = r.number
			}
		default:
			return r.err
		}
	}
	if len(failures) > 0 {
		return w.recordError(ctx, firstFailed, "issue charges", errors.New(strings.Join(failures, "; ")))
	}
	return nil
}

// recordError writes a gateway rejection on the contract and in its audit trail.
func (w *contractWorkflow) recordError(ctx workflow.Context, number int, action string, cause error) error {
	msg := errorMessage(cause)
	w.state.LastError = action + ": " + msg
	return workflow.ExecuteActivity(dbActivity(ctx), a.RecordContractError, activities.ContractErrorInput{
		ContractRef: w.ref(), Number: number, Action: action, Message: msg,
	}).Get(ctx, nil)
}

// rejected reports an activity failure no retry can fix (Asaas said no).
func rejected(err error) bool {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return false
	}
	switch appErr.Type() {
	case ErrTypeAsaasRejected, ErrTypeNotConfigured:
		return true
	}
	return false
}

// final reports an activity failure that retries will not fix.
func final(err error) bool {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return false
	}
	return appErr.NonRetryable() || slices.Contains(nonRetryable, appErr.Type())
}

// errorMessage is the innermost application error's message, without the
// activity-task wrapping Temporal adds.
func errorMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	return err.Error()
}

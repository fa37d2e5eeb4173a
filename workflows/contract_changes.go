package workflows

import (
	"fmt"
	"time"

	"billing/activities"
	"billing/domain"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Changes to an installment still owed (docs/architecture.md, "Changes, holds
// and partial refunds"): ChangeInstallmentUpdate sets its value and/or due date —
// its charge is changed at Asaas (PUT /v3/payments/{id}) or, where Asaas refuses,
// deleted and issued again — and ReissueChargeUpdate issues a new charge for one
// whose charge was deleted at Asaas or expired. Both are workflow updates with a
// validator (checked again under the lock); the schedule, the search attributes,
// the wake timer and the audit trail follow.

// today is the calendar day in São Paulo, Asaas's clock.
func today(ctx workflow.Context) string {
	return domain.Day(workflow.Now(ctx)).Format(time.DateOnly)
}

// checkDueDate: a YYYY-MM-DD not before today (Asaas refuses a charge due in the past).
func checkDueDate(ctx workflow.Context, due string) error {
	if _, err := time.Parse(time.DateOnly, due); err != nil {
		return invalidField("due_date", "must be a date (YYYY-MM-DD)")
	}
	if t := today(ctx); due < t {
		return invalidField("due_date", "%s is in the past (today is %s): Asaas does not take a charge due before today", due, t)
	}
	return nil
}

func (w *contractWorkflow) checkChangeable(n int) (*InstallmentState, error) {
	if w.state.Status != StatusActive || w.state.Cancelling {
		return nil, invalidState("the contract is %s", w.statusWord())
	}
	inst := w.installment(n)
	if inst == nil {
		return nil, invalidInput("the contract has no installment %d", n)
	}
	if !payable(inst.Status) {
		return nil, invalidState("installment %d is %s: only an installment still owed changes", inst.Number, inst.Status)
	}
	return inst, nil
}

// checkChange is the validator's rule set for ChangeInstallmentUpdate: an
// installment still owed (open, overdue, or scheduled after Asaas refused its
// charge), a positive value with at most 2 decimals, a due date not before today,
// and something that changes.
func (w *contractWorkflow) checkChange(ctx workflow.Context, req ChangeInstallmentRequest) error {
	inst, err := w.checkChangeable(req.InstallmentNumber)
	if err != nil {
		return err
	}
	if req.Value.IsZero() && req.DueDate == "" {
		return invalidInput("give a new value or due_date")
	}
	if !req.Value.IsZero() {
		if !req.Value.IsPositive() || domain.AmountProblem(req.Value) != "" {
			return invalidField("value", "must be a positive value with at most 2 decimals")
		}
	}
	if req.DueDate != "" {
		if err := checkDueDate(ctx, req.DueDate); err != nil {
			return err
		}
	}
	value, due := changed(inst, req)
	if value.Equal(inst.Value) && due == inst.DueDate {
		return invalidInput("installment %d already has value %s and due date %s", inst.Number, domain.FormatMoney(value), due)
	}
	return nil
}

// changed is the installment's value and due date after the request.
func changed(inst *InstallmentState, req ChangeInstallmentRequest) (decimal.Decimal, string) {
	value, due := inst.Value, inst.DueDate
	if !req.Value.IsZero() {
		value = req.Value
	}
	if req.DueDate != "" {
		due = req.DueDate
	}
	return value, due
}

func (w *contractWorkflow) validateChangeInstallment(ctx workflow.Context, req ChangeInstallmentRequest) error {
	return w.checkChange(ctx, req)
}

// changeInstallment changes an installment still owed: its live charge is changed
// at Asaas (UpdateCharge); when Asaas refuses, or the charge is gone, the charge
// is deleted (if live) and issued again with the new value and due date. A charge
// the customer paid meanwhile is recorded as paid and the change refused (409).
func (w *contractWorkflow) changeInstallment(ctx workflow.Context, req ChangeInstallmentRequest) (InstallmentChangeResult, error) {
	var out InstallmentChangeResult
	err := w.locked(ctx, func(ctx workflow.Context) error {
		if err := w.checkChange(ctx, req); err != nil {
			return err
		}
		inst := w.installment(req.InstallmentNumber)
		value, due := changed(inst, req)
		how := "reissued"
		if inst.ChargeID != "" && !inst.ChargeDeleted && inst.Status != instScheduled {
			var gw activities.GatewayOutcome
			if err := workflow.ExecuteActivity(gatewayActivity(ctx), a.UpdateCharge, activities.ChangeChargeInput{
				ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: inst.ChargeID, Value: value, DueDate: due,
				After: statusFor(ctx, due), RequestedBy: req.RequestedBy,
			}).Get(ctx, &gw); err != nil {
				return err
			}
			switch gw.Outcome {
			case activities.OutcomeDone:
				how = "updated"
				inst.Value, inst.DueDate, inst.Status, inst.Checks = value, due, statusFor(ctx, due), 0
			case activities.OutcomePaidAtGateway:
				return w.paidMeanwhile(ctx, inst, gw, notChanged)
			case activities.OutcomeChargeNotFound:
				inst.ChargeDeleted = true
			}
		}
		if how == "reissued" {
			if err := w.reissue(ctx, inst, value, due, "changed", req.RequestedBy); err != nil {
				return err
			}
		}
		w.upsertSearchAttributes(ctx)
		w.rearm = true
		out = InstallmentChangeResult{InstallmentNumber: inst.Number, ChargeID: inst.ChargeID, How: how, Value: inst.Value, DueDate: inst.DueDate, Status: inst.Status}
		return nil
	})
	return out, err
}

// statusFor is an installment's status with its charge due on due: overdue from
// the day after (domain.IsOverdue), open before.
func statusFor(ctx workflow.Context, due string) string {
	if d, err := time.Parse(time.DateOnly, due); err == nil && domain.IsOverdue(d, workflow.Now(ctx)) {
		return instOverdue
	}
	return instOpen
}

// paidMeanwhile records the payment Asaas holds for a charge we meant to mark
// paid, change or issue again (the customer paid first: recordFoundPayment) and
// refuses the request (409); outcome says what became of it.
func (w *contractWorkflow) paidMeanwhile(ctx workflow.Context, inst *InstallmentState, gw activities.GatewayOutcome, outcome string) error {
	if gw.Payment == nil {
		return temporal.NewApplicationError(fmt.Sprintf("installment %d was paid at Asaas meanwhile", inst.Number), ErrTypeAlreadyPaid)
	}
	if err := w.recordFoundPayment(ctx, inst, *gw.Payment); err != nil {
		return err
	}
	return temporal.NewApplicationError(fmt.Sprintf("installment %d was already paid through Asaas (payment %s); %s",
		inst.Number, gw.Payment.ID, outcome), ErrTypeAlreadyPaid)
}

// notChanged is what paidMeanwhile says of a change or re-issue refused.
const notChanged = "it is recorded as paid and nothing was changed"

// deleteLiveCharge deletes the installment's charge at Asaas (DeleteCharge). A
// refusal is recorded on the contract (what: the step) and answered as a gateway
// error ending in consequence; a charge found paid comes back as
// OutcomePaidAtGateway for the caller to take.
func (w *contractWorkflow) deleteLiveCharge(ctx workflow.Context, inst *InstallmentState, what, consequence string) (activities.GatewayOutcome, error) {
	var gw activities.GatewayOutcome
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.DeleteCharge, activities.DeleteChargeInput{
		ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: inst.ChargeID,
	}).Get(ctx, &gw)
	if rejected(err) {
		_ = w.recordError(ctx, inst.Number, what, err)
		return gw, temporal.NewApplicationError(fmt.Sprintf("Asaas refused to delete the charge of installment %d: %s; %s",
			inst.Number, errorMessage(err), consequence), ErrTypeGateway)
	}
	return gw, err
}

// reissue deletes the installment's charge at Asaas if it is still live, then
// issues a new one with the value and due date (ReissueCharge). Asaas refusing the
// deletion stops it (the installment keeps its charge); Asaas refusing the new
// charge leaves the installment scheduled without one, surfaced on the contract
// (it can be issued again).
func (w *contractWorkflow) reissue(ctx workflow.Context, inst *InstallmentState, value decimal.Decimal, due, reason, requestedBy string) error {
	if inst.ChargeID != "" && !inst.ChargeDeleted {
		gw, err := w.deleteLiveCharge(ctx, inst, "delete the charge to issue it again", "nothing was changed")
		if err != nil {
			return err
		}
		if gw.Outcome == activities.OutcomePaidAtGateway {
			return w.paidMeanwhile(ctx, inst, gw, notChanged)
		}
		inst.ChargeDeleted = true
	}
	if w.state.AsaasCustomerID == "" {
		var customerID string
		err := workflow.ExecuteActivity(gatewayActivity(ctx), a.EnsureCustomer, w.ref()).Get(ctx, &customerID)
		if rejected(err) {
			_ = w.recordError(ctx, inst.Number, "create Asaas customer", err)
			return temporal.NewApplicationError("Asaas refused the customer: "+errorMessage(err), ErrTypeGateway)
		}
		if err != nil {
			return err
		}
		w.state.AsaasCustomerID = customerID
	}
	replaces := inst.ChargeID
	var ch activities.ChargeIssued
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.ReissueCharge, activities.ReissueChargeInput{
		ContractRef: w.ref(), Number: inst.Number, AsaasCustomerID: w.state.AsaasCustomerID, Replaces: replaces,
		Value: value, DueDate: due, Reason: reason, RequestedBy: requestedBy,
	}).Get(ctx, &ch)
	if rejected(err) {
		inst.ChargeID, inst.ChargeDeleted, inst.Status, inst.Value, inst.DueDate, inst.Checks = "", false, instScheduled, value, due, 0
		_ = w.recordError(ctx, inst.Number, "issue the charge again", err)
		return temporal.NewApplicationError(fmt.Sprintf("Asaas refused the new charge of installment %d: %s; it has no charge now (issue it again)",
			inst.Number, errorMessage(err)), ErrTypeGateway)
	}
	if err != nil {
		return err
	}
	inst.ChargeID, inst.ChargeDeleted, inst.Status, inst.Value, inst.DueDate, inst.Checks = ch.AsaasPaymentID, false, instOpen, value, due, 0
	return nil
}

// checkReissue is the validator's rule set for ReissueChargeUpdate: an
// installment still owed whose charge is gone (deleted at Asaas, or none after
// Asaas refused it) or expired (overdue), due on a day not before today.
func (w *contractWorkflow) checkReissue(ctx workflow.Context, req ReissueChargeRequest) (string, error) {
	inst, err := w.checkChangeable(req.InstallmentNumber)
	if err != nil {
		return "", err
	}
	if inst.ChargeID != "" && !inst.ChargeDeleted && inst.Status != instOverdue {
		return "", invalidState("installment %d's charge %s is open at Asaas and not overdue: change its due date or value instead (PATCH)", inst.Number, inst.ChargeID)
	}
	due := req.DueDate
	if due == "" {
		due = inst.DueDate
		if due < today(ctx) {
			return "", invalidField("due_date", "installment %d was due on %s: give the new charge's due_date", inst.Number, due)
		}
	}
	return due, checkDueDate(ctx, due)
}

func (w *contractWorkflow) validateReissueCharge(ctx workflow.Context, req ReissueChargeRequest) error {
	_, err := w.checkReissue(ctx, req)
	return err
}

// reissueCharge issues a new charge for an installment still owed (its expired
// charge deleted first).
func (w *contractWorkflow) reissueCharge(ctx workflow.Context, req ReissueChargeRequest) (InstallmentChangeResult, error) {
	var out InstallmentChangeResult
	err := w.locked(ctx, func(ctx workflow.Context) error {
		due, err := w.checkReissue(ctx, req)
		if err != nil {
			return err
		}
		inst := w.installment(req.InstallmentNumber)
		if err := w.reissue(ctx, inst, inst.Value, due, "reissued", req.RequestedBy); err != nil {
			return err
		}
		w.upsertSearchAttributes(ctx)
		w.rearm = true
		out = InstallmentChangeResult{InstallmentNumber: inst.Number, ChargeID: inst.ChargeID, How: "reissued", Value: inst.Value, DueDate: inst.DueDate, Status: inst.Status}
		return nil
	})
	return out, err
}

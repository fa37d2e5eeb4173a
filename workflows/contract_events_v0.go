package workflows

import (
	"billing/activities"

	"go.temporal.io/sdk/workflow"
)

// The first event path (version DefaultVersion of changeOneHopEvents): one
// payment event per loop turn, each through its own regular activity. Runs that
// started before the one-hop change keep it until they continue as new (their
// next run takes the new path); remove this file, the v0 branches of
// contract_workflow.go and the activities only it calls (ApplyPayment with an
// EventKey, SettlePayment, MarkOverdue, ReversePayment, RecordChargeDeleted,
// RecordEventOutcome) once no such run is open:
//
//	temporal workflow list --query 'WorkflowType="ContractWorkflow" AND ExecutionStatus="Running" AND TemporalChangeVersion != "one-hop-events-1"'
//
// answers nothing, and keep their histories replaying until then.

// applyNextPayment applies the oldest payment event: those carried from the
// previous run first, then the signal channel's.
func (w *contractWorkflow) applyNextPayment(ctx workflow.Context) error {
	var ev PaymentEvent
	if len(w.state.Pending) > 0 {
		ev, w.state.Pending = w.state.Pending[0], w.state.Pending[1:]
	} else if !w.payments.ReceiveAsync(&ev) {
		return nil
	}
	return w.locked(ctx, func(ctx workflow.Context) error { return w.handlePaymentEvent(ctx, ev) })
}

// handlePaymentEvent applies one routed Asaas payment event. Every event ends with
// exactly one activity, which also records the outcome on the webhook event. An
// event that can never be applied (an error no retry fixes, e.g. a malformed
// amount) is recorded as failed for a person to look at: one bad event must not
// stop the contract.
func (w *contractWorkflow) handlePaymentEvent(ctx workflow.Context, ev PaymentEvent) error {
	err := w.applyPaymentEvent(ctx, ev)
	if err == nil || !final(err) {
		return err
	}
	w.logger.Error("payment event could not be applied", "event", ev.EventKey, "error", err)
	return workflow.ExecuteActivity(dbActivity(ctx), a.RecordEventOutcome, activities.EventOutcomeInput{
		AccountID: w.state.AccountID, EventKey: ev.EventKey, Status: activities.EventFailed,
		Reason: "could not be applied: " + errorMessage(err), ContractID: w.state.ContractID, Notable: true,
	}).Get(ctx, nil)
}

func (w *contractWorkflow) applyPaymentEvent(ctx workflow.Context, ev PaymentEvent) error {
	inst := w.installment(ev.InstallmentNumber)
	d := decidePaymentEvent(w.state.Status, inst, ev)
	ref := w.ref()
	p := ev.Payment
	switch d.action {
	case actApply:
		origin, net := activities.OriginGateway, p.NetValue
		if d.manual {
			origin, net = activities.OriginManual, p.Value
		}
		in := activities.ApplyPaymentInput{
			ContractRef: ref, Number: inst.Number, Origin: origin, AsaasPaymentID: p.ID,
			Amount: p.Value, Net: net, PaidOn: paidOn(p), Status: d.paymentStatus, EventKey: ev.EventKey,
		}
		if d.paymentStatus == "received" {
			in.SettledOn = firstNonEmpty(p.PaymentDate, paidOn(p))
		}
		if _, err := w.applyPayment(ctx, in); err != nil {
			return err
		}
		if err := w.retireOtherCharge(ctx, inst, p.ID); err != nil {
			return err
		}
	case actSettle:
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.SettlePayment, activities.SettlePaymentInput{
			ContractRef: ref, Number: inst.Number, AsaasPaymentID: p.ID,
			SettledOn: firstNonEmpty(p.PaymentDate, paidOn(p)), EventKey: ev.EventKey,
		}).Get(ctx, nil); err != nil {
			return err
		}
		inst.Payment.Status = "received"
	case actOverdue:
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.MarkOverdue, activities.MarkOverdueInput{
			ContractRef: ref, Numbers: []int{inst.Number}, Source: "gateway", EventKey: ev.EventKey,
		}).Get(ctx, nil); err != nil {
			return err
		}
		inst.Status = instOverdue
	case actReverse:
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.ReversePayment, activities.ReversePaymentInput{
			ContractRef: ref, Number: inst.Number, AsaasPaymentID: p.ID, Event: ev.Event, EventKey: ev.EventKey,
		}).Get(ctx, nil); err != nil {
			return err
		}
		inst.Status = instRefunded
		inst.Payment.Status = "refunded"
	case actChargeDeleted, actChargeRestored:
		deleted := d.action == actChargeDeleted
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.RecordChargeDeleted, activities.ChargeDeletedInput{
			ContractRef: ref, Number: inst.Number, AsaasPaymentID: p.ID, Deleted: deleted, EventKey: ev.EventKey,
		}).Get(ctx, nil); err != nil {
			return err
		}
		inst.ChargeDeleted = deleted
	case actRetireDuplicate:
		return w.retireDuplicateCharge(ctx, inst, ev, d.reason)
	default:
		return workflow.ExecuteActivity(dbActivity(ctx), a.RecordEventOutcome, activities.EventOutcomeInput{
			AccountID: w.state.AccountID, EventKey: ev.EventKey, Status: activities.EventIgnored,
			Reason: d.reason, ContractID: w.state.ContractID, Notable: d.notable,
		}).Get(ctx, nil)
	}
	w.upsertSearchAttributes(ctx)
	return w.maybeComplete(ctx)
}

package workflows

import (
	"fmt"

	"billing/activities"

	"go.temporal.io/sdk/workflow"
)

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

// retireOtherCharge deletes the installment's own charge when the installment was
// paid through another Asaas payment (a payment link tied to it), so the client
// cannot pay it a second time. If that charge was paid too, a person must refund
// one of them: it is surfaced on the contract.
func (w *contractWorkflow) retireOtherCharge(ctx workflow.Context, inst *InstallmentState, paidWith string) error {
	if inst.ChargeID == "" || inst.ChargeID == paidWith || inst.ChargeDeleted {
		return nil
	}
	var gw activities.GatewayOutcome
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.DeleteCharge, activities.DeleteChargeInput{
		ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: inst.ChargeID,
	}).Get(ctx, &gw)
	switch {
	case rejected(err):
		return w.recordError(ctx, inst.Number, "delete the charge replaced by another payment", err)
	case err != nil:
		return err
	case gw.Outcome == activities.OutcomePaidAtGateway:
		return w.recordError(ctx, inst.Number, "duplicate payment", fmt.Errorf(
			"installment %d was paid by %s and also by its charge %s: refund one of them", inst.Number, paidWith, inst.ChargeID))
	}
	inst.ChargeDeleted = true
	return nil
}

// applyPayment records a payment and its splits and moves the installment to paid.
func (w *contractWorkflow) applyPayment(ctx workflow.Context, in activities.ApplyPaymentInput) (activities.PaymentApplied, error) {
	var res activities.PaymentApplied
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.ApplyPayment, in).Get(ctx, &res); err != nil {
		return res, err
	}
	inst := w.installment(in.Number)
	inst.Status = instPaid
	inst.Payment = &PaymentState{ID: res.PaymentID, AsaasPaymentID: in.AsaasPaymentID, Origin: in.Origin, Amount: in.Amount, Status: in.Status}
	return res, nil
}

// paidOn is the day the customer paid: Asaas's clientPaymentDate, else the
// confirmation or credit date.
func paidOn(p GatewayPayment) string {
	return firstNonEmpty(p.ClientPaymentDate, p.ConfirmedDate, p.PaymentDate)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// retireDuplicateCharge deletes a second charge of an installment at Asaas and
// records the event with what was done (audited as notable). A second charge
// paid before it could be deleted is left: its payment event applies it.
func (w *contractWorkflow) retireDuplicateCharge(ctx workflow.Context, inst *InstallmentState, ev PaymentEvent, reason string) error {
	status := activities.EventProcessed
	if workflow.GetVersion(ctx, "retire-duplicate-charge", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		status, reason = activities.EventIgnored, fmt.Sprintf("charge %s of installment %d needs no change", ev.Payment.ID, inst.Number)
	} else {
		var gw activities.GatewayOutcome
		err := workflow.ExecuteActivity(gatewayActivity(ctx), a.DeleteCharge, activities.DeleteChargeInput{
			ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: ev.Payment.ID,
		}).Get(ctx, &gw)
		switch {
		case rejected(err):
			reason = fmt.Sprintf("second charge %s of installment %d could not be deleted at Asaas: %s", ev.Payment.ID, inst.Number, errorMessage(err))
			if err := w.recordError(ctx, inst.Number, "delete a second charge", err); err != nil {
				return err
			}
		case err != nil:
			return err
		case gw.Outcome == activities.OutcomePaidAtGateway:
			reason = fmt.Sprintf("second charge %s of installment %d was paid before it could be deleted; its payment event applies it", ev.Payment.ID, inst.Number)
		}
	}
	return workflow.ExecuteActivity(dbActivity(ctx), a.RecordEventOutcome, activities.EventOutcomeInput{
		AccountID: w.state.AccountID, EventKey: ev.EventKey, Status: status, Reason: reason,
		ContractID: w.state.ContractID, Notable: status == activities.EventProcessed,
	}).Get(ctx, nil)
}

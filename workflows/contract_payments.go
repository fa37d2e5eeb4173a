package workflows

import (
	"fmt"

	"billing/activities"

	"go.temporal.io/sdk/workflow"
)

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

// applyPayment records a payment and its splits (a regular activity: the first
// event path and the manual actions of runs on it) and moves the installment to paid.
func (w *contractWorkflow) applyPayment(ctx workflow.Context, in activities.ApplyPaymentInput) (activities.PaymentApplied, error) {
	var res activities.PaymentApplied
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.ApplyPayment, in).Get(ctx, &res); err != nil {
		return res, err
	}
	w.markInstallmentPaid(in, res.PaymentID)
	return res, nil
}

// recordPayment records a payment and its splits the way the run's version
// does, and moves the installment to paid. reconciled: the contract found it
// at Asaas (its installment was before).
func (w *contractWorkflow) recordPayment(ctx workflow.Context, in activities.ApplyPaymentInput, reconciled bool, before string) (activities.PaymentApplied, error) {
	if w.version == workflow.DefaultVersion {
		return w.applyPayment(ctx, in)
	}
	res, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: in.ContractRef, Action: activities.ActionApply,
		EventKey: in.EventKey, Number: in.Number, AsaasPaymentID: in.AsaasPaymentID, Payment: &in,
		Reconciled: reconciled, Before: before, After: instPaid})
	if err != nil {
		return activities.PaymentApplied{}, err
	}
	var paid activities.PaymentApplied
	if res.Payment != nil {
		paid = *res.Payment
	}
	paid.GatewayEntries = res.GatewayEntries
	w.markInstallmentPaid(in, paid.PaymentID)
	return paid, nil
}

// recordFoundPayment records a gateway payment the contract found at Asaas
// while doing something else — ReceiveInCash refused because the customer paid
// first (mark-paid), a charge to change, re-issue or delete found paid — the
// one place these paths take it: the payment (recordPayment), its split read
// back as a webhook payment's is (from changeFoundSplitRead on), then the search
// attributes and the completion check. While cancelling, the cancellation does
// those two once at its end (and a contract being cancelled never completes).
func (w *contractWorkflow) recordFoundPayment(ctx workflow.Context, inst *InstallmentState, p activities.GatewayPaymentInfo) error {
	paid, err := w.recordPayment(ctx, gatewayPaymentInput(w.ref(), inst.Number, p), false, "")
	if err != nil {
		return err
	}
	if w.life >= chargeLife && paid.GatewayEntries > 0 &&
		workflow.GetVersion(ctx, changeFoundSplitRead, workflow.DefaultVersion, foundSplitRead) >= foundSplitRead {
		if err := w.readSplitBack(ctx, inst, paid.GatewayEntries); err != nil {
			return err
		}
		w.rearm = true // found by an update: the loop arms the wake timer for the read-back
	}
	if w.state.Cancelling {
		return nil
	}
	w.upsertSearchAttributes(ctx)
	return w.maybeComplete(ctx)
}

func (w *contractWorkflow) markInstallmentPaid(in activities.ApplyPaymentInput, paymentID string) {
	inst := w.installment(in.Number)
	inst.Status = instPaid
	inst.Payment = &PaymentState{ID: paymentID, AsaasPaymentID: in.AsaasPaymentID, Origin: in.Origin, Amount: in.Amount, Status: in.Status}
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
	if w.version == workflow.DefaultVersion {
		return workflow.ExecuteActivity(dbActivity(ctx), a.RecordEventOutcome, activities.EventOutcomeInput{
			AccountID: w.state.AccountID, EventKey: ev.EventKey, Status: status, Reason: reason,
			ContractID: w.state.ContractID, Notable: status == activities.EventProcessed,
		}).Get(ctx, nil)
	}
	_, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
		EventKey: ev.EventKey, Status: status, Reason: reason, Notable: status == activities.EventProcessed})
	return err
}

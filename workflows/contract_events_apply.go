package workflows

import (
	"fmt"
	"slices"

	"billing/activities"

	"go.temporal.io/sdk/workflow"
)

// applyPendingEvents applies every payment event delivered so far, oldest first,
// in this workflow task: one local activity per event (its PostgreSQL write and
// the event's outcome), then the search attributes and the completion check once
// for the whole batch.
func (w *contractWorkflow) applyPendingEvents(ctx workflow.Context) error {
	return w.locked(ctx, func(ctx workflow.Context) error {
		for {
			ev, ok := w.nextPendingEvent()
			if !ok {
				break
			}
			if err := w.applyEvent(ctx, ev); err != nil {
				return err
			}
		}
		w.upsertSearchAttributes(ctx)
		return w.maybeComplete(ctx)
	})
}

// nextPendingEvent takes the oldest event: those carried from the previous run
// first, then the signal channel's.
func (w *contractWorkflow) nextPendingEvent() (PaymentEvent, bool) {
	var ev PaymentEvent
	if len(w.state.Pending) > 0 {
		ev, w.state.Pending = w.state.Pending[0], w.state.Pending[1:]
		return ev, true
	}
	return ev, w.payments.ReceiveAsync(&ev)
}

// applyEvent decides one event and applies the decision. A redelivered event
// (its key already seen) is dropped before any decision; an event of another
// account is recorded on that account's row only. An event that can never be
// applied (an error no retry fixes) is recorded as failed for a person to look
// at: one bad event must not stop the contract.
func (w *contractWorkflow) applyEvent(ctx workflow.Context, ev PaymentEvent) error {
	if ev.EventKey != "" && slices.Contains(w.state.SeenEvents, ev.EventKey) {
		return nil
	}
	if ev.AccountID != "" && ev.AccountID != w.state.AccountID {
		// Not remembered: the key is another account's.
		_, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
			EventKey: ev.EventKey, EventAccountID: ev.AccountID, Status: activities.EventIgnored,
			Reason: fmt.Sprintf("contract %s does not exist in this account", w.state.ContractID)})
		return err
	}
	err := w.decideAndApply(ctx, ev)
	if err != nil && final(err) {
		w.logger.Error("payment event could not be applied", "event", ev.EventKey, "error", err)
		_, err = w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
			EventKey: ev.EventKey, Status: activities.EventFailed, Reason: "could not be applied: " + errorMessage(err), Notable: true})
	}
	if err != nil {
		return err
	}
	w.rememberEvent(ev.EventKey)
	return nil
}

func (w *contractWorkflow) rememberEvent(key string) {
	if key == "" {
		return
	}
	w.state.SeenEvents = append(w.state.SeenEvents, key)
	if over := len(w.state.SeenEvents) - MaxSeenEvents; over > 0 {
		w.state.SeenEvents = slices.Delete(w.state.SeenEvents, 0, over)
	}
}

func (w *contractWorkflow) decideAndApply(ctx workflow.Context, ev PaymentEvent) error {
	inst := w.installment(ev.InstallmentNumber)
	d := decideForInstallment(inst, ev)
	in := activities.ContractEventInput{ContractRef: w.ref(), EventKey: ev.EventKey, Event: ev.Event,
		Number: ev.InstallmentNumber, AsaasPaymentID: ev.Payment.ID}
	p := ev.Payment
	switch d.action {
	case actApply:
		pay := gatewayEventPayment(w.ref(), inst.Number, ev, d)
		if _, err := w.recordPayment(ctx, pay); err != nil {
			return err
		}
		return w.retireOtherCharge(ctx, inst, p.ID)
	case actSettle:
		in.Action, in.SettledOn = activities.ActionSettle, firstNonEmpty(p.PaymentDate, paidOn(p))
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Payment.Status = activities.PaymentReceived
	case actOverdue:
		in.Action, in.Source = activities.ActionOverdue, "gateway"
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Status = instOverdue
	case actReverse:
		in.Action = activities.ActionReverse
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Status = instRefunded
		inst.Payment.Status = activities.PaymentRefunded
	case actChargeDeleted, actChargeRestored:
		in.Action = activities.ActionChargeRestored
		if d.action == actChargeDeleted {
			in.Action = activities.ActionChargeDeleted
		}
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.ChargeDeleted = d.action == actChargeDeleted
	case actRetireDuplicate:
		return w.retireDuplicateCharge(ctx, inst, ev, d.reason)
	default:
		in.Action, in.Status, in.Reason, in.Notable = activities.ActionRecord, activities.EventIgnored, d.reason, d.notable
		_, err := w.runEvent(ctx, in)
		return err
	}
	return nil
}

// gatewayEventPayment is the payment an event's decision records.
func gatewayEventPayment(ref activities.ContractRef, number int, ev PaymentEvent, d eventDecision) activities.ApplyPaymentInput {
	p := ev.Payment
	origin, net := activities.OriginGateway, p.NetValue
	if d.manual {
		origin, net = activities.OriginManual, p.Value
	}
	in := activities.ApplyPaymentInput{
		ContractRef: ref, Number: number, Origin: origin, AsaasPaymentID: p.ID,
		Amount: p.Value, Net: net, PaidOn: paidOn(p), Status: d.paymentStatus, EventKey: ev.EventKey,
	}
	if d.paymentStatus == activities.PaymentReceived {
		in.SettledOn = firstNonEmpty(p.PaymentDate, paidOn(p))
	}
	return in
}

// runEvent applies one decision in PostgreSQL: a local activity first (no
// round trip through the server: its result is a marker in the workflow task
// that decided it); if PostgreSQL does not answer within the local attempts, a
// regular activity that retries until it does. ApplyContractEvent is keyed, so
// running it again after a crash or a lost answer changes nothing.
func (w *contractWorkflow) runEvent(ctx workflow.Context, in activities.ContractEventInput) (activities.ContractEventResult, error) {
	var out activities.ContractEventResult
	err := workflow.ExecuteLocalActivity(localDBActivity(ctx), a.ApplyContractEvent, in).Get(ctx, &out)
	if err != nil && !final(err) {
		err = workflow.ExecuteActivity(dbActivity(ctx), a.ApplyContractEvent, in).Get(ctx, &out)
	}
	return out, err
}

package workflows

import (
	"fmt"
	"slices"
	"time"

	"billing/activities"

	"github.com/shopspring/decimal"

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
			if _, err := w.applyEvent(ctx, ev); err != nil {
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

// eventOutcome is what one event did to its installment.
type eventOutcome struct {
	decision      eventDecision
	before, after string // the installment's status
	paymentID     string
	rejected      bool // its claim was not what Asaas says
	seen          bool // a redelivery of an event already decided
}

// changed reports whether the event moved the installment's money or state.
func (o eventOutcome) changed() bool {
	return !o.seen && !o.rejected && o.decision.action != actIgnore
}

// applyEvent decides one event and applies the decision. A redelivered event
// (its key already seen) is dropped before any decision; an event of another
// account is recorded on that account's row only. An event that can never be
// applied (an error no retry fixes) is recorded as failed for a person to look
// at: one bad event must not stop the contract.
func (w *contractWorkflow) applyEvent(ctx workflow.Context, ev PaymentEvent) (eventOutcome, error) {
	if ev.EventKey != "" && slices.Contains(w.state.SeenEvents, ev.EventKey) {
		return eventOutcome{seen: true}, nil
	}
	if ev.AccountID != "" && ev.AccountID != w.state.AccountID {
		// Not remembered: the key is another account's.
		_, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
			EventKey: ev.EventKey, EventAccountID: ev.AccountID, Status: activities.EventIgnored,
			Reason: fmt.Sprintf("contract %s does not exist in this account", w.state.ContractID)})
		return eventOutcome{rejected: true}, err
	}
	out, err := w.decideAndApply(ctx, ev)
	if err != nil && final(err) {
		w.logger.Error("payment event could not be applied", "event", ev.EventKey, "error", err)
		out = eventOutcome{decision: eventDecision{action: actIgnore, reason: "could not be applied: " + errorMessage(err), notable: true}}
		_, err = w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
			EventKey: rowKey(ev), Status: activities.EventFailed, Reason: out.decision.reason, Notable: true})
	}
	if err != nil {
		return out, err
	}
	w.rememberEvent(ev.EventKey)
	return out, nil
}

// rowKey is the webhook row an event's outcome goes to: none for a state the
// contract found at Asaas itself.
func rowKey(ev PaymentEvent) string {
	if ev.Reconciled {
		return ""
	}
	return ev.EventKey
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

// decideAndApply decides an event from its installment's state and applies the
// decision. Money moves on an event's own word only when it is the installment's
// own charge with the value the charge asks and a plausible fee; anything else
// (another payment, another amount, a refund) is first checked with Asaas, and
// what Asaas says is applied or, when it does not confirm, the event is rejected.
func (w *contractWorkflow) decideAndApply(ctx workflow.Context, ev PaymentEvent) (eventOutcome, error) {
	inst := w.installment(ev.InstallmentNumber)
	d := w.decide(inst, ev)
	if !ev.Verified && w.needsGatewayCheck(inst, ev, d) {
		verdict, err := w.verifyPayment(ctx, inst, ev)
		if err != nil {
			return eventOutcome{}, err
		}
		if !verdict.Confirmed {
			reason := "not applied: " + verdict.Reason
			_, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionRecord,
				EventKey: rowKey(ev), Event: ev.Event, Number: ev.InstallmentNumber, AsaasPaymentID: ev.Payment.ID,
				Status: activities.EventRejected, Reason: reason, Notable: true})
			return eventOutcome{decision: eventDecision{action: actIgnore, reason: reason, notable: true}, rejected: true}, err
		}
		ev = verifiedEvent(ev, *verdict.Payment)
		d = w.decide(inst, ev)
	}
	if d.action == actUndoCash && w.state.Status == StatusCancelled {
		d = eventDecision{action: actIgnore, notable: true, reason: fmt.Sprintf(
			"the contract is cancelled: the cash receipt of installment %d was undone at Asaas, its payment is kept for a person to look at", inst.Number)}
	}
	out := eventOutcome{decision: d, paymentID: ev.Payment.ID}
	if inst != nil {
		out.before = inst.Status
	}
	in := activities.ContractEventInput{ContractRef: w.ref(), EventKey: rowKey(ev), Event: ev.Event,
		Number: ev.InstallmentNumber, AsaasPaymentID: ev.Payment.ID, Reconciled: ev.Reconciled, Before: out.before}
	p := ev.Payment
	var err error
	switch d.action {
	case actApply:
		pay := gatewayEventPayment(w.ref(), inst.Number, ev, d)
		var paid activities.PaymentApplied
		if paid, err = w.recordPayment(ctx, pay, ev.Reconciled, out.before); err == nil {
			err = w.retireOtherCharge(ctx, inst, p.ID)
		}
		if err == nil {
			err = w.readSplitBack(ctx, inst, paid.GatewayEntries)
		}
	case actSettle:
		in.Action, in.SettledOn, in.After = activities.ActionSettle, firstNonEmpty(p.PaymentDate, paidOn(p)), instPaid
		var res activities.ContractEventResult
		if res, err = w.runEvent(ctx, in); err == nil {
			inst.Payment.Status = activities.PaymentReceived
			err = w.readSplitBack(ctx, inst, res.GatewayEntries)
		}
	case actOverdue:
		in.Action, in.Source, in.After = activities.ActionOverdue, "gateway", instOverdue
		if ev.Reconciled {
			in.Source = "reconciled"
		}
		if _, err = w.runEvent(ctx, in); err == nil {
			inst.Status = instOverdue
		}
	case actReverse:
		in.Action, in.After = activities.ActionReverse, instRefunded
		if d.refunded.IsPositive() { // a partial refund (changeChargeLife): the installment stays paid
			in.RefundedTotal, in.After = d.refunded, instPaid
		}
		if _, err = w.runEvent(ctx, in); err == nil && d.refunded.IsPositive() {
			inst.Payment.Refunded = d.refunded
		} else if err == nil {
			inst.Status = instRefunded
			inst.Payment.Status = activities.PaymentRefunded
			if w.life >= chargeLife {
				inst.Payment.Refunded, inst.Payment.Hold, inst.Payment.SplitCheckAt = inst.Payment.Amount, "", time.Time{}
			}
		}
	case actChargeDeleted, actChargeRestored:
		in.Action, in.After = activities.ActionChargeRestored, out.before
		if d.action == actChargeDeleted {
			in.Action = activities.ActionChargeDeleted
		}
		if _, err = w.runEvent(ctx, in); err == nil {
			inst.ChargeDeleted = d.action == actChargeDeleted
		}
	case actRetireDuplicate:
		err = w.retireDuplicateCharge(ctx, inst, ev, d.reason)
	case actHold, actRelease, actUndoCash, actChargeUpdated:
		err = w.applyLife(ctx, inst, ev, d, in)
	default:
		in.Action, in.Status, in.Reason, in.Notable = activities.ActionRecord, activities.EventIgnored, d.reason, d.notable
		_, err = w.runEvent(ctx, in)
	}
	if inst != nil {
		out.after = inst.Status
	}
	return out, err
}

// needsGatewayCheck is the run's version of the rule below.
func (w *contractWorkflow) needsGatewayCheck(inst *InstallmentState, ev PaymentEvent, d eventDecision) bool {
	if w.life >= chargeLife {
		return needsGatewayCheckLife(inst, ev, d)
	}
	return needsGatewayCheck(inst, ev, d)
}

// needsGatewayCheck: the decisions that move money on an event's word unless the
// event is the installment's own charge, with the charge's value and a fee Asaas
// could have charged; a refund always.
func needsGatewayCheck(inst *InstallmentState, ev PaymentEvent, d eventDecision) bool {
	switch d.action {
	case actApply:
		p := ev.Payment
		return p.ID != inst.ChargeID || !p.Value.Equal(inst.Value) || (!d.manual && !plausibleFee(p))
	case actReverse:
		return true
	}
	return false
}

// plausibleFee: Asaas's fee (value − netValue) is between 0 and R$ 5.00 or 5% of
// the value, whichever is larger (R$ 1.99 for boleto and PIX, 0.49 + 2.99% to
// 4.99% for cards: asaas-sandbox-captures/FACTS.md). A netValue outside that
// would move the payees' money into the fee, so Asaas is asked.
func plausibleFee(p GatewayPayment) bool {
	fee := p.Value.Sub(p.NetValue)
	limit := decimal.Max(decimal.NewFromInt(5), p.Value.Mul(decimal.New(5, -2)))
	return !fee.IsNegative() && fee.LessThanOrEqual(limit)
}

// verifyPayment asks Asaas about the event's payment.
func (w *contractWorkflow) verifyPayment(ctx workflow.Context, inst *InstallmentState, ev PaymentEvent) (activities.PaymentVerdict, error) {
	var verdict activities.PaymentVerdict
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.VerifyPayment, activities.VerifyPaymentInput{
		ContractRef: w.ref(), Number: inst.Number, AsaasPaymentID: ev.Payment.ID, ChargeID: inst.ChargeID, Event: ev.Event,
		Life: w.life >= chargeLife,
	}).Get(ctx, &verdict)
	if rejected(err) {
		// Asaas cannot be asked (the account's settings are gone, or Asaas refuses):
		// nothing is applied on the event's word.
		return activities.PaymentVerdict{Reason: "Asaas could not be asked: " + errorMessage(err)}, nil
	}
	return verdict, err
}

// verifiedEvent is the event with its payment as Asaas holds it.
func verifiedEvent(ev PaymentEvent, p activities.GatewayPaymentInfo) PaymentEvent {
	ev.Payment = gatewayPaymentOf(p)
	ev.Verified = true
	return ev
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
		Amount: p.Value, Net: net, PaidOn: paidOn(p), Status: d.paymentStatus, EventKey: rowKey(ev),
	}
	if ev.Reconciled {
		in.Origin, in.InCash = activities.OriginReconciled, d.manual
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

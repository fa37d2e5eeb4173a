package workflows

import (
	"fmt"
	"time"

	"billing/activities"
	"billing/asaas"
	"billing/domain"

	"go.temporal.io/sdk/workflow"
)

// The charge's life after it is issued (docs/architecture.md, "Changes, holds and
// partial refunds"): events that hold a payment's split entries (chargeback,
// refund in progress), release them (chargeback won, refund denied), refund it in
// part, undo a cash receipt, or copy a change made to the charge at Asaas; and the
// read-back of the charge's split after payment.
//
// changeChargeLife versions all of it, taken once at the start of each run (after
// changeOneHopEvents): a run that started before it keeps deciding as before
// (decideForInstallment: these events do not change a contract, refunds are
// whole, reconciliation maps what it did) until it continues as new.
//
// Version 2 (splitReadLater) reads a payment's split back SplitReadAfter after
// it was applied instead of at the next loop turn: off the path that applies a
// burst of payments, and together with the others of that hour.
const (
	changeChargeLife = "charge-life"
	chargeLife       = workflow.Version(1)
	splitReadLater   = workflow.Version(2)
)

// changeFoundSplitRead versions the read-back of a gateway payment the contract
// finds at Asaas while doing something else (recordFoundPayment): mark-paid
// refused because the customer paid first, a change or re-issue whose charge
// turns out paid, a cancellation that finds a charge paid. Before it, such a
// payment was recorded and its split never read back: a split Asaas did not
// carry out never became a pending manual payout.
//
// Unlike changeChargeLife it is taken where it is needed, the first time a run
// finds such a payment with entries Asaas pays (and only on charge-life runs,
// which read splits back at all): a running contract reads back the payments it
// finds from then on, without waiting to continue as new, and a recorded run
// that found one before (no marker) replays as it ran.
//
// Version 1 (foundSplitRead): the found payment's split is read back as a
// webhook's is (readSplitBack: SplitReadAfter later, at the next loop turn on
// charge-life version 1), and the loop arms its wake timer again for it.
const (
	changeFoundSplitRead = "found-split-read"
	foundSplitRead       = workflow.Version(1)
)

// Asaas payment events of the charge's life.
const (
	evUpdated                    = asaas.EventPaymentUpdated
	evPartiallyRefunded          = asaas.EventPaymentPartiallyRefunded // not in seed 001: public integrations name it
	evRefundInProgress           = asaas.EventPaymentRefundInProgress
	evRefundDenied               = asaas.EventPaymentRefundDenied // not in seed 001: public integrations name it
	evReceivedInCashUndone       = asaas.EventPaymentReceivedInCashUndone
	evChargebackRequested        = asaas.EventPaymentChargebackRequested
	evChargebackDispute          = asaas.EventPaymentChargebackDispute
	evAwaitingChargebackReversal = asaas.EventPaymentAwaitingChargebackReversal
)

// Decisions of the charge's life.
const (
	actHold eventAction = iota + 100
	actRelease
	actUndoCash
	actChargeUpdated
)

// maxSplitChecks bounds the read-backs of a split Asaas has not settled yet
// (one at payment, then one every ReconcileEvery).
const maxSplitChecks = 5

// moneyEventLife: what decideWithLife must never drop unnoticed.
func moneyEventLife(event string) bool {
	switch event {
	case evPartiallyRefunded, evRefundInProgress, evReceivedInCashUndone,
		evChargebackRequested, evChargebackDispute, evAwaitingChargebackReversal:
		return true
	}
	return moneyEvent(event)
}

// holdOf is the hold an event puts on a payment.
func holdOf(event string) string {
	if event == evRefundInProgress {
		return activities.HoldRefund
	}
	return activities.HoldChargeback
}

// decideWithLife is decideForInstallment for runs from changeChargeLife on: the
// events of the charge's life, then everything else as before. Like it, it
// depends only on the installment's state.
//
//   - CHARGEBACK_REQUESTED / _DISPUTE / AWAITING_CHARGEBACK_REVERSAL and
//     REFUND_IN_PROGRESS hold the applied payment (its entries disputed);
//   - CONFIRMED / RECEIVED / DUNNING_RECEIVED of a held payment (a won
//     chargeback, seed 001) and REFUND_DENIED release it;
//   - REFUNDED and PARTIALLY_REFUNDED reverse it, in part when Asaas's refunds[]
//     say less than its amount (what Asaas says: the event is always verified);
//   - RECEIVED_IN_CASH_UNDONE undoes a cash receipt (our mark-paid, or one made
//     in the Asaas panel) and opens the installment again;
//   - UPDATED of the open installment's own charge copies its value and due date.
func decideWithLife(inst *InstallmentState, ev PaymentEvent) eventDecision {
	ignore := func(notable bool, format string, args ...any) eventDecision {
		return eventDecision{action: actIgnore, reason: fmt.Sprintf(format, args...), notable: notable && moneyEventLife(ev.Event)}
	}
	if inst == nil {
		return ignore(true, "the contract has no installment %d", ev.InstallmentNumber)
	}
	p := ev.Payment
	own := inst.Status == instPaid && inst.Payment != nil && inst.Payment.AsaasPaymentID == p.ID
	refundedOwn := inst.Payment != nil && inst.Payment.AsaasPaymentID == p.ID && inst.Payment.Status == activities.PaymentRefunded
	switch ev.Event {
	case evConfirmed, evReceived, evDunningReceived, evRefundDenied:
		if own && inst.Payment.Hold != "" && p.Status != asaasStatusInCash {
			return eventDecision{action: actRelease, reason: "hold (" + inst.Payment.Hold + ") released"}
		}
		if ev.Event == evRefundDenied {
			return ignore(false, "payment %s of installment %d is not held", p.ID, inst.Number)
		}
	case evChargebackRequested, evChargebackDispute, evAwaitingChargebackReversal, evRefundInProgress:
		hold := holdOf(ev.Event)
		switch {
		case refundedOwn:
			return ignore(false, "payment %s is already refunded", p.ID)
		case own && inst.Payment.Hold == hold:
			return ignore(false, "payment %s is already held (%s)", p.ID, hold)
		case own:
			return eventDecision{action: actHold, hold: hold, reason: "payment held (" + hold + ")"}
		}
		return ignore(true, "no applied payment %s on installment %d to hold", p.ID, inst.Number)
	case evRefunded, evPartiallyRefunded:
		if !own {
			return ignore(true, "no applied payment %s on installment %d to refund", p.ID, inst.Number)
		}
		partial := p.Refunded.IsPositive() && p.Refunded.LessThan(inst.Payment.Amount) && p.Status != asaas.StatusRefunded
		if !partial {
			return eventDecision{action: actReverse, reason: "payment refunded"}
		}
		if !p.Refunded.GreaterThan(inst.Payment.Refunded) {
			return ignore(false, "refund of %s of payment %s is already applied", domain.FormatMoney(p.Refunded), p.ID)
		}
		return eventDecision{action: actReverse, refunded: p.Refunded,
			reason: fmt.Sprintf("payment refunded in part (%s of %s)", domain.FormatMoney(p.Refunded), domain.FormatMoney(inst.Payment.Amount))}
	case evReceivedInCashUndone:
		if own && inst.Payment.Origin != activities.OriginGateway && inst.Payment.Status != activities.PaymentRefunded {
			return eventDecision{action: actUndoCash, reason: "cash receipt undone at Asaas"}
		}
		return ignore(true, "no cash receipt %s on installment %d to undo", p.ID, inst.Number)
	case evUpdated:
		if !payable(inst.Status) || inst.ChargeID != p.ID || inst.ChargeDeleted {
			return ignore(false, "charge %s of installment %d needs no change", p.ID, inst.Number)
		}
		sameValue := p.Value.IsZero() || p.Value.Equal(inst.Value)
		if sameValue && p.DueDate == inst.DueDate {
			return ignore(false, "installment %d already has the charge's value and due date", inst.Number)
		}
		if why := unusableAmounts(GatewayPayment{Value: p.Value, NetValue: p.NetValue}); p.Value.IsPositive() && why != "" {
			return ignore(true, "charge %s cannot be copied: %s", p.ID, why)
		}
		return eventDecision{action: actChargeUpdated, reason: "charge changed at Asaas"}
	}
	return decideForInstallment(inst, ev)
}

// decide is the decision of the run's version.
func (w *contractWorkflow) decide(inst *InstallmentState, ev PaymentEvent) eventDecision {
	if w.life >= chargeLife {
		return decideWithLife(inst, ev)
	}
	return decideForInstallment(inst, ev)
}

// needsGatewayCheckLife: from changeChargeLife on, every decision of the
// charge's life moves money or what is owed, so Asaas is asked first.
func needsGatewayCheckLife(inst *InstallmentState, ev PaymentEvent, d eventDecision) bool {
	switch d.action {
	case actHold, actRelease, actUndoCash, actChargeUpdated:
		return true
	}
	return needsGatewayCheck(inst, ev, d)
}

// applyLife applies a decision of the charge's life (decideAndApply does the
// others). in is the event's ApplyContractEvent input so far.
func (w *contractWorkflow) applyLife(ctx workflow.Context, inst *InstallmentState, ev PaymentEvent, d eventDecision, in activities.ContractEventInput) error {
	p := ev.Payment
	in.ChargeStatus = p.Status
	switch d.action {
	case actHold:
		in.Action, in.Hold, in.After = activities.ActionHold, d.hold, inst.Status
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Payment.Hold = d.hold
		inst.Payment.Holds++
	case actRelease:
		in.Action, in.After = activities.ActionRelease, inst.Status
		settle := inst.Payment.Status == activities.PaymentConfirmed && p.Status == asaas.StatusReceived
		if settle {
			in.SettledOn = firstNonEmpty(p.PaymentDate, paidOn(p))
		}
		res, err := w.runEvent(ctx, in)
		if err != nil {
			return err
		}
		inst.Payment.Hold = ""
		if settle {
			inst.Payment.Status = activities.PaymentReceived
			return w.readSplitBack(ctx, inst, res.GatewayEntries)
		}
	case actUndoCash:
		after := instOpen
		if due, err := time.Parse(time.DateOnly, inst.DueDate); err == nil && domain.IsOverdue(due, workflow.Now(ctx)) {
			after = instOverdue
		}
		in.Action, in.After = activities.ActionUndoCash, after
		in.ReopenContract = w.state.Status == StatusCompleted
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Status, inst.Payment, inst.Checks = after, nil, 0
		if in.ReopenContract {
			// Not complete any more: the installment is owed again.
			w.state.Status, w.state.CompletedAt = StatusActive, time.Time{}
		}
		w.rearm = true
	case actChargeUpdated:
		value, due := p.Value, p.DueDate
		if !value.IsPositive() {
			value = inst.Value
		}
		if due == "" {
			due = inst.DueDate
		}
		after := instOpen
		if d, err := time.Parse(time.DateOnly, due); err == nil && domain.IsOverdue(d, workflow.Now(ctx)) {
			after = instOverdue
		}
		if inst.Status == instScheduled {
			after = instScheduled
		}
		in.Action, in.Value, in.DueDate, in.After = activities.ActionChargeUpdated, value, due, after
		if _, err := w.runEvent(ctx, in); err != nil {
			return err
		}
		inst.Value, inst.DueDate, inst.Status, inst.Checks = value, due, after, 0
		w.rearm = true
	}
	return nil
}

// readSplitBack: a payment just received (or credited) whose entries Asaas pays
// in part through the charge's split (gatewayEntries > 0) is read back from
// Asaas — not in the batch that applied it (a payment stays one local activity),
// but SplitReadAfter later (at the next loop turn for runs before
// splitReadLater), together with every other read-back due (splitChecksDue:
// one activity). Payments applied from an event or a reconciled state come
// here from decideAndApply and applyLife; payments found by an update or the
// cancellation from recordFoundPayment (from changeFoundSplitRead on).
func (w *contractWorkflow) readSplitBack(ctx workflow.Context, inst *InstallmentState, gatewayEntries int) error {
	if w.life < chargeLife || gatewayEntries == 0 || inst.Payment == nil || inst.Payment.AsaasPaymentID == "" {
		return nil
	}
	at := workflow.Now(ctx)
	if w.life >= splitReadLater {
		at = at.Add(w.opts.SplitReadAfter)
	}
	inst.Payment.SplitCheckAt = at
	return nil
}

// splitCheckDue reports a split read-back due at now.
func (w *contractWorkflow) splitCheckDue(now time.Time) bool {
	at, ok := w.nextSplitCheck()
	return ok && !now.Before(at)
}

// nextSplitCheck is the earliest split read-back due.
func (w *contractWorkflow) nextSplitCheck() (time.Time, bool) {
	var at time.Time
	for _, inst := range w.state.Installments {
		if p := inst.Payment; p != nil && !p.SplitCheckAt.IsZero() && (at.IsZero() || p.SplitCheckAt.Before(at)) {
			at = p.SplitCheckAt
		}
	}
	return at, !at.IsZero()
}

// splitChecksDue asks Asaas, in one activity, how the splits of the payments
// whose read-back is due went (CheckSplitOutcome: entries whose split did not go
// through become pending manual payouts). A split Asaas has not settled yet is
// asked about again every ReconcileEvery, maxSplitChecks times at most, then
// surfaced on the contract for a person.
func (w *contractWorkflow) splitChecksDue(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	var due []*InstallmentState
	var todo []activities.SplitToCheck
	for i := range w.state.Installments {
		inst := &w.state.Installments[i]
		if p := inst.Payment; p != nil && !p.SplitCheckAt.IsZero() && !now.Before(p.SplitCheckAt) {
			due = append(due, inst)
			todo = append(todo, activities.SplitToCheck{Number: inst.Number, AsaasPaymentID: p.AsaasPaymentID})
		}
	}
	if len(todo) == 0 {
		return nil
	}
	var out []activities.SplitsChecked
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.CheckSplitOutcome, activities.CheckSplitsInput{
		ContractRef: w.ref(), Payments: todo,
	}).Get(ctx, &out)
	if rejected(err) {
		for _, inst := range due {
			inst.Payment.SplitCheckAt = time.Time{}
		}
		return w.recordError(ctx, due[0].Number, "read the split back from Asaas", err)
	}
	if err != nil {
		return err
	}
	for k, inst := range due {
		if k >= len(out) {
			break
		}
		p := inst.Payment
		p.SplitChecks++
		p.SplitCheckAt = time.Time{}
		open := out[k].Waiting + out[k].Unknown
		switch {
		case open == 0:
		case p.SplitChecks < maxSplitChecks:
			p.SplitCheckAt = now.Add(w.opts.ReconcileEvery)
		default:
			if err := w.recordError(ctx, inst.Number, "read the split back from Asaas", fmt.Errorf(
				"after %d checks Asaas has still not settled %d split(s) of payment %s: look at them in Asaas", p.SplitChecks, open, p.AsaasPaymentID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// reconciledEventLife is reconciledEvent from changeChargeLife on: what Asaas
// holds about an applied payment (a chargeback or refund open, a hold that
// ended, a partial refund, a cash receipt undone) and a change made to an open
// charge stand for their events too. Keys name the payment's state, so the same
// Asaas status found again after the contract moved on is a new event.
func reconciledEventLife(account string, inst *InstallmentState, f activities.FoundPayment) (PaymentEvent, bool) {
	if inst == nil {
		return PaymentEvent{}, false
	}
	p := f.Payment
	event, key := "", ""
	switch pay := inst.Payment; {
	case p.Deleted:
	case inst.Status == instPaid && pay != nil && pay.AsaasPaymentID == p.ID:
		state := fmt.Sprintf("%s:h%d:r%s", pay.ID, pay.Holds, pay.Refunded.StringFixed(2))
		switch p.Status {
		case asaas.StatusChargebackRequested, asaas.StatusChargebackDispute, asaas.StatusAwaitingChargebackReversal:
			if pay.Hold != activities.HoldChargeback {
				event = evChargebackRequested
			}
		case asaas.StatusRefundInProgress, asaas.StatusRefundRequested:
			if pay.Hold != activities.HoldRefund {
				event = evRefundInProgress
			}
		case asaas.StatusReceived, asaas.StatusConfirmed:
			switch {
			case pay.Hold != "":
				event = evReceived
				if p.Status == asaas.StatusConfirmed {
					event = evConfirmed
				}
			case p.Refunded.GreaterThan(pay.Refunded) && p.Refunded.LessThan(pay.Amount):
				event = evPartiallyRefunded
			}
		case asaas.StatusPending, asaas.StatusOverdue:
			if pay.Origin != activities.OriginGateway {
				event = evReceivedInCashUndone
			}
		}
		key = "reconciled:" + p.ID + ":" + p.Status + ":" + state
	case payable(inst.Status) && p.ID == inst.ChargeID && !inst.ChargeDeleted && (p.Status == asaas.StatusPending || p.Status == asaas.StatusOverdue):
		if (p.Value.IsPositive() && !p.Value.Equal(inst.Value)) || (p.DueDate != "" && p.DueDate != inst.DueDate) {
			event = evUpdated
			key = fmt.Sprintf("reconciled:%s:updated:%s:%s", p.ID, p.Value.StringFixed(2), p.DueDate)
		}
	}
	if event == "" {
		return reconciledEvent(account, inst, f)
	}
	return PaymentEvent{EventKey: key, Event: event, AccountID: account, InstallmentNumber: f.Number, Verified: true, Reconciled: true,
		Payment: gatewayPaymentOf(p)}, true
}

// gatewayPaymentOf is a payment read from Asaas as the contract decides on it.
func gatewayPaymentOf(p activities.GatewayPaymentInfo) GatewayPayment {
	return GatewayPayment{ID: p.ID, Status: p.Status, BillingType: p.BillingType, Value: p.Value, NetValue: p.NetValue,
		PaymentDate: p.PaymentDate, Deleted: p.Deleted, FromLink: p.FromLink, DueDate: p.DueDate, Refunded: p.Refunded}
}

package workflows

import (
	"time"

	"billing/activities"
	"billing/asaas"
	"billing/domain"

	"go.temporal.io/sdk/workflow"
)

// Reconciliation (docs/architecture.md): no webhook is assumed to arrive. When it
// hears nothing, the contract asks Asaas about its open installments — after
// each due date plus a grace period, before marking one overdue, then daily
// while it stays overdue — and what it finds takes the same decision as a
// webhook event, with origin "reconciled". Operators and the account's queue
// sweep ask for the same through ReconcileUpdate.

// checkAt is when the contract next asks Asaas about an installment, and false
// when it no longer does on its own.
func (w *contractWorkflow) checkAt(inst InstallmentState) (time.Time, bool) {
	if inst.Status != instOpen && inst.Status != instOverdue {
		return time.Time{}, false
	}
	due, err := time.Parse(time.DateOnly, inst.DueDate)
	if err != nil {
		return time.Time{}, false
	}
	after := w.opts.ReconcileGrace + time.Duration(inst.Checks)*w.opts.ReconcileEvery
	if after > w.opts.ReconcileGrace+w.opts.ReconcileFor {
		return time.Time{}, false
	}
	return domain.OverdueAt(due).Add(after), true
}

// reconcileDue asks Asaas about the installments whose check is due, then marks
// overdue what is still open past its due date.
func (w *contractWorkflow) reconcileDue(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	var due []int
	for _, inst := range w.state.Installments {
		if at, ok := w.checkAt(inst); ok && !now.Before(at) {
			due = append(due, inst.Number)
		}
	}
	if len(due) > 0 {
		if _, err := w.reconcile(ctx, due); err != nil {
			return err
		}
		for _, n := range due {
			w.installment(n).Checks++
		}
	}
	late := overdueInstallments(w.state.Installments, now)
	if len(late) > 0 {
		if _, err := w.runEvent(ctx, activities.ContractEventInput{ContractRef: w.ref(), Action: activities.ActionOverdue,
			Numbers: late, Source: "timer"}); err != nil {
			return err
		}
		for _, n := range late {
			w.installment(n).Status = instOverdue
		}
	}
	w.upsertSearchAttributes(ctx)
	return w.maybeComplete(ctx)
}

// reconcile asks Asaas about the installments and takes what it finds. A state
// Asaas holds that the contract cannot take (money for a cancelled installment,
// a second payment) is a mismatch, left for a person.
func (w *contractWorkflow) reconcile(ctx workflow.Context, numbers []int) (ReconcileResult, error) {
	todo := make([]activities.InstallmentToCheck, 0, len(numbers))
	for _, n := range numbers {
		if inst := w.installment(n); inst != nil {
			todo = append(todo, activities.InstallmentToCheck{Number: n, ChargeID: inst.ChargeID})
		}
	}
	res := ReconcileResult{Checked: len(todo)}
	if len(todo) == 0 {
		return res, nil
	}
	var found []activities.FoundPayment
	err := workflow.ExecuteActivity(gatewayActivity(ctx), a.CheckInstallments, activities.CheckInstallmentsInput{
		ContractRef: w.ref(), Installments: todo,
	}).Get(ctx, &found)
	if rejected(err) {
		res.Mismatches = append(res.Mismatches, Mismatch{Detail: "Asaas could not be asked: " + errorMessage(err)})
		return res, nil
	}
	if err != nil {
		return res, err
	}
	for _, f := range found {
		ev, ok := reconciledEvent(w.state.AccountID, w.installment(f.Number), f)
		if w.life >= chargeLife {
			ev, ok = reconciledEventLife(w.state.AccountID, w.installment(f.Number), f)
		}
		if !ok {
			continue
		}
		out, err := w.applyEvent(ctx, ev)
		if err != nil {
			return res, err
		}
		switch {
		case out.changed():
			res.Repairs = append(res.Repairs, Repair{Number: f.Number, AsaasPaymentID: f.Payment.ID, Event: ev.Event, Before: out.before, After: out.after})
		case out.decision.notable:
			res.Mismatches = append(res.Mismatches, Mismatch{Number: f.Number, AsaasPaymentID: f.Payment.ID, Event: ev.Event, Detail: out.decision.reason})
		}
	}
	return res, nil
}

// reconciledEvent is the event a payment found at Asaas stands for, false when
// it tells the contract nothing (its own charge still waiting, as it knows).
func reconciledEvent(account string, inst *InstallmentState, f activities.FoundPayment) (PaymentEvent, bool) {
	if inst == nil {
		return PaymentEvent{}, false
	}
	p := f.Payment
	own := p.ID == inst.ChargeID
	var event string
	switch {
	case p.Deleted && own:
		event = evDeleted
	case p.Deleted:
		return PaymentEvent{}, false
	case p.Status == asaas.StatusConfirmed:
		event = evConfirmed
	case p.Status == asaas.StatusReceived || p.Status == asaas.StatusReceivedInCash:
		event = evReceived
	case p.Status == asaas.StatusRefunded:
		event = evRefunded
	case own && inst.ChargeDeleted && (p.Status == asaas.StatusPending || p.Status == asaas.StatusOverdue):
		event = evRestored
	case own && p.Status == asaas.StatusOverdue:
		event = evOverdue
	case !own && !p.FromLink && (p.Status == asaas.StatusPending || p.Status == asaas.StatusOverdue):
		event = evCreated // a stray charge of ours
	default:
		return PaymentEvent{}, false
	}
	key := "reconciled:" + p.ID + ":" + p.Status
	if p.Deleted {
		key += ":deleted"
	}
	return PaymentEvent{EventKey: key, Event: event, AccountID: account, InstallmentNumber: f.Number, Verified: true, Reconciled: true,
		Payment: GatewayPayment{ID: p.ID, Status: p.Status, BillingType: p.BillingType, Value: p.Value, NetValue: p.NetValue,
			PaymentDate: p.PaymentDate, Deleted: p.Deleted, FromLink: p.FromLink}}, true
}

func (w *contractWorkflow) validateReconcile(_ workflow.Context, _ ReconcileRequest) error {
	return nil
}

// reconcileNow is ReconcileUpdate: every installment is asked about (the
// refunds of paid ones, stray charges of cancelled ones too).
func (w *contractWorkflow) reconcileNow(ctx workflow.Context, _ ReconcileRequest) (ReconcileResult, error) {
	var out ReconcileResult
	err := w.locked(ctx, func(ctx workflow.Context) error {
		numbers := make([]int, 0, len(w.state.Installments))
		for _, inst := range w.state.Installments {
			if inst.Status != instRefunded && inst.Status != instScheduled {
				numbers = append(numbers, inst.Number)
			}
		}
		var err error
		if out, err = w.reconcile(ctx, numbers); err != nil {
			return err
		}
		w.upsertSearchAttributes(ctx)
		return w.maybeComplete(ctx)
	})
	return out, err
}

// changeReconcileBeforeClosing: a contract asks Asaas about all its installments
// before it completes or once it is cancelled.
const changeReconcileBeforeClosing = "reconcile-before-closing"

// reconcileBeforeClosing asks Asaas about every installment before the contract
// completes, or once it is cancelled: a charge of ours the webhooks never told
// about (a create that timed out and was applied later, whose PAYMENT_CREATED was
// lost) must not stay open for a customer to pay twice, and a refund or payment
// that was missed must be in the books before the contract closes. closes is
// false when what it found leaves an installment to pay.
func (w *contractWorkflow) reconcileBeforeClosing(ctx workflow.Context) (closes bool, err error) {
	if workflow.GetVersion(ctx, changeReconcileBeforeClosing, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return true, nil
	}
	numbers := make([]int, 0, len(w.state.Installments))
	for _, inst := range w.state.Installments {
		if inst.ChargeID != "" {
			numbers = append(numbers, inst.Number)
		}
	}
	if _, err := w.reconcile(ctx, numbers); err != nil {
		return false, err
	}
	for _, inst := range w.state.Installments {
		if payable(inst.Status) {
			return false, nil
		}
	}
	return true, nil
}

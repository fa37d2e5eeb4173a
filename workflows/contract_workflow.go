package workflows

import (
	"time"

	"billing/activities"
	"billing/domain"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// a is the activities' method set; the workflow only names methods through it.
var a *activities.Activities

// ContractWorkflow runs one contract from activation to completion or cancellation.
func ContractWorkflow(ctx workflow.Context, in ContractInput) error {
	w, err := newContractWorkflow(ctx, in)
	if err != nil {
		return err
	}
	return w.run(ctx)
}

type contractWorkflow struct {
	// version is the run's event path: workflow.DefaultVersion (contract_events_v0.go)
	// for runs that started before the one-hop change, oneHopEvents after it.
	version workflow.Version
	// life is the run's version of the charge's life (contract_life.go):
	// workflow.DefaultVersion for runs that started before it, chargeLife after.
	life     workflow.Version
	rearm    bool // a change moved a due date: arm the wake timer again
	input    ContractInput
	opts     ContractOptions
	state    ContractState
	lock     workflow.Mutex // every state change that awaits an activity holds it
	payments workflow.ReceiveChannel
	logger   log.Logger
	wake     *wakeTimer
}

// changeOneHopEvents versions the event path: the webhook handler signals the
// contract, which applies every pending event in one workflow task through one
// local activity each, dedupes on event keys, keeps a timer that is due earlier
// than needed, and lingers after cancellation (docs/architecture.md).
const (
	changeOneHopEvents = "one-hop-events"
	oneHopEvents       = workflow.Version(1)
)

// wakeTimer is the one timer the contract keeps: the next overdue check, or the end
// of the late-event window. It is replaced only when its deadline changes (from
// oneHopEvents on, only when it moves earlier: a timer that fires early finds
// nothing to do and is armed again, which costs less than replacing it on every
// payment).
type wakeTimer struct {
	at     time.Time
	future workflow.Future
	cancel workflow.CancelFunc
}

func newContractWorkflow(ctx workflow.Context, in ContractInput) (*contractWorkflow, error) {
	w := &contractWorkflow{
		input:    in,
		opts:     in.Options.withDefaults(),
		lock:     workflow.NewMutex(ctx),
		payments: workflow.GetSignalChannel(ctx, PaymentEventSignal),
		logger:   workflow.GetLogger(ctx),
	}
	if in.State != nil {
		w.state = *in.State
	} else {
		w.state = ContractState{AccountID: in.AccountID, ContractID: in.ContractID, Status: StatusActive}
	}
	if err := workflow.SetQueryHandler(ctx, StateQuery, func() (ContractView, error) { return w.view(), nil }); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, MarkPaidUpdate, w.markPaid,
		workflow.UpdateHandlerOptions{Validator: w.validateMarkPaid}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, CancelUpdate, w.cancel,
		workflow.UpdateHandlerOptions{Validator: w.validateCancel}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, ReconcileUpdate, w.reconcileNow,
		workflow.UpdateHandlerOptions{Validator: w.validateReconcile}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, ChangeInstallmentUpdate, w.changeInstallment,
		workflow.UpdateHandlerOptions{Validator: w.validateChangeInstallment}); err != nil {
		return nil, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, ReissueChargeUpdate, w.reissueCharge,
		workflow.UpdateHandlerOptions{Validator: w.validateReissueCharge}); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *contractWorkflow) ref() activities.ContractRef {
	return activities.ContractRef{AccountID: w.state.AccountID, ContractID: w.state.ContractID}
}

func (w *contractWorkflow) run(ctx workflow.Context) error {
	w.version = workflow.GetVersion(ctx, changeOneHopEvents, workflow.DefaultVersion, oneHopEvents)
	if w.version >= oneHopEvents {
		w.life = workflow.GetVersion(ctx, changeChargeLife, workflow.DefaultVersion, splitReadLater)
	}
	if err := w.locked(ctx, w.start); err != nil {
		return err
	}
	for !w.closed(ctx) {
		if w.shouldContinueAsNew(ctx) {
			return w.continueAsNew(ctx)
		}
		if w.life >= chargeLife && w.splitCheckDue(workflow.Now(ctx)) {
			// Payments received in the last batch: their splits read back, all at once.
			if err := w.locked(ctx, w.splitChecksDue); err != nil {
				return err
			}
			continue
		}
		w.armWakeTimer(ctx)
		if err := workflow.Await(ctx, func() bool {
			return w.hasPayment() || w.wakeDue() || w.closed(ctx) || w.shouldContinueAsNew(ctx) || w.rearm
		}); err != nil {
			return err
		}
		w.rearm = false // the loop arms the timer again at its top
		if w.version >= oneHopEvents && w.shouldContinueAsNew(ctx) {
			continue // what is pending moves to the next run, which applies it
		}
		switch {
		case w.hasPayment():
			if err := w.applyPayments(ctx); err != nil {
				return err
			}
		case w.wakeDue():
			w.wake = nil
			if err := w.locked(ctx, w.onWake); err != nil {
				return err
			}
		}
	}
	// Closing: events that raced the end are still recorded, handlers finish first.
	if err := w.drain(ctx); err != nil {
		return err
	}
	w.logger.Info("contract workflow closing", "status", w.state.Status)
	return nil
}

// start activates the contract and issues its charges, once per contract (state
// carried through continue-as-new says what is already done).
func (w *contractWorkflow) start(ctx workflow.Context) error {
	if !w.state.Activated {
		var plan activities.ContractPlan
		if err := workflow.ExecuteActivity(dbActivity(ctx), a.ActivateContract, activities.ActivateContractInput{
			ContractRef: w.ref(), ActivatedBy: w.input.ActivatedBy,
		}).Get(ctx, &plan); err != nil {
			return err
		}
		w.state.ClientID = plan.ClientID
		w.state.Installments = make([]InstallmentState, len(plan.Installments))
		for i, p := range plan.Installments {
			w.state.Installments[i] = InstallmentState{Number: p.Number, Value: p.Value, DueDate: p.DueDate, Status: p.Status, ChargeID: p.ChargeID}
		}
		if plan.Status == StatusCompleted || plan.Status == StatusCancelled {
			w.state.Status = plan.Status // a contract closed outside this run: nothing to do
		}
		w.state.Activated = true
		w.upsertSearchAttributes(ctx)
	}
	if !w.state.ChargesIssued && w.state.Status == StatusActive {
		if err := w.issueCharges(ctx); err != nil {
			return err
		}
		w.state.ChargesIssued = true
		w.upsertSearchAttributes(ctx)
	}
	return w.maybeComplete(ctx)
}

// locked runs fn holding the state lock, so an update handler and the main loop
// never interleave between an activity call and the state change it justifies.
func (w *contractWorkflow) locked(ctx workflow.Context, fn func(workflow.Context) error) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	return fn(ctx)
}

func (w *contractWorkflow) hasPayment() bool {
	return len(w.state.Pending) > 0 || w.payments.Len() > 0
}

// applyPayments applies what payment events have arrived: all of them in one
// go from oneHopEvents on, the oldest one before.
func (w *contractWorkflow) applyPayments(ctx workflow.Context) error {
	if w.version == workflow.DefaultVersion {
		return w.applyNextPayment(ctx)
	}
	return w.applyPendingEvents(ctx)
}

// closed: completed (or, from oneHopEvents on, cancelled) and past the late-event
// window. Before, a cancelled contract closed at once.
func (w *contractWorkflow) closed(ctx workflow.Context) bool {
	end, ok := w.lateWindowEnd()
	if w.state.Status == StatusCancelled && !ok {
		return true
	}
	return ok && !workflow.Now(ctx).Before(end)
}

// lateWindowEnd is when a closed contract stops listening for late events
// (refunds and chargebacks of its payments, stray charges to retire).
func (w *contractWorkflow) lateWindowEnd() (time.Time, bool) {
	switch {
	case w.state.Status == StatusCompleted:
		return w.state.CompletedAt.Add(w.opts.LateEventWindow), true
	case w.state.Status == StatusCancelled && w.version >= oneHopEvents:
		return w.state.CancelledAt.Add(w.opts.LateEventWindow), true
	}
	return time.Time{}, false
}

func (w *contractWorkflow) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > w.opts.MaxHistoryLength
}

// drain applies every payment event already delivered and waits for running
// update handlers, repeating until both are empty, so nothing is lost when the
// workflow closes.
func (w *contractWorkflow) drain(ctx workflow.Context) error {
	for {
		for w.hasPayment() {
			if err := w.applyPayments(ctx); err != nil {
				return err
			}
		}
		if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
			return err
		}
		if !w.hasPayment() {
			return nil
		}
	}
}

// continueAsNew lets running update handlers finish, then moves the signals not
// yet applied into the carried state (no activity runs in between, so no new
// signal can slip in) and starts the next run with the whole state.
func (w *contractWorkflow) continueAsNew(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return err
	}
	for {
		var ev PaymentEvent
		if !w.payments.ReceiveAsync(&ev) {
			break
		}
		w.state.Pending = append(w.state.Pending, ev)
	}
	w.state.Runs++
	if w.wake != nil {
		w.wake.cancel()
	}
	w.logger.Info("continuing as new", "history_length", workflow.GetInfo(ctx).GetCurrentHistoryLength(), "runs", w.state.Runs, "carried_events", len(w.state.Pending))
	next := w.input
	state := w.state
	next.State = &state
	return workflow.NewContinueAsNewError(ctx, ContractWorkflow, next)
}

// nextWake is when the workflow must act without a message: when the earliest
// open installment becomes overdue (Asaas marks charges overdue at midnight in
// São Paulo), or the end of the late-event window of a closed contract.
func (w *contractWorkflow) nextWake() (time.Time, bool) {
	at, ok := w.nextDueWake()
	if w.life >= chargeLife {
		if split, due := w.nextSplitCheck(); due && (!ok || split.Before(at)) {
			return split, true
		}
	}
	return at, ok
}

// nextDueWake is nextWake without the split read-backs (the runs before
// changeChargeLife had none).
func (w *contractWorkflow) nextDueWake() (time.Time, bool) {
	if end, ok := w.lateWindowEnd(); ok {
		return end, true
	}
	if w.state.Status != StatusActive {
		return time.Time{}, false
	}
	var earliest time.Time
	for _, inst := range w.state.Installments {
		at, ok := w.checkAt(inst)
		if w.version == workflow.DefaultVersion {
			at, ok = firstPathOverdueAt(inst)
		}
		if ok && (earliest.IsZero() || at.Before(earliest)) {
			earliest = at
		}
	}
	return earliest, !earliest.IsZero()
}

// firstPathOverdueAt: on the first event path the contract woke when an open
// installment became overdue, and asked Asaas nothing.
func firstPathOverdueAt(inst InstallmentState) (time.Time, bool) {
	if inst.Status != instOpen {
		return time.Time{}, false
	}
	due, err := time.Parse(time.DateOnly, inst.DueDate)
	if err != nil {
		return time.Time{}, false
	}
	return domain.OverdueAt(due), true
}

func (w *contractWorkflow) armWakeTimer(ctx workflow.Context) {
	at, ok := w.nextWake()
	if w.wake != nil && ok && w.wake.at.Equal(at) {
		return
	}
	if w.version >= oneHopEvents && w.wake != nil && (!ok || w.wake.at.Before(at)) {
		return // an earlier timer stays: it wakes, finds nothing due and is armed again
	}
	if w.wake != nil {
		w.wake.cancel()
		w.wake = nil
	}
	if !ok {
		return
	}
	d := at.Sub(workflow.Now(ctx))
	if d < time.Millisecond {
		d = time.Millisecond
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	w.wake = &wakeTimer{at: at, cancel: cancel,
		future: workflow.NewTimerWithOptions(timerCtx, d, workflow.TimerOptions{Summary: "next due-date check"})}
}

func (w *contractWorkflow) wakeDue() bool { return w.wake != nil && w.wake.future.IsReady() }

// onWake asks Asaas about installments nothing settled and marks overdue what
// still is (the first event path only marked them), or lets the late-event
// window end.
func (w *contractWorkflow) onWake(ctx workflow.Context) error {
	if w.life >= chargeLife {
		if err := w.splitChecksDue(ctx); err != nil {
			return err
		}
	}
	if w.state.Status != StatusActive {
		return nil
	}
	if w.version >= oneHopEvents {
		return w.reconcileDue(ctx)
	}
	late := overdueInstallments(w.state.Installments, workflow.Now(ctx))
	if len(late) == 0 {
		return nil
	}
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.MarkOverdue, activities.MarkOverdueInput{
		ContractRef: w.ref(), Numbers: late, Source: "timer",
	}).Get(ctx, nil); err != nil {
		return err
	}
	for _, n := range late {
		w.installment(n).Status = instOverdue
	}
	w.upsertSearchAttributes(ctx)
	return nil
}

// overdueInstallments are the open installments overdue at now (domain.IsOverdue:
// never on the due day itself).
func overdueInstallments(installments []InstallmentState, now time.Time) []int {
	var late []int
	for _, inst := range installments {
		if inst.Status != instOpen {
			continue
		}
		if due, err := time.Parse(time.DateOnly, inst.DueDate); err == nil && domain.IsOverdue(due, now) {
			late = append(late, inst.Number)
		}
	}
	return late
}

func (w *contractWorkflow) installment(n int) *InstallmentState {
	for i := range w.state.Installments {
		if w.state.Installments[i].Number == n {
			return &w.state.Installments[i]
		}
	}
	return nil
}

// maybeComplete completes an active contract once no installment can be paid any more.
func (w *contractWorkflow) maybeComplete(ctx workflow.Context) error {
	if w.state.Status != StatusActive || w.state.Cancelling || len(w.state.Installments) == 0 {
		return nil
	}
	for _, inst := range w.state.Installments {
		if payable(inst.Status) {
			return nil
		}
	}
	if closes, err := w.reconcileBeforeClosing(ctx); err != nil || !closes {
		return err
	}
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.CompleteContract, activities.CompleteContractInput{ContractRef: w.ref()}).Get(ctx, nil); err != nil {
		return err
	}
	w.state.Status = StatusCompleted
	w.state.CompletedAt = workflow.Now(ctx)
	w.upsertSearchAttributes(ctx)
	return nil
}

func (w *contractWorkflow) view() ContractView {
	v := ContractView{ContractState: w.state, TotalPaid: decimal.Zero, Outstanding: decimal.Zero}
	for _, inst := range w.state.Installments {
		switch {
		case inst.Status == instPaid && inst.Payment != nil:
			v.PaidInstallments++
			v.TotalPaid = v.TotalPaid.Add(inst.Payment.Amount.Sub(inst.Payment.Refunded))
		case payable(inst.Status):
			v.Outstanding = v.Outstanding.Add(inst.Value)
			if v.NextDueDate == "" || inst.DueDate < v.NextDueDate {
				v.NextDueDate = inst.DueDate
			}
		}
	}
	return v
}

// upsertSearchAttributes keeps the Temporal UI's view of the contract current,
// writing only the attributes that changed (each upsert is a history event).
func (w *contractWorkflow) upsertSearchAttributes(ctx workflow.Context) {
	v := w.view()
	current := workflow.GetTypedSearchAttributes(ctx)
	var updates []temporal.SearchAttributeUpdate
	if s, _ := current.GetKeyword(ContractStatusKey); s != w.state.Status {
		updates = append(updates, ContractStatusKey.ValueSet(w.state.Status))
	}
	if s, _ := current.GetKeyword(AccountIDKey); s != w.state.AccountID {
		updates = append(updates, AccountIDKey.ValueSet(w.state.AccountID))
	}
	if s, _ := current.GetKeyword(CustomerIDKey); w.state.ClientID != "" && s != w.state.ClientID {
		updates = append(updates, CustomerIDKey.ValueSet(w.state.ClientID))
	}
	if n, ok := current.GetInt64(PaidInstallmentsKey); !ok || n != int64(v.PaidInstallments) {
		updates = append(updates, PaidInstallmentsKey.ValueSet(int64(v.PaidInstallments)))
	}
	next, _ := time.Parse(time.DateOnly, v.NextDueDate)
	if t, ok := current.GetTime(NextDueDateKey); v.NextDueDate == "" && ok {
		updates = append(updates, NextDueDateKey.ValueUnset())
	} else if v.NextDueDate != "" && (!ok || !t.Equal(next)) {
		updates = append(updates, NextDueDateKey.ValueSet(next))
	}
	if len(updates) == 0 {
		return
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		w.logger.Warn("search attributes not updated", "error", err)
	}
}

package workflows

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"billing/activities"

	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
)

// fakeActivities stands in for PostgreSQL and Asaas in workflow unit tests. Its
// methods have the real activities' names, so the workflow calls them unchanged;
// it records every call so tests can check what happened, in which order.
type fakeActivities struct {
	mu       sync.Mutex
	plan     activities.ContractPlan
	calls    []string
	rejected map[int]string // installment → Asaas validation message on IssueCharge
	cash     activities.GatewayOutcome
	deletes  map[int]activities.GatewayOutcome
	applied  map[int]activities.ApplyPaymentInput
	outcomes []activities.EventOutcomeInput
	route    activities.EventRoute
	applyErr map[int]error    // installment → a final ApplyPayment error
	onApply  func(number int) // called as a payment is applied, outside the lock
	onCash   func(number int) // called as a charge is received in cash, outside the lock
	asaas    map[string]fakePayment
	// The charge's life: what UpdateCharge answers per installment (default
	// done), ReissueCharge's Asaas rejections, the gateway entries of received
	// payments, and CheckSplitOutcome's answers per installment (in turn).
	updates      map[int]activities.GatewayOutcome
	reissueErr   map[int]string
	reissued     int
	gateway      int
	splitAnswers map[int][]activities.SplitsChecked
}

func newFake(values ...string) *fakeActivities {
	f := &fakeActivities{rejected: map[int]string{}, deletes: map[int]activities.GatewayOutcome{}, applied: map[int]activities.ApplyPaymentInput{}}
	f.plan = activities.ContractPlan{ClientID: "client-1", Status: "active"}
	for i, v := range values {
		f.plan.Installments = append(f.plan.Installments, activities.PlannedInstallment{
			Number: i + 1, Value: decimal.RequireFromString(v), DueDate: fmt.Sprintf("2030-%02d-10", i+1), Status: "scheduled",
		})
	}
	return f
}

func (f *fakeActivities) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeActivities) callsWith(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeActivities) ActivateContract(_ context.Context, in activities.ActivateContractInput) (activities.ContractPlan, error) {
	f.record("ActivateContract")
	return f.plan, nil
}

func (f *fakeActivities) EnsureCustomer(_ context.Context, _ activities.ContractRef) (string, error) {
	f.record("EnsureCustomer")
	return "cus_000000000001", nil
}

func (f *fakeActivities) IssueCharge(_ context.Context, in activities.IssueChargeInput) (activities.ChargeIssued, error) {
	f.record("IssueCharge:%d", in.Number)
	f.mu.Lock()
	msg, bad := f.rejected[in.Number]
	f.mu.Unlock()
	if bad {
		return activities.ChargeIssued{}, temporal.NewNonRetryableApplicationError(msg, ErrTypeAsaasRejected, nil)
	}
	return activities.ChargeIssued{AsaasPaymentID: fmt.Sprintf("pay_%d", in.Number), Status: "PENDING"}, nil
}

func (f *fakeActivities) RecordContractError(_ context.Context, in activities.ContractErrorInput) error {
	f.record("RecordContractError:%d:%s", in.Number, in.Message)
	return nil
}

func (f *fakeActivities) ApplyPayment(_ context.Context, in activities.ApplyPaymentInput) (activities.PaymentApplied, error) {
	f.record("ApplyPayment:%d:%s:%s:%s", in.Number, in.Origin, in.Amount, in.Status)
	if f.onApply != nil {
		f.onApply(in.Number)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.applyErr[in.Number]; err != nil {
		return activities.PaymentApplied{}, err
	}
	if _, dup := f.applied[in.Number]; dup {
		return activities.PaymentApplied{}, fmt.Errorf("installment %d paid twice", in.Number)
	}
	f.applied[in.Number] = in
	out := activities.PaymentApplied{PaymentID: fmt.Sprintf("payment-%d", in.Number), Created: true}
	if in.Status == activities.PaymentReceived && in.Origin != activities.OriginManual {
		out.GatewayEntries = f.gateway
	}
	return out, nil
}

func (f *fakeActivities) SettlePayment(_ context.Context, in activities.SettlePaymentInput) error {
	f.record("SettlePayment:%d", in.Number)
	return nil
}

func (f *fakeActivities) MarkOverdue(_ context.Context, in activities.MarkOverdueInput) error {
	f.record("MarkOverdue:%v:%s", in.Numbers, in.Source)
	return nil
}

func (f *fakeActivities) ReversePayment(_ context.Context, in activities.ReversePaymentInput) error {
	f.record("ReversePayment:%d", in.Number)
	return nil
}

func (f *fakeActivities) RecordChargeDeleted(_ context.Context, in activities.ChargeDeletedInput) error {
	f.record("RecordChargeDeleted:%d:%v", in.Number, in.Deleted)
	return nil
}

func (f *fakeActivities) RecordEventOutcome(_ context.Context, in activities.EventOutcomeInput) error {
	f.record("RecordEventOutcome:%s:%s", in.Status, in.EventKey)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.outcomes = append(f.outcomes, in)
	return nil
}

func (f *fakeActivities) ReceiveInCash(_ context.Context, in activities.ReceiveInCashInput) (activities.GatewayOutcome, error) {
	f.record("ReceiveInCash:%d", in.Number)
	if f.onCash != nil {
		f.onCash(in.Number)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cash.Outcome == "" {
		return activities.GatewayOutcome{Outcome: activities.OutcomeDone}, nil
	}
	return f.cash, nil
}

func (f *fakeActivities) DeleteCharge(_ context.Context, in activities.DeleteChargeInput) (activities.GatewayOutcome, error) {
	f.record("DeleteCharge:%d", in.Number)
	f.mu.Lock()
	defer f.mu.Unlock()
	if out, ok := f.deletes[in.Number]; ok {
		return out, nil
	}
	return activities.GatewayOutcome{Outcome: activities.OutcomeDone}, nil
}

func (f *fakeActivities) FinishCancellation(_ context.Context, in activities.FinishCancellationInput) error {
	c := append([]int(nil), in.Cancelled...)
	sort.Ints(c)
	f.record("FinishCancellation:%v:%d", c, in.DeletedCharges)
	return nil
}

func (f *fakeActivities) CompleteContract(_ context.Context, _ activities.CompleteContractInput) error {
	f.record("CompleteContract")
	return nil
}

func (f *fakeActivities) RouteWebhookEvent(_ context.Context, ev activities.WebhookEvent) (activities.EventRoute, error) {
	f.record("RouteWebhookEvent:%s", ev.EventKey)
	return f.route, nil
}

// ApplyContractEvent is the one activity of the event path; the fake records each
// decision under the name of the activity that used to carry it, so a test reads
// the same whichever path ran.
func (f *fakeActivities) ApplyContractEvent(ctx context.Context, in activities.ContractEventInput) (activities.ContractEventResult, error) {
	switch in.Action {
	case activities.ActionApply:
		p, err := f.ApplyPayment(ctx, *in.Payment)
		return activities.ContractEventResult{Status: activities.EventProcessed, Payment: &p, GatewayEntries: p.GatewayEntries}, err
	case activities.ActionSettle:
		f.record("SettlePayment:%d", in.Number)
		return activities.ContractEventResult{Status: activities.EventProcessed, GatewayEntries: f.gateway}, nil
	case activities.ActionHold:
		f.record("Hold:%d:%s:%s", in.Number, in.Hold, in.ChargeStatus)
	case activities.ActionRelease:
		f.record("Release:%d:%s", in.Number, in.SettledOn)
		if in.SettledOn != "" {
			return activities.ContractEventResult{Status: activities.EventProcessed, GatewayEntries: f.gateway}, nil
		}
	case activities.ActionUndoCash:
		f.record("UndoCash:%d:%s:%v", in.Number, in.After, in.ReopenContract)
		f.mu.Lock()
		delete(f.applied, in.Number)
		f.mu.Unlock()
	case activities.ActionChargeUpdated:
		f.record("ChargeUpdated:%d:%s:%s:%s", in.Number, in.Value, in.DueDate, in.After)
	case activities.ActionOverdue:
		numbers := in.Numbers
		if len(numbers) == 0 {
			numbers = []int{in.Number}
		}
		f.record("MarkOverdue:%v:%s", numbers, in.Source)
	case activities.ActionReverse:
		if in.RefundedTotal.IsPositive() {
			f.record("ReversePayment:%d:partial:%s", in.Number, in.RefundedTotal)
		} else {
			f.record("ReversePayment:%d", in.Number)
		}
	case activities.ActionChargeDeleted, activities.ActionChargeRestored:
		f.record("RecordChargeDeleted:%d:%v", in.Number, in.Action == activities.ActionChargeDeleted)
	case activities.ActionRecord:
		acct := in.AccountID
		if in.EventAccountID != "" {
			acct = in.EventAccountID
		}
		if err := f.RecordEventOutcome(ctx, activities.EventOutcomeInput{AccountID: acct, EventKey: in.EventKey,
			Status: in.Status, Reason: in.Reason, ContractID: in.ContractID, Notable: in.Notable}); err != nil {
			return activities.ContractEventResult{}, err
		}
	default:
		return activities.ContractEventResult{}, fmt.Errorf("unknown action %q", in.Action)
	}
	return activities.ContractEventResult{Status: activities.EventProcessed}, nil
}

// asaas is the fake's gateway: what Asaas holds, per payment id, for
// VerifyPayment and CheckInstallments (a payment's installment stands for its
// externalReference).
type fakePayment struct {
	number int
	info   activities.GatewayPaymentInfo
}

func (f *fakeActivities) atAsaas(number int, info activities.GatewayPaymentInfo) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asaas == nil {
		f.asaas = map[string]fakePayment{}
	}
	f.asaas[info.ID] = fakePayment{number: number, info: info}
}

// VerifyPayment answers like the real one, from what the fake's Asaas holds.
func (f *fakeActivities) VerifyPayment(_ context.Context, in activities.VerifyPaymentInput) (activities.PaymentVerdict, error) {
	f.record("VerifyPayment:%d:%s", in.Number, in.AsaasPaymentID)
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.asaas[in.AsaasPaymentID]
	switch {
	case !ok:
		return activities.PaymentVerdict{Reason: "Asaas does not know payment " + in.AsaasPaymentID}, nil
	case p.number != in.Number && p.info.ID != in.ChargeID:
		return activities.PaymentVerdict{Reason: "not this installment's"}, nil
	case p.info.Deleted:
		return activities.PaymentVerdict{Reason: "deleted"}, nil
	}
	paid := p.info.Status == "RECEIVED" || p.info.Status == "CONFIRMED" || p.info.Status == "RECEIVED_IN_CASH"
	info := p.info
	if in.Life {
		if fakeConfirms(in.Event, info) {
			return activities.PaymentVerdict{Confirmed: true, Payment: &info}, nil
		}
		return activities.PaymentVerdict{Reason: "Asaas says payment " + p.info.ID + " is " + p.info.Status}, nil
	}
	if (in.Event == evRefunded) != (p.info.Status == "REFUNDED") || (in.Event != evRefunded && !paid) {
		return activities.PaymentVerdict{Reason: "Asaas says payment " + p.info.ID + " is " + p.info.Status}, nil
	}
	return activities.PaymentVerdict{Confirmed: true, Payment: &info}, nil
}

// fakeConfirms is the real VerifyPayment's rule for runs of the charge's life
// (activities.wantedStatuses), written out.
func fakeConfirms(event string, p activities.GatewayPaymentInfo) bool {
	paid := p.Status == "RECEIVED" || p.Status == "CONFIRMED"
	switch event {
	case evRefunded, evPartiallyRefunded:
		return p.Status == "REFUNDED" || (paid && p.Refunded.IsPositive())
	case evChargebackRequested, evChargebackDispute, evAwaitingChargebackReversal:
		return p.Status == "CHARGEBACK_REQUESTED" || p.Status == "CHARGEBACK_DISPUTE" || p.Status == "AWAITING_CHARGEBACK_REVERSAL"
	case evRefundInProgress:
		return p.Status == "REFUND_IN_PROGRESS" || p.Status == "REFUND_REQUESTED"
	case evReceivedInCashUndone, evUpdated:
		return p.Status == "PENDING" || p.Status == "OVERDUE"
	}
	return paid || p.Status == "RECEIVED_IN_CASH"
}

func (f *fakeActivities) UpdateCharge(_ context.Context, in activities.ChangeChargeInput) (activities.GatewayOutcome, error) {
	f.record("UpdateCharge:%d:%s:%s:%s", in.Number, in.Value, in.DueDate, in.After)
	f.mu.Lock()
	defer f.mu.Unlock()
	if out, ok := f.updates[in.Number]; ok {
		return out, nil
	}
	return activities.GatewayOutcome{Outcome: activities.OutcomeDone}, nil
}

func (f *fakeActivities) ReissueCharge(_ context.Context, in activities.ReissueChargeInput) (activities.ChargeIssued, error) {
	f.record("ReissueCharge:%d:%s:%s:%s:%s", in.Number, in.Replaces, in.Value, in.DueDate, in.Reason)
	f.mu.Lock()
	defer f.mu.Unlock()
	if msg, bad := f.reissueErr[in.Number]; bad {
		return activities.ChargeIssued{}, temporal.NewNonRetryableApplicationError(msg, ErrTypeAsaasRejected, nil)
	}
	f.reissued++
	return activities.ChargeIssued{AsaasPaymentID: fmt.Sprintf("pay_%d_r%d", in.Number, f.reissued), Status: "PENDING"}, nil
}

func (f *fakeActivities) CheckSplitOutcome(_ context.Context, in activities.CheckSplitsInput) ([]activities.SplitsChecked, error) {
	var out []activities.SplitsChecked
	for _, p := range in.Payments {
		f.record("CheckSplitOutcome:%d:%s", p.Number, p.AsaasPaymentID)
		f.mu.Lock()
		answers := f.splitAnswers[p.Number]
		if len(answers) == 0 {
			out = append(out, activities.SplitsChecked{Paid: f.gateway})
		} else {
			f.splitAnswers[p.Number] = answers[1:]
			out = append(out, answers[0])
		}
		f.mu.Unlock()
	}
	return out, nil
}

// CheckInstallments lists what the fake's Asaas holds for the installments.
func (f *fakeActivities) CheckInstallments(_ context.Context, in activities.CheckInstallmentsInput) ([]activities.FoundPayment, error) {
	var numbers []int
	for _, i := range in.Installments {
		numbers = append(numbers, i.Number)
	}
	f.record("CheckInstallments:%v", numbers)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []activities.FoundPayment
	for _, i := range in.Installments {
		ids := make([]string, 0, len(f.asaas))
		for id, p := range f.asaas {
			if p.number == i.Number {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		for _, id := range ids {
			out = append(out, activities.FoundPayment{Number: i.Number, Payment: f.asaas[id].info})
		}
	}
	return out, nil
}

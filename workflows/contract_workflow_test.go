package workflows

import (
	"errors"
	"testing"
	"time"

	"billing/activities"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

var start = time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)

func newContractEnv(t *testing.T, fake *fakeActivities) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterWorkflow(ContractWorkflow)
	env.RegisterActivity(fake)
	return env
}

func input() ContractInput {
	return ContractInput{AccountID: "acct-1", ContractID: "contract-1", ActivatedBy: "user-1"}
}

func payment(event string, n int, status, value, net string) PaymentEvent {
	return PaymentEvent{
		EventKey: "evt_" + event + "_" + status + "_" + itoa(n), Event: event, InstallmentNumber: n,
		Payment: GatewayPayment{ID: "pay_" + itoa(n), Status: status, BillingType: "PIX",
			Value: decimal.RequireFromString(value), NetValue: decimal.RequireFromString(net),
			ClientPaymentDate: "2030-01-05", PaymentDate: "2030-01-05"},
	}
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// at schedules fn d after the workflow starts.
func at(env *testsuite.TestWorkflowEnvironment, d time.Duration, fn func()) {
	env.RegisterDelayedCallback(fn, d)
}

func signal(env *testsuite.TestWorkflowEnvironment, d time.Duration, ev PaymentEvent) {
	at(env, d, func() { env.SignalWorkflow(PaymentEventSignal, ev) })
}

type updateResult struct {
	rejected error
	err      error
	value    any
}

func update(env *testsuite.TestWorkflowEnvironment, d time.Duration, name string, arg any, out *updateResult) {
	at(env, d, func() {
		env.UpdateWorkflow(name, name+"-"+d.String(), &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { out.rejected = err },
			OnComplete: func(v any, err error) {
				out.value, out.err = v, err
			},
		}, arg)
	})
}

func query(t *testing.T, env *testsuite.TestWorkflowEnvironment) ContractView {
	t.Helper()
	res, err := env.QueryWorkflow(StateQuery)
	require.NoError(t, err)
	var v ContractView
	require.NoError(t, res.Get(&v))
	return v
}

func TestContractPaidByWebhooksCompletesOnce(t *testing.T) {
	fake := newFake("100.00", "100.00", "100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 2*time.Hour, payment(evConfirmed, 2, "CONFIRMED", "100.00", "96.52"))
	signal(env, 3*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "96.52"))
	again := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	again.EventKey = "evt_PAYMENT_RECEIVED_RECEIVED_1_again"
	signal(env, 4*time.Hour, again) // the same payment again, under another event id
	var mid ContractView
	at(env, 5*time.Hour, func() { mid = query(t, env) })
	signal(env, 6*time.Hour, payment(evReceived, 3, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"IssueCharge:1", "IssueCharge:2", "IssueCharge:3"}, sorted(fake.callsWith("IssueCharge")))
	assert.Equal(t, []string{
		"ApplyPayment:1:gateway:100:received",
		"ApplyPayment:2:gateway:100:confirmed",
		"ApplyPayment:3:gateway:100:received",
	}, fake.callsWith("ApplyPayment"), "one payment per installment; CONFIRMED then RECEIVED is one payment")
	assert.Equal(t, []string{"SettlePayment:2"}, fake.callsWith("SettlePayment"))
	assert.Equal(t, []string{"RecordEventOutcome:ignored:evt_PAYMENT_RECEIVED_RECEIVED_1_again"}, fake.callsWith("RecordEventOutcome"))
	assert.Equal(t, []string{"CompleteContract"}, fake.callsWith("CompleteContract"))

	assert.Equal(t, 2, mid.PaidInstallments)
	assert.Equal(t, "200", mid.TotalPaid.String())
	assert.Equal(t, "100", mid.Outstanding.String())
	assert.Equal(t, "2030-03-10", mid.NextDueDate)
	final := query(t, env)
	assert.Equal(t, StatusCompleted, final.Status)
	assert.Equal(t, 3, final.PaidInstallments)
	assert.Equal(t, "received", final.Installments[1].Payment.Status)
}

func TestOverdueByTimerWhenNoEventCame(t *testing.T) {
	fake := newFake("50.00")
	env := newContractEnv(t, fake) // due 2030-01-10, started 2030-01-01
	var beforeDue, afterDue ContractView
	at(env, 8*24*time.Hour, func() { beforeDue = query(t, env) })
	at(env, 10*24*time.Hour+18*time.Hour, func() { afterDue = query(t, env) }) // 2030-01-12 06:00 UTC, past the check (overdue 01-11 03:00 + 2 h grace)
	ev := payment(evOverdue, 1, "OVERDUE", "50.00", "48.01")
	signal(env, 11*24*time.Hour, ev) // Asaas's own overdue event arrives late: nothing twice
	signal(env, 12*24*time.Hour, payment(evReceived, 1, "RECEIVED", "50.00", "48.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, "open", beforeDue.Installments[0].Status)
	assert.Equal(t, "overdue", afterDue.Installments[0].Status)
	assert.Equal(t, []string{"MarkOverdue:[1]:timer"}, fake.callsWith("MarkOverdue"))
	assert.Equal(t, []string{"CheckInstallments:[1]", "CheckInstallments:[1]", "CheckInstallments:[1]", "CheckInstallments:[1]"}, fake.callsWith("CheckInstallments"),
		"Asaas is asked before the installment is marked overdue (Jan 11, 05:00 UTC), then daily while it stays overdue (Jan 12 and 13) until it is paid, and once more before the contract completes")
	assert.Equal(t, []string{"RecordEventOutcome:ignored:evt_PAYMENT_OVERDUE_OVERDUE_1"}, fake.callsWith("RecordEventOutcome"))
	assert.Equal(t, []string{"ApplyPayment:1:gateway:50:received"}, fake.callsWith("ApplyPayment"))
}

func TestMarkPaidManualThenEchoedWebhookIsIgnored(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	var res updateResult
	update(env, time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: decimal.RequireFromString("90.00"), PaidOn: "2030-01-02", RecordedBy: "user-9",
		AllowDifference: true}, &res)
	signal(env, 2*time.Hour, payment(evReceived, 1, "RECEIVED_IN_CASH", "90.00", "90.00"))
	signal(env, 3*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.rejected)
	require.NoError(t, res.err)
	got := res.value.(MarkPaidResult)
	assert.Equal(t, "payment-1", got.PaymentID)
	assert.Equal(t, 1, got.InstallmentNumber)
	assert.True(t, got.Shortfall.IsZero())
	assert.Equal(t, StatusActive, got.ContractStatus)
	assert.Equal(t, []string{"ReceiveInCash:1"}, fake.callsWith("ReceiveInCash"), "receiveInCash at Asaas before recording")
	assert.Equal(t, []string{"ApplyPayment:1:manual:90:received", "ApplyPayment:2:gateway:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Equal(t, "user-9", fake.applied[1].RecordedBy)
	assert.Equal(t, "pay_1", fake.applied[1].AsaasPaymentID)
	assert.True(t, fake.applied[1].Net.Equal(fake.applied[1].Amount), "manual: no gateway fee")
	assert.Equal(t, "100", fake.applied[1].Expected.String(), "the installment's value, for the audited difference")
	assert.Equal(t, []string{"RecordEventOutcome:ignored:evt_PAYMENT_RECEIVED_RECEIVED_IN_CASH_1"}, fake.callsWith("RecordEventOutcome"))
}

func TestMarkPaidFindsGatewayPaymentFirst(t *testing.T) {
	fake := newFake("100.00")
	fake.cash = activities.GatewayOutcome{Outcome: activities.OutcomePaidAtGateway, Payment: &activities.GatewayPaymentInfo{
		ID: "pay_1", Status: "RECEIVED", Value: decimal.RequireFromString("100.00"), NetValue: decimal.RequireFromString("98.01"), PaymentDate: "2030-01-02"}}
	env := newContractEnv(t, fake)
	var res updateResult
	update(env, time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: decimal.RequireFromString("100.00"), PaidOn: "2030-01-02"}, &res)
	signal(env, 2*time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(res.err, &appErr), "%v", res.err)
	assert.Equal(t, ErrTypeAlreadyPaid, appErr.Type())
	assert.Equal(t, []string{"ApplyPayment:1:gateway:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Len(t, fake.callsWith("RecordEventOutcome:ignored"), 1, "the late webhook finds it applied")
	assert.Equal(t, []string{"CompleteContract"}, fake.callsWith("CompleteContract"))
}

func TestUpdateValidatorsRejectBadRequests(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	cases := map[string]MarkPaidRequest{
		"unknown installment": {InstallmentNumber: 7, Amount: decimal.RequireFromString("1"), PaidOn: "2030-01-02"},
		"three decimals":      {InstallmentNumber: 1, Amount: decimal.RequireFromString("10.001"), PaidOn: "2030-01-02"},
		"zero amount":         {InstallmentNumber: 1, Amount: decimal.Zero, PaidOn: "2030-01-02"},
		"bad date":            {InstallmentNumber: 1, Amount: decimal.RequireFromString("1"), PaidOn: "02/01/2030"},
	}
	results := map[string]*updateResult{}
	i := 0
	for name, req := range cases {
		results[name] = &updateResult{}
		i++
		update(env, time.Duration(i)*time.Minute, MarkPaidUpdate, req, results[name])
	}
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	signal(env, 2*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	var late updateResult
	update(env, 24*time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: decimal.RequireFromString("1"), PaidOn: "2030-01-02"}, &late)
	var cancel updateResult
	update(env, 25*time.Hour, CancelUpdate, CancelRequest{Reason: "too late"}, &cancel)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	for name, r := range results {
		assert.Error(t, r.rejected, name)
	}
	assert.Len(t, fake.callsWith("ApplyPayment"), 2, "a rejected update changes nothing")
	assert.ErrorContains(t, late.rejected, "completed", "a completed contract takes no manual payment")
	assert.ErrorContains(t, cancel.rejected, "completed", "a completed contract cannot be cancelled")
	assert.Empty(t, fake.callsWith("DeleteCharge"))
}

func TestCancelDeletesLastToFirstAndKeepsPaid(t *testing.T) {
	fake := newFake("10.00", "10.00", "10.00", "10.00")
	fake.deletes[3] = activities.GatewayOutcome{Outcome: activities.OutcomePaidAtGateway, Payment: &activities.GatewayPaymentInfo{
		ID: "pay_3", Status: "RECEIVED", Value: decimal.RequireFromString("10.00"), NetValue: decimal.RequireFromString("8.01"), PaymentDate: "2030-01-03"}}
	fake.deletes[1] = activities.GatewayOutcome{Outcome: activities.OutcomeAlreadyDone}
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 2, "RECEIVED", "10.00", "8.01"))
	var res updateResult
	update(env, 2*time.Hour, CancelUpdate, CancelRequest{Reason: "contract ended", RequestedBy: "user-1"}, &res)
	signal(env, 3*time.Hour, payment(evReceived, 3, "RECEIVED", "10.00", "8.01")) // raced the cancel
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	assert.Equal(t, []string{"DeleteCharge:4", "DeleteCharge:3", "DeleteCharge:1"}, fake.callsWith("DeleteCharge"), "last to first, paid ones skipped")
	assert.Equal(t, []string{"FinishCancellation:[1 4]:2"}, fake.callsWith("FinishCancellation"))
	assert.Equal(t, CancelResult{Cancelled: []int{4, 1}, Kept: []int{3, 2}, DeletedCharges: 2}, res.value)
	assert.Equal(t, []string{"ApplyPayment:2:gateway:10:received", "ApplyPayment:3:gateway:10:received"}, fake.callsWith("ApplyPayment"))
	assert.Empty(t, fake.callsWith("CompleteContract"))
}

func TestRejectedChargeSurfacesAndInstallmentStaysPayable(t *testing.T) {
	fake := newFake("10.00", "10.00")
	fake.rejected[2] = "O walletId informado não existe."
	env := newContractEnv(t, fake)
	var view ContractView
	at(env, time.Minute, func() { view = query(t, env) })
	var res updateResult
	update(env, time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 2, Amount: decimal.RequireFromString("10.00"), PaidOn: "2030-01-02"}, &res)
	signal(env, 2*time.Hour, payment(evReceived, 1, "RECEIVED", "10.00", "8.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"RecordContractError:2:installment 2: O walletId informado não existe."}, fake.callsWith("RecordContractError"))
	assert.Equal(t, "open", view.Installments[0].Status)
	assert.Equal(t, "scheduled", view.Installments[1].Status)
	assert.Contains(t, view.LastError, "walletId")
	require.NoError(t, res.err)
	assert.Empty(t, fake.callsWith("ReceiveInCash"), "no charge, nothing to receive at Asaas")
	assert.Equal(t, []string{"CompleteContract"}, fake.callsWith("CompleteContract"))
}

func TestRefundWithinLateWindowAfterCompletion(t *testing.T) {
	fake := newFake("30.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: decimal.RequireFromString("30.00"), NetValue: decimal.RequireFromString("28.01")})
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "30.00", "28.01"))
	at(env, 30*24*time.Hour-time.Minute, func() {
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "REFUNDED", Value: decimal.RequireFromString("30.00"), NetValue: decimal.RequireFromString("28.01")})
	})
	signal(env, 30*24*time.Hour, payment(evRefunded, 1, "REFUNDED", "30.00", "28.01"))
	signal(env, 31*24*time.Hour, payment(evRefunded, 1, "REFUNDED", "30.00", "28.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"CompleteContract"}, fake.callsWith("CompleteContract"))
	assert.Equal(t, []string{"ReversePayment:1"}, fake.callsWith("ReversePayment"), "reversed once")
	assert.Equal(t, []string{"VerifyPayment:1:pay_1"}, fake.callsWith("VerifyPayment"), "a refund is checked with Asaas; its redelivery is not")
	v := query(t, env)
	assert.Equal(t, "refunded", v.Installments[0].Status)
	assert.Equal(t, StatusCompleted, v.Status)
}

func TestContinueAsNewCarriesTheWholeState(t *testing.T) {
	fake := newFake("10.00", "10.00", "10.00", "10.00", "10.00", "10.00")
	env := newContractEnv(t, fake)
	in := input()
	for n := 1; n <= 3; n++ {
		signal(env, time.Duration(n)*time.Hour, payment(evReceived, n, "RECEIVED", "10.00", "8.01"))
	}
	// While installment 5 is being marked paid, the server suggests continue-as-new
	// and payment 4 arrives at that very moment: the run waits for the update to
	// finish and carries payment 4 in the state, not lost and not applied twice.
	var res updateResult
	update(env, 4*time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 5, Amount: decimal.RequireFromString("10.00"), PaidOn: "2030-01-02"}, &res)
	fake.onCash = func(n int) {
		env.SetContinueAsNewSuggested(true)
		env.SignalWorkflow(PaymentEventSignal, payment(evReceived, 4, "RECEIVED", "10.00", "8.01"))
	}
	env.ExecuteWorkflow(ContractWorkflow, in)
	require.NoError(t, res.err)

	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &can), "%v", env.GetWorkflowError())
	var next ContractInput
	require.NoError(t, decodeArgs(can, &next))
	require.NotNil(t, next.State)
	assert.Equal(t, 1, next.State.Runs)
	assert.True(t, next.State.ChargesIssued)
	paid := 0
	for _, inst := range next.State.Installments {
		if inst.Status == instPaid {
			paid++
		}
	}
	applied := len(fake.callsWith("ApplyPayment"))
	assert.Equal(t, 4, applied, "1, 2 and 3 by webhook, 5 by hand")
	assert.Equal(t, applied, paid, "every payment applied so far is in the carried state")
	require.Len(t, next.State.Pending, 1, "the payment signalled at the moment of the suggestion is carried, not lost")
	assert.Equal(t, 4, next.State.Pending[0].InstallmentNumber)
	assert.Equal(t, []string{"evt_PAYMENT_RECEIVED_RECEIVED_1", "evt_PAYMENT_RECEIVED_RECEIVED_2", "evt_PAYMENT_RECEIVED_RECEIVED_3"},
		next.State.SeenEvents, "the keys of the events decided are carried")

	// The next run issues nothing again and finishes the contract.
	fake2 := newFake()
	fake2.applied = fake.applied
	env2 := newContractEnv(t, fake2)
	for n := 1; n <= 6; n++ {
		signal(env2, time.Duration(n)*time.Hour, payment(evReceived, n, "RECEIVED", "10.00", "8.01"))
	}
	env2.ExecuteWorkflow(ContractWorkflow, next)
	require.NoError(t, env2.GetWorkflowError())
	assert.Empty(t, fake2.callsWith("ActivateContract"))
	assert.Empty(t, fake2.callsWith("IssueCharge"))
	assert.Equal(t, []string{"ApplyPayment:4:gateway:10:received", "ApplyPayment:6:gateway:10:received"},
		fake2.callsWith("ApplyPayment"), "the carried payment first, then the new ones")
	assert.Equal(t, []string{"RecordEventOutcome:ignored:evt_PAYMENT_RECEIVED_RECEIVED_5"}, fake2.callsWith("RecordEventOutcome"),
		"the echo of the manual payment is recorded as such")
	assert.Len(t, fake2.callsWith("RecordEventOutcome"), 1, "redeliveries of decided events are dropped by their keys, in either run")
	assert.Equal(t, []string{"CompleteContract"}, fake2.callsWith("CompleteContract"))
}

func TestReceivedBeforeConfirmedIsOnePayment(t *testing.T) {
	fake := newFake("100.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "96.52"))
	signal(env, 2*time.Hour, payment(evConfirmed, 1, "CONFIRMED", "100.00", "96.52")) // delivered late
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"ApplyPayment:1:gateway:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Empty(t, fake.callsWith("SettlePayment"), "a late CONFIRMED does not move a received payment back")
	assert.Equal(t, []string{"RecordEventOutcome:ignored:evt_PAYMENT_CONFIRMED_CONFIRMED_1"}, fake.callsWith("RecordEventOutcome"))
}

func TestAnEventThatCanNeverApplyIsRecordedAndTheContractGoesOn(t *testing.T) {
	fake := newFake("10.00", "10.00")
	fake.applyErr = map[int]error{1: temporal.NewNonRetryableApplicationError("Asaas payment pay_1 is already recorded on another installment", ErrTypeInvalidState, nil)}
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "10.00", "8.01")) // its activity fails for good
	signal(env, 2*time.Hour, payment(evReceived, 2, "RECEIVED", "10.00", "8.01"))
	var view ContractView
	at(env, 3*time.Hour, func() { view = query(t, env) })
	update(env, 4*time.Hour, CancelUpdate, CancelRequest{Reason: "done"}, &updateResult{})
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError(), "one bad event does not fail the contract")
	require.Len(t, fake.outcomes, 1)
	assert.Equal(t, activities.EventFailed, fake.outcomes[0].Status)
	assert.True(t, fake.outcomes[0].Notable)
	assert.Contains(t, fake.outcomes[0].Reason, "already recorded on another installment")
	assert.Equal(t, "open", view.Installments[0].Status, "nothing was applied for the bad event")
	assert.Equal(t, "paid", view.Installments[1].Status)
}

func TestPaidThroughALinkRetiresTheOriginalCharge(t *testing.T) {
	fake := newFake("10.00", "10.00")
	fake.deletes[2] = activities.GatewayOutcome{Outcome: activities.OutcomePaidAtGateway, Payment: &activities.GatewayPaymentInfo{ID: "pay_2"}}
	env := newContractEnv(t, fake)
	viaLink := payment(evReceived, 1, "RECEIVED", "10.00", "8.01")
	viaLink.Payment.ID = "pay_link_1"
	signal(env, time.Hour, viaLink)
	twice := payment(evReceived, 2, "RECEIVED", "10.00", "8.01")
	twice.Payment.ID = "pay_link_2" // and the original charge pay_2 was paid as well
	signal(env, 2*time.Hour, twice)
	for n, id := range map[int]string{1: "pay_link_1", 2: "pay_link_2"} {
		fake.atAsaas(n, activities.GatewayPaymentInfo{ID: id, Status: "RECEIVED", Value: decimal.RequireFromString("10.00"),
			NetValue: decimal.RequireFromString("8.01"), PaymentDate: "2030-01-05", FromLink: true})
	}
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"DeleteCharge:1", "DeleteCharge:2"}, fake.callsWith("DeleteCharge"), "the charge the client no longer needs is deleted")
	assert.Equal(t, []string{"RecordContractError:2:installment 2 was paid by pay_link_2 and also by its charge pay_2: refund one of them"},
		fake.callsWith("RecordContractError"))
	assert.Equal(t, "pay_link_1", fake.applied[1].AsaasPaymentID)
	assert.Equal(t, []string{"VerifyPayment:1:pay_link_1", "VerifyPayment:2:pay_link_2"}, fake.callsWith("VerifyPayment"),
		"a payment that is not the installment's own charge is checked with Asaas first")
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func decodeArgs(can *workflow.ContinueAsNewError, out any) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, out)
}

// A create that timed out may land at Asaas after its retry created the charge we
// recorded: the second charge is deleted; a link's payment or our own charge is not.
func TestSecondChargeOfAnInstallmentIsDeleted(t *testing.T) {
	cases := []struct {
		name    string
		id      string
		link    bool
		status  string
		deletes []string
		outcome string
	}{
		{"late duplicate", "pay_dup_1", false, "PENDING", []string{"DeleteCharge:1"}, "processed"},
		{"our own charge echoed", "pay_1", false, "PENDING", nil, "ignored"},
		{"created through a payment link", "pay_link_1", true, "PENDING", nil, "ignored"},
		{"already received", "pay_dup_1", false, "RECEIVED", nil, "ignored"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake("10.00", "10.00")
			env := newContractEnv(t, fake)
			created := payment(evCreated, 1, tc.status, "10.00", "9.01")
			created.Payment.ID, created.Payment.FromLink = tc.id, tc.link
			signal(env, time.Hour, created)
			signal(env, 2*time.Hour, payment(evReceived, 1, "RECEIVED", "10.00", "9.01"))
			signal(env, 3*time.Hour, payment(evReceived, 2, "RECEIVED", "10.00", "9.01"))
			env.ExecuteWorkflow(ContractWorkflow, input())
			require.NoError(t, env.GetWorkflowError())
			assert.Equal(t, tc.deletes, fake.callsWith("DeleteCharge"))
			outcomes := fake.callsWith("RecordEventOutcome")
			require.Len(t, outcomes, 1)
			assert.Contains(t, outcomes[0], tc.outcome)
		})
	}
}

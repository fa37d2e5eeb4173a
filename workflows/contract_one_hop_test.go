package workflows

import (
	"testing"
	"time"

	"billing/activities"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A delivery repeated while the first copy is still pending (both in one workflow
// task), and again later, is decided once: the second copy is dropped on its key,
// before any activity.
func TestRedeliveredEventIsDecidedOnce(t *testing.T) {
	fake := newFake("100.00", "100.00")
	env := newContractEnv(t, fake)
	ev := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	at(env, time.Hour, func() {
		env.SignalWorkflow(PaymentEventSignal, ev)
		env.SignalWorkflow(PaymentEventSignal, ev)
	})
	signal(env, 2*time.Hour, ev)
	signal(env, 3*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"ApplyPayment:1:gateway:100:received", "ApplyPayment:2:gateway:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Empty(t, fake.callsWith("RecordEventOutcome"), "a redelivery touches nothing: its row already has the outcome")
}

// An event delivered with another account's webhook secret but naming this
// contract's charge changes nothing of the contract; only the delivering
// account's row is written, as for a contract it does not have.
func TestAnotherAccountsEventChangesNothing(t *testing.T) {
	fake := newFake("100.00")
	env := newContractEnv(t, fake)
	forged := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	forged.AccountID = "acct-2"
	signal(env, time.Hour, forged)
	var v ContractView
	at(env, 2*time.Hour, func() { v = query(t, env) })
	real := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	real.AccountID = "acct-1"
	signal(env, 3*time.Hour, real)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, instOpen, v.Installments[0].Status)
	require.Len(t, fake.outcomes, 1)
	assert.Equal(t, "acct-2", fake.outcomes[0].AccountID)
	assert.Equal(t, activities.EventIgnored, fake.outcomes[0].Status)
	assert.Contains(t, fake.outcomes[0].Reason, "does not exist in this account")
	assert.Equal(t, []string{"ApplyPayment:1:gateway:100:received"}, fake.callsWith("ApplyPayment"),
		"the account's own event, with the same key, is still applied")
}

// The late-event window: a completed contract keeps taking refunds for 120 days
// after its completion, and closes exactly then.
func TestLateEventWindowIs120Days(t *testing.T) {
	require.Equal(t, 120*24*time.Hour, DefaultLateEventWindow)
	fake := newFake("30.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "30.00", "28.01"))
	var closedAtDay119 bool
	at(env, time.Hour+119*24*time.Hour, func() {
		closedAtDay119 = env.IsWorkflowCompleted()
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "REFUNDED", Value: decimal.RequireFromString("30.00")})
	})
	signal(env, time.Hour+119*24*time.Hour+time.Minute, payment(evRefunded, 1, "REFUNDED", "30.00", "28.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.False(t, closedAtDay119)
	assert.Equal(t, []string{"ReversePayment:1"}, fake.callsWith("ReversePayment"), "a refund on day 119 is applied")
	completedAt := start.Add(time.Hour)
	assert.Equal(t, completedAt.Add(120*24*time.Hour), env.Now().UTC(), "the workflow ends when the window does")
}

// From the one-hop event path on, a cancelled contract keeps listening for the
// late-event window: a kept payment's refund is reversed, a stray charge that
// landed after the cancel is deleted at Asaas, and then the workflow closes.
func TestCancelledContractListensForLateEvents(t *testing.T) {
	fake := newFake("50.00", "50.00")
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "50.00", "48.01"))
	at(env, 10*24*time.Hour-time.Minute, func() {
		fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "REFUNDED", Value: decimal.RequireFromString("50.00")})
	})
	var cancel updateResult
	update(env, 2*time.Hour, CancelUpdate, CancelRequest{Reason: "gave up"}, &cancel)
	stray := payment(evCreated, 2, "PENDING", "50.00", "48.01")
	stray.Payment.ID = "pay_stray"
	signal(env, 3*time.Hour, stray)
	signal(env, 10*24*time.Hour, payment(evRefunded, 1, "REFUNDED", "50.00", "48.01"))
	paidAfterCancel := payment(evReceived, 2, "RECEIVED", "50.00", "48.01")
	signal(env, 11*24*time.Hour, paidAfterCancel)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, cancel.err)
	assert.Equal(t, []string{"DeleteCharge:2", "DeleteCharge:2"}, fake.callsWith("DeleteCharge"), "the charge by the cancel, the stray after it")
	assert.Equal(t, []string{"ReversePayment:1"}, fake.callsWith("ReversePayment"))
	assert.Equal(t, []string{"ApplyPayment:1:gateway:50:received"}, fake.callsWith("ApplyPayment"), "no money applied after the cancel")
	require.Len(t, fake.outcomes, 2)
	assert.Equal(t, activities.EventProcessed, fake.outcomes[0].Status, "the stray charge was retired")
	assert.True(t, fake.outcomes[1].Notable, "money for a cancelled installment is for a person to look at")
	assert.Equal(t, start.Add(2*time.Hour).Add(DefaultLateEventWindow), env.Now().UTC(), "closes when the window ends")
}

// An installment is overdue from 00:00 of the day after its due date in São
// Paulo, never on the due day itself.
func TestOverdueInstallmentsBoundary(t *testing.T) {
	insts := []InstallmentState{
		{Number: 1, DueDate: "2030-01-10", Status: instOpen},
		{Number: 2, DueDate: "2030-02-10", Status: instOpen},
		{Number: 3, DueDate: "2030-01-05", Status: instPaid},
	}
	sp := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.FixedZone("BRT", -3*3600))
	}
	cases := []struct {
		name string
		now  time.Time
		want []int
	}{
		{"on the due day's last second", sp(2030, 1, 10, 23, 59, 59), nil},
		{"at 00:00 the next day", sp(2030, 1, 11, 0, 0, 0), []int{1}},
		{"a month later, both", sp(2030, 2, 11, 0, 0, 0), []int{1, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, overdueInstallments(insts, tc.now))
		})
	}
}

package workflows

import (
	"testing"
	"time"

	"billing/activities"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// An event's money moves on its own word only when it is the installment's own
// charge with the charge's value and a plausible fee. A forged amount and a
// payment that is not the installment's are checked with Asaas, which does not
// confirm them: rejected, recorded and audited, nothing changed.
func TestForgedAmountAndForeignPaymentAreRejected(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "PENDING", Value: dec("100.00"), NetValue: dec("98.01")})
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "0.01", "0.01"))
	foreign := payment(evReceived, 2, "RECEIVED", "100.00", "98.01")
	foreign.Payment.ID = "pay_notthecharge_2"
	signal(env, 2*time.Hour, foreign)
	var v ContractView
	at(env, 3*time.Hour, func() { v = query(t, env) })
	real := payment(evReceived, 2, "RECEIVED", "100.00", "98.01")
	real.EventKey = "evt_real_2"
	signal(env, 4*time.Hour, real)
	real1 := payment(evReceived, 1, "RECEIVED", "100.00", "98.01") // the real one: the contract completes
	real1.EventKey = "evt_real_1"
	signal(env, 5*time.Hour, real1)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, instOpen, v.Installments[0].Status)
	assert.Equal(t, instOpen, v.Installments[1].Status)
	require.Len(t, fake.outcomes, 2)
	for _, o := range fake.outcomes {
		assert.Equal(t, activities.EventRejected, o.Status)
		assert.True(t, o.Notable, "audited")
	}
	assert.Contains(t, fake.outcomes[0].Reason, "Asaas says payment pay_1 is PENDING")
	assert.Contains(t, fake.outcomes[1].Reason, "Asaas does not know payment pay_notthecharge_2")
	assert.Equal(t, []string{"ApplyPayment:2:gateway:100:received", "ApplyPayment:1:gateway:100:received"}, fake.callsWith("ApplyPayment"),
		"only the real payments, on their own word")
	assert.Equal(t, []string{"VerifyPayment:1:pay_1", "VerifyPayment:2:pay_notthecharge_2"}, fake.callsWith("VerifyPayment"))
}

// A payment whose value is not the charge's (a discount, a fine and interest) or
// whose fee is implausible is applied as Asaas holds it.
func TestAmountsAsAsaasHoldsThem(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: dec("95.00"), NetValue: dec("93.01"), PaymentDate: "2030-01-08"})
	fake.atAsaas(2, activities.GatewayPaymentInfo{ID: "pay_2", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-02-10"})
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "95.00", "93.01"))   // paid early, with a discount
	signal(env, 2*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "1.00")) // a fee of 99.00 claimed
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"ApplyPayment:1:gateway:95:received", "ApplyPayment:2:gateway:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Equal(t, "98.01", fake.applied[2].Net.String(), "the net Asaas holds, not the event's")
	assert.Len(t, fake.callsWith("VerifyPayment"), 2)
}

// A webhook that never came: the contract asks Asaas after the due date plus the
// grace period, finds the payment and applies it (origin reconciled) instead of
// marking the installment overdue; the webhook that arrives later is a duplicate.
func TestLostWebhookRepairedByTheContractsOwnCheck(t *testing.T) {
	fake := newFake("100.00", "100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-01-10"})
	env := newContractEnv(t, fake) // #1 due 2030-01-10: overdue at 01-11 03:00 UTC, checked at 05:00
	var before, after ContractView
	at(env, 9*24*time.Hour+16*time.Hour, func() { before = query(t, env) }) // 2030-01-11 04:00 UTC
	at(env, 9*24*time.Hour+18*time.Hour, func() { after = query(t, env) })  // 06:00
	late := payment(evReceived, 1, "RECEIVED", "100.00", "98.01")
	signal(env, 11*24*time.Hour, late)
	signal(env, 12*24*time.Hour, payment(evReceived, 2, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, instOpen, before.Installments[0].Status, "not overdue before the check")
	assert.Equal(t, instPaid, after.Installments[0].Status)
	assert.Equal(t, "reconciled", fake.applied[1].Origin)
	assert.Empty(t, fake.applied[1].EventKey, "no webhook row to write to")
	assert.Empty(t, fake.callsWith("MarkOverdue"), "found paid: never overdue")
	require.Len(t, fake.outcomes, 1)
	assert.Equal(t, late.EventKey, fake.outcomes[0].EventKey)
	assert.Equal(t, activities.EventIgnored, fake.outcomes[0].Status, "the late webhook is a duplicate")
	assert.Contains(t, fake.outcomes[0].Reason, "already applied")
}

// The reconcile update asks about every installment and reports what it repaired
// (before → after) and what it could not take.
func TestReconcileUpdateReportsRepairsAndMismatches(t *testing.T) {
	fake := newFake("100.00", "100.00", "100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-01-05"})
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1b", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-01-06", FromLink: true})
	fake.atAsaas(2, activities.GatewayPaymentInfo{ID: "pay_2", Status: "PENDING", Value: dec("100.00"), Deleted: true})
	fake.atAsaas(3, activities.GatewayPaymentInfo{ID: "pay_3", Status: "PENDING", Value: dec("100.00")})
	fake.atAsaas(3, activities.GatewayPaymentInfo{ID: "pay_stray_3", Status: "PENDING", Value: dec("100.00")})
	env := newContractEnv(t, fake)
	var res, cancel updateResult
	update(env, time.Hour, ReconcileUpdate, ReconcileRequest{Source: "on-demand"}, &res)
	update(env, 2*time.Hour, CancelUpdate, CancelRequest{Reason: "done"}, &cancel)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.NoError(t, res.err)
	got := res.value.(ReconcileResult)
	assert.Equal(t, 3, got.Checked)
	assert.Equal(t, []Repair{
		{Number: 1, AsaasPaymentID: "pay_1", Event: evReceived, Before: instOpen, After: instPaid},
		{Number: 2, AsaasPaymentID: "pay_2", Event: evDeleted, Before: instOpen, After: instOpen},
		{Number: 3, AsaasPaymentID: "pay_stray_3", Event: evCreated, Before: instOpen, After: instOpen},
	}, got.Repairs)
	require.Len(t, got.Mismatches, 1)
	assert.Equal(t, "pay_1b", got.Mismatches[0].AsaasPaymentID)
	assert.Equal(t, evReceived, got.Mismatches[0].Event, "the event the state found stands for")
	assert.Contains(t, got.Mismatches[0].Detail, "needs a refund")
	assert.Equal(t, []string{"ApplyPayment:1:reconciled:100:received"}, fake.callsWith("ApplyPayment"))
	assert.Equal(t, []string{"RecordChargeDeleted:2:true"}, fake.callsWith("RecordChargeDeleted"))
	assert.Equal(t, []string{"DeleteCharge:3", "DeleteCharge:3"}, fake.callsWith("DeleteCharge"),
		"the stray charge is retired by the reconciliation, the installment's own charge by the cancel")
	assert.Empty(t, fake.callsWith("VerifyPayment"), "what reconciliation finds is Asaas's word already")
}

// A manual payment of another amount than the installment's needs an explicit
// allow_difference (refused with the field named otherwise).
func TestMarkPaidOfAnotherAmountNeedsAllowDifference(t *testing.T) {
	fake := newFake("100.00")
	env := newContractEnv(t, fake)
	var refused, allowed updateResult
	update(env, time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: dec("90.00"), PaidOn: "2030-01-02"}, &refused)
	update(env, 2*time.Hour, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: dec("90.00"), PaidOn: "2030-01-02", AllowDifference: true}, &allowed)
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	require.Error(t, refused.rejected)
	assert.Contains(t, refused.rejected.Error(), "allow_difference")
	require.NoError(t, allowed.rejected)
	require.NoError(t, allowed.err)
	assert.Equal(t, []string{"ApplyPayment:1:manual:90:received"}, fake.callsWith("ApplyPayment"))
	assert.Equal(t, "100", fake.applied[1].Expected.String())
}

// Before it completes, a contract asks Asaas about all its installments: a stray
// charge of ours whose PAYMENT_CREATED never came (a create that timed out and
// was applied later) is deleted instead of staying open for a second payment.
func TestStrayChargeRetiredBeforeTheContractCompletes(t *testing.T) {
	fake := newFake("100.00")
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_1", Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01")})
	fake.atAsaas(1, activities.GatewayPaymentInfo{ID: "pay_stray_1", Status: "PENDING", Value: dec("100.00")})
	env := newContractEnv(t, fake)
	signal(env, time.Hour, payment(evReceived, 1, "RECEIVED", "100.00", "98.01"))
	env.ExecuteWorkflow(ContractWorkflow, input())

	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"CheckInstallments:[1]"}, fake.callsWith("CheckInstallments"))
	assert.Equal(t, []string{"DeleteCharge:1"}, fake.callsWith("DeleteCharge"), "the stray charge is retired")
	assert.Equal(t, []string{"CompleteContract"}, fake.callsWith("CompleteContract"))
}

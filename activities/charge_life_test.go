package activities_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"billing/activities"
	"billing/asaassim"
	"billing/db/dbgen"
	"billing/domain"
	"billing/gateway"
	"billing/secret"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

// event applies one decision of the contract workflow, as the workflow does.
func (f *fixture) event(in activities.ContractEventInput) activities.ContractEventResult {
	f.t.Helper()
	in.ContractRef = f.ref()
	var res activities.ContractEventResult
	require.NoError(f.t, f.run(f.acts.ApplyContractEvent, in, &res))
	return res
}

// ledgerSum is the sum of a payment's entries and reversals.
func (f *fixture) ledgerSum() string {
	return f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, f.contract).StringFixed(2)
}

// entries are the payment's entries as "kind amount status", originals first.
func (f *fixture) entries() []string {
	f.t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT kind || ' ' || amount::text || ' ' || status FROM split_entries
		WHERE contract_id=$1 ORDER BY reverses_entry_id IS NOT NULL, created_at, rule_position NULLS FIRST`, f.contract)
	require.NoError(f.t, err)
	var out []string
	for rows.Next() {
		var s string
		require.NoError(f.t, rows.Scan(&s))
		out = append(out, s)
	}
	return out
}

// Partial refunds reverse the refunded share of every entry (in proportion, to
// the cent), each once; the entries and reversals always sum to what was paid
// minus what was refunded; the refund of the rest voids what is not paid out and
// claws back what is.
func TestPartialRefundsReverseInProportion(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	require.NoError(t, f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "100.00", "98.01", "evt_pay"), nil))
	// fee 1.99 paid, agent 9.80 sent_to_gateway, partner 5.00 (paid out by hand below), house 83.21 pending
	_, err := f.pool.Exec(t.Context(), `UPDATE split_entries SET status='paid' WHERE contract_id=$1 AND payee_id=$2`, f.contract, f.partner)
	require.NoError(t, err)

	f.storeEvent("evt_r30", "PAYMENT_PARTIALLY_REFUNDED")
	res := f.event(activities.ContractEventInput{Action: activities.ActionReverse, EventKey: "evt_r30", Number: 1, AsaasPaymentID: "pay_evt_pay",
		Event: "PAYMENT_PARTIALLY_REFUNDED", RefundedTotal: dec("30.00")})
	assert.Equal(t, activities.EventProcessed, res.Status, res.Reason)
	assert.Equal(t, "70.00", f.ledgerSum())
	assert.Equal(t, []string{
		"fee 1.99 paid", "percentage 9.80 sent_to_gateway", "fixed 5.00 paid", "remainder 83.21 pending",
		"fee -0.60 reversed", "percentage -2.94 reversed", "fixed -1.50 pending", "remainder -24.96 pending",
	}, f.entries(), "30%% of each: the gateway's share reversed, a share paid out owed back, a pending share netted")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND refunded_amount=30 AND status='received'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='paid'`, f.contract))

	again := f.event(activities.ContractEventInput{Action: activities.ActionReverse, Number: 1, AsaasPaymentID: "pay_evt_pay", RefundedTotal: dec("30.00")})
	assert.Equal(t, activities.EventIgnored, again.Status, "the same refund again")
	f.event(activities.ContractEventInput{Action: activities.ActionReverse, Number: 1, AsaasPaymentID: "pay_evt_pay", RefundedTotal: dec("50.00")})
	assert.Equal(t, "50.00", f.ledgerSum())

	whole := f.event(activities.ContractEventInput{Action: activities.ActionReverse, Number: 1, AsaasPaymentID: "pay_evt_pay", Event: "PAYMENT_REFUNDED"})
	assert.Equal(t, activities.EventProcessed, whole.Status)
	assert.Equal(t, "0.00", f.ledgerSum())
	assert.Equal(t, "-5.00", f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1 AND status='pending'`, f.contract).StringFixed(2),
		"only the partner's claw-back is still to settle")
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND payee_id<>$2 AND status IN ('pending','sent_to_gateway','disputed')`, f.contract, f.partner))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND refunded_amount=100 AND status='refunded'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='refunded'`, f.contract))
	assert.Equal(t, 2, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='payment.partially_refunded'`, f.contract))
	status, _ := f.eventStatus("evt_r30")
	assert.Equal(t, "processed", status)
}

// A chargeback holds the entries that could still reach a payee (disputed, which
// no payout takes); winning it releases them as they were; losing it reverses
// them all.
func TestHoldReleaseAndLostChargeback(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	require.NoError(t, f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "100.00", "98.01", "evt_pay"), nil))
	before := f.entries()

	held := f.event(activities.ContractEventInput{Action: activities.ActionHold, Number: 1, AsaasPaymentID: "pay_evt_pay",
		Event: "PAYMENT_CHARGEBACK_REQUESTED", Hold: activities.HoldChargeback, ChargeStatus: "CHARGEBACK_REQUESTED"})
	assert.Equal(t, activities.EventProcessed, held.Status)
	assert.Equal(t, []string{"fee 1.99 paid", "percentage 9.80 disputed", "fixed 5.00 disputed", "remainder 83.21 disputed"}, f.entries())
	assert.Equal(t, activities.EventIgnored, f.event(activities.ContractEventInput{Action: activities.ActionHold, Number: 1,
		AsaasPaymentID: "pay_evt_pay", Hold: activities.HoldChargeback}).Status, "held twice")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND hold='chargeback'`, f.contract))

	released := f.event(activities.ContractEventInput{Action: activities.ActionRelease, Number: 1, AsaasPaymentID: "pay_evt_pay", ChargeStatus: "RECEIVED"})
	assert.Equal(t, activities.EventProcessed, released.Status)
	assert.Equal(t, before, f.entries(), "back as they were")
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND hold IS NOT NULL`, f.contract))

	f.event(activities.ContractEventInput{Action: activities.ActionHold, Number: 1, AsaasPaymentID: "pay_evt_pay", Hold: activities.HoldChargeback})
	f.event(activities.ContractEventInput{Action: activities.ActionReverse, Number: 1, AsaasPaymentID: "pay_evt_pay", Event: "PAYMENT_REFUNDED"})
	assert.Equal(t, "0.00", f.ledgerSum())
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND status IN ('pending','sent_to_gateway','disputed')`, f.contract),
		"a lost chargeback leaves nothing to pay out")
	assert.Equal(t, 2, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='payment.held'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='payment.released'`, f.contract))
}

// A cash receipt undone at Asaas: the payment is undone, its entries reversed,
// the installment open again (the completed contract active again), and the
// same charge can then be paid by PIX, a new payment.
func TestUndoCashReceiptReopens(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	manual := activities.ApplyPaymentInput{ContractRef: f.ref(), Number: 1, Origin: activities.OriginManual, AsaasPaymentID: "pay_1",
		Amount: dec("100.00"), Net: dec("100.00"), PaidOn: "2030-01-03", Status: activities.PaymentReceived, RecordedBy: f.user.String()}
	require.NoError(t, f.run(f.acts.ApplyPayment, manual, nil))
	require.NoError(t, f.run(f.acts.CompleteContract, activities.CompleteContractInput{ContractRef: f.ref()}, nil))

	f.storeEvent("evt_undo", "PAYMENT_RECEIVED_IN_CASH_UNDONE")
	in := activities.ContractEventInput{Action: activities.ActionUndoCash, EventKey: "evt_undo", Number: 1, AsaasPaymentID: "pay_1",
		Event: "PAYMENT_RECEIVED_IN_CASH_UNDONE", After: "open", ChargeStatus: "PENDING", ReopenContract: true}
	res := f.event(in)
	assert.Equal(t, activities.EventProcessed, res.Status, res.Reason)
	assert.Equal(t, activities.EventIgnored, f.event(in).Status, "a retry finds it undone")
	assert.Equal(t, "0.00", f.ledgerSum())
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND status='undone'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='open' AND paid_at IS NULL`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM contracts WHERE id=$1 AND status='active' AND completed_at IS NULL`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='contract.reopened'`, f.contract))

	pix := gatewayPayment(f, 1, "100.00", "98.01", "evt_pix")
	pix.AsaasPaymentID = "pay_1"
	var applied activities.PaymentApplied
	require.NoError(t, f.run(f.acts.ApplyPayment, pix, &applied))
	assert.True(t, applied.Created, "a new payment of the same charge")
	assert.Equal(t, "100.00", f.ledgerSum())
	assert.Equal(t, 2, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND asaas_payment_id='pay_1'`, f.contract))
}

// PAYMENT_UPDATED copied: the installment, its charge and the contract's total
// take Asaas's value and due date, audited with what they were; again, nothing.
func TestChargeUpdatedIsCopied(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	q := dbgen.New(f.pool)
	inst, err := q.GetInstallmentByNumber(t.Context(), dbgen.GetInstallmentByNumberParams{AccountID: f.account, ContractID: f.contract, Number: 1})
	require.NoError(t, err)
	_, err = q.InsertCharge(t.Context(), dbgen.InsertChargeParams{AccountID: f.account, ContractID: f.contract, InstallmentID: inst.ID,
		AsaasPaymentID: "pay_1", ExternalReference: domain.ChargeReference(f.contract.String(), 1), BillingType: "PIX", Status: "PENDING",
		Value: dec("100.00"), DueDate: inst.DueDate})
	require.NoError(t, err)
	_, err = f.pool.Exec(t.Context(), `UPDATE installments SET status='open' WHERE contract_id=$1`, f.contract)
	require.NoError(t, err)

	in := activities.ContractEventInput{Action: activities.ActionChargeUpdated, Number: 1, AsaasPaymentID: "pay_1",
		Value: dec("120.50"), DueDate: "2030-02-01", After: "open", ChargeStatus: "PENDING"}
	assert.Equal(t, activities.EventProcessed, f.event(in).Status)
	assert.Equal(t, activities.EventIgnored, f.event(in).Status)
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND number=1 AND value=120.50 AND due_date='2030-02-01'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM charges WHERE contract_id=$1 AND value=120.50 AND due_date='2030-02-01'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM contracts WHERE id=$1 AND total_amount=220.50`, f.contract))
	var data []byte
	require.NoError(t, f.pool.QueryRow(t.Context(), `SELECT data FROM audit_events WHERE contract_id=$1 AND action='installment.changed'`, f.contract).Scan(&data))
	var audit map[string]any
	require.NoError(t, json.Unmarshal(data, &audit))
	assert.Equal(t, map[string]any{"value": "100.00", "due_date": "2030-01-10", "status": "open"}, audit["before"])
	assert.Equal(t, "asaas", audit["source"])
}

// withSim points the fixture at the Asaas simulator, with the agent's wallet an
// account of it; it returns the simulator.
func (f *fixture) withSim() *asaassim.Server {
	f.t.Helper()
	sim := asaassim.New(asaassim.Options{})
	f.t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim.Handler())
	f.t.Cleanup(srv.Close)
	merchant := sim.CreateAccount("Acme")
	wallet := sim.CreateAccount("Agent")
	_, err := f.pool.Exec(context.Background(), `UPDATE payees SET asaas_wallet_id=$2 WHERE id=$1`, f.agent, wallet.WalletID)
	require.NoError(f.t, err)
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := secret.Seal(key, []byte(merchant.APIKey), f.account[:])
	require.NoError(f.t, err)
	_, err = dbgen.New(f.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{AccountID: f.account,
		ApiKeyCiphertext: sealed, ApiKeyLast4: "0001", Environment: "sandbox", UpdatedBy: f.user})
	require.NoError(f.t, err)
	f.acts = activities.New(activities.Deps{Pool: f.pool, Gateway: gateway.NewConnector(key, srv.URL)})
	f.env.RegisterActivity(f.acts)
	return sim
}

func (f *fixture) issue(n int) (customer, charge string) {
	f.t.Helper()
	require.NoError(f.t, f.run(f.acts.EnsureCustomer, f.ref(), &customer))
	var ch activities.ChargeIssued
	require.NoError(f.t, f.run(f.acts.IssueCharge, activities.IssueChargeInput{ContractRef: f.ref(), Number: n, AsaasCustomerID: customer}, &ch))
	return customer, ch.AsaasPaymentID
}

func simPayment(t *testing.T, sim *asaassim.Server, id string) map[string]any {
	t.Helper()
	raw, err := sim.Payment(id)
	require.NoError(t, err)
	var p map[string]any
	require.NoError(t, json.Unmarshal(raw, &p))
	return p
}

// UpdateCharge changes the charge at Asaas and then here; refused, it says so
// (audited) and changes nothing; the charge is then deleted and issued again by
// ReissueCharge, which supersedes the old charge and is safe to run twice.
func TestUpdateAndReissueAgainstTheSimulator(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	sim := f.withSim()
	customer, charge := f.issue(1)

	var out activities.GatewayOutcome
	require.NoError(t, f.run(f.acts.UpdateCharge, activities.ChangeChargeInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: charge,
		Value: dec("150.00"), DueDate: "2030-01-20", After: "open", RequestedBy: f.user.String()}, &out))
	assert.Equal(t, activities.OutcomeDone, out.Outcome)
	p := simPayment(t, sim, charge)
	assert.Equal(t, 150.0, p["value"])
	assert.Equal(t, "2030-01-20", p["dueDate"])
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND number=1 AND value=150 AND due_date='2030-01-20'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM charges WHERE contract_id=$1 AND value=150 AND due_date='2030-01-20' AND net_value=148.01`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='installment.changed' AND actor_id=$2`, f.contract, f.user))

	var bad activities.GatewayOutcome
	err := f.run(f.acts.UpdateCharge, activities.ChangeChargeInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: charge,
		Value: dec("4.00"), DueDate: "2030-01-20", After: "open"}, &bad)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	assert.Equal(t, activities.ErrTypeInvalidInput, appErr.Type(), "the fixed rule (5.00) does not fit in 4.00")

	require.NoError(t, sim.RefuseUpdates(charge, true))
	require.NoError(t, f.run(f.acts.UpdateCharge, activities.ChangeChargeInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: charge,
		Value: dec("160.00"), DueDate: "2030-01-25", After: "open"}, &out))
	assert.Equal(t, activities.OutcomeRefused, out.Outcome)
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='charge.update_refused'`, f.contract))

	reissue := activities.ReissueChargeInput{ContractRef: f.ref(), Number: 1, AsaasCustomerID: customer, Replaces: charge,
		Value: dec("160.00"), DueDate: "2030-01-25", Reason: "changed", RequestedBy: f.user.String()}
	var ch activities.ChargeIssued
	err = f.run(f.acts.ReissueCharge, reissue, &ch)
	require.True(t, errors.As(err, &appErr), "the old charge is still live at Asaas: %v", err)
	assert.Equal(t, activities.ErrTypeInvalidState, appErr.Type())

	require.NoError(t, f.run(f.acts.DeleteCharge, activities.DeleteChargeInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: charge}, &out))
	require.NoError(t, f.run(f.acts.ReissueCharge, reissue, &ch))
	assert.NotEqual(t, charge, ch.AsaasPaymentID)
	var again activities.ChargeIssued
	require.NoError(t, f.run(f.acts.ReissueCharge, reissue, &again))
	assert.Equal(t, ch.AsaasPaymentID, again.AsaasPaymentID, "a retry finds the new charge")
	p = simPayment(t, sim, ch.AsaasPaymentID)
	assert.Equal(t, 160.0, p["value"])
	assert.Equal(t, "2030-01-25", p["dueDate"])
	assert.Equal(t, domain.ChargeReference(f.contract.String(), 1), p["externalReference"], "webhooks still route to the installment")
	assert.NotEmpty(t, p["split"], "the contract's gateway split goes with it")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM charges WHERE contract_id=$1 AND superseded_at IS NULL AND asaas_payment_id=$2`, f.contract, ch.AsaasPaymentID))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM charges WHERE contract_id=$1 AND superseded_at IS NOT NULL AND asaas_payment_id=$2 AND deleted_at IS NOT NULL`, f.contract, charge))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND number=1 AND status='open' AND value=160`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='charge.reissued'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM contracts WHERE id=$1 AND total_amount=260`, f.contract))
}

// Re-issuing for an installment that never had a charge: an attempt that
// prepared it and then failed at Asaas is retried without a second
// charge.reissued (the audit row, keyed by the activity, is the only trace).
func TestReissueWithoutAChargeRetriedAuditsOnce(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	sim := f.withSim()
	customer, _ := f.issue(1) // #2 has no charge
	in := activities.ReissueChargeInput{ContractRef: f.ref(), Number: 2, AsaasCustomerID: customer,
		Value: dec("100.00"), DueDate: "2030-02-20", Reason: "reissued", RequestedBy: f.user.String(),
		Attempt: "run-1/activity-7"} // what a retry of the same activity execution shares

	sim.SetFaults(asaassim.Faults{FailRate: 1})
	var ch activities.ChargeIssued
	require.Error(t, f.run(f.acts.ReissueCharge, in, &ch), "Asaas fails after the installment was prepared")
	sim.SetFaults(asaassim.Faults{})
	require.NoError(t, f.run(f.acts.ReissueCharge, in, &ch), "the retry")
	assert.NotEmpty(t, ch.AsaasPaymentID)
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='charge.reissued'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND number=2 AND status='open' AND due_date='2030-02-20'`, f.contract))
}

// The split read back after payment: the agent's split refused at Asaas makes
// its entry a pending manual payout, audited with Asaas's reason; again, nothing.
func TestCheckSplitOutcomeAgainstTheSimulator(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	sim := f.withSim()
	_, charge := f.issue(1)
	var wallet string
	require.NoError(t, f.pool.QueryRow(t.Context(), `SELECT asaas_wallet_id FROM payees WHERE id=$1`, f.agent).Scan(&wallet))
	require.NoError(t, sim.SetSplitStatus(charge, wallet, "REFUSED", "Conta de destino bloqueada"))
	require.NoError(t, sim.Pay(charge, asaassim.PayOptions{}))

	pay := gatewayPayment(f, 1, "100.00", "98.01", "evt_pay")
	pay.AsaasPaymentID = charge
	res := f.event(activities.ContractEventInput{Action: activities.ActionApply, Number: 1, AsaasPaymentID: charge, Payment: &pay})
	assert.Equal(t, 1, res.GatewayEntries, "one entry is paid through the charge's split")

	in := activities.CheckSplitsInput{ContractRef: f.ref(), Payments: []activities.SplitToCheck{{Number: 1, AsaasPaymentID: charge}}}
	var out []activities.SplitsChecked
	require.NoError(t, f.run(f.acts.CheckSplitOutcome, in, &out))
	assert.Equal(t, []activities.SplitsChecked{{NotPaid: 1}}, out)
	require.NoError(t, f.run(f.acts.CheckSplitOutcome, in, &out))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND payee_id=$2 AND status='pending' AND amount=9.80`, f.contract, f.agent))
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND status='sent_to_gateway'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='split.not_paid'
		AND data->>'asaas_status'='REFUSED' AND data->>'asaas_reason'='Conta de destino bloqueada'`, f.contract))
	assert.Equal(t, "100.00", f.ledgerSum(), "moving an entry to a manual payout changes no amount")
}

// VerifyPayment for the charge's life: what Asaas holds confirms holds, partial
// refunds (refunds[] DONE), an undone cash receipt and a changed charge; runs
// before the change are answered as before.
func TestVerifyPaymentLifeClaims(t *testing.T) {
	f := newFixture(t, "100.00")
	ref := domain.ChargeReference(f.contract.String(), 1)
	partly := `,"refunds":[{"dateCreated":"2030-01-06 10:00:00","status":"DONE","value":30.00},{"status":"PENDING","value":5.00}]`
	f.withAsaasPayments(map[string]string{
		"pay_cb":      asaasPayment("pay_cb", ref, "CHARGEBACK_DISPUTE", "100", "96.52", `,"chargeback":{"status":"IN_DISPUTE","reason":"PROCESS_ERROR"}`),
		"pay_partly":  asaasPayment("pay_partly", ref, "RECEIVED", "100", "98.01", partly),
		"pay_paid":    asaasPayment("pay_paid", ref, "RECEIVED", "100", "98.01", `,"refunds":null`),
		"pay_pending": asaasPayment("pay_pending", ref, "PENDING", "120.5", "118.51", `,"dueDate":"2030-02-01"`),
		"pay_rip":     asaasPayment("pay_rip", ref, "REFUND_IN_PROGRESS", "100", "98.01", ""),
	})
	cases := []struct {
		name, id, event string
		life, confirmed bool
		refunded        string
	}{
		{"a chargeback Asaas holds", "pay_cb", "PAYMENT_CHARGEBACK_REQUESTED", true, true, "0"},
		{"a chargeback claimed of a paid payment", "pay_paid", "PAYMENT_CHARGEBACK_REQUESTED", true, false, ""},
		{"a partial refund: what refunds[] says DONE", "pay_partly", "PAYMENT_PARTIALLY_REFUNDED", true, true, "30"},
		{"a partial refund told as PAYMENT_REFUNDED", "pay_partly", "PAYMENT_REFUNDED", true, true, "30"},
		{"a refund claimed with nothing refunded", "pay_paid", "PAYMENT_PARTIALLY_REFUNDED", true, false, ""},
		{"before the change, a refund is whole or nothing", "pay_partly", "PAYMENT_REFUNDED", false, false, ""},
		{"a refund in progress", "pay_rip", "PAYMENT_REFUND_IN_PROGRESS", true, true, "0"},
		{"a cash receipt undone: waiting again", "pay_pending", "PAYMENT_RECEIVED_IN_CASH_UNDONE", true, true, "0"},
		{"a changed charge, with its due date", "pay_pending", "PAYMENT_UPDATED", true, true, "0"},
		{"a won chargeback claimed while disputed", "pay_cb", "PAYMENT_CONFIRMED", true, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v activities.PaymentVerdict
			require.NoError(t, f.run(f.acts.VerifyPayment, activities.VerifyPaymentInput{ContractRef: f.ref(), Number: 1,
				AsaasPaymentID: tc.id, ChargeID: "pay_x", Event: tc.event, Life: tc.life}, &v))
			assert.Equal(t, tc.confirmed, v.Confirmed, v.Reason)
			if tc.confirmed {
				assert.Equal(t, tc.refunded, v.Payment.Refunded.String())
			}
			if tc.id == "pay_pending" && tc.confirmed {
				assert.Equal(t, "2030-02-01", v.Payment.DueDate)
				assert.True(t, decimal.RequireFromString("120.5").Equal(v.Payment.Value))
			}
		})
	}
}

// The cancel reason comes from the note the API stored; the activity's input
// carries only its id.
func TestFinishCancellationReadsTheReasonNote(t *testing.T) {
	f := newFixture(t, "10.00")
	f.activate()
	note := dbgen.ContractNote{ID: uuid.New()}
	require.NoError(t, dbgen.New(f.pool).InsertContractNote(t.Context(), dbgen.InsertContractNoteParams{ID: note.ID, AccountID: f.account, ContractID: f.contract,
		Kind: "cancel_reason", Body: "cliente desistiu do curso", CreatedBy: f.user}))
	in := activities.FinishCancellationInput{ContractRef: f.ref(), Cancelled: []int{1}, ReasonID: note.ID.String(), RequestedBy: f.user.String()}
	raw, err := json.Marshal(in)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "desistiu", "no free text in the payload")
	require.NoError(t, f.run(f.acts.FinishCancellation, in, nil))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM contracts WHERE id=$1 AND status='cancelled' AND cancel_reason='cliente desistiu do curso'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='contract.cancelled' AND data->>'reason_note_id'=$2`, f.contract, note.ID.String()))

	g := newFixture(t, "10.00")
	g.activate()
	in.ContractRef = g.ref()
	err = g.run(g.acts.FinishCancellation, in, nil)
	require.Error(t, err, "another contract's note is not found")
}

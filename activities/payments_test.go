package activities_test

import (
	"sync"
	"testing"

	"billing/activities"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gatewayPayment(f *fixture, n int, amount, net, key string) activities.ApplyPaymentInput {
	return activities.ApplyPaymentInput{ContractRef: f.ref(), Number: n, Origin: activities.OriginGateway,
		AsaasPaymentID: "pay_" + key, Amount: dec(amount), Net: dec(net), PaidOn: "2030-01-05",
		Status: activities.PaymentReceived, SettledOn: "2030-01-05", EventKey: key}
}

func TestApplyPaymentAllocatesOnceAndSumsToThePaidAmount(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	f.storeEvent("evt_1", "PAYMENT_RECEIVED")
	var res activities.PaymentApplied
	require.NoError(t, f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "100.00", "98.01", "evt_1"), &res))
	assert.True(t, res.Created)
	assert.Equal(t, 4, res.Entries)

	// fee 1.99 (paid), agent 10% of 98.01 = 9.80 (sent_to_gateway), partner 5.00 (pending), house 83.21 (pending)
	rows, err := f.pool.Query(t.Context(), `SELECT kind, amount::text, status, coalesce(payee_id::text,'') FROM split_entries WHERE contract_id=$1 ORDER BY rule_position`, f.contract)
	require.NoError(t, err)
	var got [][4]string
	for rows.Next() {
		var r [4]string
		require.NoError(t, rows.Scan(&r[0], &r[1], &r[2], &r[3]))
		got = append(got, r)
	}
	assert.Equal(t, [][4]string{
		{"fee", "1.99", "paid", ""},
		{"percentage", "9.80", "sent_to_gateway", f.agent.String()},
		{"fixed", "5.00", "pending", f.partner.String()},
		{"remainder", "83.21", "pending", f.house.String()},
	}, got)
	assert.Equal(t, "100", f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, f.contract).String())
	status, _ := f.eventStatus("evt_1")
	assert.Equal(t, "processed", status)
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='paid'`, f.contract))

	// A retry (the worker died after the commit) changes nothing.
	var again activities.PaymentApplied
	require.NoError(t, f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "100.00", "98.01", "evt_1"), &again))
	assert.False(t, again.Created)
	assert.Equal(t, res.PaymentID, again.PaymentID)
	assert.Equal(t, 4, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='payment.recorded'`, f.contract))
}

func TestApplyPaymentRacingAttemptsRecordOnePayment(t *testing.T) {
	f := newFixture(t, "50.00")
	f.activate()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "50.00", "48.01", "evt_race"), nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1`, f.contract))
	assert.Equal(t, "50", f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, f.contract).String())
}

func TestManualPartialPaymentFlagsTheShortfall(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	in := activities.ApplyPaymentInput{ContractRef: f.ref(), Number: 1, Origin: activities.OriginManual, Amount: dec("12.00"),
		Net: dec("12.00"), PaidOn: "2030-01-03", Status: activities.PaymentReceived, RecordedBy: f.user.String()}
	var res activities.PaymentApplied
	require.NoError(t, f.run(f.acts.ApplyPayment, in, &res))
	// agent 10% of 12 = 1.20 (pending: receiveInCash cancelled the Asaas split), partner 5.00, house 5.80
	assert.True(t, res.Shortfall.IsZero())
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND status='sent_to_gateway'`, f.contract))
	assert.Equal(t, "12", f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, f.contract).String())
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM payments WHERE contract_id=$1 AND origin='manual' AND recorded_by=$2 AND fee_amount=0`, f.contract, f.user))

	g := newFixture(t, "100.00")
	g.activate()
	in = activities.ApplyPaymentInput{ContractRef: g.ref(), Number: 1, Origin: activities.OriginManual, Amount: dec("3.00"),
		Net: dec("3.00"), PaidOn: "2030-01-03", Status: activities.PaymentReceived, RecordedBy: g.user.String()}
	require.NoError(t, g.run(g.acts.ApplyPayment, in, &res))
	assert.Equal(t, "2.3", res.Shortfall.String(), "wanted 0.30 + 5.00, covered 3.00")
	assert.Equal(t, "3", g.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, g.contract).String())
	assert.Equal(t, 1, g.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='split.shortfall'`, g.contract))
}

func TestReversePaymentAddsReversalsOnce(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	require.NoError(t, f.run(f.acts.ApplyPayment, gatewayPayment(f, 1, "100.00", "98.01", "evt_pay"), nil))
	// The partner's 5.00 was already paid out by hand.
	_, err := f.pool.Exec(t.Context(), `UPDATE split_entries SET status='paid' WHERE contract_id=$1 AND payee_id=$2`, f.contract, f.partner)
	require.NoError(t, err)
	f.storeEvent("evt_ref", "PAYMENT_REFUNDED")
	in := activities.ReversePaymentInput{ContractRef: f.ref(), Number: 1, AsaasPaymentID: "pay_evt_pay", Event: "PAYMENT_REFUNDED", EventKey: "evt_ref"}
	require.NoError(t, f.run(f.acts.ReversePayment, in, nil))
	require.NoError(t, f.run(f.acts.ReversePayment, in, nil), "a retry is harmless")

	assert.Equal(t, "0", f.sum(`SELECT sum(amount) FROM split_entries WHERE contract_id=$1`, f.contract).String(), "payment and reversal cancel out")
	assert.Equal(t, 4, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND reverses_entry_id IS NOT NULL`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND reverses_entry_id IS NOT NULL AND status='pending' AND payee_id=$2 AND amount=-5`, f.contract, f.partner),
		"money already paid to a payee is owed back")
	assert.Equal(t, 0, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1 AND reverses_entry_id IS NULL AND status IN ('pending','sent_to_gateway')`, f.contract),
		"nothing of a refunded payment is still to be paid out")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='refunded'`, f.contract))
	status, _ := f.eventStatus("evt_ref")
	assert.Equal(t, "processed", status)
}

func TestMarkOverdueIsIdempotent(t *testing.T) {
	f := newFixture(t, "10.00", "10.00")
	f.activate()
	_, err := f.pool.Exec(t.Context(), `UPDATE installments SET status='open' WHERE contract_id=$1`, f.contract)
	require.NoError(t, err)
	in := activities.MarkOverdueInput{ContractRef: f.ref(), Numbers: []int{1}, Source: "timer"}
	require.NoError(t, f.run(f.acts.MarkOverdue, in, nil))
	require.NoError(t, f.run(f.acts.MarkOverdue, in, nil))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='overdue'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='installment.overdue'`, f.contract))
}

func TestActivateOnceAndCloseOnce(t *testing.T) {
	f := newFixture(t, "10.00", "10.00")
	plan := f.activate()
	assert.Len(t, plan.Installments, 2)
	assert.Equal(t, "active", plan.Status)
	f.activate()
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='contract.activated'`, f.contract))

	cancel := activities.FinishCancellationInput{ContractRef: f.ref(), Cancelled: []int{1, 2}, Reason: "gave up", RequestedBy: f.user.String()}
	require.NoError(t, f.run(f.acts.FinishCancellation, cancel, nil))
	require.NoError(t, f.run(f.acts.FinishCancellation, cancel, nil))
	assert.Equal(t, 2, f.count(`SELECT count(*) FROM installments WHERE contract_id=$1 AND status='cancelled'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM contracts WHERE id=$1 AND status='cancelled' AND cancel_reason='gave up'`, f.contract))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE contract_id=$1 AND action='contract.cancelled' AND actor_id=$2`, f.contract, f.user))
}

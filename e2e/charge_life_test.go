package e2e

import (
	"context"
	"encoding/base64"
	"net/http"
	"regexp"
	"testing"
	"time"

	"billing/asaas"
	"billing/asaassim"
	"billing/workflows"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"
)

// The charge's life through the real parts (API, worker, Temporal, PostgreSQL,
// the simulator delivering webhooks): chargebacks won and lost, partial refunds,
// a cash receipt undone, an installment changed at Asaas or issued again, a split
// refused. Each contract's history is recorded for the replay tests.

// lifeContract creates and activates a contract of n installments of billingType
// with the agent's 10% sent to Asaas in the charge's split (the account keeps the
// rest) and waits for its charges; it returns the contract and its charges.
func (s *stack) lifeContract(agent string, n int, total, billingType string) (string, []string) {
	s.t.Helper()
	client := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"})["id"].(string)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"client_id": client, "billing_type": billingType,
		"total_amount": total, "installment_count": n, "first_due_date": time.Now().AddDate(0, 0, 10).Format(time.DateOnly),
		"split_rules": []any{map[string]any{"kind": "fee"}, map[string]any{"kind": "percentage", "payee_id": agent, "percent": "10"}}})["id"].(string)
	s.must(http.StatusOK, "POST", "/v1/contracts/"+contract+"/activate", nil)
	var charges []string
	s.eventually("every charge is issued", func() bool {
		view := s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)
		charges = charges[:0]
		for i := 1; i <= n; i++ {
			if field(installment(view, i), "status") != "open" {
				return false
			}
			charges = append(charges, field(installment(view, i), "charge", "asaas_payment_id").(string))
		}
		return true
	})
	return contract, charges
}

func (s *stack) agent() string {
	s.t.Helper()
	return s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"asaas_wallet_id": s.wallet.WalletID})["id"].(string)
}

// entryStatuses are the statuses of the installment's payment's entries (not
// reversals), by kind.
func (s *stack) entryStatuses(contract string, n int) map[string]string {
	s.t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT e.kind, e.status FROM split_entries e
		JOIN payments p ON p.id = e.payment_id JOIN installments i ON i.id = p.installment_id
		WHERE e.contract_id = $1 AND i.number = $2 AND p.status <> 'undone' AND e.reverses_entry_id IS NULL`, contract, n)
	require.NoError(s.t, err)
	out := map[string]string{}
	for rows.Next() {
		var kind, status string
		require.NoError(s.t, rows.Scan(&kind, &status))
		out[kind] = status
	}
	return out
}

// ledgerOf is the sum of the contract's entries (and reversals), to the cent.
func (s *stack) ledgerOf(contract string) string {
	s.t.Helper()
	var sum decimal.NullDecimal
	require.NoError(s.t, s.pool.QueryRow(context.Background(), `SELECT sum(amount) FROM split_entries WHERE contract_id = $1`, contract).Scan(&sum))
	return sum.Decimal.StringFixed(2)
}

// paidLessRefunded: every payment's entries and reversals sum to its amount less
// what was refunded of it (0 for an undone one), to the cent.
func (s *stack) assertLedgerExact(contract string) {
	s.t.Helper()
	assert.Zero(s.t, s.count(`SELECT count(*) FROM payments p WHERE contract_id = $1
		AND (CASE WHEN status = 'undone' THEN 0 ELSE amount - refunded_amount END) <> (SELECT coalesce(sum(amount), 0) FROM split_entries e WHERE e.payment_id = p.id)`, contract),
		"every payment's entries sum to what was paid less what was refunded")
}

func (s *stack) installmentStatus(contract string, n int) string {
	return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), n), "status").(string)
}

// A card chargeback held, disputed and won (the charge confirmed again, seed 001):
// the entries are disputed (no payout takes them) and then released; another,
// lost, ends in PAYMENT_REFUNDED and reverses them.
func TestChargebacksThroughTheSimulator(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	agent := s.agent()
	won, wonCharges := s.lifeContract(agent, 2, "200.00", "UNDEFINED")
	lost, lostCharges := s.lifeContract(agent, 2, "200.00", "UNDEFINED")
	for _, ch := range []string{wonCharges[0], lostCharges[0]} {
		require.NoError(t, s.sim.Pay(ch, asaassim.PayOptions{BillingType: "CREDIT_CARD"}))
	}
	s.eventually("both card payments are confirmed", func() bool {
		return s.installmentStatus(won, 1) == "paid" && s.installmentStatus(lost, 1) == "paid"
	})
	s.quiet()
	released := s.entryStatuses(won, 1)

	for _, ch := range []string{wonCharges[0], lostCharges[0]} {
		require.NoError(t, s.sim.Chargeback(ch, "PROCESS_ERROR"))
	}
	s.eventually("both payments are held", func() bool {
		return s.count(`SELECT count(*) FROM payments WHERE contract_id IN ($1, $2) AND hold = 'chargeback'`, won, lost) == 2
	})
	assert.Equal(t, map[string]string{"fee": "paid", "percentage": "disputed", "remainder": "disputed"}, s.entryStatuses(won, 1))
	held := s.count(`SELECT count(*) FROM split_entries WHERE contract_id = $1 AND status = 'disputed'`, won)
	var heldEntry string
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT id FROM split_entries WHERE contract_id = $1 AND status = 'disputed' AND payee_id IS NOT NULL`, won).Scan(&heldEntry))
	code, problem := s.call("POST", "/v1/payouts", map[string]any{"entry_ids": []string{heldEntry}, "paid_on": time.Now().Format(time.DateOnly), "method": "PIX"})
	assert.Equal(t, http.StatusConflict, code, "a held entry cannot be paid out: %v", problem)
	assert.Equal(t, "chargeback", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+won, nil), 1), "payment", "hold"))

	require.NoError(t, s.sim.ChargebackDispute(wonCharges[0]))
	require.NoError(t, s.sim.ChargebackResolve(wonCharges[0], true))
	require.NoError(t, s.sim.ChargebackReversal(wonCharges[0]))
	require.NoError(t, s.sim.ChargebackResolve(lostCharges[0], false))
	s.eventually("the won chargeback is released and the lost one reversed", func() bool {
		return s.count(`SELECT count(*) FROM payments WHERE contract_id = $1 AND hold IS NULL AND status = 'confirmed'`, won) == 1 &&
			s.installmentStatus(lost, 1) == "refunded"
	})
	s.quiet()
	assert.Equal(t, released, s.entryStatuses(won, 1), "released as they were")
	assert.Positive(t, held)
	assert.Equal(t, "paid", s.installmentStatus(won, 1))
	assert.Equal(t, "0.00", s.ledgerOf(lost), "a lost chargeback reverses everything")
	assert.Zero(t, s.count(`SELECT count(*) FROM split_entries WHERE contract_id = $1 AND status IN ('pending', 'sent_to_gateway', 'disputed')`, lost))
	s.assertLedgerExact(won)
	s.assertLedgerExact(lost)
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.held'`, won))
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.released'`, won))
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.refunded'`, lost))

	replayAndRecord(t, s, "charge-life-chargeback-won", workflows.ContractWorkflowID(won))
	replayAndRecord(t, s, "charge-life-chargeback-lost", workflows.ContractWorkflowID(lost))
}

// A PIX payment refunded in part twice (Asaas's refunds[] read back: the event
// names no amount), then in full: each step reverses its share of every entry and
// the ledger stays exact. A cash receipt recorded by hand and undone at Asaas
// opens the installment again; the customer then pays it by PIX.
func TestPartialRefundsAndAnUndoneCashReceipt(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	agent := s.agent()
	refunded, refundCharges := s.lifeContract(agent, 2, "200.00", "PIX")
	undone, undoneCharges := s.lifeContract(agent, 2, "200.00", "PIX")

	require.NoError(t, s.sim.Pay(refundCharges[0], asaassim.PayOptions{}))
	s.eventually("paid", func() bool { return s.installmentStatus(refunded, 1) == "paid" })
	steps := []struct{ refund, refunded, ledger string }{
		{"30.00", "30.00", "70.00"},
		{"20.50", "50.50", "49.50"},
	}
	for _, step := range steps {
		require.NoError(t, s.sim.RefundValue(refundCharges[0], decimal.RequireFromString(step.refund), "desconto"))
		s.eventually("refunded in part: "+step.refunded, func() bool {
			return s.count(`SELECT count(*) FROM payments WHERE contract_id = $1 AND refunded_amount = $2`, refunded, step.refunded) == 1
		})
		assert.Equal(t, step.ledger, s.ledgerOf(refunded))
		assert.Equal(t, "paid", s.installmentStatus(refunded, 1))
		s.assertLedgerExact(refunded)
	}
	payment := field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+refunded, nil), 1), "payment").(map[string]any)
	assert.Equal(t, "50.50", payment["refunded_amount"])
	require.NoError(t, s.sim.RefundValue(refundCharges[0], decimal.Zero, ""))
	s.eventually("refunded in full", func() bool { return s.installmentStatus(refunded, 1) == "refunded" })
	assert.Equal(t, "0.00", s.ledgerOf(refunded))
	s.assertLedgerExact(refunded)
	assert.Equal(t, 2, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.partially_refunded'`, refunded))

	today := time.Now().Format(time.DateOnly)
	s.must(http.StatusOK, "POST", "/v1/contracts/"+undone+"/installments/1/mark-paid", map[string]any{"amount": "100.00", "paid_on": today})
	s.quiet()
	require.NoError(t, s.sim.UndoReceivedInCash(undoneCharges[0]))
	s.eventually("the installment is open again", func() bool { return s.installmentStatus(undone, 1) == "open" })
	assert.Equal(t, "0.00", s.ledgerOf(undone))
	assert.Equal(t, "undone", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+undone, nil), 1), "payment", "status"))
	require.NoError(t, s.sim.Pay(undoneCharges[0], asaassim.PayOptions{}))
	s.eventually("paid by PIX", func() bool { return s.installmentStatus(undone, 1) == "paid" })
	s.quiet()
	assert.Equal(t, "gateway", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+undone, nil), 1), "payment", "origin"))
	assert.Equal(t, "100.00", s.ledgerOf(undone))
	s.assertLedgerExact(undone)
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.cash_undone'`, undone))

	// B10: the cancel reason is stored in PostgreSQL; the workflow carries its id only.
	const reason = "Maria desistiu: mudou de cidade"
	s.must(http.StatusOK, "POST", "/v1/contracts/"+refunded+"/cancel", map[string]any{"reason": reason}, "Idempotency-Key", "cancel-refunded")
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM contracts WHERE id = $1 AND cancel_reason = $2`, refunded, reason))
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM contract_notes WHERE contract_id = $1 AND body = $2`, refunded, reason))
	payloads := ""
	for _, h := range histories(t, s, workflows.ContractWorkflowID(refunded)) {
		raw, err := protojson.Marshal(h)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`"data":"([A-Za-z0-9+/=]+)"`).FindAllStringSubmatch(string(raw), -1) {
			if b, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
				payloads += string(b) + "\n"
			}
		}
	}
	assert.Contains(t, payloads, "ReasonID", "the cancel update is in the history, by id")
	assert.NotContains(t, payloads, "Maria", "the reason's text is not")

	replayAndRecord(t, s, "charge-life-partial-refund", workflows.ContractWorkflowID(refunded))
	replayAndRecord(t, s, "charge-life-cash-undone", workflows.ContractWorkflowID(undone))
}

// PATCH changes an installment's charge at Asaas; where Asaas refuses, the charge
// is deleted and issued again. A charge deleted in the Asaas panel is issued again
// on request; a due date changed in the panel is copied. A split Asaas refuses
// makes its entry a pending manual payout, which can be paid out.
func TestInstallmentChangesAndARefusedSplit(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	agent := s.agent()
	contract, charges := s.lifeContract(agent, 3, "300.00", "PIX")
	path := "/v1/contracts/" + contract
	panel := asaas.New(asaas.Options{BaseURL: s.simURL, APIKey: s.merchant.APIKey})
	ctx := context.Background()
	newDue := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)

	// #1: value and due date changed at Asaas.
	r := s.must(http.StatusOK, "PATCH", path+"/installments/1", map[string]any{"value": "120.50", "due_date": newDue}, "Idempotency-Key", "chg-1")
	assert.Equal(t, "updated", field(r, "change", "how"))
	p, err := panel.GetPayment(ctx, charges[0])
	require.NoError(t, err)
	assert.Equal(t, "120.5", p.Value.String())
	assert.Equal(t, newDue, p.DueDate.String())
	again := s.must(http.StatusOK, "PATCH", path+"/installments/1", map[string]any{"value": "120.50", "due_date": newDue}, "Idempotency-Key", "chg-1")
	assert.Equal(t, r, again, "a retry with the same key is the same answer")

	// #2: Asaas refuses the change: deleted and issued again.
	require.NoError(t, s.sim.RefuseUpdates(charges[1], true))
	r = s.must(http.StatusOK, "PATCH", path+"/installments/2", map[string]any{"value": "95.00"})
	assert.Equal(t, "reissued", field(r, "change", "how"))
	second := field(r, "change", "asaas_payment_id").(string)
	assert.NotEqual(t, charges[1], second)
	old, err := panel.GetPayment(ctx, charges[1])
	require.NoError(t, err)
	assert.True(t, old.Deleted, "the refused charge is deleted at Asaas")

	// #3: deleted in the Asaas panel, then issued again on request.
	_, err = panel.DeletePayment(ctx, charges[2])
	require.NoError(t, err)
	s.eventually("the deletion is recorded", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", path, nil), 3), "charge", "deleted_at") != nil
	})
	r = s.must(http.StatusOK, "POST", path+"/installments/3/reissue", nil)
	third := field(r, "change", "asaas_payment_id").(string)
	assert.NotEqual(t, charges[2], third)

	// #1's due date moved in the Asaas panel: copied.
	panelDue := time.Now().AddDate(0, 0, 25).Format(time.DateOnly)
	_, err = panel.UpdatePayment(ctx, charges[0], asaas.UpdatePaymentRequest{DueDate: asaas.DateOf(mustDate(t, panelDue))})
	require.NoError(t, err)
	s.eventually("the panel's due date is copied", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", path, nil), 1), "due_date") == panelDue
	})
	s.quiet()
	view := s.must(http.StatusOK, "GET", path, nil)
	assert.Equal(t, "120.50", field(installment(view, 1), "value"))
	assert.Equal(t, "95.00", field(installment(view, 2), "value"))
	assert.Equal(t, second, field(installment(view, 2), "charge", "asaas_payment_id"))
	assert.Equal(t, third, field(installment(view, 3), "charge", "asaas_payment_id"))
	assert.Equal(t, "315.50", view["total_amount"])

	// #1's split refused at Asaas before it is paid; then everything is paid.
	require.NoError(t, s.sim.SetSplitStatus(charges[0], s.wallet.WalletID, "REFUSED", "Carteira de destino bloqueada"))
	for _, ch := range []string{charges[0], second, third} {
		require.NoError(t, s.sim.Pay(ch, asaassim.PayOptions{}))
	}
	s.eventually("the contract completes", func() bool { return s.must(http.StatusOK, "GET", path, nil)["status"] == "completed" })
	s.eventually("the refused split is a pending payout", func() bool {
		return s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'split.not_paid'`, contract) == 1
	})
	assert.Equal(t, "pending", s.entryStatuses(contract, 1)["percentage"])
	assert.Equal(t, "sent_to_gateway", s.entryStatuses(contract, 2)["percentage"], "the others went through")
	var entry string
	require.NoError(t, s.pool.QueryRow(ctx, `SELECT e.id FROM split_entries e JOIN payments p ON p.id = e.payment_id
		WHERE e.contract_id = $1 AND p.asaas_payment_id = $2 AND e.kind = 'percentage'`, contract, charges[0]).Scan(&entry))
	s.must(http.StatusCreated, "POST", "/v1/payouts", map[string]any{"entry_ids": []string{entry}, "paid_on": time.Now().Format(time.DateOnly), "method": "PIX"})
	s.assertLedgerExact(contract)
	for action, n := range map[string]int{"installment.changed": 2, "charge.update_refused": 1, "charge.reissued": 2, "split.not_paid": 1} {
		assert.Equal(t, n, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = $2`, contract, action), action)
	}

	replayAndRecord(t, s, "charge-life-changes", workflows.ContractWorkflowID(contract))
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

package e2e

import (
	"net/http"
	"testing"
	"time"

	"billing/asaassim"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With the account's own webhook secret, a PAYMENT_RECEIVED of 0.01 for a 100.00
// installment, and one whose payment is not the installment's charge: both are
// checked with Asaas (the simulator), which does not confirm them — rejected,
// recorded with the reason, audited, nothing changed. Then the customer really
// pays, more than the charge (a fine and interest, as Asaas computed them), and
// that payment is applied as Asaas holds it, its splits summing to it.
func TestForgedEventsAreRejectedAndRealAmountsApplied(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	contract, charges := s.activeContract(2, "200.00")
	before := s.ledger(s.account)

	forged := s.paymentEvent("evt_forged_amount", "PAYMENT_RECEIVED", charges[0], map[string]any{"value": 0.01, "netValue": 0.01, "status": "RECEIVED"})
	code, answer := s.postWebhook(s.secret, forged)
	require.Equal(t, http.StatusOK, code, answer)
	status, reason := s.waitOutcome(s.account, "evt_forged_amount")
	assert.Equal(t, "rejected", status)
	assert.Contains(t, reason, "Asaas says payment "+charges[0]+" is PENDING")

	foreign := s.paymentEvent("evt_foreign_payment", "PAYMENT_RECEIVED", charges[1], map[string]any{"id": "pay_notthecharge_2", "status": "RECEIVED"})
	code, answer = s.postWebhook(s.secret, foreign)
	require.Equal(t, http.StatusOK, code, answer)
	status, reason = s.waitOutcome(s.account, "evt_foreign_payment")
	assert.Equal(t, "rejected", status)
	assert.Contains(t, reason, "Asaas does not know payment pay_notthecharge_2")

	assert.Equal(t, before, s.ledger(s.account), "nothing changed")
	assert.Equal(t, 2, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'webhook.rejected'`, contract))

	// The real payment, with fine and interest: not the charge's value, so Asaas is
	// asked, and what it holds is applied.
	require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX", Value: decimal.RequireFromString("103.47")}))
	s.eventually("installment 1 is paid with what Asaas received", func() bool {
		return s.count(`SELECT count(*) FROM payments WHERE contract_id = $1 AND amount = 103.47`, contract) == 1
	})
	assert.Zero(t, s.count(`SELECT count(*) FROM payments p WHERE contract_id = $1 AND amount <> (SELECT sum(amount) FROM split_entries e WHERE e.payment_id = p.id)`, contract))
	assert.Equal(t, "gateway", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 1), "payment", "origin"))
}

package asaassim

import (
	"net/http"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// events are the webhook events the account has emitted so far, oldest first.
func events(t *testing.T, s *Server, acct string) []string {
	t.Helper()
	ds, err := s.Deliveries(acct)
	require.NoError(t, err)
	var out []string
	for _, d := range ds {
		if !d.Duplicate {
			out = append(out, d.Event)
		}
	}
	return out
}

// PUT /v3/payments/{id} changes the value and due date of a charge still waiting
// for payment, recomputes its net value, reopens an overdue one whose due date
// moves forward, and sends PAYMENT_UPDATED; it refuses a paid charge, a due date
// in the past, and (the test control) a charge told to refuse.
func TestUpdatePayment(t *testing.T) {
	s, c, acct, cust := simWithAccount(t, Options{})
	id := c.charge(cust, map[string]any{"billingType": "BOLETO", "value": 100, "dueDate": "2026-07-20"})["id"].(string)

	got := c.ok("PUT", "/v3/payments/"+id, map[string]any{"value": 120.5, "dueDate": "2026-08-01", "description": "ignored"})
	assert.Equal(t, 120.5, got["value"])
	assert.Equal(t, 118.51, got["netValue"], "FACTS: boleto fee 1.99")
	assert.Equal(t, "2026-08-01", got["dueDate"])
	assert.Equal(t, "2026-07-20", got["originalDueDate"], "the due date it was created with")
	assert.Equal(t, "PENDING", got["status"])

	require.NoError(t, s.MarkOverdue(id))
	got = c.ok("PUT", "/v3/payments/"+id, map[string]any{"dueDate": "2026-07-14"})
	assert.Equal(t, "PENDING", got["status"], "an overdue charge due again today is waiting for payment")
	assert.Equal(t, 120.5, got["value"], "an absent value stays")

	code, _ := c.fail(http.StatusBadRequest, "PUT", "/v3/payments/"+id, map[string]any{"dueDate": "2026-07-13"})
	assert.Equal(t, "invalid_dueDate", code)
	code, _ = c.fail(http.StatusBadRequest, "PUT", "/v3/payments/"+id, map[string]any{"value": -1})
	assert.Equal(t, "invalid_value", code)

	require.NoError(t, s.RefuseUpdates(id, true))
	code, _ = c.fail(http.StatusBadRequest, "PUT", "/v3/payments/"+id, map[string]any{"value": 130})
	assert.Equal(t, "invalid_action", code)
	require.NoError(t, s.RefuseUpdates(id, false))

	require.NoError(t, s.Pay(id, PayOptions{BillingType: "PIX"}))
	code, _ = c.fail(http.StatusBadRequest, "PUT", "/v3/payments/"+id, map[string]any{"value": 130})
	assert.Equal(t, "invalid_action", code, "a paid charge does not change")

	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_UPDATED", "PAYMENT_OVERDUE", "PAYMENT_UPDATED", "PAYMENT_RECEIVED"}, events(t, s, acct.ID))
}

// Partial refunds: each is a refunds[] item and PAYMENT_PARTIALLY_REFUNDED, the
// charge stays RECEIVED; the one that completes the value is PAYMENT_REFUNDED.
func TestPartialRefunds(t *testing.T) {
	s, c, acct, cust := simWithAccount(t, Options{})
	id := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+id+"/refund", map[string]any{"value": 10})
	assert.Equal(t, "invalid_action", code, "nothing to refund before payment")
	require.NoError(t, s.Pay(id, PayOptions{}))

	got := c.ok("POST", "/v3/payments/"+id+"/refund", map[string]any{"value": 30, "description": "desconto"})
	assert.Equal(t, "RECEIVED", got["status"])
	refunds := got["refunds"].([]any)
	require.Len(t, refunds, 1)
	assert.Equal(t, 30.0, refunds[0].(map[string]any)["value"])
	assert.Equal(t, "DONE", refunds[0].(map[string]any)["status"])

	require.NoError(t, s.RefundValue(id, decimal.RequireFromString("20.50"), ""))
	code, _ = c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+id+"/refund", map[string]any{"value": 49.51})
	assert.Equal(t, "invalid_value", code, "no more than what is left (49.50)")
	got = c.ok("POST", "/v3/payments/"+id+"/refund", map[string]any{})
	assert.Equal(t, "REFUNDED", got["status"])
	require.Len(t, got["refunds"], 3)
	assert.Equal(t, 49.5, got["refunds"].([]any)[2].(map[string]any)["value"], "no value: what is left")

	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_RECEIVED", "PAYMENT_PARTIALLY_REFUNDED", "PAYMENT_PARTIALLY_REFUNDED", "PAYMENT_REFUNDED"},
		events(t, s, acct.ID))
}

// A refund in progress ends refunded or denied; a cash receipt undone sends
// PAYMENT_RECEIVED_IN_CASH_UNDONE.
func TestRefundInProgressAndCashUndone(t *testing.T) {
	s, c, acct, cust := simWithAccount(t, Options{})
	a := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	b := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	require.NoError(t, s.Pay(a, PayOptions{}))
	require.NoError(t, s.Pay(b, PayOptions{}))
	require.NoError(t, s.RefundInProgress(a))
	assert.Equal(t, "REFUND_IN_PROGRESS", c.payment(a)["status"])
	require.NoError(t, s.RefundOutcome(a, false))
	assert.Equal(t, "RECEIVED", c.payment(a)["status"])
	require.NoError(t, s.RefundInProgress(b))
	require.NoError(t, s.RefundOutcome(b, true))
	assert.Equal(t, "REFUNDED", c.payment(b)["status"])
	assert.Error(t, s.RefundOutcome(b, true))

	cash := c.charge(cust, map[string]any{"billingType": "BOLETO", "value": 50})["id"].(string)
	c.ok("POST", "/v3/payments/"+cash+"/receiveInCash", map[string]any{"paymentDate": "2026-07-14", "value": 50, "notifyCustomer": false})
	require.NoError(t, s.UndoReceivedInCash(cash))
	assert.Equal(t, "PENDING", c.payment(cash)["status"])

	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_CREATED", "PAYMENT_RECEIVED", "PAYMENT_RECEIVED",
		"PAYMENT_REFUND_IN_PROGRESS", "PAYMENT_REFUND_DENIED", "PAYMENT_REFUND_IN_PROGRESS", "PAYMENT_REFUNDED",
		"PAYMENT_CREATED", "PAYMENT_RECEIVED", "PAYMENT_RECEIVED_IN_CASH_UNDONE"}, events(t, s, acct.ID))
}

// A split refused before payment stays refused when the charge is paid (its
// wallet gets nothing); a split cancelled after payment is taken back from the
// wallet. Both show in split[] with their reason.
func TestSplitStatusControl(t *testing.T) {
	s, c, _, cust := simWithAccount(t, Options{})
	wallet := s.CreateAccount("Agent")
	other := s.CreateAccount("Partner")
	split := []any{map[string]any{"walletId": wallet.WalletID, "percentualValue": 10}, map[string]any{"walletId": other.WalletID, "fixedValue": 5}}
	id := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100, "split": split})["id"].(string)

	require.NoError(t, s.SetSplitStatus(id, wallet.WalletID, "REFUSED", "Carteira bloqueada"))
	require.NoError(t, s.Pay(id, PayOptions{}))
	got := c.payment(id)["split"].([]any)
	assert.Equal(t, "REFUSED", got[0].(map[string]any)["status"])
	assert.Equal(t, "Carteira bloqueada", got[0].(map[string]any)["refusalReason"])
	assert.Equal(t, "DONE", got[1].(map[string]any)["status"])
	bal, _ := s.Balance(wallet.ID)
	assert.True(t, bal.IsZero(), "a refused split pays nothing: %s", bal)

	require.NoError(t, s.SetSplitStatus(id, other.WalletID, "CANCELLED", ""))
	got = c.payment(id)["split"].([]any)
	assert.Equal(t, "CANCELLED", got[1].(map[string]any)["status"])
	bal, _ = s.Balance(other.ID)
	assert.True(t, bal.IsZero(), "taken back: %s", bal)
	assert.Error(t, s.SetSplitStatus(id, "", "DONE", ""))
}

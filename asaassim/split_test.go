package asaassim

import (
	"net/http"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// splitWorld: an account A charging, payees B and C with wallets.
type splitWorld struct {
	s        *Server
	c        *client
	a, b, c2 Account
	cust     string
}

func newSplitWorld(t *testing.T, opts Options) *splitWorld {
	s, ts := newSim(t, opts)
	w := &splitWorld{s: s, a: s.CreateAccount("A"), b: s.CreateAccount("B"), c2: s.CreateAccount("C")}
	w.c = newClient(t, ts, w.a.APIKey)
	w.cust = w.c.customer()
	return w
}

func (w *splitWorld) split() []map[string]any {
	return []map[string]any{
		{"walletId": w.b.WalletID, "fixedValue": 20, "externalReference": "payee-b"},
		{"walletId": w.c2.WalletID, "percentualValue": 10},
	}
}

func balance(t *testing.T, s *Server, id string) string {
	t.Helper()
	b, err := s.Balance(id)
	require.NoError(t, err)
	return b.StringFixed(2)
}

func TestSplitReceivedCreditsWallets(t *testing.T) {
	w := newSplitWorld(t, Options{})
	p := w.c.charge(w.cust, map[string]any{"billingType": "PIX", "value": 100, "split": w.split()})
	assert.Equal(t, 98.01, p["netValue"])
	sp := splitsOf(t, p)
	require.Len(t, sp, 2)
	assert.Equal(t, w.b.WalletID, sp[0]["walletId"])
	assert.Equal(t, 20.0, sp[0]["fixedValue"])
	assert.NotContains(t, sp[0], "percentualValue")
	assert.Equal(t, 20.0, sp[0]["totalValue"])
	assert.Equal(t, "payee-b", sp[0]["externalReference"])
	assert.Equal(t, 10.0, sp[1]["percentualValue"])
	assert.Equal(t, 9.8, sp[1]["totalValue"], "10% of the net 98.01, truncated")
	assert.Equal(t, []string{"PENDING", "PENDING"}, splitStatuses(t, p))

	require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{}))
	got := w.c.payment(p["id"].(string))
	assert.Equal(t, "RECEIVED", got["status"])
	assert.Equal(t, []string{"DONE", "DONE"}, splitStatuses(t, got))
	assert.Equal(t, "20.00", balance(t, w.s, w.b.ID))
	assert.Equal(t, "9.80", balance(t, w.s, w.c2.ID))
	assert.Equal(t, "68.21", balance(t, w.s, w.a.ID), "98.01 - 20 - 9.80")
	assert.Equal(t, map[string]any{"balance": 68.21}, w.c.ok("GET", "/v3/finance/balance", nil))

	require.NoError(t, w.s.Refund(p["id"].(string), "devolução"))
	got = w.c.payment(p["id"].(string))
	assert.Equal(t, "REFUNDED", got["status"])
	assert.Equal(t, []string{"REFUNDED", "REFUNDED"}, splitStatuses(t, got))
	for _, id := range []string{w.a.ID, w.b.ID, w.c2.ID} {
		assert.Equal(t, "0.00", balance(t, w.s, id))
	}
	refunds := got["refunds"].([]any)
	require.Len(t, refunds, 1)
	assert.Equal(t, "devolução", refunds[0].(map[string]any)["description"])
}

func TestNoSplitKeyWithoutSplit(t *testing.T) {
	w := newSplitWorld(t, Options{})
	p := w.c.charge(w.cust, map[string]any{"billingType": "BOLETO", "value": 100})
	assert.NotContains(t, p, "split")
}

func TestSplitValidation(t *testing.T) {
	w := newSplitWorld(t, Options{})
	cases := []struct {
		name  string
		split []map[string]any
		ok    bool
	}{
		{"fixed equal to the net value", []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 98.01}}, true},
		{"fixed above the net value", []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 98.02}}, false},
		{"fixed plus percentage above the net", []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 90}, {"walletId": w.c2.WalletID, "percentualValue": 10}}, false},
		{"100 percent", []map[string]any{{"walletId": w.b.WalletID, "percentualValue": 100}}, true},
		{"over 100 percent", []map[string]any{{"walletId": w.b.WalletID, "percentualValue": 100.5}}, false},
		{"unknown wallet", []map[string]any{{"walletId": "3f1b8e1e-0000-4000-8000-000000000000", "fixedValue": 1}}, false},
		{"own wallet", []map[string]any{{"walletId": w.a.WalletID, "fixedValue": 1}}, false},
		{"no walletId", []map[string]any{{"fixedValue": 1}}, false},
		{"both kinds in one item", []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 1, "percentualValue": 1}}, false},
		{"no value", []map[string]any{{"walletId": w.b.WalletID}}, false},
		{"negative", []map[string]any{{"walletId": w.b.WalletID, "fixedValue": -1}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.c.ok("GET", "/v3/payments", nil)["totalCount"]
			body := map[string]any{"customer": w.cust, "billingType": "PIX", "value": 100, "dueDate": "2026-07-20", "split": tc.split}
			if tc.ok {
				w.c.ok("POST", "/v3/payments", body)
				return
			}
			code, _ := w.c.fail(http.StatusBadRequest, "POST", "/v3/payments", body)
			assert.Equal(t, "invalid_split", code)
			assert.Equal(t, before, w.c.ok("GET", "/v3/payments", nil)["totalCount"], "a rejected charge changes nothing")
		})
	}
}

func TestSplitOnInstallmentPlanChecksEachParcel(t *testing.T) {
	w := newSplitWorld(t, Options{})
	// 350 in 12 boleto parcels: nets 27.17 (x11) and 27.25; a fixed 27.20 fits
	// the last parcel only, so the plan is rejected.
	body := map[string]any{"customer": w.cust, "billingType": "BOLETO", "installmentCount": 12, "totalValue": 350,
		"dueDate": "2026-07-24", "split": []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 27.2}}}
	code, _ := w.c.fail(http.StatusBadRequest, "POST", "/v3/payments", body)
	assert.Equal(t, "invalid_split", code)
	body["split"] = []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 27.17}}
	first := w.c.ok("POST", "/v3/payments", body)
	assert.Equal(t, 1.0, first["installmentNumber"])
	list := w.c.ok("GET", "/v3/payments?limit=100&installment="+first["installment"].(string), nil)
	for _, it := range list["data"].([]any) {
		sp := splitsOf(t, it.(map[string]any))
		assert.Equal(t, 27.17, sp[0]["totalValue"])
	}
}

func TestReceiveInCashCancelsTheSplit(t *testing.T) {
	rc := newReceiver(t, nil)
	w := newSplitWorld(t, Options{})
	require.NoError(t, w.s.SetWebhook(w.a.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	p := w.c.charge(w.cust, map[string]any{"billingType": "BOLETO", "value": 100, "split": w.split()})
	id := p["id"].(string)
	assert.Equal(t, "PAYMENT_CREATED", eventName(rc.next(t)))

	got := w.c.ok("POST", "/v3/payments/"+id+"/receiveInCash", map[string]any{"paymentDate": "2026-07-14", "value": 95, "notifyCustomer": false})
	assert.Equal(t, "RECEIVED_IN_CASH", got["status"])
	assert.Equal(t, "RECEIVED_IN_CASH", got["billingType"])
	assert.Equal(t, 95.0, got["value"])
	assert.Equal(t, 100.0, got["originalValue"])
	assert.Equal(t, 95.0, got["netValue"], "no gateway fee on a cash receipt")
	assert.Equal(t, "2026-07-14", got["paymentDate"])
	assert.Equal(t, "2026-07-14", got["clientPaymentDate"])
	for _, sp := range splitsOf(t, got) {
		assert.Equal(t, "CANCELLED", sp["status"])
		assert.Equal(t, "PAYMENT_RECEIVED_IN_CASH", sp["cancellationReason"])
	}
	for _, acct := range []Account{w.a, w.b, w.c2} {
		assert.Equal(t, "0.00", balance(t, w.s, acct.ID), "cash moves no money through Asaas")
	}
	h := rc.next(t)
	assert.Equal(t, "PAYMENT_RECEIVED", eventName(h), "seed 001: cash receipt is notified as PAYMENT_RECEIVED")
	assert.Equal(t, "RECEIVED_IN_CASH", paymentOf(h)["billingType"])
	assert.Equal(t, "RECEIVED_IN_CASH", paymentOf(h)["status"])

	code, _ := w.c.fail(http.StatusBadRequest, "DELETE", "/v3/payments/"+id, nil)
	assert.Equal(t, "invalid_action", code, "a charge received in cash cannot be deleted")

	undone := w.c.ok("POST", "/v3/payments/"+id+"/undoReceivedInCash", nil)
	assert.Equal(t, "PENDING", undone["status"])
	assert.Equal(t, "BOLETO", undone["billingType"])
	assert.Equal(t, 100.0, undone["value"])
	assert.Nil(t, undone["originalValue"])
	assert.Equal(t, 98.01, undone["netValue"])
	assert.Nil(t, undone["paymentDate"])
	assert.Equal(t, []string{"PENDING", "PENDING"}, splitStatuses(t, undone))
	assert.Equal(t, "PAYMENT_RECEIVED_IN_CASH_UNDONE", eventName(rc.next(t)))
}

func TestReceiveInCashValidation(t *testing.T) {
	w := newSplitWorld(t, Options{})
	id := w.c.charge(w.cust, map[string]any{"billingType": "PIX", "value": 100})["id"].(string)
	cases := []struct {
		name string
		body map[string]any
		code string
	}{
		{"no date", map[string]any{"value": 100}, "invalid_paymentDate"},
		{"bad date", map[string]any{"paymentDate": "14/07/2026", "value": 100}, "invalid_paymentDate"},
		{"future date", map[string]any{"paymentDate": "2026-07-15", "value": 100}, "invalid_paymentDate"},
		{"no value", map[string]any{"paymentDate": "2026-07-14"}, "invalid_value"},
		{"zero value", map[string]any{"paymentDate": "2026-07-14", "value": 0}, "invalid_value"},
		{"three decimals", map[string]any{"paymentDate": "2026-07-14", "value": "10.001"}, "invalid_value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _ := w.c.fail(http.StatusBadRequest, "POST", "/v3/payments/"+id+"/receiveInCash", tc.body)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, "PENDING", w.c.payment(id)["status"])
		})
	}
}

func TestPaidWithDifferentValueRecomputesNetAndSplit(t *testing.T) {
	w := newSplitWorld(t, Options{})
	p := w.c.charge(w.cust, map[string]any{"billingType": "PIX", "value": 100,
		"split": []map[string]any{{"walletId": w.b.WalletID, "percentualValue": 50}}})
	require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{Value: decimal.RequireFromString("80")}))
	got := w.c.payment(p["id"].(string))
	assert.Equal(t, 80.0, got["value"])
	assert.Equal(t, 100.0, got["originalValue"])
	assert.Equal(t, 78.01, got["netValue"])
	sp := splitsOf(t, got)[0]
	assert.Equal(t, 39.0, sp["totalValue"], "50% of 78.01, truncated")
	assert.Equal(t, "DONE", sp["status"])
	assert.Equal(t, "39.00", balance(t, w.s, w.b.ID))
	assert.Equal(t, "39.01", balance(t, w.s, w.a.ID))
}

func TestUnderpaymentBlocksAFixedSplit(t *testing.T) {
	w := newSplitWorld(t, Options{})
	p := w.c.charge(w.cust, map[string]any{"billingType": "PIX", "value": 100,
		"split": []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 90}}})
	require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{Value: decimal.RequireFromString("50")}))
	sp := splitsOf(t, w.c.payment(p["id"].(string)))[0]
	assert.Equal(t, "BLOCKED_BY_VALUE_DIVERGENCE", sp["status"])
	assert.Equal(t, "VALUE_DIVERGENCE_BLOCK", sp["cancellationReason"])
	assert.Equal(t, "0.00", balance(t, w.s, w.b.ID))
	assert.Equal(t, "48.01", balance(t, w.s, w.a.ID))
}

// POST /v3/installments names its fields splits and paymentExternalReference;
// totalFixedValue spreads one amount over the parcels (remainder on the last).
func TestInstallmentEndpointSplitsAndReference(t *testing.T) {
	w := newSplitWorld(t, Options{})
	plan := w.c.ok("POST", "/v3/installments", map[string]any{
		"customer": w.cust, "billingType": "BOLETO", "installmentCount": 3, "totalValue": 300, "dueDate": "2026-07-24",
		"paymentExternalReference": "contract/7",
		"splits":                   []map[string]any{{"walletId": w.b.WalletID, "totalFixedValue": 35}},
	})
	list := w.c.ok("GET", "/v3/installments/"+plan["id"].(string)+"/payments", nil)
	got := map[float64]float64{}
	for _, it := range list["data"].([]any) {
		p := it.(map[string]any)
		assert.Equal(t, "contract/7", p["externalReference"])
		got[p["installmentNumber"].(float64)] = splitsOf(t, p)[0]["fixedValue"].(float64)
	}
	assert.Equal(t, map[float64]float64{1: 11.66, 2: 11.66, 3: 11.68}, got)

	// "split" is not a field of this endpoint: like any unknown field, ignored.
	other := w.c.ok("POST", "/v3/installments", map[string]any{
		"customer": w.cust, "billingType": "PIX", "installmentCount": 2, "value": 50, "dueDate": "2026-07-24",
		"split": []map[string]any{{"walletId": w.b.WalletID, "fixedValue": 1}},
	})
	first := w.c.ok("GET", "/v3/installments/"+other["id"].(string)+"/payments", nil)["data"].([]any)[0].(map[string]any)
	assert.NotContains(t, first, "split")

	code, _ := w.c.fail(http.StatusBadRequest, "POST", "/v3/payments", map[string]any{"customer": w.cust, "billingType": "PIX", "value": 50,
		"dueDate": "2026-07-24", "split": []map[string]any{{"walletId": w.b.WalletID, "totalFixedValue": 1}}})
	assert.Equal(t, "invalid_split", code, "totalFixedValue needs a plan")
}

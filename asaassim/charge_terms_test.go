package asaassim

import (
	"net/http"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A charge with discount, fine and interest is paid for what it asks on the day:
// the value less the discount up to the discount's limit date, plus fine and pro
// rata interest after the due date. value is then what was paid, originalValue the
// charge's value, interestValue fine + interest (late only); netValue and the
// split follow the amount paid.
func TestPaymentAppliesTheChargeTerms(t *testing.T) {
	captured := map[string]any{ // boleto-com-juros-e-multa.json's request
		"fine": map[string]any{"value": 2, "type": "PERCENTAGE"}, "interest": map[string]any{"value": 1},
		"discount": map[string]any{"value": 5, "dueDateLimitDays": 0, "type": "PERCENTAGE"}}
	fixedTerms := map[string]any{
		"fine": map[string]any{"value": 5, "type": "FIXED"}, "interest": map[string]any{"value": 1},
		"discount": map[string]any{"value": 10, "dueDateLimitDays": 5, "type": "FIXED"}}
	cases := []struct {
		name         string
		terms        map[string]any
		paidOn       string
		value        float64
		original     any // nil: the amount paid is the charge's value
		interest     any
		net          float64
		percentSplit float64 // 10% of the net value, truncated
	}{
		{"early, 5% off", captured, "2026-07-20", 332.50, 350.0, nil, 330.51, 33.05},
		{"on the due date: still in time", captured, "2026-07-24", 332.50, 350.0, nil, 330.51, 33.05},
		{"a day late: 2% fine + 1/30 of 1%", captured, "2026-07-25", 357.12, 350.0, 7.12, 355.13, 35.51},
		{"30 days late: 2% + 1%", captured, "2026-08-23", 360.50, 350.0, 10.50, 358.51, 35.85},
		{"fixed discount up to 5 days before the due date", fixedTerms, "2026-07-19", 340.0, 350.0, nil, 338.01, 33.80},
		{"after the discount's limit, before the due date: the value", fixedTerms, "2026-07-20", 350.0, nil, nil, 348.01, 34.80},
		{"fixed fine, 10 days of interest", fixedTerms, "2026-08-03", 356.17, 350.0, 6.17, 354.18, 35.41},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newSplitWorld(t, Options{})
			body := map[string]any{"billingType": "BOLETO", "value": 350,
				"split": []map[string]any{{"walletId": w.c2.WalletID, "percentualValue": 10}}}
			for k, v := range tc.terms {
				body[k] = v
			}
			p := w.c.charge(w.cust, body)
			assert.Equal(t, 348.01, p["netValue"], "the terms do not change netValue at creation (FACTS)")
			require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{BillingType: "BOLETO", Date: tc.paidOn}))

			got := w.c.payment(p["id"].(string))
			assert.Equal(t, "RECEIVED", got["status"])
			assert.Equal(t, tc.value, got["value"], "value is what was paid")
			assert.Equal(t, tc.original, got["originalValue"])
			assert.Equal(t, tc.interest, got["interestValue"])
			assert.Equal(t, tc.net, got["netValue"], "the fee comes off what was paid")
			assert.Equal(t, tc.paidOn, got["paymentDate"])
			sp := splitsOf(t, got)[0]
			assert.Equal(t, tc.percentSplit, sp["totalValue"])
			assert.Equal(t, "DONE", sp["status"])
			assert.Equal(t, decimal.NewFromFloat(tc.percentSplit).StringFixed(2), balance(t, w.s, w.c2.ID))
			for _, key := range []string{"discount", "fine", "interest"} {
				assert.Equal(t, p[key], got[key], "the charge keeps its %s settings", key)
			}
		})
	}

	t.Run("an amount the payer chooses is taken as paid", func(t *testing.T) {
		w := newSplitWorld(t, Options{})
		body := map[string]any{"billingType": "PIX", "value": 100}
		for k, v := range captured {
			body[k] = v
		}
		p := w.c.charge(w.cust, body)
		require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{Value: decimal.RequireFromString("101"), Date: "2026-07-30"}))
		got := w.c.payment(p["id"].(string))
		assert.Equal(t, 101.0, got["value"])
		assert.Equal(t, 100.0, got["originalValue"])
		assert.Equal(t, 1.0, got["interestValue"])
	})
}

// The webhook of a late payment carries the same amounts as the charge (seed 001's
// payment object): value paid, originalValue, interestValue.
func TestLatePaymentWebhookCarriesTheAmounts(t *testing.T) {
	rc := newReceiver(t, nil)
	w := newSplitWorld(t, Options{})
	require.NoError(t, w.s.SetWebhook(w.a.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	p := w.c.charge(w.cust, map[string]any{"billingType": "PIX", "value": 100,
		"fine": map[string]any{"value": 2, "type": "PERCENTAGE"}, "interest": map[string]any{"value": 1}})
	assert.Equal(t, "PAYMENT_CREATED", eventName(rc.next(t)))
	require.NoError(t, w.s.Pay(p["id"].(string), PayOptions{Date: "2026-08-08"})) // 15 days late
	h := rc.next(t)
	assert.Equal(t, "PAYMENT_RECEIVED", eventName(h))
	paid := paymentOf(h)
	assert.Equal(t, 102.5, paid["value"], "100 + 2.00 fine + 0.50 interest")
	assert.Equal(t, 100.0, paid["originalValue"])
	assert.Equal(t, 2.5, paid["interestValue"])
	assert.Equal(t, 100.51, paid["netValue"])
}

// A split that fits the charge's net value but not what a payment with the
// discount nets is refused at creation.
func TestSplitMustFitTheDiscountedValue(t *testing.T) {
	w := newSplitWorld(t, Options{})
	body := func(fixed float64) map[string]any {
		return map[string]any{"customer": w.cust, "dueDate": "2026-07-24", "billingType": "PIX", "value": 100,
			"discount": map[string]any{"value": 10, "type": "PERCENTAGE"},
			"split":    []map[string]any{{"walletId": w.b.WalletID, "fixedValue": fixed}}}
	}
	code, _ := w.c.fail(http.StatusBadRequest, "POST", "/v3/payments", body(88.02))
	assert.Equal(t, "invalid_split", code, "90.00 - 1.99 = 88.01 available")
	p := w.c.charge(w.cust, body(88.01))
	assert.Equal(t, 98.01, p["netValue"])
}

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"billing/asaas"
	"billing/asaassim"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChargeTermsThroughTheStack: a template's fine, interest and discount reach
// every Asaas charge of a contract generated from it; a late payment (fine +
// interest) and an early one (discount) are applied for what was actually paid,
// and each payment's split entries sum to it, to the cent, with the gateway's
// share equal to what Asaas split. A contract whose fixed split fits an
// installment but not the installment after its discount cannot be activated.
func TestChargeTermsThroughTheStack(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox", "webhook_secret": s.secret})
	agent := s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"asaas_wallet_id": s.wallet.WalletID})["id"].(string)
	partner := s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Franquia", "person_type": "company", "cpf_cnpj": "11222333000181",
		"pix_key": "11222333000181", "pix_key_type": "CNPJ"})["id"].(string)
	client := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"})["id"].(string)
	template := s.must(http.StatusCreated, "POST", "/v1/templates", map[string]any{"name": "Boleto com juros", "installment_count": 2, "billing_type": "BOLETO",
		"split_rules": []any{
			map[string]any{"kind": "fee"},
			map[string]any{"kind": "percentage", "payee_id": agent, "percent": "10"},
			map[string]any{"kind": "fixed", "payee_id": partner, "amount": "5.00"},
			map[string]any{"kind": "remainder", "payee_id": partner},
		},
		"charge_terms": map[string]any{"fine_percent": "2", "interest_percent_per_month": "1",
			"discount": map[string]any{"kind": "percentage", "percent": "5", "days_before_due": 0}},
	})["id"].(string)
	firstDue := time.Now().AddDate(0, 0, 10)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"template_id": template, "client_id": client,
		"total_amount": "700.00", "first_due_date": firstDue.Format(time.DateOnly)})["id"].(string)
	path := "/v1/contracts/" + contract

	t.Run("a fixed split beyond the discounted installment: activation refused", func(t *testing.T) {
		draft := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"client_id": client, "billing_type": "BOLETO",
			"total_amount": "350.00", "installment_count": 1, "first_due_date": firstDue.Format(time.DateOnly),
			"split_rules":  []any{map[string]any{"kind": "fixed", "payee_id": agent, "amount": "340.00"}},
			"charge_terms": map[string]any{"discount": map[string]any{"kind": "percentage", "percent": "5"}}})["id"].(string)
		code, problem := s.call("POST", "/v1/contracts/"+draft+"/activate", nil)
		require.Equal(t, http.StatusUnprocessableEntity, code, "%v", problem)
		require.Len(t, problem["errors"], 1, "%v", problem)
		fe := problem["errors"].([]any)[0].(map[string]any)
		assert.Equal(t, "split_rules", fe["field"])
		assert.Contains(t, fe["message"], "more than the smallest installment after its discount (332.50)")
		assert.Equal(t, "draft", s.must(http.StatusOK, "GET", "/v1/contracts/"+draft, nil)["status"])
	})

	s.must(http.StatusOK, "POST", path+"/activate", nil)
	var view map[string]any
	s.eventually("both charges are issued", func() bool {
		view = s.must(http.StatusOK, "GET", path, nil)
		return field(installment(view, 1), "status") == "open" && field(installment(view, 2), "status") == "open"
	})
	charge := func(n int) string { return field(installment(view, n), "charge", "asaas_payment_id").(string) }
	for n := 1; n <= 2; n++ {
		raw, err := s.sim.Payment(charge(n))
		require.NoError(t, err)
		var p asaas.Payment
		require.NoError(t, json.Unmarshal(raw, &p))
		assert.Equal(t, "2", p.Fine.Value.String())
		assert.Equal(t, "PERCENTAGE", p.Fine.Type)
		assert.Equal(t, "1", p.Interest.Value.String())
		assert.Equal(t, "5", p.Discount.Value.String())
		assert.Equal(t, "PERCENTAGE", p.Discount.Type)
		assert.Equal(t, "350", p.Value.String(), "the charge is for the installment's value")
	}

	// #1 paid 15 days late: 350.00 + 2% (7.00) + 1% a month for 15 days (1.75).
	// #2 paid today, before its due date: 350.00 - 5% (17.50).
	require.NoError(t, s.sim.Pay(charge(1), asaassim.PayOptions{BillingType: "BOLETO", Date: firstDue.AddDate(0, 0, 15).Format(time.DateOnly)}))
	require.NoError(t, s.sim.Pay(charge(2), asaassim.PayOptions{BillingType: "BOLETO"}))
	s.eventually("both installments are paid through the webhook", func() bool {
		view = s.must(http.StatusOK, "GET", path, nil)
		return field(installment(view, 1), "status") == "paid" && field(installment(view, 2), "status") == "paid"
	})

	cases := []struct {
		n                 int
		paid, net, fee    string
		agent, fixed, rem string
	}{
		// net 356.76: agent 10% = 35.67 (rounded down), partner 5.00 + 316.09
		{1, "358.75", "356.76", "1.99", "35.67", "5.00", "316.09"},
		// net 330.51: agent 33.05, partner 5.00 + 292.46
		{2, "332.50", "330.51", "1.99", "33.05", "5.00", "292.46"},
	}
	for _, tc := range cases {
		inst := installment(view, tc.n)
		assert.Equal(t, tc.paid, field(inst, "payment", "amount"), "installment %d: the amount actually paid", tc.n)
		assert.Equal(t, tc.net, field(inst, "payment", "net_amount"))
		assert.Equal(t, tc.fee, field(inst, "payment", "fee_amount"))
		sum := decimal.Zero
		byKind := map[string]string{}
		for _, raw := range inst["split_entries"].([]any) {
			e := raw.(map[string]any)
			sum = sum.Add(decimal.RequireFromString(e["amount"].(string)))
			byKind[e["kind"].(string)] = e["amount"].(string)
		}
		assert.Equal(t, tc.paid, sum.StringFixed(2), "installment %d: the entries sum to the amount paid", tc.n)
		assert.Equal(t, map[string]string{"fee": tc.fee, "percentage": tc.agent, "fixed": tc.fixed, "remainder": tc.rem}, byKind)

		raw, err := s.sim.Payment(charge(tc.n))
		require.NoError(t, err)
		var p asaas.Payment
		require.NoError(t, json.Unmarshal(raw, &p))
		require.Len(t, p.Split, 1)
		total, _ := p.Split[0].TotalValue.Get()
		assert.Equal(t, tc.agent, total.StringFixed(2), "installment %d: our gateway entry is what Asaas split", tc.n)
		assert.Equal(t, "350.00", p.OriginalValue.StringFixed(2))
	}

	// The stored webhook shows Asaas's own account of the late payment.
	var late asaas.WebhookEvent
	var raw []byte
	require.NoError(t, s.pool.QueryRow(context.Background(), `SELECT raw FROM webhook_events WHERE account_id = $1
		AND event_type = 'PAYMENT_RECEIVED' AND raw->'payment'->>'id' = $2`, s.account, charge(1)).Scan(&raw))
	require.NoError(t, json.Unmarshal(raw, &late))
	assert.Equal(t, "358.75", late.Payment.Value.StringFixed(2))
	assert.Equal(t, "350.00", late.Payment.OriginalValue.StringFixed(2))
	assert.Equal(t, "8.75", late.Payment.InterestValue.StringFixed(2))
}

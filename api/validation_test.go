package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type badInput struct {
	name   string
	method string
	path   string
	body   any
	status int
	fields []string // fields the errors must name
}

// Bad input on every route that writes: a clear 4xx problem and no row written.
func TestBadInputIsRejectedAndWritesNothing(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpPaidBusiness(t, e.account(t, "Acme", true))
	ana, fr := b.walletPayee, b.bankPayee
	contract := "/v1/contracts/" + b.contract
	tomorrow := time.Now().UTC().AddDate(0, 0, 2).Format(dateLayout)
	huge := `{"name":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	rule := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tmpl := func(rules ...any) map[string]any {
		return map[string]any{"name": "T", "installment_count": 12, "billing_type": "BOLETO", "split_rules": rules}
	}
	scratch := func(kv ...any) map[string]any {
		m := map[string]any{"client_id": b.client, "billing_type": "PIX", "total_amount": "350.00", "installment_count": 12, "first_due_date": "2026-08-10"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	link := func(kv ...any) map[string]any {
		m := map[string]any{"name": "Link", "billing_type": "PIX", "charge_type": "DETACHED", "value": "50.00"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		if _, tied := m["contract_id"]; tied {
			delete(m, "value")
		}
		return m
	}
	const bad = http.StatusUnprocessableEntity
	cases := []badInput{
		// settings
		{"key without $aact_", "PUT", "/v1/settings/asaas", map[string]any{"api_key": "sk_live_abcdefghijkl"}, bad, []string{"api_key"}},
		{"unknown environment", "PUT", "/v1/settings/asaas", map[string]any{"environment": "staging"}, bad, []string{"environment"}},
		{"production key in sandbox", "PUT", "/v1/settings/asaas", map[string]any{"api_key": "$aact_prod_abcdefghijkl"}, bad, []string{"api_key"}},
		{"short webhook secret", "PUT", "/v1/settings/asaas", map[string]any{"webhook_secret": "abc"}, bad, []string{"webhook_secret"}},
		{"settings unknown field", "PUT", "/v1/settings/asaas", map[string]any{"apiKey": "$aact_x"}, bad, []string{"apiKey"}},
		{"settings wrong type", "PUT", "/v1/settings/asaas", map[string]any{"environment": 1}, bad, []string{"environment"}},
		{"settings oversized", "PUT", "/v1/settings/asaas", huge, http.StatusRequestEntityTooLarge, nil},
		// clients
		{"client missing fields", "POST", "/v1/clients", map[string]any{}, bad, []string{"name", "cpf_cnpj"}},
		{"client empty body", "POST", "/v1/clients", nil, bad, []string{"name", "cpf_cnpj"}},
		{"client name of wrong type", "POST", "/v1/clients", map[string]any{"name": 5, "cpf_cnpj": "52998224725"}, bad, []string{"name"}},
		{"client invalid CPF", "POST", "/v1/clients", map[string]any{"name": "X", "cpf_cnpj": "11111111111"}, bad, []string{"cpf_cnpj"}},
		{"client CPF check digit", "POST", "/v1/clients", map[string]any{"name": "X", "cpf_cnpj": "52998224724"}, bad, []string{"cpf_cnpj"}},
		{"client bad email and phone", "POST", "/v1/clients", map[string]any{"name": "X", "cpf_cnpj": "52998224725", "email": "no-at", "phone": "12"}, bad, []string{"email", "phone"}},
		{"client unknown field", "POST", "/v1/clients", map[string]any{"name": "X", "cpf_cnpj": "52998224725", "nickname": "x"}, bad, []string{"nickname"}},
		{"client body is an array", "POST", "/v1/clients", "[]", bad, []string{"body"}},
		{"client malformed JSON", "POST", "/v1/clients", `{"name":`, http.StatusBadRequest, nil},
		{"client trailing data", "POST", "/v1/clients", `{"name":"X","cpf_cnpj":"52998224725"} {}`, http.StatusBadRequest, nil},
		{"client oversized", "POST", "/v1/clients", huge, http.StatusRequestEntityTooLarge, nil},
		// payees
		{"payee missing fields", "POST", "/v1/payees", map[string]any{}, bad, []string{"name", "person_type", "cpf_cnpj"}},
		{"payee person with a CNPJ", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "11222333000181"}, bad, []string{"cpf_cnpj"}},
		{"payee person_type of wrong type", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": 1, "cpf_cnpj": "52998224725"}, bad, []string{"person_type"}},
		{"payee pix key without type", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "52998224725", "pix_key": "a@b.co"}, bad, []string{"pix_key_type"}},
		{"payee pix key not matching its type", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "52998224725", "pix_key": "a@b.co", "pix_key_type": "PHONE"}, bad, []string{"pix_key"}},
		{"payee partial bank account", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "52998224725", "bank_code": "341"}, bad, []string{"agency", "account", "account_type"}},
		{"payee bad bank fields", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "52998224725", "bank_code": "34", "agency": "12a", "account": "1", "account_type": "CURRENT"}, bad, []string{"bank_code", "agency", "account_type"}},
		{"payee wallet not a walletId", "POST", "/v1/payees", map[string]any{"name": "X", "person_type": "person", "cpf_cnpj": "52998224725", "asaas_wallet_id": "wallet-1"}, bad, []string{"asaas_wallet_id"}},
		{"payee oversized", "POST", "/v1/payees", huge, http.StatusRequestEntityTooLarge, nil},
		// templates
		{"template missing fields", "POST", "/v1/templates", map[string]any{}, bad, []string{"name", "installment_count", "billing_type"}},
		{"template count as a string", "POST", "/v1/templates", map[string]any{"name": "T", "installment_count": "12", "billing_type": "PIX"}, bad, []string{"installment_count"}},
		{"template count out of range", "POST", "/v1/templates", map[string]any{"name": "T", "installment_count": 361, "billing_type": "PIX", "interval_months": 13}, bad, []string{"installment_count", "interval_months"}},
		{"template unknown billing type", "POST", "/v1/templates", map[string]any{"name": "T", "installment_count": 1, "billing_type": "CREDIT_CARD"}, bad, []string{"billing_type"}},
		{"percentage over 100", "POST", "/v1/templates", tmpl(rule("kind", "percentage", "payee_id", ana, "percent", "100.01")), bad, []string{"split_rules[0].percent"}},
		{"percentages adding up over 100", "POST", "/v1/templates", tmpl(rule("kind", "percentage", "payee_id", ana, "percent", 60), rule("kind", "percentage", "payee_id", fr, "percent", 50)), bad, []string{"split_rules"}},
		{"fixed amount with float noise", "POST", "/v1/templates", tmpl(rule("kind", "fixed", "payee_id", fr, "amount", json.RawMessage("10.001"))), bad, []string{"split_rules[0].amount"}},
		{"fixed amount negative", "POST", "/v1/templates", tmpl(rule("kind", "fixed", "payee_id", fr, "amount", "-5.00")), bad, []string{"split_rules[0].amount"}},
		{"fixed amount in exponent form", "POST", "/v1/templates", tmpl(rule("kind", "fixed", "payee_id", fr, "amount", json.RawMessage("1e2"))), bad, []string{"split_rules[0].amount"}},
		{"percentage without percent", "POST", "/v1/templates", tmpl(rule("kind", "percentage", "payee_id", ana)), bad, []string{"split_rules[0].percent"}},
		{"rule without payee", "POST", "/v1/templates", tmpl(rule("kind", "remainder")), bad, []string{"split_rules[0].payee_id"}},
		{"two remainder rules", "POST", "/v1/templates", tmpl(rule("kind", "remainder", "payee_id", ana), rule("kind", "remainder", "payee_id", fr)), bad, []string{"split_rules[1].kind"}},
		{"unknown rule kind", "POST", "/v1/templates", tmpl(rule("kind", "bonus", "payee_id", ana)), bad, []string{"split_rules[0].kind"}},
		{"rule with unknown field", "POST", "/v1/templates", tmpl(rule("kind", "fee", "share", 1)), bad, []string{"share"}},
		{"rule payee unknown", "POST", "/v1/templates", tmpl(rule("kind", "remainder", "payee_id", "8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11")), bad, []string{"split_rules[0].payee_id"}},
		{"template oversized", "POST", "/v1/templates", huge, http.StatusRequestEntityTooLarge, nil},
		// contracts
		{"contract missing fields", "POST", "/v1/contracts", map[string]any{}, bad, []string{"client_id", "billing_type", "total_amount", "installment_count", "first_due_date"}},
		{"total with float noise", "POST", "/v1/contracts", scratch("total_amount", json.RawMessage("10.001")), bad, []string{"total_amount"}},
		{"total negative", "POST", "/v1/contracts", scratch("total_amount", -350), bad, []string{"total_amount"}},
		{"total zero", "POST", "/v1/contracts", scratch("total_amount", "0"), bad, []string{"total_amount"}},
		{"total too small to split", "POST", "/v1/contracts", scratch("total_amount", "0.05"), bad, []string{"total_amount"}},
		{"count as a string", "POST", "/v1/contracts", scratch("installment_count", "12"), bad, []string{"installment_count"}},
		{"impossible date", "POST", "/v1/contracts", scratch("first_due_date", "2026-02-30"), bad, []string{"first_due_date"}},
		{"unknown client", "POST", "/v1/contracts", scratch("client_id", "8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11"), bad, []string{"client_id"}},
		{"client id not a uuid", "POST", "/v1/contracts", scratch("client_id", "42"), bad, []string{"client_id"}},
		{"contract rule over 100%", "POST", "/v1/contracts", scratch("split_rules", []any{rule("kind", "percentage", "payee_id", ana, "percent", 150)}), bad, []string{"split_rules[0].percent"}},
		{"explicit installments out of order", "POST", "/v1/contracts", scratch("total_amount", nil, "installment_count", nil, "first_due_date", nil, "installments", []any{
			map[string]any{"value": "10", "due_date": "2026-09-10"}, map[string]any{"value": "10", "due_date": "2026-08-10"}}), bad, []string{"installments[1].due_date"}},
		{"explicit installment of zero", "POST", "/v1/contracts", scratch("total_amount", nil, "installment_count", nil, "first_due_date", nil, "installments", []any{
			map[string]any{"value": 0, "due_date": "2026-09-10"}}), bad, []string{"installments[0].value"}},
		{"explicit installments not adding up to the total", "POST", "/v1/contracts", scratch("installment_count", nil, "first_due_date", nil, "installments", []any{
			map[string]any{"value": "100", "due_date": "2026-09-10"}}), bad, []string{"total_amount"}},
		{"template plus its own fields", "POST", "/v1/contracts", map[string]any{"template_id": b.template, "client_id": b.client, "total_amount": 100,
			"first_due_date": "2026-08-10", "billing_type": "PIX"}, bad, []string{"billing_type"}},
		{"contract unknown field", "POST", "/v1/contracts", scratch("discount", 5), bad, []string{"discount"}},
		{"contract oversized", "POST", "/v1/contracts", huge, http.StatusRequestEntityTooLarge, nil},
		// payouts
		{"payout missing fields", "POST", "/v1/payouts", map[string]any{}, bad, []string{"entry_ids", "paid_on", "method"}},
		{"payout entry not a uuid", "POST", "/v1/payouts", map[string]any{"entry_ids": []string{"x"}, "paid_on": "2026-07-25", "method": "PIX"}, bad, []string{"entry_ids[0]"}},
		{"payout entry twice", "POST", "/v1/payouts", map[string]any{"entry_ids": []string{b.entries[3].String(), b.entries[3].String()}, "paid_on": "2026-07-25", "method": "PIX"}, bad, []string{"entry_ids[1]"}},
		{"payout unknown entry", "POST", "/v1/payouts", map[string]any{"entry_ids": []string{b.entries[3].String(), "8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11"}, "paid_on": "2026-07-25", "method": "PIX"}, bad, []string{"entry_ids[1]"}},
		{"payout in the future", "POST", "/v1/payouts", map[string]any{"entry_ids": []string{b.entries[3].String()}, "paid_on": tomorrow, "method": "PIX"}, bad, []string{"paid_on"}},
		{"payout unknown method", "POST", "/v1/payouts", map[string]any{"entry_ids": []string{b.entries[3].String()}, "paid_on": "2026-07-25", "method": "BOLETO"}, bad, []string{"method"}},
		{"payout entry_ids of wrong type", "POST", "/v1/payouts", map[string]any{"entry_ids": b.entries[3].String(), "paid_on": "2026-07-25", "method": "PIX"}, bad, []string{"entry_ids"}},
		{"payout oversized", "POST", "/v1/payouts", huge, http.StatusRequestEntityTooLarge, nil},
		// payment links (the contract is a draft of this account; nothing reaches Asaas)
		{"link missing fields", "POST", "/v1/payment-links", map[string]any{}, bad, []string{"name", "billing_type", "charge_type", "value"}},
		{"link name of wrong type", "POST", "/v1/payment-links", link("name", 5), bad, []string{"name"}},
		{"link name too long", "POST", "/v1/payment-links", link("name", strings.Repeat("n", 201)), bad, []string{"name"}},
		{"link value with float noise", "POST", "/v1/payment-links", link("value", json.RawMessage("10.001")), bad, []string{"value"}},
		{"link value negative", "POST", "/v1/payment-links", link("value", "-10.00"), bad, []string{"value"}},
		{"link value zero", "POST", "/v1/payment-links", link("value", 0), bad, []string{"value"}},
		{"link value a boolean", "POST", "/v1/payment-links", link("value", true), bad, []string{"value"}},
		{"link unknown billing type", "POST", "/v1/payment-links", link("billing_type", "TRANSFER"), bad, []string{"billing_type"}},
		{"link unknown charge type", "POST", "/v1/payment-links", link("charge_type", "ONCE"), bad, []string{"charge_type"}},
		{"link parcels without a count", "POST", "/v1/payment-links", link("charge_type", "INSTALLMENT"), bad, []string{"max_installment_count"}},
		{"link too many parcels", "POST", "/v1/payment-links", link("charge_type", "INSTALLMENT", "max_installment_count", 22), bad, []string{"max_installment_count"}},
		{"link parcel count on a detached link", "POST", "/v1/payment-links", link("max_installment_count", 2), bad, []string{"max_installment_count"}},
		{"link subscription without a cycle", "POST", "/v1/payment-links", link("charge_type", "RECURRENT"), bad, []string{"subscription_cycle"}},
		{"link unknown cycle", "POST", "/v1/payment-links", link("charge_type", "RECURRENT", "subscription_cycle", "DAILY"), bad, []string{"subscription_cycle"}},
		{"link due days zero", "POST", "/v1/payment-links", link("due_date_limit_days", 0), bad, []string{"due_date_limit_days"}},
		{"link installment as a string", "POST", "/v1/payment-links", link("contract_id", b.contract, "installment", "2"), bad, []string{"installment"}},
		{"link installment without contract", "POST", "/v1/payment-links", link("installment", 2), bad, []string{"contract_id"}},
		{"link contract without installment", "POST", "/v1/payment-links", link("contract_id", b.contract), bad, []string{"installment"}},
		{"link contract id not a uuid", "POST", "/v1/payment-links", link("contract_id", "42", "installment", 2), bad, []string{"contract_id"}},
		{"link tied but in parcels", "POST", "/v1/payment-links", link("contract_id", b.contract, "installment", 2, "charge_type", "INSTALLMENT", "max_installment_count", 3), bad, []string{"charge_type"}},
		{"link unknown contract", "POST", "/v1/payment-links", link("contract_id", "8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11", "installment", 1), bad, []string{"contract_id"}},
		{"link unknown installment", "POST", "/v1/payment-links", link("contract_id", b.contract, "installment", 13), bad, []string{"installment"}},
		{"link to a draft contract", "POST", "/v1/payment-links", link("contract_id", b.contract, "installment", 2), http.StatusConflict, nil},
		{"link unknown field", "POST", "/v1/payment-links", link("callback", map[string]any{"successUrl": "https://x"}), bad, []string{"callback"}},
		{"link oversized", "POST", "/v1/payment-links", huge, http.StatusRequestEntityTooLarge, nil},
		// contract actions and edits
		{"mark-paid amount with float noise", "POST", contract + "/installments/2/mark-paid", map[string]any{"amount": json.RawMessage("29.161"), "paid_on": "2026-07-24"}, bad, []string{"amount"}},
		{"mark-paid negative amount", "POST", contract + "/installments/2/mark-paid", map[string]any{"amount": "-29.16", "paid_on": "2026-07-24"}, bad, []string{"amount"}},
		{"mark-paid missing fields", "POST", contract + "/installments/2/mark-paid", map[string]any{}, bad, []string{"amount", "paid_on"}},
		{"mark-paid unknown field", "POST", contract + "/installments/2/mark-paid", map[string]any{"amount": 1, "paid_on": "2026-07-24", "fee": 1}, bad, []string{"fee"}},
		{"mark-paid no such installment", "POST", contract + "/installments/13/mark-paid", map[string]any{"amount": 1, "paid_on": "2026-07-24"}, http.StatusNotFound, nil},
		{"mark-paid installment not a number", "POST", contract + "/installments/x/mark-paid", map[string]any{"amount": 1, "paid_on": "2026-07-24"}, http.StatusNotFound, nil},
		{"cancel without reason", "POST", contract + "/cancel", map[string]any{}, bad, []string{"reason"}},
		{"activate with a body", "POST", contract + "/activate", map[string]any{"force": true}, bad, []string{"force"}},
		{"contract edit with float noise", "PATCH", contract, map[string]any{"total_amount": json.RawMessage("1.005")}, bad, []string{"total_amount"}},
		{"contract id malformed", "PATCH", "/v1/contracts/not-a-uuid", map[string]any{"description": "x"}, http.StatusNotFound, nil},
		{"template edit percentage over 100", "PATCH", "/v1/templates/" + b.template, map[string]any{"split_rules": []any{rule("kind", "percentage", "payee_id", ana, "percent", "101")}}, bad, []string{"split_rules[0].percent"}},
		{"payee edit clears a required field", "PATCH", "/v1/payees/" + ana, map[string]any{"name": nil}, bad, []string{"name"}},
		{"client edit with invalid CNPJ", "PATCH", "/v1/clients/" + b.client, map[string]any{"cpf_cnpj": "11222333000182"}, bad, []string{"cpf_cnpj"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts(t)
			r := e.call(t, b.Token, tc.method, tc.path, tc.body, idempotencyHeader, "key-"+tc.name)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			p := r.obj(t)
			assert.EqualValues(t, tc.status, p["status"])
			assert.NotEmpty(t, p["title"])
			assert.NotEmpty(t, p["detail"])
			assert.Contains(t, p["type"], problemTypePrefix)
			var named []string
			for _, fe := range p["errors"].([]any) {
				named = append(named, fe.(map[string]any)["field"].(string))
				assert.NotEmpty(t, fe.(map[string]any)["message"])
			}
			for _, f := range tc.fields {
				assert.Contains(t, named, f, r.String())
			}
			assert.Equal(t, before, e.counts(t), "nothing was written")
		})
	}
	assert.Zero(t, e.engine.callCount(), "no invalid action reached the engine")
}

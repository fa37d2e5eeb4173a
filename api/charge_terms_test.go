package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	noTerms       = map[string]any{"fine_percent": "0.00", "interest_percent_per_month": "0.00", "discount": nil}
	capturedTerms = map[string]any{"fine_percent": 2, "interest_percent_per_month": "1", "discount": map[string]any{"kind": "percentage", "percent": 5}}
	capturedView  = map[string]any{"fine_percent": "2.00", "interest_percent_per_month": "1.00",
		"discount": map[string]any{"kind": "percentage", "amount": nil, "percent": "5.00", "days_before_due": float64(0)}}
)

// Charge terms live on templates, are copied into the contracts generated from them,
// can be set on a contract made from scratch and edited while it is a draft.
func TestChargeTermsFromTemplateToContract(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	tplPath, contractPath := "/v1/templates/"+b.template, "/v1/contracts/"+b.contract

	assert.Equal(t, noTerms, e.must(t, http.StatusOK, b.Token, "GET", tplPath, nil)["charge_terms"], "a template without terms")
	assert.Equal(t, noTerms, e.must(t, http.StatusOK, b.Token, "GET", contractPath, nil)["charge_terms"])

	tpl := e.must(t, http.StatusOK, b.Token, "PATCH", tplPath, map[string]any{"charge_terms": capturedTerms})
	assert.Equal(t, capturedView, tpl["charge_terms"])
	assert.Len(t, tpl["split_rules"], 4, "the rules are kept")
	assert.Equal(t, capturedView, e.must(t, http.StatusOK, b.Token, "GET", tplPath, nil)["charge_terms"])
	assert.Equal(t, noTerms, e.must(t, http.StatusOK, b.Token, "GET", contractPath, nil)["charge_terms"], "an existing contract keeps its terms")

	generated := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/contracts", map[string]any{
		"template_id": b.template, "client_id": b.client, "total_amount": "350.00", "first_due_date": "2026-07-24"})
	assert.Equal(t, capturedView, generated["charge_terms"], "copied from the template")
	generatedPath := "/v1/contracts/" + generated["id"].(string)

	t.Run("terms come from the template, not with it", func(t *testing.T) {
		r := e.call(t, b.Token, "POST", "/v1/contracts", map[string]any{"template_id": b.template, "client_id": b.client,
			"total_amount": "350.00", "first_due_date": "2026-07-24", "charge_terms": capturedTerms})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
		assert.Equal(t, []string{"charge_terms"}, problemFields(t, r))
	})

	t.Run("a draft's terms are edited; the template keeps its own", func(t *testing.T) {
		c := e.must(t, http.StatusOK, b.Token, "PATCH", generatedPath, map[string]any{"charge_terms": map[string]any{
			"fine_percent": "10", "discount": map[string]any{"kind": "fixed", "amount": "1.50", "days_before_due": 5}}})
		want := map[string]any{"fine_percent": "10.00", "interest_percent_per_month": "0.00",
			"discount": map[string]any{"kind": "fixed", "amount": "1.50", "percent": nil, "days_before_due": float64(5)}}
		assert.Equal(t, want, c["charge_terms"])
		assert.Equal(t, want, e.must(t, http.StatusOK, b.Token, "GET", generatedPath, nil)["charge_terms"])
		assert.Equal(t, capturedView, e.must(t, http.StatusOK, b.Token, "GET", tplPath, nil)["charge_terms"])
		listed := e.must(t, http.StatusOK, b.Token, "GET", "/v1/contracts?limit=1", nil)["data"].([]any)[0].(map[string]any)
		assert.Equal(t, want, listed["charge_terms"], "the list shows them too")
		edit := e.must(t, http.StatusOK, b.Token, "GET", generatedPath+"/audit-events?action=contract.updated", nil)["data"].([]any)[0].(map[string]any)
		assert.Equal(t, want, edit["data"].(map[string]any)["charge_terms"], "the audit trail has the new terms")
	})

	t.Run("null removes them", func(t *testing.T) {
		c := e.must(t, http.StatusOK, b.Token, "PATCH", generatedPath, map[string]any{"charge_terms": nil})
		assert.Equal(t, noTerms, c["charge_terms"])
		tpl := e.must(t, http.StatusOK, b.Token, "PATCH", tplPath, map[string]any{"charge_terms": map[string]any{}})
		assert.Equal(t, noTerms, tpl["charge_terms"])
	})

	t.Run("a contract from scratch", func(t *testing.T) {
		c := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/contracts", map[string]any{"client_id": b.client, "billing_type": "BOLETO",
			"total_amount": "300.00", "installment_count": 3, "first_due_date": "2026-08-01", "charge_terms": capturedTerms})
		assert.Equal(t, capturedView, c["charge_terms"])
	})

	t.Run("an active contract's terms cannot change: 409", func(t *testing.T) {
		_, err := e.pool.Exec(context.Background(), `UPDATE contracts SET status = 'active', activated_at = now() WHERE id = $1`, generated["id"])
		require.NoError(t, err)
		counts := e.counts(t)
		r := e.call(t, b.Token, "PATCH", generatedPath, map[string]any{"charge_terms": capturedTerms})
		require.Equal(t, http.StatusConflict, r.Code, r.String())
		assert.Equal(t, noTerms, e.must(t, http.StatusOK, b.Token, "GET", generatedPath, nil)["charge_terms"])
		assert.Equal(t, counts, e.counts(t))
	})
}

// Bad terms get a 422 naming each field, and nothing changes.
func TestChargeTermsValidation(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true)) // the contract: 12 installments of 29.16 (the last 29.24)
	e.must(t, http.StatusOK, b.Token, "PATCH", "/v1/contracts/"+b.contract, map[string]any{"charge_terms": map[string]any{
		"discount": map[string]any{"kind": "fixed", "amount": "10.00"}}})
	cases := []struct {
		name   string
		terms  any
		fields []string
	}{
		{"fine above 10%", map[string]any{"fine_percent": "10.01"}, []string{"charge_terms.fine_percent"}},
		{"negative interest", map[string]any{"interest_percent_per_month": -1}, []string{"charge_terms.interest_percent_per_month"}},
		{"interest in thousandths", map[string]any{"interest_percent_per_month": "0.033"}, []string{"charge_terms.interest_percent_per_month"}},
		{"a rate that is no number", map[string]any{"fine_percent": "2%"}, []string{"charge_terms.fine_percent"}},
		{"discount without kind", map[string]any{"discount": map[string]any{"amount": 1}}, []string{"charge_terms.discount.kind"}},
		{"unknown kind", map[string]any{"discount": map[string]any{"kind": "coupon", "amount": 1}}, []string{"charge_terms.discount.kind"}},
		{"fixed without amount", map[string]any{"discount": map[string]any{"kind": "fixed"}}, []string{"charge_terms.discount.amount"}},
		{"fixed with a percent", map[string]any{"discount": map[string]any{"kind": "fixed", "amount": 1, "percent": 5}}, []string{"charge_terms.discount.percent"}},
		{"percentage of 100", map[string]any{"discount": map[string]any{"kind": "percentage", "percent": 100}}, []string{"charge_terms.discount.percent"}},
		{"percentage with an amount", map[string]any{"discount": map[string]any{"kind": "percentage", "percent": 5, "amount": 1}}, []string{"charge_terms.discount.amount"}},
		{"window beyond a year", map[string]any{"discount": map[string]any{"kind": "percentage", "percent": 5, "days_before_due": 366}}, []string{"charge_terms.discount.days_before_due"}},
		{"a fixed discount of a whole installment", map[string]any{"discount": map[string]any{"kind": "fixed", "amount": "29.16"}}, []string{"charge_terms.discount.amount"}},
		{"unknown member", map[string]any{"late_fee": 2}, []string{"charge_terms.late_fee"}},
		{"several at once", map[string]any{"fine_percent": 11, "interest_percent_per_month": 11}, []string{"charge_terms.fine_percent", "charge_terms.interest_percent_per_month"}},
	}
	targets := []struct {
		name, method, path string
		body               func(terms any) map[string]any
	}{
		{"template create", "POST", "/v1/templates", func(terms any) map[string]any {
			return map[string]any{"name": "T", "installment_count": 12, "billing_type": "PIX", "charge_terms": terms}
		}},
		{"template patch", "PATCH", "/v1/templates/" + b.template, func(terms any) map[string]any { return map[string]any{"charge_terms": terms} }},
		{"contract create", "POST", "/v1/contracts", func(terms any) map[string]any {
			return map[string]any{"client_id": b.client, "billing_type": "PIX", "total_amount": "350.00", "installment_count": 12,
				"first_due_date": "2026-07-24", "charge_terms": terms}
		}},
		{"contract patch", "PATCH", "/v1/contracts/" + b.contract, func(terms any) map[string]any { return map[string]any{"charge_terms": terms} }},
	}
	for _, target := range targets {
		for _, tc := range cases {
			if tc.name == "a fixed discount of a whole installment" && target.name[:8] == "template" {
				continue // a template has no installment values: checked when a contract gets the terms
			}
			t.Run(target.name+": "+tc.name, func(t *testing.T) {
				counts := e.counts(t)
				r := e.call(t, b.Token, target.method, target.path, target.body(tc.terms))
				require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
				if tc.name == "unknown member" {
					assert.Contains(t, r.String(), "late_fee")
				} else {
					assert.Equal(t, tc.fields, problemFields(t, r))
				}
				assert.Equal(t, counts, e.counts(t))
			})
		}
	}

	t.Run("a schedule that leaves the discount a whole installment: 422, nothing changes", func(t *testing.T) {
		before := e.call(t, b.Token, "GET", "/v1/contracts/"+b.contract, nil).String()
		r := e.call(t, b.Token, "PATCH", "/v1/contracts/"+b.contract, map[string]any{"total_amount": "100.00"}) // 12 x 8.33
		require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
		assert.Equal(t, []string{"charge_terms.discount.amount"}, problemFields(t, r))
		assert.Contains(t, r.String(), "must be less than the smallest installment (8.33)")
		assert.Equal(t, before, e.call(t, b.Token, "GET", "/v1/contracts/"+b.contract, nil).String())
	})
	t.Run("a template with a large fixed discount makes contracts of small installments fail", func(t *testing.T) {
		e.must(t, http.StatusOK, b.Token, "PATCH", "/v1/templates/"+b.template, map[string]any{"charge_terms": map[string]any{
			"discount": map[string]any{"kind": "fixed", "amount": "50"}}})
		counts := e.counts(t)
		r := e.call(t, b.Token, "POST", "/v1/contracts", map[string]any{"template_id": b.template, "client_id": b.client,
			"total_amount": "350.00", "first_due_date": "2026-07-24"})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
		assert.Equal(t, []string{"charge_terms.discount.amount"}, problemFields(t, r))
		assert.Equal(t, counts, e.counts(t))
	})
}

package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func installmentValues(c map[string]any) (values, dates []string) {
	for _, raw := range c["installments"].([]any) {
		in := raw.(map[string]any)
		values = append(values, in["value"].(string))
		dates = append(dates, in["due_date"].(string))
	}
	return values, dates
}

func TestCreateContractFromScratch(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	cases := []struct {
		name   string
		body   map[string]any
		total  string
		values []string
		dates  []string
	}{
		{"total split in N, every 3 months", map[string]any{"total_amount": 100, "installment_count": 3, "first_due_date": "2026-01-31", "interval_months": 3},
			"100.00", []string{"33.33", "33.33", "33.34"}, []string{"2026-01-31", "2026-04-30", "2026-07-31"}},
		{"explicit installments: the total is their sum", map[string]any{"installments": []any{
			map[string]any{"value": "100.00", "due_date": "2026-08-10"}, map[string]any{"value": 250.5, "due_date": "2026-10-01"}}},
			"350.50", []string{"100.00", "250.50"}, []string{"2026-08-10", "2026-10-01"}},
		{"explicit installments with an agreeing total", map[string]any{"total_amount": "30", "installment_count": 2, "installments": []any{
			map[string]any{"value": 10, "due_date": "2026-08-10"}, map[string]any{"value": 20, "due_date": "2026-08-11"}}},
			"30.00", []string{"10.00", "20.00"}, []string{"2026-08-10", "2026-08-11"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"client_id": b.client, "billing_type": "UNDEFINED",
				"split_rules": []any{map[string]any{"kind": "percentage", "payee_id": b.bankPayee, "percent": 12.5, "via_gateway": true}}}
			for k, v := range tc.body {
				body[k] = v
			}
			c := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/contracts", body)
			assert.Equal(t, tc.total, c["total_amount"])
			values, dates := installmentValues(c)
			assert.Equal(t, tc.values, values)
			assert.Equal(t, tc.dates, dates)
			assert.Equal(t, tc.dates[0], c["first_due_date"])
			assert.Nil(t, c["template_id"])
			rule := c["split_rules"].([]any)[0].(map[string]any)
			assert.Equal(t, "12.50", rule["percent"])
			assert.Equal(t, true, rule["via_gateway"], "explicit via_gateway is kept even without a walletId (activation checks it)")
		})
	}
}

func TestDraftContractEdits(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	path := "/v1/contracts/" + b.contract
	steps := []struct {
		name   string
		patch  map[string]any
		total  string
		values []string
		dates  []string
	}{
		{"explicit installments replace the schedule and set the total", map[string]any{"installments": []any{
			map[string]any{"value": "100", "due_date": "2026-08-10"}, map[string]any{"value": "250.50", "due_date": "2026-09-10"}}},
			"350.50", []string{"100.00", "250.50"}, []string{"2026-08-10", "2026-09-10"}},
		{"a new total regenerates the schedule", map[string]any{"total_amount": "1000"},
			"1000.00", []string{"500.00", "500.00"}, []string{"2026-08-10", "2026-09-10"}},
		{"a new count regenerates it, the difference on the last", map[string]any{"installment_count": 3},
			"1000.00", []string{"333.33", "333.33", "333.34"}, []string{"2026-08-10", "2026-09-10", "2026-10-10"}},
		{"a new first date at a month's end", map[string]any{"first_due_date": "2027-01-31"},
			"1000.00", []string{"333.33", "333.33", "333.34"}, []string{"2027-01-31", "2027-02-28", "2027-03-31"}},
		{"description, billing type and rules", map[string]any{"description": nil, "billing_type": "PIX", "split_rules": []any{}},
			"1000.00", []string{"333.33", "333.33", "333.34"}, []string{"2027-01-31", "2027-02-28", "2027-03-31"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			c := e.must(t, http.StatusOK, b.Token, "PATCH", path, st.patch)
			assert.Equal(t, st.total, c["total_amount"])
			values, dates := installmentValues(c)
			assert.Equal(t, st.values, values)
			assert.Equal(t, st.dates, dates)
			assert.EqualValues(t, len(st.values), c["installment_count"])
			assert.Equal(t, c, e.must(t, http.StatusOK, b.Token, "GET", path, nil))
		})
	}
	final := e.must(t, http.StatusOK, b.Token, "GET", path, nil)
	assert.Nil(t, final["description"])
	assert.Equal(t, "PIX", final["billing_type"])
	assert.Empty(t, final["split_rules"])
	edits := e.must(t, http.StatusOK, b.Token, "GET", path+"/audit-events?action=contract.updated", nil)["data"].([]any)
	assert.Len(t, edits, len(steps))

	for _, status := range []string{"active", "completed", "cancelled"} {
		t.Run("a "+status+" contract cannot be edited: 409", func(t *testing.T) {
			_, err := e.pool.Exec(context.Background(), `UPDATE contracts SET status = $2, activated_at = now(),
				completed_at = CASE WHEN $2 = 'completed' THEN now() END, cancelled_at = CASE WHEN $2 = 'cancelled' THEN now() END
				WHERE id = $1`, b.contract, status)
			require.NoError(t, err)
			before := e.call(t, b.Token, "GET", path, nil).String()
			counts := e.counts(t)
			r := e.call(t, b.Token, "PATCH", path, map[string]any{"description": "too late", "total_amount": 1})
			require.Equal(t, http.StatusConflict, r.Code, r.String())
			assert.Contains(t, r.obj(t)["detail"], status)
			assert.Equal(t, before, e.call(t, b.Token, "GET", path, nil).String())
			assert.Equal(t, counts, e.counts(t))
		})
	}
}

func TestContractActionsGoToTheEngine(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	base := "/v1/contracts/" + b.contract

	r := e.must(t, http.StatusOK, b.Token, "POST", base+"/activate", nil)
	assert.Equal(t, map[string]any{"contract_id": b.contract, "workflow_id": "contract/" + b.contract, "status": "active"}, r)
	e.must(t, http.StatusOK, b.Token, "POST", base+"/installments/12/mark-paid", map[string]any{"amount": 29.24, "paid_on": "2026-07-20"}, idempotencyHeader, "mp-12")
	e.must(t, http.StatusOK, b.Token, "POST", base+"/cancel", map[string]any{"reason": "  client moved  "})
	assert.Equal(t, []string{"activate " + b.contract, "mark-paid 29.24 2026-07-20 " + b.contract, "cancel client moved " + b.contract}, e.engine.calls)
	assert.Equal(t, []string{"", "mp-12", ""}, e.engine.keys)

	engineErrors := []struct {
		name   string
		err    error
		status int
		detail string
	}{
		{"a problem from the engine is written as-is", Conflict("The contract is cancelled; it cannot be activated."), http.StatusConflict, "The contract is cancelled; it cannot be activated."},
		{"validation from the engine", Validation(FieldError{"split_rules[1].via_gateway", "Payee has no walletId"}), http.StatusUnprocessableEntity, "split_rules[1].via_gateway: Payee has no walletId"},
		{"a hand-built problem gets the missing parts", &Problem{Status: http.StatusConflict, Detail: "Installment 3 is already paid."}, http.StatusConflict, "Installment 3 is already paid."},
		{"any other error is a 500 that says nothing inside", errEngineDown, http.StatusInternalServerError, internalError().Detail},
		{"a wrapped problem is still the problem", errors.Join(errors.New("ctx"), NotFound("installment")), http.StatusNotFound, "installment was not found."},
	}
	for _, tc := range engineErrors {
		t.Run(tc.name, func(t *testing.T) {
			e.engine.err = tc.err
			r := e.call(t, b.Token, "POST", base+"/activate", nil)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			p := r.obj(t)
			assert.Equal(t, tc.detail, p["detail"])
			assert.EqualValues(t, tc.status, p["status"])
			assert.NotEmpty(t, p["title"])
			assert.NotEmpty(t, p["type"])
			assert.NotNil(t, p["errors"])
			assert.NotContains(t, r.String(), "temporal")
		})
	}

	t.Run("without an engine: 501", func(t *testing.T) {
		srv := NewServer(Deps{Pool: e.pool, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})
		bare := &apiEnv{pool: e.pool, srv: srv}
		r := bare.call(t, b.Token, "POST", base+"/activate", nil)
		assert.Equal(t, http.StatusNotImplemented, r.Code, r.String())
		r = bare.call(t, b.Token, "POST", base+"/cancel", map[string]any{"reason": "x"})
		assert.Equal(t, http.StatusNotImplemented, r.Code, r.String())
	})
}

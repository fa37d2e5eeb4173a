package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The template editor's live preview: the rules validated as a template's, the
// example payment allocated by domain.Allocate, nothing written.
func TestSplitPreview(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	rules := []any{
		map[string]any{"kind": "fee"},
		map[string]any{"kind": "percentage", "payee_id": b.walletPayee, "percent": "10"},
		map[string]any{"kind": "fixed", "payee_id": b.bankPayee, "amount": "5.00"},
		map[string]any{"kind": "remainder", "payee_id": b.bankPayee},
	}
	type entry struct{ kind, payee, amount, status string }
	cases := []struct {
		name      string
		body      map[string]any
		fee, tail string
		want      []entry
	}{
		{"gateway payment: fee, 10% of the net rounded down, fixed, remainder",
			map[string]any{"split_rules": rules, "amount": "100.00", "net_amount": "98.01"}, "1.99", "0.00",
			[]entry{{"fee", "", "1.99", "paid"}, {"percentage", b.walletPayee, "9.80", "sent_to_gateway"},
				{"fixed", b.bankPayee, "5.00", "pending"}, {"remainder", b.bankPayee, "83.21", "pending"}}},
		{"manual payment: no fee, the wallet payee's share becomes a pending payout",
			map[string]any{"split_rules": rules, "amount": "1234.56", "origin": "manual"}, "0.00", "0.00",
			[]entry{{"percentage", b.walletPayee, "123.45", "pending"}, {"fixed", b.bankPayee, "5.00", "pending"},
				{"remainder", b.bankPayee, "1106.11", "pending"}}},
		{"partial payment the fixed amount cannot fit in: shortfall",
			map[string]any{"split_rules": rules[2:3], "amount": "3.00"}, "0.00", "2.00",
			[]entry{{"fixed", b.bankPayee, "3.00", "pending"}}},
		{"no remainder rule: the rest is the account's own",
			map[string]any{"split_rules": rules[1:2], "amount": 50}, "0.00", "0.00",
			[]entry{{"percentage", b.walletPayee, "5.00", "sent_to_gateway"}, {"remainder", "", "45.00", "retained"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts(t)
			got := e.must(t, http.StatusOK, b.Token, "POST", "/v1/split-rules/preview", tc.body)
			assert.Equal(t, before, e.counts(t), "a preview writes nothing")
			assert.Equal(t, tc.fee, got["fee_amount"])
			assert.Equal(t, tc.tail, got["shortfall"])
			assert.Equal(t, got["amount"], got["total"], "the entries sum to the amount paid")
			entries := got["entries"].([]any)
			require.Len(t, entries, len(tc.want))
			for i, w := range tc.want {
				e := entries[i].(map[string]any)
				payee, _ := e["payee_id"].(string)
				assert.Equal(t, w, entry{e["kind"].(string), payee, e["amount"].(string), e["status"].(string)}, "entry %d", i)
			}
		})
	}

	refused := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no amount", map[string]any{"split_rules": rules}, "amount"},
		{"amount with 3 decimals", map[string]any{"split_rules": rules, "amount": "1.234"}, "amount"},
		{"net above the amount", map[string]any{"split_rules": rules, "amount": "10.00", "net_amount": "11.00"}, "net_amount"},
		{"manual with a fee", map[string]any{"split_rules": rules, "amount": "10.00", "net_amount": "9.00", "origin": "manual"}, "net_amount"},
		{"percentages over 100", map[string]any{"amount": "10.00", "split_rules": []any{
			map[string]any{"kind": "percentage", "payee_id": b.walletPayee, "percent": "60"},
			map[string]any{"kind": "percentage", "payee_id": b.bankPayee, "percent": "50"}}}, "split_rules"},
		{"a payee of another account", map[string]any{"amount": "10.00", "split_rules": []any{
			map[string]any{"kind": "remainder", "payee_id": "8a1f2b7c-0000-4000-8000-000000000001"}}}, "split_rules[0].payee_id"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(t, b.Token, "POST", "/v1/split-rules/preview", tc.body)
			require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
			assert.Equal(t, tc.field, r.obj(t)["errors"].([]any)[0].(map[string]any)["field"], r.String())
		})
	}
}

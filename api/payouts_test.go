package api

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// splitBusiness has two paid installments: #1 through the gateway (fee, Ana's 10% sent
// to Asaas, Franquia's fixed and remainder pending), #2 recorded manually (everything
// pending, no fee).
type splitBusiness struct {
	business
	fee, anaGateway, frFixed1, frRest1, anaManual, frFixed2, frRest2 uuid.UUID
}

func (e *apiEnv) setUpSplits(t *testing.T) splitBusiness {
	t.Helper()
	s := splitBusiness{business: e.setUpBusiness(t, e.account(t, "Acme", true))}
	ana, fr := mustUUID(t, s.walletPayee), mustUUID(t, s.bankPayee)
	contract := mustUUID(t, s.contract)
	one := e.paidInstallment(t, s.AccountID, contract, 1, "29.16", "27.17",
		seedEntry{nil, pos(1), "fee", "1.99", "paid"},
		seedEntry{&ana, pos(2), "percentage", "2.71", "sent_to_gateway"},
		seedEntry{&fr, pos(3), "fixed", "5.00", "pending"},
		seedEntry{&fr, pos(4), "remainder", "19.46", "pending"})
	two := e.paidInstallment(t, s.AccountID, contract, 2, "29.16", "29.16",
		seedEntry{&ana, pos(2), "percentage", "2.91", "pending"},
		seedEntry{&fr, pos(3), "fixed", "5.00", "pending"},
		seedEntry{&fr, pos(4), "remainder", "21.25", "pending"})
	s.fee, s.anaGateway, s.frFixed1, s.frRest1 = one[0], one[1], one[2], one[3]
	s.anaManual, s.frFixed2, s.frRest2 = two[0], two[1], two[2]
	return s
}

func ids(list ...uuid.UUID) []string {
	out := make([]string, len(list))
	for i, id := range list {
		out[i] = id.String()
	}
	return out
}

func TestPayoutIsAllOrNothing(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	payout := func(entries ...uuid.UUID) resp {
		return e.call(t, s.Token, "POST", "/v1/payouts", map[string]any{
			"entry_ids": ids(entries...), "paid_on": "2026-07-30", "method": "TED", "reference": "TED 000123",
		})
	}
	refused := []struct {
		name    string
		entries []uuid.UUID
		status  int
		field   string
	}{
		{"entries of two payees", []uuid.UUID{s.frFixed1, s.anaManual}, http.StatusConflict, "entry_ids[1]"},
		{"an entry Asaas pays out", []uuid.UUID{s.frFixed1, s.anaGateway}, http.StatusConflict, "entry_ids[1]"},
		{"the gateway fee", []uuid.UUID{s.frFixed1, s.fee}, http.StatusConflict, "entry_ids[1]"},
		{"an unknown entry", []uuid.UUID{s.frFixed1, uuid.New()}, http.StatusUnprocessableEntity, "entry_ids[1]"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts(t)
			r := payout(tc.entries...)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, tc.field, r.obj(t)["errors"].([]any)[0].(map[string]any)["field"])
			assert.Equal(t, before, e.counts(t), "nothing recorded")
			var status string
			require.NoError(t, e.pool.QueryRow(t.Context(), "SELECT status FROM split_entries WHERE id = $1", s.frFixed1).Scan(&status))
			assert.Equal(t, "pending", status, "the valid entry was not paid either")
		})
	}

	t.Run("one payout for many pending entries of one payee", func(t *testing.T) {
		p := e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{
			"entry_ids": ids(s.frFixed1, s.frRest1, s.frFixed2, s.frRest2), "paid_on": "2026-07-30", "method": "TED", "reference": "TED 000123",
		})
		assert.Equal(t, "50.71", p["amount"])
		assert.Equal(t, s.bankPayee, p["payee_id"])
		assert.Equal(t, "TED", p["method"])
		assert.Equal(t, s.UserID.String(), p["recorded_by"])
		entries := p["entries"].([]any)
		require.Len(t, entries, 4)
		installments := []any{}
		for _, en := range entries {
			assert.Equal(t, "paid", en.(map[string]any)["status"])
			assert.Equal(t, p["id"], en.(map[string]any)["payout_id"])
			assert.Equal(t, s.contract, en.(map[string]any)["contract_id"], "each entry names its contract")
			installments = append(installments, en.(map[string]any)["installment_number"])
		}
		assert.ElementsMatch(t, []any{1.0, 1.0, 2.0, 2.0}, installments, "and the installment its payment paid")
		assert.Equal(t, p, e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts/"+p["id"].(string), nil))
		trail := e.must(t, http.StatusOK, s.Token, "GET", "/v1/contracts/"+s.contract+"/audit-events?action=payout.recorded", nil)["data"].([]any)
		require.Len(t, trail, 1)
		assert.Equal(t, "50.71", trail[0].(map[string]any)["data"].(map[string]any)["amount"])
	})

	t.Run("an entry already paid cannot be paid again", func(t *testing.T) {
		before := e.counts(t)
		r := payout(s.frFixed1)
		require.Equal(t, http.StatusConflict, r.Code)
		assert.Contains(t, r.String(), "already paid")
		assert.Equal(t, before, e.counts(t))
	})

	t.Run("listing payouts", func(t *testing.T) {
		e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{"entry_ids": ids(s.anaManual), "paid_on": "2026-07-31", "method": "PIX"})
		all := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts", nil)["data"].([]any)
		require.Len(t, all, 2)
		assert.Equal(t, "2.91", all[0].(map[string]any)["amount"], "newest first")
		anas := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts?payee_id="+s.walletPayee, nil)["data"].([]any)
		require.Len(t, anas, 1)
		july30 := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts?from=2026-07-30&to=2026-07-30", nil)["data"].([]any)
		require.Len(t, july30, 1)
		assert.Equal(t, "50.71", july30[0].(map[string]any)["amount"])
	})
}

func TestPayoutReport(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{"entry_ids": ids(s.frFixed1, s.frRest1), "paid_on": "2026-07-30", "method": "PIX"})

	t.Run("JSON: entries per payee, totals per payee and status", func(t *testing.T) {
		r := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts/report?from=2026-07-01&to=2026-07-31", nil)
		payees := r["payees"].([]any)
		require.Len(t, payees, 3)
		ana, fr, none := payees[0].(map[string]any), payees[1].(map[string]any), payees[2].(map[string]any)
		assert.Equal(t, "Ana Souza", ana["payee_name"])
		assert.Equal(t, "Franquia Centro Ltda", fr["payee_name"])
		assert.Nil(t, none["payee_id"], "the fee belongs to no payee")
		assert.Len(t, ana["entries"], 2)
		assert.Len(t, fr["entries"], 4)
		assert.Equal(t, map[string]any{"sent_to_gateway": "2.71", "paid": "0.00", "pending": "2.91", "reversed": "0.00", "retained": "0.00", "disputed": "0.00", "total": "5.62"}, ana["totals"])
		assert.Equal(t, map[string]any{"sent_to_gateway": "0.00", "paid": "24.46", "pending": "26.25", "reversed": "0.00", "retained": "0.00", "disputed": "0.00", "total": "50.71"}, fr["totals"])
		assert.Equal(t, "1.99", none["totals"].(map[string]any)["paid"])
		assert.Equal(t, "58.32", r["totals"].(map[string]any)["total"], "the entries add up to the two payments (2 x 29.16)")
		entry := fr["entries"].([]any)[0].(map[string]any)
		assert.Equal(t, s.contract, entry["contract_id"])
		assert.EqualValues(t, 1, entry["installment_number"])
	})

	filters := []struct {
		query   string
		entries int
		total   string
	}{
		{"payee_id=" + s.walletPayee, 2, "5.62"},
		{"status=pending", 3, "29.16"},
		{"status=paid&payee_id=" + s.bankPayee, 2, "24.46"},
		{"from=2026-08-01", 0, "0.00"},
		{"to=2026-07-23", 0, "0.00"},
	}
	for _, f := range filters {
		t.Run("filter "+f.query, func(t *testing.T) {
			r := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts/report?"+f.query, nil)
			n := 0
			for _, p := range r["payees"].([]any) {
				n += len(p.(map[string]any)["entries"].([]any))
			}
			assert.Equal(t, f.entries, n)
			assert.Equal(t, f.total, r["totals"].(map[string]any)["total"])
		})
	}

	t.Run("bad filters", func(t *testing.T) {
		for _, q := range []string{"status=lost", "from=2026-13-01", "from=2026-08-01&to=2026-07-01", "format=xml", "payee_id=" + uuid.NewString()} {
			assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, s.Token, "GET", "/v1/payouts/report?"+q, nil).Code, q)
		}
	})

	t.Run("CSV: header, one row per entry, totals rows", func(t *testing.T) {
		r := e.call(t, s.Token, "GET", "/v1/payouts/report?from=2026-07-01&to=2026-07-31&format=csv", nil)
		require.Equal(t, http.StatusOK, r.Code, r.String())
		assert.Equal(t, "text/csv; charset=utf-8", r.Header.Get("Content-Type"))
		rows, err := csv.NewReader(strings.NewReader(r.String())).ReadAll()
		require.NoError(t, err)
		assert.Equal(t, reportCSVHeader, rows[0])
		count := map[string]int{}
		for _, row := range rows[1:] {
			count[row[0]]++
		}
		assert.Equal(t, map[string]int{"entry": 7, "payee_total": 3 * 7, "total": 7}, count)
		last := rows[len(rows)-1]
		assert.Equal(t, []string{"total", "", "", "", "", "", "", "total", "", "58.32", ""}, last)
		var frFixed []string
		for _, row := range rows {
			if row[3] == s.frFixed1.String() {
				frFixed = row
			}
		}
		require.NotNil(t, frFixed)
		assert.Equal(t, []string{"entry", s.bankPayee, "Franquia Centro Ltda", s.frFixed1.String(), s.contract, "1", "fixed", "paid", "2026-07-24", "5.00"}, frFixed[:10])
		assert.NotEmpty(t, frFixed[10], "the payout id")
	})
}

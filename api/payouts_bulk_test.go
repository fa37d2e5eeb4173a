package api

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// POST /v1/payouts/bulk: the payout report's selection across payees, one payout per
// payee, all or nothing.
func TestBulkPayout(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	bulk := func(entries ...uuid.UUID) resp {
		return e.call(t, s.Token, "POST", "/v1/payouts/bulk", map[string]any{
			"entry_ids": ids(entries...), "paid_on": "2026-07-30", "method": "PIX", "reference": "lote 7",
		})
	}

	refused := []struct {
		name    string
		entries []uuid.UUID
		status  int
		field   string
	}{
		{"an entry Asaas pays out", []uuid.UUID{s.frFixed1, s.anaManual, s.anaGateway}, http.StatusConflict, "entry_ids[2]"},
		{"the gateway fee", []uuid.UUID{s.fee, s.frFixed1}, http.StatusConflict, "entry_ids[0]"},
		{"an unknown entry", []uuid.UUID{s.frFixed1, uuid.New()}, http.StatusUnprocessableEntity, "entry_ids[1]"},
		{"the same entry twice", []uuid.UUID{s.frFixed1, s.frFixed1}, http.StatusUnprocessableEntity, "entry_ids[1]"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts(t)
			r := bulk(tc.entries...)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, tc.field, r.obj(t)["errors"].([]any)[0].(map[string]any)["field"])
			assert.Equal(t, before, e.counts(t), "nothing recorded")
		})
	}

	t.Run("entries of two payees: one payout each", func(t *testing.T) {
		got := e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts/bulk", map[string]any{
			"entry_ids": ids(s.frFixed1, s.anaManual, s.frRest1), "paid_on": "2026-07-30", "method": "PIX", "reference": "lote 7",
		})
		payouts := got["payouts"].([]any)
		require.Len(t, payouts, 2)
		fr, ana := payouts[0].(map[string]any), payouts[1].(map[string]any)
		assert.Equal(t, s.bankPayee, fr["payee_id"], "in the order the payees first appear")
		assert.Equal(t, "24.46", fr["amount"])
		assert.Len(t, fr["entries"], 2)
		assert.Equal(t, s.walletPayee, ana["payee_id"])
		assert.Equal(t, "2.91", ana["amount"])
		for _, p := range payouts {
			assert.Equal(t, "lote 7", p.(map[string]any)["reference"])
			assert.Equal(t, s.UserID.String(), p.(map[string]any)["recorded_by"])
		}
		pending := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts/report?status=pending", nil)
		assert.Equal(t, "26.25", pending["totals"].(map[string]any)["total"], "Franquia's #2 entries are still pending")
		trail := e.must(t, http.StatusOK, s.Token, "GET", "/v1/contracts/"+s.contract+"/audit-events?action=payout.recorded", nil)["data"].([]any)
		assert.Len(t, trail, 2, "one audit event per payout")
	})

	t.Run("entries already paid", func(t *testing.T) {
		before := e.counts(t)
		r := bulk(s.frFixed2, s.frFixed1)
		require.Equal(t, http.StatusConflict, r.Code, r.String())
		assert.Contains(t, r.String(), "already paid")
		assert.Equal(t, before, e.counts(t))
	})

	t.Run("another account's entries are unknown", func(t *testing.T) {
		rival := e.account(t, "Rival", true)
		r := e.call(t, rival.Token, "POST", "/v1/payouts/bulk", map[string]any{"entry_ids": ids(s.frFixed2), "paid_on": "2026-07-30", "method": "PIX"})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
		assert.Contains(t, r.String(), "not a split entry of this account")
	})
}

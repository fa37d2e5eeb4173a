package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (e *apiEnv) entryStatus(t *testing.T, id uuid.UUID) (string, *uuid.UUID) {
	t.Helper()
	var status string
	var payout *uuid.UUID
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT status, payout_id FROM split_entries WHERE id = $1", id).Scan(&status, &payout))
	return status, payout
}

// A payout recorded by mistake is voided: kept and marked, its entries pending again
// (and payable by another payout), audited; it cannot be voided twice.
func TestVoidPayout(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	p := e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{
		"entry_ids": ids(s.frFixed1, s.frRest1), "paid_on": "2026-07-30", "method": "TED", "reference": "TED 1"})
	assert.Equal(t, "recorded", p["status"])
	assert.Nil(t, p["voided_at"])
	path := "/v1/payouts/" + p["id"].(string)

	refused := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"no reason", map[string]any{}, http.StatusUnprocessableEntity, "reason"},
		{"a blank reason", map[string]any{"reason": "   "}, http.StatusUnprocessableEntity, "reason"},
		{"a reason too long", map[string]any{"reason": strings.Repeat("x", 501)}, http.StatusUnprocessableEntity, "reason"},
		{"an unknown member", map[string]any{"reason": "x", "force": true}, http.StatusUnprocessableEntity, "force"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts(t)
			r := e.call(t, s.Token, "POST", path+"/void", tc.body)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, []string{tc.field}, problemFields(t, r))
			assert.Equal(t, before, e.counts(t))
		})
	}
	t.Run("another account's payout, or none: 404", func(t *testing.T) {
		other := e.account(t, "Rival", true)
		before := e.counts(t)
		for _, r := range []resp{
			e.call(t, other.Token, "POST", path+"/void", map[string]any{"reason": "not mine"}),
			e.call(t, s.Token, "POST", "/v1/payouts/"+uuid.NewString()+"/void", map[string]any{"reason": "none"}),
		} {
			assert.Equal(t, http.StatusNotFound, r.Code, r.String())
		}
		assert.Equal(t, before, e.counts(t))
		status, _ := e.entryStatus(t, s.frFixed1)
		assert.Equal(t, "paid", status)
	})

	voided := e.must(t, http.StatusOK, s.Token, "POST", path+"/void", map[string]any{"reason": "  TED devolvida pelo banco  "}, idempotencyHeader, "void-1")
	t.Run("voided: marked, entries pending again", func(t *testing.T) {
		assert.Equal(t, "voided", voided["status"])
		assert.NotNil(t, voided["voided_at"])
		assert.Equal(t, s.UserID.String(), voided["voided_by"])
		assert.Equal(t, "TED devolvida pelo banco", voided["void_reason"])
		assert.Equal(t, "24.46", voided["amount"], "the amount it had recorded")
		entries := voided["entries"].([]any)
		require.Len(t, entries, 2, "the entries it had paid")
		for _, en := range entries {
			assert.Equal(t, "pending", en.(map[string]any)["status"])
			assert.Nil(t, en.(map[string]any)["payout_id"])
		}
		assert.Equal(t, voided, e.must(t, http.StatusOK, s.Token, "GET", path, nil))
		trail := e.must(t, http.StatusOK, s.Token, "GET", "/v1/contracts/"+s.contract+"/audit-events?action=payout.voided", nil)["data"].([]any)
		require.Len(t, trail, 1)
		data := trail[0].(map[string]any)["data"].(map[string]any)
		assert.Equal(t, "TED devolvida pelo banco", data["reason"])
		assert.Equal(t, "24.46", data["amount"])
		assert.ElementsMatch(t, ids(s.frFixed1, s.frRest1), data["entry_ids"])
	})
	t.Run("the same request with its key replays the answer", func(t *testing.T) {
		before := e.counts(t)
		r := e.call(t, s.Token, "POST", path+"/void", map[string]any{"reason": "  TED devolvida pelo banco  "}, idempotencyHeader, "void-1")
		require.Equal(t, http.StatusOK, r.Code, r.String())
		assert.Equal(t, "true", r.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, voided, r.obj(t))
		assert.Equal(t, before, e.counts(t))
	})
	t.Run("voiding again: 409, nothing changes", func(t *testing.T) {
		before := e.counts(t)
		r := e.call(t, s.Token, "POST", path+"/void", map[string]any{"reason": "again"})
		require.Equal(t, http.StatusConflict, r.Code, r.String())
		assert.Contains(t, r.obj(t)["detail"], "cannot be voided again")
		assert.Equal(t, before, e.counts(t))
		assert.Equal(t, voided, e.must(t, http.StatusOK, s.Token, "GET", path, nil))
	})
	t.Run("the entries are paid again by another payout", func(t *testing.T) {
		again := e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{
			"entry_ids": ids(s.frFixed1, s.frRest1), "paid_on": "2026-07-31", "method": "PIX"})
		old := e.must(t, http.StatusOK, s.Token, "GET", path, nil)
		for _, en := range old["entries"].([]any) {
			assert.Equal(t, "paid", en.(map[string]any)["status"])
			assert.Equal(t, again["id"], en.(map[string]any)["payout_id"], "the voided payout shows where its entries went")
		}
		list := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts?payee_id="+s.bankPayee, nil)["data"].([]any)
		require.Len(t, list, 2)
		assert.Equal(t, "recorded", list[0].(map[string]any)["status"])
		assert.Equal(t, "voided", list[1].(map[string]any)["status"])
	})
}

// Voiding the payout of an entry whose payment was refunded meanwhile: the entry was
// never really paid out and its reversal was waiting to claw it back, so neither is
// owed: both become reversed, and the payee is owed what was never paid out.
func TestVoidPayoutOfARefundedEntry(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	p := e.must(t, http.StatusCreated, s.Token, "POST", "/v1/payouts", map[string]any{
		"entry_ids": ids(s.frFixed1, s.frRest1), "paid_on": "2026-07-30", "method": "PIX"})
	// Installment 1 refunded after the payout, as the contract workflow records it:
	// a pending reversal of each paid entry (the claw-back).
	var clawback uuid.UUID
	require.NoError(t, e.pool.QueryRow(context.Background(), `INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id,
		rule_position, kind, amount, status, reverses_entry_id, occurred_on)
		SELECT account_id, payment_id, contract_id, payee_id, rule_position, kind, -amount, 'pending', id, '2026-08-01'
		FROM split_entries WHERE id = $1 RETURNING id`, s.frFixed1).Scan(&clawback))
	pending := func() string {
		report := e.must(t, http.StatusOK, s.Token, "GET", "/v1/payouts/report?payee_id="+s.bankPayee, nil)
		return report["totals"].(map[string]any)["pending"].(string)
	}
	before := pending()

	e.must(t, http.StatusOK, s.Token, "POST", "/v1/payouts/"+p["id"].(string)+"/void", map[string]any{"reason": "lançado em dobro"})
	for _, tc := range []struct {
		entry uuid.UUID
		want  string
	}{{s.frFixed1, "reversed"}, {clawback, "reversed"}, {s.frRest1, "pending"}} {
		status, payout := e.entryStatus(t, tc.entry)
		assert.Equal(t, tc.want, status, "entry %s", tc.entry)
		assert.Nil(t, payout)
	}
	assert.Equal(t, "21.25", before, "before: installment 2's 26.25, less the claw-back of 5.00")
	assert.Equal(t, "45.71", pending(), "after: installment 2's 26.25 and the 19.46 remainder never paid out; nothing clawed back")
}

package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake engine takes installment changes too.
func (f *fakeEngine) ChangeInstallment(_ context.Context, _ Actor, id uuid.UUID, n int, in ChangeInstallmentInput, key string) (ContractActionResult, error) {
	due := ""
	if in.DueDate != nil {
		due = in.DueDate.Format(dateLayout)
	}
	return f.changed("change-installment "+in.Value.String()+" "+due, key, id, n, "updated")
}

func (f *fakeEngine) ReissueCharge(_ context.Context, _ Actor, id uuid.UUID, n int, in ReissueInput, key string) (ContractActionResult, error) {
	due := ""
	if in.DueDate != nil {
		due = in.DueDate.Format(dateLayout)
	}
	return f.changed("reissue "+due, key, id, n, "reissued")
}

func (f *fakeEngine) changed(call, key string, id uuid.UUID, n int, how string) (ContractActionResult, error) {
	res, err := f.record(call, key, id)
	if err != nil {
		return res, err
	}
	res.Installment, res.InstallmentStatus = &n, "open"
	res.Change = &InstallmentChange{Installment: n, How: how, Value: "29.16", DueDate: "2030-01-10", Status: "open", AsaasPaymentID: "pay_x"}
	return res, nil
}

// The API checks the shape of a change (a positive value, a date not in the
// past, something to change) and the installment's existence, then hands it to
// the contract's workflow with the Idempotency-Key; every answer is the
// document's.
func TestInstallmentChangeRequests(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	e.must(t, http.StatusOK, b.Token, "POST", "/v1/contracts/"+b.contract+"/activate", nil)
	base := "/v1/contracts/" + b.contract + "/installments/"
	future := time.Now().AddDate(0, 1, 0).Format(dateLayout)
	past := time.Now().AddDate(0, 0, -3).Format(dateLayout)

	e.must(t, http.StatusOK, b.Token, "PATCH", base+"2", map[string]any{"value": "31.00", "due_date": future}, "Idempotency-Key", "chg-1")
	e.must(t, http.StatusOK, b.Token, "PATCH", base+"2", map[string]any{"value": "31.00", "due_date": future}, "Idempotency-Key", "chg-1")
	e.must(t, http.StatusOK, b.Token, "PATCH", base+"3", map[string]any{"due_date": future})
	e.must(t, http.StatusOK, b.Token, "POST", base+"3/reissue", map[string]any{"due_date": future})
	e.must(t, http.StatusOK, b.Token, "POST", base+"3/reissue", nil)

	for name, body := range map[string]map[string]any{
		"nothing":          {},
		"a past due date":  {"due_date": past},
		"a negative value": {"value": "-1"},
		"three decimals":   {"value": "1.001"},
		"not a date":       {"due_date": "10/01/2030"},
	} {
		assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, b.Token, "PATCH", base+"2", body).Code, name)
	}
	assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, b.Token, "POST", base+"2/reissue", map[string]any{"due_date": past}).Code)
	assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, b.Token, "PATCH", base+"2", map[string]any{"value": "1", "reason": "x"}).Code, "unknown members are refused")
	assert.Equal(t, http.StatusNotFound, e.call(t, b.Token, "PATCH", base+"99", map[string]any{"value": "1"}).Code)
	assert.Equal(t, http.StatusNotFound, e.call(t, b.Token, "POST", "/v1/contracts/"+uuid.NewString()+"/installments/1/reissue", nil).Code)

	assert.Equal(t, []string{
		"activate " + b.contract,
		"change-installment 31 " + future + " " + b.contract,
		"change-installment 0 " + future + " " + b.contract,
		"reissue " + future + " " + b.contract,
		"reissue  " + b.contract,
	}, e.engine.calls, "the retried request with the same key ran once")
}

// Held (disputed) entries of a payment with a chargeback open are not payable:
// a payout of one, alone or in bulk, is a 409 naming it, and nothing is written;
// the payout report totals them apart.
func TestDisputedEntriesAreNotPaidOut(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	franchise := mustUUID(t, b.bankPayee)
	ids := e.paidInstallment(t, b.AccountID, mustUUID(t, b.contract), 1, "29.16", "29.16",
		seedEntry{&franchise, pos(3), "fixed", "5.00", "pending"}, seedEntry{&franchise, pos(4), "remainder", "24.16", "pending"})
	_, err := e.pool.Exec(context.Background(), `UPDATE split_entries SET status = 'disputed', held_from = 'pending' WHERE id = $1`, ids[0])
	require.NoError(t, err)
	counts := e.counts(t)
	body := map[string]any{"entry_ids": []string{ids[0].String(), ids[1].String()}, "paid_on": time.Now().Format(dateLayout), "method": "PIX"}
	for _, path := range []string{"/v1/payouts", "/v1/payouts/bulk"} {
		r := e.call(t, b.Token, "POST", path, body)
		require.Equal(t, http.StatusConflict, r.Code, r.String())
		assert.Contains(t, r.String(), "disputed")
	}
	assert.Equal(t, counts, e.counts(t), "nothing written")
	e.must(t, http.StatusCreated, b.Token, "POST", "/v1/payouts", map[string]any{"entry_ids": []string{ids[1].String()},
		"paid_on": time.Now().Format(dateLayout), "method": "PIX"})

	report := e.must(t, http.StatusOK, b.Token, "GET", "/v1/payouts/report?status=disputed", nil)
	assert.Equal(t, "5.00", report["totals"].(map[string]any)["disputed"])
	assert.Equal(t, "5.00", report["totals"].(map[string]any)["total"])
}

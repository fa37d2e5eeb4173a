package console

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The installment page's Change form: dates and money as people type them; a
// refused change shows the API's error next to its field and changes nothing; a
// forged form is refused.
func TestChangeAnInstallment(t *testing.T) {
	s := newStack(t)
	f := s.paidFixture()
	v := s.visitor()
	v.signIn(s.token)
	path := "/console/contracts/" + f.contract + "/installments/2"
	before := s.contract(f.contract).Installments[1]

	form := v.get(path)
	require.Equal(t, http.StatusOK, form.Status, form.Body)
	assert.Contains(t, form.Body, `id="change-form"`)
	assert.NotContains(t, form.Body, `id="reissue-form"`, "an open charge is changed, not re-issued")
	paid := v.get("/console/contracts/" + f.contract + "/installments/1")
	assert.NotContains(t, paid.Body, `id="change-form"`, "a paid installment offers no change")

	yesterday := time.Now().In(saoPaulo).AddDate(0, 0, -1).Format("02/01/2006")
	cases := []struct {
		name, dueDate, value string
		csrf                 string
		status               int
		want                 string
	}{
		{"a date that is not one", "31/02/2026", "", "", http.StatusUnprocessableEntity, "must be a date like 31/03/2026"},
		{"a date in the past", yesterday, "", "", http.StatusUnprocessableEntity, "must not be in the past"},
		{"a value that is not money", "", "cem reais", "", http.StatusUnprocessableEntity, `aria-invalid="true"`},
		{"nothing to change", "", "", "", http.StatusUnprocessableEntity, "give a new value and/or due_date"},
		{"without the CSRF token", "", "150,00", "forged", http.StatusForbidden, "did not come from this console"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			csrf := tc.csrf
			if csrf == "" {
				csrf = form.csrf(t)
			}
			p := v.post(path, url.Values{"_csrf": {csrf}, "_idem": {uuid.NewString()}, "due_date": {tc.dueDate}, "value": {tc.value}})
			assert.Equal(t, tc.status, p.Status, p.Body)
			assert.Contains(t, p.Body, tc.want)
			if tc.status == http.StatusUnprocessableEntity {
				assert.Contains(t, p.Body, `<small class="field-error">`, "the error is next to its field")
				assert.Contains(t, p.Body, `value="`+tc.dueDate+`"`, "what was typed is kept")
			}
			after := s.contract(f.contract).Installments[1]
			assert.Equal(t, before.DueDate, after.DueDate, "nothing changed")
			assert.Equal(t, before.Value, after.Value, "nothing changed")
		})
	}

	// A new due date typed dd/mm/aaaa and a value typed 1.234,56-style: the charge at Asaas follows.
	due := time.Now().In(saoPaulo).AddDate(0, 0, 45)
	changed := v.post(path, url.Values{"_csrf": {form.csrf(t)}, "_idem": {form.idem(t)}, "due_date": {due.Format("02/01/2006")}, "value": {"1.100,50"}})
	require.Equal(t, http.StatusOK, changed.Status, changed.Body)
	assert.Equal(t, path, changed.URL)
	assert.Contains(t, changed.Body, "Installment changed")
	assert.Contains(t, changed.Body, "R$ 1.100,50 due "+due.Format("02/01/2006"))
	after := s.contract(f.contract).Installments[1]
	assert.Equal(t, due.Format(time.DateOnly), after.DueDate)
	assert.Equal(t, "1100.50", after.Value)
	assert.Equal(t, due.Format(time.DateOnly), after.Charge.DueDate, "the charge has the new date")

	// An ISO date works too.
	iso := due.AddDate(0, 0, 1)
	form = v.get(path)
	changed = v.post(path, url.Values{"_csrf": {form.csrf(t)}, "_idem": {form.idem(t)}, "due_date": {iso.Format(time.DateOnly)}})
	require.Equal(t, http.StatusOK, changed.Status, changed.Body)
	assert.Equal(t, iso.Format(time.DateOnly), s.contract(f.contract).Installments[1].DueDate)

	// Installment 3's charge is deleted in the Asaas panel: its page offers Re-issue; a
	// bad date is refused next to its field, then a new charge is issued.
	gone := s.chargeOf(f.contract, 3)
	s.simDelete(gone)
	eventually(t, "the contract hears its charge was deleted", func() bool {
		c := s.contract(f.contract).Installments[2].Charge
		return c != nil && c.DeletedAt != nil
	})
	path = "/console/contracts/" + f.contract + "/installments/3"
	form = v.get(path)
	require.Contains(t, form.Body, `id="reissue-form"`)
	assert.Contains(t, form.Body, "Its charge was deleted in Asaas")
	bad := v.post(path+"/reissue", url.Values{"_csrf": {form.csrf(t)}, "_idem": {uuid.NewString()}, "reissue_due_date": {"32/13/2026"}})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status, bad.Body)
	assert.Regexp(t, `id="reissue_due_date"[^>]*value="32/13/2026" aria-invalid="true">\s*<small class="field-error">must be a date like 31/03/2026`, bad.Body)
	assert.Equal(t, gone, s.chargeOf(f.contract, 3), "nothing issued")
	forged := v.post(path+"/reissue", url.Values{"_csrf": {"forged"}, "_idem": {uuid.NewString()}})
	assert.Equal(t, http.StatusForbidden, forged.Status)
	assert.Equal(t, gone, s.chargeOf(f.contract, 3), "nothing issued")

	reissued := v.post(path+"/reissue", url.Values{"_csrf": {form.csrf(t)}, "_idem": {form.idem(t)}, "reissue_due_date": {""}})
	require.Equal(t, http.StatusOK, reissued.Status, reissued.Body)
	assert.Contains(t, reissued.Body, "A new charge was issued")
	assert.NotContains(t, reissued.Body, `id="reissue-form"`, "a live charge is not re-issued")
	in := s.contract(f.contract).Installments[2]
	assert.NotEqual(t, gone, in.Charge.AsaasPaymentID)
	assert.Nil(t, in.Charge.DeletedAt)
	assert.Equal(t, "open", in.Status)
}

// simDelete deletes a charge at the simulator as the account's key would (the
// Asaas panel): Asaas then sends PAYMENT_DELETED.
func (s *stack) simDelete(paymentID string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodDelete, s.simURL+"/v3/payments/"+paymentID, nil)
	require.NoError(s.t, err)
	req.Header.Set("access_token", s.merchant.APIKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	resp.Body.Close()
	require.Equal(s.t, http.StatusOK, resp.StatusCode)
}

// Re-issue is offered only for an installment still owed whose charge is gone or
// expired; Change for any installment still owed of an active contract.
func TestInstallmentActionsFollowItsStatus(t *testing.T) {
	deleted := time.Now()
	live := &charge{AsaasPaymentID: "pay_1"}
	gone := &charge{AsaasPaymentID: "pay_1", DeletedAt: &deleted}
	cases := []struct {
		name                string
		in                  installment
		payable, reissuable bool
	}{
		{"open, charge live", installment{Status: "open", Charge: live}, true, false},
		{"open, charge deleted at Asaas", installment{Status: "open", Charge: gone}, true, true},
		{"overdue: the charge expired", installment{Status: "overdue", Charge: live}, true, true},
		{"scheduled, no charge (Asaas refused it)", installment{Status: "scheduled"}, true, true},
		{"paid", installment{Status: "paid", Charge: live}, false, false},
		{"cancelled", installment{Status: "cancelled", Charge: gone}, false, false},
		{"refunded", installment{Status: "refunded", Charge: live}, false, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.payable, tc.in.Payable(), tc.name)
		assert.Equal(t, tc.reissuable, tc.in.Reissuable(), tc.name)
	}
}

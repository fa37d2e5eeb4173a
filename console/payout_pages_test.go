package console

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Payouts recorded: the list, a payout's page with its entries, and Void after a
// confirmation (a refused void changes nothing; a forged one is refused); another
// account's payout is the same 404 page as a missing one.
func TestPayoutPages(t *testing.T) {
	s := newStack(t)
	f := s.paidFixture()
	theirs := s.rival()
	v := s.visitor()
	v.signIn(s.token)

	list := v.get("/console/payouts/recorded")
	require.Equal(t, http.StatusOK, list.Status, list.Body)
	assert.Contains(t, list.Body, `href="/console/payouts/`+f.payout+`"`)
	for _, want := range []string{"Agente", "R$ 10,00", "PIX lote 7", ">recorded<", "ops@acme.test"} {
		assert.Contains(t, list.Body, want)
	}
	assert.Contains(t, v.get("/console/payouts").Body, `href="/console/payouts/recorded"`, "the payout report links the list")

	shown := v.get("/console/payouts/" + f.payout)
	require.Equal(t, http.StatusOK, shown.Status, shown.Body)
	for _, want := range []string{"Payout to Agente", "R$ 10,00", "PIX lote 7", `id="void-payout"`,
		`href="/console/contracts/` + f.contract + `/installments/1"`, ">paid<"} {
		assert.Contains(t, shown.Body, want)
	}

	cases := []struct {
		name   string
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"another account's payout", "/console/payouts/" + theirs.payout, nil, http.StatusNotFound, "payout was not found."},
		{"a payout that does not exist", "/console/payouts/" + uuid.NewString(), nil, http.StatusNotFound, "payout was not found."},
		{"voiding another account's payout", "/console/payouts/" + theirs.payout + "/void", url.Values{"reason": {"x"}}, http.StatusNotFound, "payout was not found."},
		{"void without a reason", "/console/payouts/" + f.payout + "/void", url.Values{"reason": {""}}, http.StatusUnprocessableEntity, `<small class="field-error">`},
		{"void without the CSRF token", "/console/payouts/" + f.payout + "/void", url.Values{"reason": {"forged"}, "_csrf": {"forged"}}, http.StatusForbidden, "did not come from this console"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p page
			if tc.form == nil {
				p = v.get(tc.path)
			} else {
				if _, forged := tc.form["_csrf"]; !forged {
					tc.form.Set("_csrf", shown.csrf(t))
				}
				tc.form.Set("_idem", uuid.NewString())
				p = v.post(tc.path, tc.form)
			}
			assert.Equal(t, tc.status, p.Status, p.Body)
			assert.Contains(t, p.Body, tc.want)
			assert.NotContains(t, p.Body, "Rival payee")
			assert.Equal(t, "paid", s.entryStatus(f.contract, f.entry), "nothing changed")
		})
	}

	// The confirmation, then Void: the payout is voided and its entry pending again.
	confirm := v.get("/console/payouts/" + f.payout + "/void")
	require.Equal(t, http.StatusOK, confirm.Status, confirm.Body)
	assert.Contains(t, confirm.Body, "go back to")
	key := confirm.idem(t)
	voided := v.post("/console/payouts/"+f.payout+"/void", url.Values{"_csrf": {confirm.csrf(t)}, "_idem": {key}, "reason": {"pago ao favorecido errado"}})
	require.Equal(t, http.StatusOK, voided.Status, voided.Body)
	assert.Equal(t, "/console/payouts/"+f.payout, voided.URL)
	for _, want := range []string{"Payout voided", `id="payout-status">voided<`, "pago ao favorecido errado", ">pending<"} {
		assert.Contains(t, voided.Body, want)
	}
	assert.NotContains(t, voided.Body, `id="void-payout"`, "a voided payout offers no Void")
	assert.Equal(t, "pending", s.entryStatus(f.contract, f.entry))

	again := v.post("/console/payouts/"+f.payout+"/void", url.Values{"_csrf": {confirm.csrf(t)}, "_idem": {key}, "reason": {"pago ao favorecido errado"}})
	assert.Equal(t, http.StatusOK, again.Status, "the same form sent twice voids once: %s", again.Body)
	twice := v.post("/console/payouts/"+f.payout+"/void", url.Values{"_csrf": {confirm.csrf(t)}, "_idem": {uuid.NewString()}, "reason": {"de novo"}})
	assert.Equal(t, http.StatusConflict, twice.Status)
	assert.Contains(t, twice.Body, "cannot be voided again")
}

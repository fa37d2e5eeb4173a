package api

import (
	"context"
	"net/http"
	"testing"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The boleto's typeable line comes from Asaas (the simulator) through the account's
// own key, with the same "can it still be paid" answers as the PIX QR code.
func TestInstallmentBoleto(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	cl := g.connect(t, e, u)
	contract := e.activeContract(t, u, "UNDEFINED", 4, "100.00")
	ctx := context.Background()
	q := dbgen.New(e.pool)

	boleto := e.issueCharge(t, cl, u.AccountID, contract, 1, asaas.BillingBoleto)
	e.issueCharge(t, cl, u.AccountID, contract, 2, asaas.BillingPix)
	paid := e.issueCharge(t, cl, u.AccountID, contract, 3, asaas.BillingBoleto)
	_, err := q.MarkInstallmentPaid(ctx, dbgen.MarkInstallmentPaidParams{AccountID: u.AccountID, ID: e.installment(t, u.AccountID, contract, 3).ID})
	require.NoError(t, err)
	_ = paid
	path := func(n string) string { return "/v1/contracts/" + contract.String() + "/installments/" + n + "/boleto" }

	t.Run("live boleto charge: Asaas's typeable line", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", path("1"), nil)
		want, err := cl.IdentificationField(ctx, boleto.ID)
		require.NoError(t, err)
		assert.Equal(t, boleto.ID, got["asaas_payment_id"])
		assert.Equal(t, want.IdentificationField, got["identification_field"])
		assert.Len(t, got["identification_field"], 47, "a linha digitável has 47 digits")
		assert.Equal(t, want.BarCode, got["bar_code"])
		assert.Equal(t, want.NossoNumero, got["nosso_numero"])
		require.NotNil(t, boleto.BankSlipURL)
		assert.Equal(t, *boleto.BankSlipURL, got["bank_slip_url"])
	})
	cases := []struct {
		name   string
		n      string
		status int
		detail string
	}{
		{"a PIX charge: Asaas refuses", "2", http.StatusUnprocessableEntity, "Só cobranças por boleto"},
		{"installment paid", "3", http.StatusConflict, "is paid"},
		{"no charge issued yet", "4", http.StatusConflict, "has no charge"},
		{"installment beyond the contract", "5", http.StatusNotFound, "installment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(t, u.Token, "GET", path(tc.n), nil)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Contains(t, r.obj(t)["detail"], tc.detail)
		})
	}
	t.Run("another account: 404", func(t *testing.T) {
		other := e.account(t, "Rival", true)
		r := e.call(t, other.Token, "GET", path("1"), nil)
		assert.Equal(t, http.StatusNotFound, r.Code, r.String())
		assert.NotContains(t, r.String(), boleto.ID)
	})
}

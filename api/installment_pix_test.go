package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PIX QR code of an installment comes from Asaas (the simulator) through the
// account's own key; an installment without a live charge is a 409, Asaas refusing a
// 422 with its description.
func TestInstallmentPix(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	cl := g.connect(t, e, u)
	contract := e.activeContract(t, u, "UNDEFINED", 7, "100.00")
	ctx := context.Background()
	q := dbgen.New(e.pool)

	pix := e.issueCharge(t, cl, u.AccountID, contract, 1, asaas.BillingPix)
	// 2: no charge yet.
	deleted := e.issueCharge(t, cl, u.AccountID, contract, 3, asaas.BillingPix)
	_, err := q.SetChargeDeleted(ctx, dbgen.SetChargeDeletedParams{AccountID: u.AccountID, AsaasPaymentID: deleted.ID, Deleted: true})
	require.NoError(t, err)
	e.issueCharge(t, cl, u.AccountID, contract, 4, asaas.BillingCreditCard)
	paid := e.issueCharge(t, cl, u.AccountID, contract, 5, asaas.BillingPix)
	require.NoError(t, q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: u.AccountID, AsaasPaymentID: paid.ID, Status: asaas.StatusReceived}))
	_, err = q.MarkInstallmentPaid(ctx, dbgen.MarkInstallmentPaidParams{AccountID: u.AccountID, ID: e.installment(t, u.AccountID, contract, 5).ID})
	require.NoError(t, err)
	e.storeCharge(t, u.AccountID, contract, e.installment(t, u.AccountID, contract, 6), "pay_gone000000001", asaas.BillingPix, asaas.StatusPending, "https://sandbox.asaas.com/i/gone", nil)
	overdue := e.issueCharge(t, cl, u.AccountID, contract, 7, asaas.BillingBoleto)
	require.NoError(t, q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: u.AccountID, AsaasPaymentID: overdue.ID, Status: asaas.StatusOverdue}))

	path := func(n string) string { return "/v1/contracts/" + contract.String() + "/installments/" + n + "/pix" }

	t.Run("live PIX charge: Asaas's QR code", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", path("1"), nil)
		want, err := cl.PixQrCode(ctx, pix.ID)
		require.NoError(t, err)
		assert.Equal(t, pix.ID, got["asaas_payment_id"])
		assert.Equal(t, want.Payload, got["payload"])
		assert.True(t, strings.HasPrefix(want.Payload, "000201"), "a BR Code: %s", want.Payload)
		assert.Equal(t, want.ExpirationDate, got["expiration_date"])
		png, err := base64.StdEncoding.DecodeString(got["encoded_image"].(string))
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "the image is a PNG")
	})
	t.Run("overdue boleto charge: PIX still offered", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", path("7"), nil)
		assert.Equal(t, overdue.ID, got["asaas_payment_id"])
		assert.NotEmpty(t, got["payload"])
	})

	cases := []struct {
		name   string
		n      string
		status int
		detail string
	}{
		{"no charge issued yet", "2", http.StatusConflict, "has no charge"},
		{"charge deleted", "3", http.StatusConflict, "was deleted"},
		{"card charge: Asaas refuses", "4", http.StatusUnprocessableEntity, "Não é possível gerar QR Code Pix"},
		{"installment paid", "5", http.StatusConflict, "is paid"},
		{"charge unknown to Asaas", "6", http.StatusConflict, "no longer exists in Asaas"},
		{"installment beyond the contract", "8", http.StatusNotFound, "installment"},
		{"installment zero", "0", http.StatusNotFound, "installment"},
		{"installment not a number", "x", http.StatusNotFound, "installment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(t, u.Token, "GET", path(tc.n), nil)
			require.Equal(t, tc.status, r.Code, r.String())
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			assert.Contains(t, r.obj(t)["detail"], tc.detail)
		})
	}
	t.Run("Asaas's refusal names its code", func(t *testing.T) {
		p := e.call(t, u.Token, "GET", path("4"), nil).obj(t)
		assert.Equal(t, problemTypePrefix+"gateway-refused", p["type"])
		assert.Equal(t, "asaas.invalid_billingType", p["errors"].([]any)[0].(map[string]any)["field"])
	})

	t.Run("the contract view shows each charge's links", func(t *testing.T) {
		view := e.must(t, http.StatusOK, u.Token, "GET", "/v1/contracts/"+contract.String(), nil)
		boleto := view["installments"].([]any)[6].(map[string]any)["charge"].(map[string]any)
		assert.Equal(t, overdue.InvoiceURL, boleto["invoice_url"])
		require.NotNil(t, overdue.BankSlipURL)
		assert.Equal(t, *overdue.BankSlipURL, boleto["bank_slip_url"])
		assert.Contains(t, boleto, "pix_copy_paste")
		assert.Nil(t, view["installments"].([]any)[1].(map[string]any)["charge"], "installment 2 has no charge")
	})

	t.Run("another account: 404", func(t *testing.T) {
		other := e.account(t, "Rival", true)
		g.connect(t, e, other)
		r := e.call(t, other.Token, "GET", path("1"), nil)
		assert.Equal(t, http.StatusNotFound, r.Code, r.String())
		assert.NotContains(t, r.String(), pix.ID)
	})
}

func TestInstallmentPixNeedsAWorkingGateway(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	contract := e.activeContract(t, u, "PIX", 1, "80.00")
	e.storeCharge(t, u.AccountID, contract, e.installment(t, u.AccountID, contract, 1), "pay_000000000001", asaas.BillingPix, asaas.StatusPending, "https://sandbox.asaas.com/i/1", nil)
	path := "/v1/contracts/" + contract.String() + "/installments/1/pix"

	r := e.call(t, u.Token, "GET", path, nil)
	assert.Equal(t, http.StatusNotImplemented, r.Code, "no gateway in this deployment: %s", r)

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	e.useGatewayAt(down.URL)
	r = e.call(t, u.Token, "GET", path, nil)
	require.Equal(t, http.StatusConflict, r.Code, r.String())
	assert.Contains(t, r.obj(t)["detail"], "configure Asaas first")

	storeAsaasKey(t, e, u, "$aact_hmlg_unreachable0001")
	r = e.call(t, u.Token, "GET", path, nil)
	require.Equal(t, http.StatusBadGateway, r.Code, r.String())
	assert.Equal(t, problemTypePrefix+"gateway-unavailable", r.obj(t)["type"])
	assert.Equal(t, "30", r.Header.Get("Retry-After"), "Asaas did not answer: try again later")

	g := e.useSimulator(t)
	g.connect(t, e, u) // a key of another simulator account: the charge is not its own
	r = e.call(t, u.Token, "GET", path, nil)
	require.Equal(t, http.StatusConflict, r.Code, r.String())
	assert.Contains(t, r.obj(t)["detail"], "no longer exists in Asaas")

	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(refused.Close)
	e.useGatewayAt(refused.URL)
	r = e.call(t, u.Token, "GET", path, nil)
	require.Equal(t, http.StatusConflict, r.Code, r.String())
	assert.Contains(t, r.obj(t)["detail"], "refused this account's API key (HTTP "+strconv.Itoa(http.StatusUnauthorized)+")")
}

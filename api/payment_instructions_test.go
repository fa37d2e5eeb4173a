package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func instructionsOf(t *testing.T, view map[string]any, n int) map[string]any {
	t.Helper()
	inst := view["installments"].([]any)[n-1].(map[string]any)
	pi, ok := inst["payment_instructions"]
	if !ok {
		return nil
	}
	return pi.(map[string]any)
}

// ?include=payment_instructions shows, on each installment that can still be paid,
// the invoice URL, the boleto's typeable line and the PIX code and QR image as
// Asaas gives them; they are kept per charge, so showing them again asks Asaas
// nothing, and a charge whose value or due date changed is asked again.
func TestContractPaymentInstructions(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	u := e.account(t, "Acme", true)
	cl := g.connect(t, e, u)
	contract := e.activeContract(t, u, "UNDEFINED", 5, "100.00")
	ctx := context.Background()
	q := dbgen.New(e.pool)

	pix := e.issueCharge(t, cl, u.AccountID, contract, 1, asaas.BillingPix)
	// 2: no charge yet.
	boleto := e.issueCharge(t, cl, u.AccountID, contract, 3, asaas.BillingBoleto)
	paid := e.issueCharge(t, cl, u.AccountID, contract, 4, asaas.BillingPix)
	require.NoError(t, q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: u.AccountID, AsaasPaymentID: paid.ID, Status: asaas.StatusReceived}))
	_, err := q.MarkInstallmentPaid(ctx, dbgen.MarkInstallmentPaidParams{AccountID: u.AccountID, ID: e.installment(t, u.AccountID, contract, 4).ID})
	require.NoError(t, err)
	e.storeCharge(t, u.AccountID, contract, e.installment(t, u.AccountID, contract, 5), "pay_gone000000001", asaas.BillingPix, asaas.StatusPending, "https://sandbox.asaas.com/i/gone", nil)
	path := "/v1/contracts/" + contract.String()

	wantPix, err := cl.PixQrCode(ctx, pix.ID)
	require.NoError(t, err)
	wantBoleto, err := cl.IdentificationField(ctx, boleto.ID)
	require.NoError(t, err)
	wantBoletoPix, err := cl.PixQrCode(ctx, boleto.ID)
	require.NoError(t, err)
	pixOf := func(qr asaas.PixQrCode) map[string]any {
		return map[string]any{"payload": qr.Payload, "encoded_image": qr.EncodedImage, "expiration_date": qr.ExpirationDate}
	}
	want := map[int]map[string]any{
		1: {"invoice_url": pix.InvoiceURL, "bank_slip_url": nil, "boleto": nil, "pix": pixOf(wantPix), "unavailable": []any{}},
		3: {"invoice_url": boleto.InvoiceURL, "bank_slip_url": *boleto.BankSlipURL,
			"boleto": map[string]any{"identification_field": wantBoleto.IdentificationField, "nosso_numero": wantBoleto.NossoNumero, "bar_code": wantBoleto.BarCode},
			"pix":    pixOf(wantBoletoPix), "unavailable": []any{}},
	}

	t.Run("without include: none", func(t *testing.T) {
		view := e.must(t, http.StatusOK, u.Token, "GET", path, nil)
		for n := 1; n <= 5; n++ {
			assert.Nil(t, instructionsOf(t, view, n))
		}
	})
	t.Run("with include: each payable installment's", func(t *testing.T) {
		view := e.must(t, http.StatusOK, u.Token, "GET", path+"?include=payment_instructions", nil)
		assert.Equal(t, want[1], instructionsOf(t, view, 1), "a PIX charge has no boleto")
		assert.Nil(t, instructionsOf(t, view, 2), "no charge yet")
		assert.Equal(t, want[3], instructionsOf(t, view, 3), "a boleto carries a PIX QR code too")
		assert.Nil(t, instructionsOf(t, view, 4), "paid")
		gone := instructionsOf(t, view, 5)
		require.NotNil(t, gone)
		assert.Nil(t, gone["pix"])
		assert.Equal(t, []any{map[string]any{"part": "pix", "detail": "The charge no longer exists in Asaas."}}, gone["unavailable"])
	})
	t.Run("kept: with Asaas gone, the same answer", func(t *testing.T) {
		e.useGatewayAt("http://127.0.0.1:1") // nothing listens there
		view := e.must(t, http.StatusOK, u.Token, "GET", path+"?include=payment_instructions", nil)
		assert.Equal(t, want[1], instructionsOf(t, view, 1))
		assert.Equal(t, want[3], instructionsOf(t, view, 3))
		pixRoute := e.must(t, http.StatusOK, u.Token, "GET", path+"/installments/3/pix", nil)
		assert.Equal(t, wantBoletoPix.Payload, pixRoute["payload"], "the PIX route reads the same store")
		boletoRoute := e.must(t, http.StatusOK, u.Token, "GET", path+"/installments/3/boleto", nil)
		assert.Equal(t, wantBoleto.IdentificationField, boletoRoute["identification_field"])
	})
	t.Run("a charge whose due date changed is asked again", func(t *testing.T) {
		_, err := e.pool.Exec(ctx, "UPDATE charges SET due_date = due_date + 1 WHERE asaas_payment_id = $1", boleto.ID)
		require.NoError(t, err)
		view := e.must(t, http.StatusOK, u.Token, "GET", path+"?include=payment_instructions", nil)
		got := instructionsOf(t, view, 3)
		assert.Nil(t, got["boleto"])
		assert.Nil(t, got["pix"])
		require.Len(t, got["unavailable"], 2)
		for _, it := range got["unavailable"].([]any) {
			assert.Contains(t, it.(map[string]any)["detail"], "did not answer", "Asaas was asked (and is down)")
		}
		assert.Equal(t, want[1], instructionsOf(t, view, 1), "the others are still kept")
		r := e.call(t, u.Token, "GET", path+"/installments/3/boleto", nil)
		assert.Equal(t, http.StatusBadGateway, r.Code, r.String())
	})
	t.Run("an unknown include: 422", func(t *testing.T) {
		r := e.call(t, u.Token, "GET", path+"?include=everything", nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
		assert.Equal(t, []string{"include"}, problemFields(t, r))
	})
	t.Run("another account: 404", func(t *testing.T) {
		other := e.account(t, "Rival", true)
		r := e.call(t, other.Token, "GET", path+"?include=payment_instructions", nil)
		assert.Equal(t, http.StatusNotFound, r.Code, r.String())
		assert.NotContains(t, r.String(), pix.ID)
	})
}

// A contract of many open charges asks Asaas at most instructionsFetchLimit calls at
// a time, and only once per part.
func TestPaymentInstructionsBoundedConcurrency(t *testing.T) {
	e := newAPIEnv(t)
	g := e.useSimulator(t)
	var inFlight, most, calls atomic.Int32
	var mu sync.Mutex
	h := g.sim.Handler()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		mu.Lock()
		if n > most.Load() {
			most.Store(n)
		}
		mu.Unlock()
		calls.Add(1)
		time.Sleep(30 * time.Millisecond)
		h.ServeHTTP(w, r)
		inFlight.Add(-1)
	}))
	t.Cleanup(slow.Close)
	u := e.account(t, "Acme", true)
	cl := g.connect(t, e, u)
	contract := e.activeContract(t, u, "BOLETO", 8, "50.00")
	for n := 1; n <= 8; n++ {
		e.issueCharge(t, cl, u.AccountID, contract, n, asaas.BillingBoleto)
	}
	e.useGatewayAt(slow.URL)
	path := "/v1/contracts/" + contract.String() + "?include=payment_instructions"
	view := e.must(t, http.StatusOK, u.Token, "GET", path, nil)
	for n := 1; n <= 8; n++ {
		pi := instructionsOf(t, view, n)
		assert.NotNil(t, pi["boleto"], "installment %d", n)
		assert.NotNil(t, pi["pix"], "installment %d", n)
	}
	assert.Equal(t, int32(16), calls.Load(), "a boleto line and a PIX code per charge")
	assert.LessOrEqual(t, most.Load(), int32(instructionsFetchLimit))
	assert.Greater(t, most.Load(), int32(1), "the calls do overlap")
	e.must(t, http.StatusOK, u.Token, "GET", path, nil)
	assert.Equal(t, int32(16), calls.Load(), "the second view asks Asaas nothing")
}

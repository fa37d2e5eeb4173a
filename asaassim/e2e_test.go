package asaassim_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"billing/asaas"
	"billing/asaassim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// End to end: the typed client drives the simulator, and the simulator's
// webhooks reach an HTTP receiver that parses them with the client's parser.

type delivery struct {
	token string
	event asaas.WebhookEvent
}

// webhookReceiver answers 200 and hands every parsed event to a channel.
func webhookReceiver(t *testing.T) (*httptest.Server, <-chan delivery) {
	ch := make(chan delivery, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		ev, err := asaas.ParseWebhook(raw)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		ch <- delivery{token: r.Header.Get("asaas-access-token"), event: ev}
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func nextEvent(t *testing.T, ch <-chan delivery) delivery {
	t.Helper()
	select {
	case d := <-ch:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook within 10s")
		return delivery{}
	}
}

type e2e struct {
	sim    *asaassim.Server
	client *asaas.Client
	events <-chan delivery
	payee  asaassim.Account
	cust   asaas.Customer
}

func newE2E(t *testing.T) *e2e {
	now := time.Date(2026, 7, 14, 9, 0, 0, 0, time.FixedZone("BRT", -3*3600))
	sim := asaassim.New(asaassim.Options{Now: func() time.Time { return now }, RetryBase: 5 * time.Millisecond, Seed: 3})
	api := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { api.Close(); sim.Close() })
	hook, events := webhookReceiver(t)

	merchant := sim.CreateAccount("Merchant")
	payee := sim.CreateAccount("Payee")
	require.NoError(t, sim.SetWebhook(merchant.ID, asaassim.WebhookConfig{URL: hook.URL, AuthToken: "whsec-merchant", Enabled: true}))
	client := asaas.New(asaas.Options{BaseURL: api.URL, APIKey: merchant.APIKey})
	cust, err := client.CreateCustomer(context.Background(), asaas.CustomerRequest{Name: "Cliente E2E", CpfCnpj: "24971563792", ExternalReference: "client-1"})
	require.NoError(t, err)
	return &e2e{sim: sim, client: client, events: events, payee: payee, cust: cust}
}

func TestEndToEndPixChargeWithSplit(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)

	p, err := e.client.CreatePayment(ctx, asaas.PaymentRequest{
		Customer: e.cust.ID, BillingType: asaas.BillingPix, Value: asaas.MustNumber("100"),
		DueDate: asaas.NewDate(2026, 7, 20), ExternalReference: "contract-1/installment-1",
		Split: []asaas.Split{{WalletID: e.payee.WalletID, PercentualValue: asaas.Some(asaas.MustNumber("10"))}},
	})
	require.NoError(t, err)
	assert.Equal(t, asaas.StatusPending, p.Status)
	assert.Equal(t, "98.01", p.NetValue.StringFixed(2))
	require.Len(t, p.Split, 1)
	assert.Equal(t, "PENDING", p.Split[0].Status)

	created := nextEvent(t, e.events)
	assert.Equal(t, "whsec-merchant", created.token)
	assert.Equal(t, "PAYMENT_CREATED", created.event.Event)
	assert.Equal(t, p.ID, created.event.Payment.ID)

	require.NoError(t, e.sim.Pay(p.ID, asaassim.PayOptions{}))
	received := nextEvent(t, e.events)
	assert.Equal(t, "whsec-merchant", received.token)
	assert.Equal(t, "PAYMENT_RECEIVED", received.event.Event)
	assert.Regexp(t, `^evt_`, received.event.Key(), "the event id is the dedupe key")
	wp := received.event.Payment
	require.NotNil(t, wp)
	assert.Equal(t, asaas.StatusReceived, wp.Status)
	assert.Equal(t, "contract-1/installment-1", wp.ExternalRef())
	assert.Equal(t, "2026-07-14", wp.PaymentDate.String())
	require.Len(t, wp.Split, 1)
	assert.Equal(t, "DONE", wp.Split[0].Status)
	total, ok := wp.Split[0].TotalValue.Get()
	require.True(t, ok)
	assert.Equal(t, "9.80", total.StringFixed(2))

	got, err := e.client.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, asaas.StatusReceived, got.Status)
	bal, err := e.sim.Balance(e.payee.ID)
	require.NoError(t, err)
	assert.Equal(t, "9.80", bal.StringFixed(2))

	found, err := e.client.ListPayments(ctx, asaas.PaymentFilter{ExternalReference: "contract-1/installment-1"})
	require.NoError(t, err)
	require.Equal(t, 1, found.TotalCount)
	assert.Equal(t, p.ID, found.Data[0].ID)
}

func TestEndToEndCardChargeConfirmedThenReceived(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)

	p, err := e.client.CreatePayment(ctx, asaas.PaymentRequest{
		Customer: e.cust.ID, BillingType: asaas.BillingCreditCard, Value: asaas.MustNumber("100"), DueDate: asaas.NewDate(2026, 7, 19),
	})
	require.NoError(t, err)
	assert.Equal(t, "96.52", p.NetValue.StringFixed(2))
	assert.Equal(t, "PAYMENT_CREATED", nextEvent(t, e.events).event.Event)

	require.NoError(t, e.sim.Pay(p.ID, asaassim.PayOptions{}))
	confirmed := nextEvent(t, e.events)
	assert.Equal(t, "PAYMENT_CONFIRMED", confirmed.event.Event)
	cp := confirmed.event.Payment
	assert.Equal(t, asaas.StatusConfirmed, cp.Status)
	cd, ok := cp.ConfirmedDate.Get()
	require.True(t, ok)
	assert.Equal(t, "2026-07-14", cd.String())
	assert.True(t, cp.PaymentDate.IsZero(), "no paymentDate until the money is credited")
	assert.Equal(t, "2026-08-17", cp.CreditDate.String())
	card, ok := cp.CreditCard.Get()
	require.True(t, ok)
	assert.Equal(t, "4444", card.CreditCardNumber)

	require.NoError(t, e.sim.Settle(p.ID, ""))
	received := nextEvent(t, e.events)
	assert.Equal(t, "PAYMENT_RECEIVED", received.event.Event)
	assert.Equal(t, asaas.StatusReceived, received.event.Payment.Status)
	assert.Equal(t, "2026-08-17", received.event.Payment.PaymentDate.String())
}

func TestEndToEndManualPaymentAndCancellation(t *testing.T) {
	ctx := context.Background()
	e := newE2E(t)

	first, err := e.client.CreatePayment(ctx, asaas.PaymentRequest{
		Customer: e.cust.ID, BillingType: asaas.BillingBoleto, DueDate: asaas.NewDate(2026, 7, 24),
		InstallmentCount: 3, TotalValue: ptr(asaas.MustNumber("300")),
		Split: []asaas.Split{{WalletID: e.payee.WalletID, FixedValue: asaas.Some(asaas.MustNumber("10"))}},
	})
	require.NoError(t, err)
	parcels, err := e.client.ListAllInstallmentPayments(ctx, first.Installment)
	require.NoError(t, err)
	require.Len(t, parcels, 3)
	assert.Equal(t, 3, *parcels[0].InstallmentNumber, "newest (last) parcel first")

	// Parcel 1 is paid by hand: receiveInCash cancels its split.
	cash, err := e.client.ReceiveInCash(ctx, first.ID, asaas.ReceiveInCashRequest{PaymentDate: asaas.NewDate(2026, 7, 14), Value: asaas.MustNumber("100")})
	require.NoError(t, err)
	assert.Equal(t, asaas.StatusReceivedInCash, cash.Status)
	assert.Equal(t, "CANCELLED", cash.Split[0].Status)

	// The contract is cancelled: open parcels go last to first; first-to-last fails.
	_, err = e.client.DeletePayment(ctx, parcels[1].ID) // parcel 2 while 3 is open
	var apiErr *asaas.Error
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, apiErr.HasCode("invalid_action"))
	for _, p := range parcels[:2] { // parcel 3, then 2
		del, err := e.client.DeletePayment(ctx, p.ID)
		require.NoError(t, err)
		assert.True(t, del.Deleted)
	}
	left, err := e.client.ListPayments(ctx, asaas.PaymentFilter{Installment: first.Installment})
	require.NoError(t, err)
	assert.Equal(t, 1, left.TotalCount, "only the parcel paid in cash remains")
}

func ptr[T any](v T) *T { return &v }

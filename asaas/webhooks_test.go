package asaas_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
	"billing/asaassim"
)

func TestWebhookJSON(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "webhook-list-openapi-example.json"))
	require.NoError(t, err)
	l, out := roundTrip[asaas.List[asaas.Webhook]](t, raw)
	assertSameJSON(t, raw, out)
	require.Len(t, l.Data, 2)
	ok, paused := l.Data[0], l.Data[1]
	assert.Equal(t, "bbf67496-1379-4b6d-a348-fd5fa229f1c", ok.ID)
	assert.Equal(t, asaas.WebhookSequential, ok.SendType)
	assert.True(t, ok.HasAuthToken)
	require.NotNil(t, ok.Email)
	assert.Equal(t, []string{"PAYMENT_CREATED", "PAYMENT_RECEIVED"}, ok.Events)
	assert.True(t, paused.Interrupted)
	assert.Equal(t, 15, paused.PenalizedRequestsCount)
	assert.Nil(t, paused.Email, "null stays null")
}

func TestWebhookRequests(t *testing.T) {
	no, name := false, "billing"
	cases := []struct {
		name       string
		call       func(c *asaas.Client) error
		wantMethod string
		wantURI    string
		wantBody   string
	}{
		{name: "list", wantMethod: "GET", wantURI: "/v3/webhooks?limit=100",
			call: func(c *asaas.Client) error { _, err := c.ListWebhooks(context.Background()); return err }},
		{name: "get escapes the id", wantMethod: "GET", wantURI: "/v3/webhooks/a%2Fb",
			call: func(c *asaas.Client) error { _, err := c.GetWebhook(context.Background(), "a/b"); return err }},
		{name: "reactivate sends interrupted false and nothing else", wantMethod: "PUT", wantURI: "/v3/webhooks/wh1",
			wantBody: `{"interrupted":false}`,
			call:     func(c *asaas.Client) error { _, err := c.ReactivateWebhook(context.Background(), "wh1"); return err }},
		{name: "update sends the fields set", wantMethod: "PUT", wantURI: "/v3/webhooks/wh1",
			wantBody: `{"name":"billing","enabled":false,"events":["PAYMENT_RECEIVED"]}`,
			call: func(c *asaas.Client) error {
				_, err := c.UpdateWebhook(context.Background(), "wh1", asaas.WebhookUpdate{Name: &name, Enabled: &no, Events: []string{"PAYMENT_RECEIVED"}})
				return err
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, srv := newRecorder(t, ok(`{"object":"list","data":[],"hasMore":false}`))
			require.NoError(t, tc.call(newClient(srv)))
			r := rec.last(t)
			assert.Equal(t, tc.wantMethod, r.Method)
			assert.Equal(t, tc.wantURI, r.RequestURI)
			if tc.wantBody == "" {
				assert.Empty(t, r.Body)
			} else {
				assert.JSONEq(t, tc.wantBody, string(r.Body))
			}
		})
	}
	t.Run("an empty id is refused before sending", func(t *testing.T) {
		rec, srv := newRecorder(t)
		_, err := newClient(srv).ReactivateWebhook(context.Background(), " ")
		require.ErrorIs(t, err, asaas.ErrInvalidRequest)
		assert.Empty(t, rec.all())
	})
}

// simulated is a simulator account behind an httptest server and a client for it.
func simulated(t *testing.T, opts asaassim.Options) (*asaassim.Server, asaassim.Account, *asaas.Client) {
	t.Helper()
	sim := asaassim.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { srv.Close(); sim.Close() })
	acct := sim.CreateAccount("Loja")
	return sim, acct, asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: acct.APIKey})
}

func TestWebhooksAgainstTheSimulator(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	got := make(chan struct{}, 10)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		got <- struct{}{}
	}))
	t.Cleanup(receiver.Close)
	sim, acct, c := simulated(t, asaassim.Options{RetryBase: 20 * time.Microsecond})
	ctx := context.Background()

	none, err := c.ListWebhooks(ctx)
	require.NoError(t, err)
	assert.Empty(t, none, "no webhook configured yet")

	require.NoError(t, sim.SetWebhook(acct.ID, asaassim.WebhookConfig{URL: receiver.URL, AuthToken: "tok", Enabled: true}))
	cust, err := c.CreateCustomer(ctx, asaas.CustomerRequest{Name: "Maria", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	_, err = c.CreatePayment(ctx, asaas.PaymentRequest{Customer: cust.ID, BillingType: "PIX", Value: asaas.MustNumber("10"),
		DueDate: asaas.DateOf(time.Now()).AddDays(5)})
	require.NoError(t, err)

	var hooks []asaas.Webhook
	require.Eventually(t, func() bool {
		hooks, err = c.ListWebhooks(ctx)
		return err == nil && len(hooks) == 1 && hooks[0].Interrupted
	}, 10*time.Second, 5*time.Millisecond, "the queue is interrupted after 15 failures")
	h := hooks[0]
	assert.Equal(t, 15, h.PenalizedRequestsCount)
	assert.Equal(t, receiver.URL, h.URL)
	assert.True(t, h.HasAuthToken)
	assert.True(t, h.Enabled)

	failing.Store(false)
	again, err := c.ReactivateWebhook(ctx, h.ID)
	require.NoError(t, err)
	assert.False(t, again.Interrupted)
	assert.Zero(t, again.PenalizedRequestsCount)
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the kept event was not delivered after the reactivation")
	}
	one, err := c.GetWebhook(ctx, h.ID)
	require.NoError(t, err)
	assert.False(t, one.Interrupted)

	_, err = c.GetWebhook(ctx, "00000000-0000-4000-8000-000000000000")
	assert.True(t, asaas.IsNotFound(err), "unknown webhook: %v", err)
}

// Reconciliation reads the gateway by payment id and by externalReference.
func TestPaymentLookupsAgainstTheSimulator(t *testing.T) {
	_, _, c := simulated(t, asaassim.Options{})
	ctx := context.Background()
	cust, err := c.CreateCustomer(ctx, asaas.CustomerRequest{Name: "Maria", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	charge := func(ref string) asaas.Payment {
		p, err := c.CreatePayment(ctx, asaas.PaymentRequest{Customer: cust.ID, BillingType: "PIX", Value: asaas.MustNumber("10"),
			DueDate: asaas.DateOf(time.Now()).AddDays(5), ExternalReference: ref})
		require.NoError(t, err)
		return p
	}
	var mine []string
	for range 3 {
		mine = append(mine, charge("billing:c1:1").ID)
	}
	charge("billing:c1:2")
	_, err = c.DeletePayment(ctx, mine[0])
	require.NoError(t, err)

	got, err := c.GetPayment(ctx, mine[0])
	require.NoError(t, err)
	assert.True(t, got.Deleted, "GET still answers a deleted charge")
	all, err := c.ListAllPayments(ctx, asaas.PaymentFilter{ExternalReference: "billing:c1:1", Limit: 1})
	require.NoError(t, err)
	var ids []string
	for _, p := range all {
		ids = append(ids, p.ID)
		assert.Equal(t, "billing:c1:1", p.ExternalRef())
	}
	assert.Equal(t, []string{mine[2], mine[1]}, ids, "every page, newest first, the deleted one left out")
	_, err = c.GetPayment(ctx, "pay_doesnotexist00")
	assert.True(t, asaas.IsNotFound(err))
}

package asaas_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// TestParseWebhookSeedsRoundTrip parses the documentation's examples and
// checks that re-encoding the event gives back the same JSON.
func TestParseWebhookSeedsRoundTrip(t *testing.T) {
	for _, name := range []string{"webhook-payment-received.json", "webhook-bill-paid.json"} {
		t.Run(name, func(t *testing.T) {
			body := readTestdata(t, name)
			ev, err := asaas.ParseWebhook(body)
			require.NoError(t, err)
			require.NoError(t, ev.PayloadError)
			assert.JSONEq(t, string(body), string(ev.Raw), "Raw is the body as received")
			out, err := json.Marshal(ev)
			require.NoError(t, err)
			assertSameJSON(t, body, out)
		})
	}
}

func TestParseWebhookPaymentSeed(t *testing.T) {
	ev, err := asaas.ParseWebhook(readTestdata(t, "webhook-payment-received.json"))
	require.NoError(t, err)
	assert.Equal(t, asaas.EventPaymentReceived, ev.Event)
	assert.Empty(t, ev.ID, "the documentation's example has no event id")
	assert.Nil(t, ev.Bill)
	require.NotNil(t, ev.Payment)
	p := ev.Payment
	assert.Equal(t, "pay_080225913252", p.ID)
	assert.Equal(t, "056984", p.ExternalRef())
	assert.Equal(t, "94.51", p.NetValue.String())
	assert.Equal(t, "2765d086-c7c5-5cca-898a-4262d212587c", p.Installment)
	confirmed, ok := p.ConfirmedDate.Get()
	require.True(t, ok)
	assert.Equal(t, asaas.NewDate(2021, 1, 1), confirmed)
	assert.Equal(t, asaas.NewDate(2021, 2, 1), p.CreditDate)
	require.NotNil(t, p.LastInvoiceViewedDate)
	assert.Equal(t, "2021-01-01 12:54:56", *p.LastInvoiceViewedDate)
	card, ok := p.CreditCard.Get()
	require.True(t, ok)
	assert.Equal(t, "8829", card.CreditCardNumber)
	require.Len(t, p.Split, 2)
	fixed, ok := p.Split[0].FixedValue.Get()
	require.True(t, ok)
	assert.Equal(t, "20", fixed.String())
	assert.True(t, p.Split[0].PercentualValue.IsZero(), "absent on a fixed split")
	pct, ok := p.Split[1].PercentualValue.Get()
	require.True(t, ok)
	assert.Equal(t, "10", pct.String())
	assert.True(t, p.Split[1].RefusalReason.IsNull())
	cb, ok := p.Chargeback.Get()
	require.True(t, ok)
	assert.Equal(t, asaas.Chargeback{Status: "REQUESTED", Reason: "PROCESS_ERROR"}, cb)
}

func TestParseWebhookBillSeed(t *testing.T) {
	ev, err := asaas.ParseWebhook(readTestdata(t, "webhook-bill-paid.json"))
	require.NoError(t, err)
	assert.Equal(t, asaas.EventBillPaid, ev.Event)
	assert.Equal(t, "evt_05b708f961d739ea7eba7e4db318f621&368604920", ev.ID)
	assert.Equal(t, "2024-06-12 16:45:03", ev.DateCreated)
	require.NotNil(t, ev.Account)
	assert.Equal(t, "47ed0d25-f9fb-4b35-b23a-d8895caf92b7", ev.Account.ID)
	assert.Nil(t, ev.Account.OwnerID)
	assert.Nil(t, ev.Payment)
	require.NotNil(t, ev.Bill)
	b := ev.Bill
	assert.Equal(t, asaas.BillPaid, b.Status)
	assert.Equal(t, "29.9", b.Value.String())
	assert.Equal(t, asaas.NewDate(2020, 1, 31), b.PaymentDate)
	assert.False(t, b.CanBeCancelled)
	assert.Nil(t, b.FailReasons)
	require.NotNil(t, b.TransactionReceiptURL)
	assert.Equal(t, "https://www.asaas.com/comprovantes/00016578", *b.TransactionReceiptURL)
}

func TestParseWebhookTolerance(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		wantErr string
		check   func(t *testing.T, ev asaas.WebhookEvent)
	}{
		{name: "empty body", body: ``, wantErr: "not a JSON object"},
		{name: "not JSON", body: `event=PAYMENT_RECEIVED`, wantErr: "not a JSON object"},
		{name: "array", body: `[{"event":"PAYMENT_RECEIVED"}]`, wantErr: "not a JSON object"},
		{name: "string", body: `"PAYMENT_RECEIVED"`, wantErr: "not a JSON object"},
		{name: "truncated object", body: `{"event":"PAYMENT_RECEIVED","payment":{`, wantErr: "not a JSON object"},
		{name: "no event", body: `{"id":"evt_1","payment":{"id":"pay_1"}}`, wantErr: "no event"},
		{name: "empty event", body: `{"event":"  "}`, wantErr: "no event"},
		{name: "event not a string", body: `{"event":{"name":"X"}}`, wantErr: "no event"},
		{
			name: "unknown event with unknown fields",
			body: `{"id":"evt_9","event":"TRANSFER_DONE","transfer":{"id":"tra_1"},"brandNew":[1,2]}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				assert.Equal(t, "TRANSFER_DONE", ev.Event)
				assert.Equal(t, "evt_9", ev.ID)
				assert.Nil(t, ev.Payment)
				assert.Nil(t, ev.Bill)
				assert.NoError(t, ev.PayloadError)
				assert.False(t, asaas.IsPaymentEvent(ev.Event))
			},
		},
		{
			name: "unknown fields inside payment",
			body: `{"event":"PAYMENT_CONFIRMED","payment":{"id":"pay_1","value":10.5,"netValue":8.51,"newThing":{"x":1},"status":"CONFIRMED"}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				require.NotNil(t, ev.Payment)
				assert.Equal(t, "pay_1", ev.Payment.ID)
				assert.Equal(t, "10.5", ev.Payment.Value.String())
				assert.NoError(t, ev.PayloadError)
			},
		},
		{
			name: "minimal payment: missing optional fields",
			body: `{"event":"PAYMENT_OVERDUE","payment":{"id":"pay_2"}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				require.NotNil(t, ev.Payment)
				assert.True(t, ev.Payment.DueDate.IsZero())
				assert.True(t, ev.Payment.Value.IsZero())
				assert.Nil(t, ev.Payment.ExternalReference)
			},
		},
		{
			name: "numeric event id",
			body: `{"id":12345,"event":"PAYMENT_CREATED"}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				assert.Equal(t, "12345", ev.ID)
			},
		},
		{
			name: "payment field of a wrong type is reported, not fatal",
			body: `{"id":"evt_3","event":"PAYMENT_RECEIVED","payment":{"id":"pay_3","value":"a lot"}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				assert.Equal(t, "evt_3", ev.ID)
				assert.Nil(t, ev.Payment)
				require.Error(t, ev.PayloadError)
				assert.Contains(t, ev.PayloadError.Error(), "payment")
			},
		},
		{
			name: "payment that is not an object is reported",
			body: `{"event":"PAYMENT_RECEIVED","payment":"pay_4"}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				assert.Nil(t, ev.Payment)
				require.Error(t, ev.PayloadError)
			},
		},
		{
			name: "null payment is simply absent",
			body: `{"event":"PAYMENT_RECEIVED","payment":null}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				assert.Nil(t, ev.Payment)
				assert.NoError(t, ev.PayloadError)
			},
		},
		{
			name: "bill fail reasons as a list",
			body: `{"event":"BILL_FAILED","bill":{"id":"b1","status":"FAILED","failReasons":["Saldo insuficiente","Linha digitável inválida"]}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				require.NotNil(t, ev.Bill)
				assert.Equal(t, asaas.FailReasons{"Saldo insuficiente", "Linha digitável inválida"}, ev.Bill.FailReasons)
				assert.Equal(t, "Saldo insuficiente; Linha digitável inválida", ev.Bill.FailReasons.String())
			},
		},
		{
			name: "bill fail reasons as a single string",
			body: `{"event":"BILL_FAILED","bill":{"id":"b2","failReasons":"Saldo insuficiente"}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				require.NotNil(t, ev.Bill)
				assert.Equal(t, asaas.FailReasons{"Saldo insuficiente"}, ev.Bill.FailReasons)
			},
		},
		{
			name: "datetime where a date is expected keeps the day",
			body: `{"event":"BILL_PAID","bill":{"id":"b3","paymentDate":"2024-06-12 16:45:03"}}`,
			check: func(t *testing.T, ev asaas.WebhookEvent) {
				require.NotNil(t, ev.Bill)
				assert.Equal(t, asaas.NewDate(2024, 6, 12), ev.Bill.PaymentDate)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := asaas.ParseWebhook([]byte(tc.body))
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, ev)
		})
	}
}

// TestEventConstantsMatchSeeds checks the constants against the event lists
// copied from the two documentation seeds.
func TestEventConstantsMatchSeeds(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "seed-events.txt"))
	require.NoError(t, err)
	defer f.Close()
	var payment, bill []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, _, ok := strings.Cut(sc.Text(), " - ")
		require.True(t, ok, "line %q", sc.Text())
		switch {
		case asaas.IsPaymentEvent(name):
			payment = append(payment, name)
		case asaas.IsBillEvent(name):
			bill = append(bill, name)
		default:
			t.Fatalf("unexpected event %q", name)
		}
	}
	require.NoError(t, sc.Err())
	assert.Equal(t, payment, asaas.PaymentEvents)
	assert.Equal(t, bill, asaas.BillEvents)
	assert.True(t, slices.Contains(asaas.PaymentEvents, asaas.EventPaymentReceivedInCashUndone))
}

func TestWebhookEventKey(t *testing.T) {
	withID, err := asaas.ParseWebhook(readTestdata(t, "webhook-bill-paid.json"))
	require.NoError(t, err)
	assert.Equal(t, "evt_05b708f961d739ea7eba7e4db318f621&368604920", withID.Key())

	body := readTestdata(t, "webhook-payment-received.json")
	noID, err := asaas.ParseWebhook(body)
	require.NoError(t, err)
	again, err := asaas.ParseWebhook(slices.Clone(body))
	require.NoError(t, err)
	assert.Regexp(t, `^sha256:[0-9a-f]{64}$`, noID.Key())
	assert.Equal(t, noID.Key(), again.Key(), "a redelivery of the same body has the same key")

	other, err := asaas.ParseWebhook([]byte(strings.Replace(string(body), "PAYMENT_RECEIVED", "PAYMENT_CONFIRMED", 1)))
	require.NoError(t, err)
	assert.NotEqual(t, noID.Key(), other.Key())
}

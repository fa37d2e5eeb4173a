package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type storedEvent struct {
	key, eventType, status string
	minute                 int // received at(minute)
}

// storeWebhookEvent records a delivery as the receiver and the contract workflow do.
func (e *apiEnv) storeWebhookEvent(t *testing.T, accountID uuid.UUID, ev storedEvent) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	payment := "pay_" + ev.key
	raw, err := json.Marshal(map[string]any{"id": ev.key, "event": ev.eventType, "dateCreated": "2026-07-24 12:00:00",
		"payment": map[string]any{"id": payment, "value": 29.16, "status": "RECEIVED"}})
	require.NoError(t, err)
	_, err = dbgen.New(e.pool).InsertWebhookEvent(ctx, dbgen.InsertWebhookEventParams{AccountID: accountID, EventKey: ev.key,
		AsaasEventID: &ev.key, EventType: ev.eventType, PaymentID: &payment, Status: "received", Raw: raw})
	require.NoError(t, err)
	if ev.status != "received" {
		reason := "because " + ev.status
		_, err := dbgen.New(e.pool).SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: accountID, EventKey: ev.key, Status: ev.status, Reason: &reason})
		require.NoError(t, err)
	}
	var id uuid.UUID
	require.NoError(t, e.pool.QueryRow(ctx, "UPDATE webhook_events SET received_at = $3 WHERE account_id = $1 AND event_key = $2 RETURNING id",
		accountID, ev.key, at(ev.minute)).Scan(&id))
	return id
}

// walk follows next_cursor from path (which has a ?) and returns every item, in order.
func (e *apiEnv) walk(t *testing.T, token, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 50, "pagination ends")
		l := e.must(t, http.StatusOK, token, "GET", path+cursor, nil)
		for _, d := range l["data"].([]any) {
			out = append(out, d.(map[string]any))
		}
		if l["next_cursor"] == nil {
			return out
		}
		cursor = "&cursor=" + l["next_cursor"].(string)
	}
}

// sameInstant compares a JSON timestamp with want whatever zone it is written in.
func sameInstant(t *testing.T, want time.Time, got any) {
	t.Helper()
	s, ok := got.(string)
	require.True(t, ok, "a timestamp: %v", got)
	parsed, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	assert.True(t, want.Equal(parsed), "want %s, got %s", want, s)
}

func field(items []map[string]any, name string) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it[name]
	}
	return out
}

func TestWebhookEventsList(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	other := e.account(t, "Rival", true)
	events := []storedEvent{
		{"evt_1", "PAYMENT_CREATED", "processed", 1},
		{"evt_2", "PAYMENT_RECEIVED", "processed", 2},
		{"evt_3", "PAYMENT_RECEIVED", "ignored", 3},
		{"evt_4", "BILL_PAID", "processed", 4},
		{"evt_5", "PAYMENT_RECEIVED", "failed", 5},
		{"evt_6", "PAYMENT_OVERDUE", "received", 6},
	}
	ids := map[string]uuid.UUID{}
	for _, ev := range events {
		ids[ev.key] = e.storeWebhookEvent(t, u.AccountID, ev)
	}
	e.storeWebhookEvent(t, other.AccountID, storedEvent{"evt_rival", "PAYMENT_RECEIVED", "processed", 10})

	cases := []struct {
		name  string
		query string
		keys  []any
	}{
		{"all, newest first", "", []any{"evt_6", "evt_5", "evt_4", "evt_3", "evt_2", "evt_1"}},
		{"by type", "&type=PAYMENT_RECEIVED", []any{"evt_5", "evt_3", "evt_2"}},
		{"by status", "&status=processed", []any{"evt_4", "evt_2", "evt_1"}},
		{"by type and status", "&type=PAYMENT_RECEIVED&status=ignored", []any{"evt_3"}},
		{"type is exact", "&type=payment_received", []any{}},
	}
	for _, tc := range cases {
		for _, limit := range []string{"1", "2", "200"} {
			t.Run(tc.name+" limit "+limit, func(t *testing.T) {
				got := e.walk(t, u.Token, "/v1/webhook-events?limit="+limit+tc.query)
				assert.Equal(t, tc.keys, field(got, "event_key"))
			})
		}
	}

	t.Run("an item: fields and the raw body as an object", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/webhook-events/"+ids["evt_3"].String(), nil)
		assert.Equal(t, ids["evt_3"].String(), got["id"])
		assert.Equal(t, "evt_3", got["asaas_event_id"])
		assert.Equal(t, "PAYMENT_RECEIVED", got["event_type"])
		assert.Equal(t, "pay_evt_3", got["payment_id"])
		assert.Equal(t, "ignored", got["status"])
		assert.Equal(t, "because ignored", got["reason"])
		sameInstant(t, at(3), got["received_at"])
		assert.NotNil(t, got["processed_at"])
		raw := got["raw"].(map[string]any)
		assert.Equal(t, "PAYMENT_RECEIVED", raw["event"])
		assert.Equal(t, 29.16, raw["payment"].(map[string]any)["value"])
		assert.Equal(t, got, e.walk(t, u.Token, "/v1/webhook-events?type=PAYMENT_RECEIVED&status=ignored")[0], "the list shows the same item")

		pending := e.must(t, http.StatusOK, u.Token, "GET", "/v1/webhook-events/"+ids["evt_6"].String(), nil)
		assert.Nil(t, pending["processed_at"])
		assert.Nil(t, pending["reason"])
	})

	t.Run("another account sees none of them", func(t *testing.T) {
		assert.Equal(t, []any{"evt_rival"}, field(e.walk(t, other.Token, "/v1/webhook-events?limit=1"), "event_key"))
		for _, id := range ids {
			assert.Equal(t, http.StatusNotFound, e.call(t, other.Token, "GET", "/v1/webhook-events/"+id.String(), nil).Code)
		}
	})

	bad := []struct{ name, path, field string }{
		{"unknown status", "/v1/webhook-events?status=done", "status"},
		{"limit too large", "/v1/webhook-events?limit=201", "limit"},
		{"foreign cursor", "/v1/webhook-events?cursor=abc", "cursor"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(t, u.Token, "GET", tc.path, nil)
			require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
			assert.Equal(t, tc.field, r.obj(t)["errors"].([]any)[0].(map[string]any)["field"])
		})
	}
	assert.Equal(t, http.StatusNotFound, e.call(t, u.Token, "GET", "/v1/webhook-events/not-a-uuid", nil).Code)
	assert.Equal(t, http.StatusNotFound, e.call(t, u.Token, "GET", "/v1/webhook-events/"+uuid.NewString(), nil).Code)
}

// storeBill records a bill and its status events as the bill tracker does: the
// latest event by date sets the status; every event is in the timeline.
func (e *apiEnv) storeBill(t *testing.T, accountID uuid.UUID, asaasID string, minute int, value string, statuses ...billEvent) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	q := dbgen.New(e.pool)
	latest := statuses[0]
	for _, s := range statuses {
		if s.minute > latest.minute {
			latest = s
		}
	}
	due := time.Date(2026, 8, 10, 0, 0, 0, 0, time.UTC)
	cancellable := latest.status == "PENDING"
	eventAt := at(latest.minute)
	params := dbgen.InsertBillParams{AccountID: accountID, AsaasBillID: asaasID, Status: latest.status,
		Value: decimal.NullDecimal{Decimal: dec(value), Valid: true}, DueDate: &due, CanBeCancelled: &cancellable, StatusEventAt: &eventAt}
	if latest.status == "PAID" {
		receipt := "https://sandbox.asaas.com/comprovantes/" + asaasID
		params.PaymentDate, params.TransactionReceiptUrl = &due, &receipt
	}
	if latest.status == "FAILED" {
		reason := "Saldo insuficiente"
		params.FailReasons = &reason
	}
	bill, err := q.InsertBill(ctx, params)
	require.NoError(t, err)
	_, err = e.pool.Exec(ctx, "UPDATE bills SET created_at = $2 WHERE id = $1", bill.ID, at(minute))
	require.NoError(t, err)
	for _, s := range statuses { // in arrival order, which need not be event order
		eventAt := at(s.minute)
		_, err := q.InsertBillStatus(ctx, dbgen.InsertBillStatusParams{AccountID: accountID, BillID: bill.ID, Status: s.status,
			AsaasEventID: "evt_" + asaasID + "_" + s.status, EventCreatedAt: &eventAt})
		require.NoError(t, err)
	}
	return bill.ID
}

type billEvent struct {
	status string
	minute int
}

func TestBills(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	other := e.account(t, "Rival", true)
	// PAID arrived before the older BANK_PROCESSING and PENDING events.
	paid := e.storeBill(t, u.AccountID, "bill_1", 1, "150.00", billEvent{"PAID", 30}, billEvent{"BANK_PROCESSING", 20}, billEvent{"PENDING", 10})
	failed := e.storeBill(t, u.AccountID, "bill_2", 2, "80.50", billEvent{"PENDING", 11}, billEvent{"FAILED", 21})
	pending := e.storeBill(t, u.AccountID, "bill_3", 3, "12.00", billEvent{"PENDING", 12})
	rival := e.storeBill(t, other.AccountID, "bill_rival", 4, "999.00", billEvent{"PAID", 40})

	for _, limit := range []string{"1", "2", "50"} {
		t.Run("newest first, limit "+limit, func(t *testing.T) {
			got := e.walk(t, u.Token, "/v1/bills?limit="+limit)
			assert.Equal(t, []any{pending.String(), failed.String(), paid.String()}, field(got, "id"))
			assert.Equal(t, []any{"PENDING", "FAILED", "PAID"}, field(got, "status"))
		})
	}
	filters := []struct {
		query string
		ids   []any
	}{
		{"status=PAID", []any{paid.String()}},
		{"status=failed", []any{failed.String()}},
		{"status=REFUNDED", []any{}},
	}
	for _, tc := range filters {
		t.Run("filter "+tc.query, func(t *testing.T) {
			assert.Equal(t, tc.ids, field(e.walk(t, u.Token, "/v1/bills?limit=1&"+tc.query), "id"))
		})
	}

	t.Run("a bill with its timeline in event order", func(t *testing.T) {
		got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/bills/"+paid.String(), nil)
		assert.Equal(t, "bill_1", got["asaas_bill_id"])
		assert.Equal(t, "PAID", got["status"])
		assert.Equal(t, "150.00", got["value"])
		assert.Equal(t, "2026-08-10", got["due_date"])
		assert.Equal(t, "2026-08-10", got["payment_date"])
		assert.Equal(t, "https://sandbox.asaas.com/comprovantes/bill_1", got["transaction_receipt_url"])
		assert.Equal(t, false, got["can_be_cancelled"])
		sameInstant(t, at(30), got["status_event_at"])
		timeline := got["timeline"].([]any)
		require.Len(t, timeline, 3)
		var statuses []string
		for _, it := range timeline {
			statuses = append(statuses, it.(map[string]any)["status"].(string))
			assert.NotEmpty(t, it.(map[string]any)["received_at"])
		}
		assert.Equal(t, []string{"PENDING", "BANK_PROCESSING", "PAID"}, statuses)
		assert.Equal(t, "evt_bill_1_PENDING", timeline[0].(map[string]any)["asaas_event_id"])
		sameInstant(t, at(10), timeline[0].(map[string]any)["event_created_at"])

		f := e.must(t, http.StatusOK, u.Token, "GET", "/v1/bills/"+failed.String(), nil)
		assert.Equal(t, "Saldo insuficiente", f["fail_reasons"])
		assert.Nil(t, f["transaction_receipt_url"])
		assert.Nil(t, f["payment_date"])
	})

	t.Run("another account's bills are not there", func(t *testing.T) {
		assert.Equal(t, http.StatusNotFound, e.call(t, u.Token, "GET", "/v1/bills/"+rival.String(), nil).Code)
		assert.Equal(t, []any{rival.String()}, field(e.walk(t, other.Token, "/v1/bills?limit=5"), "id"))
		for _, id := range []uuid.UUID{paid, failed, pending} {
			r := e.call(t, other.Token, "GET", "/v1/bills/"+id.String(), nil)
			assert.Equal(t, http.StatusNotFound, r.Code)
			assert.NotContains(t, r.String(), "bill_")
		}
	})
	assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, u.Token, "GET", "/v1/bills?limit=0", nil).Code)
}

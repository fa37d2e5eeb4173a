package activities_test

import (
	"testing"

	"billing/activities"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func paymentEvent(f *fixture, key, event, reference string) activities.WebhookEvent {
	return activities.WebhookEvent{AccountID: f.account.String(), EventKey: key, EventID: key, Event: event,
		Payment: &activities.PaymentData{ID: "pay_x", Status: "RECEIVED", Value: dec("10"), NetValue: dec("8.01"), ExternalReference: reference}}
}

func TestRouteWebhookEvent(t *testing.T) {
	f := newFixture(t, "10.00", "10.00")
	ours := domain.ChargeReference(f.contract.String(), 2)
	cases := []struct {
		name       string
		prepare    func()
		ev         activities.WebhookEvent
		route      string
		status     string
		reasonPart string
	}{
		{"draft contract", func() {}, paymentEvent(f, "e1", "PAYMENT_RECEIVED", ours), activities.RouteDone, "ignored", "is draft"},
		{"active contract", func() { f.activate() }, paymentEvent(f, "e2", "PAYMENT_RECEIVED", ours), activities.RouteContract, "received", ""},
		{"foreign payment", func() {}, paymentEvent(f, "e3", "PAYMENT_RECEIVED", ""), activities.RouteDone, "ignored", "not created by billing"},
		{"unknown contract", func() {}, paymentEvent(f, "e4", "PAYMENT_RECEIVED", domain.ChargeReference("7c9e6679-7425-40de-944b-e07fc1f90ae7", 1)), activities.RouteDone, "ignored", "does not exist"},
		{"unknown event type", func() {}, activities.WebhookEvent{AccountID: f.account.String(), EventKey: "e5", Event: "TRANSFER_DONE"}, activities.RouteDone, "ignored", "not handled"},
		{"unreadable payment", func() {}, activities.WebhookEvent{AccountID: f.account.String(), EventKey: "e6", Event: "PAYMENT_RECEIVED"}, activities.RouteDone, "ignored", "readable"},
		{"billing disabled", func() {
			_, err := dbgen.New(f.pool).SetAccountBillingEnabled(t.Context(), dbgen.SetAccountBillingEnabledParams{ID: f.account, BillingEnabled: false})
			require.NoError(t, err)
		}, paymentEvent(f, "e7", "PAYMENT_RECEIVED", ours), activities.RouteDone, "ignored", "disabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.prepare()
			f.storeEvent(tc.ev.EventKey, tc.ev.Event)
			var route activities.EventRoute
			require.NoError(t, f.run(f.acts.RouteWebhookEvent, tc.ev, &route))
			assert.Equal(t, tc.route, route.Route)
			status, reason := f.eventStatus(tc.ev.EventKey)
			assert.Equal(t, tc.status, status)
			assert.Contains(t, reason, tc.reasonPart)
			if tc.route == activities.RouteContract {
				assert.Equal(t, f.contract.String(), route.ContractID)
				assert.Equal(t, 2, route.InstallmentNumber)
			}
		})
	}
}

func billEvent(f *fixture, key, event, status, dateCreated string) activities.WebhookEvent {
	return activities.WebhookEvent{AccountID: f.account.String(), EventKey: key, EventID: key, Event: event, DateCreated: dateCreated,
		Bill: &activities.BillData{ID: "f1bce822-6f37-4905-8de8-f1af9f2f4bab", Status: status, Value: dec("29.90"), DueDate: "2020-01-31"}}
}

func TestBillTrackerNeverMovesBackwards(t *testing.T) {
	f := newFixture(t, "10.00")
	events := []activities.WebhookEvent{
		billEvent(f, "b1", "BILL_CREATED", "PENDING", "2024-06-12 16:40:00"),
		billEvent(f, "b3", "BILL_PAID", "PAID", "2024-06-12 16:45:03"),
		billEvent(f, "b2", "BILL_BANK_PROCESSING", "BANK_PROCESSING", "2024-06-12 16:42:00"), // late
		billEvent(f, "b3", "BILL_PAID", "PAID", "2024-06-12 16:45:03"),                       // duplicate delivery
		billEvent(f, "b4", "BILL_REFUNDED", "REFUNDED", "2024-06-13 09:00:00"),
	}
	var statuses []string
	for _, ev := range events {
		f.storeEvent(ev.EventKey, ev.Event)
		require.NoError(t, f.run(f.acts.RouteWebhookEvent, ev, nil))
		var s string
		require.NoError(t, f.pool.QueryRow(t.Context(), `SELECT status FROM bills WHERE account_id=$1`, f.account).Scan(&s))
		statuses = append(statuses, s)
	}
	assert.Equal(t, []string{"PENDING", "PAID", "PAID", "PAID", "REFUNDED"}, statuses)
	assert.Equal(t, 4, f.count(`SELECT count(*) FROM bill_status_history WHERE account_id=$1`, f.account), "the late event is in the timeline, the duplicate is not")
	_, reason := f.eventStatus("b2")
	assert.Contains(t, reason, "stays PAID")
}

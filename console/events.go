package console

import (
	"net/http"
	"net/url"
	"time"
)

// The records pages: the audit trail, the Asaas webhook deliveries with what became
// of each (processed, ignored and why, failed), and the bill tracker.

func auditTrail(x *exchange) error {
	var page listPage[auditEvent]
	if err := x.get("/v1/audit-events?"+x.query("contract_id", "entity_type", "action").Encode(), &page); err != nil {
		return err
	}
	users, err := x.userNames()
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "audit", &view{Title: "Audit trail", Nav: "audit", Data: map[string]any{
		"Events": page.Data, "Users": users, "Next": x.nextURL(page.NextCursor), "Filters": x.filters()}})
	return nil
}

func listWebhookEvents(x *exchange) error {
	var page listPage[webhookEvent]
	if err := x.get("/v1/webhook-events?"+x.query("type", "status").Encode(), &page); err != nil {
		return err
	}
	x.render(http.StatusOK, "webhook_events", &view{Title: "Webhook events", Nav: "webhooks", Data: map[string]any{
		"Events": page.Data, "Next": x.nextURL(page.NextCursor), "Filters": x.filters(),
		"Statuses": []string{"received", "processed", "ignored", "failed", "rejected"}}})
	return nil
}

func showWebhookEvent(x *exchange) error {
	var e webhookEvent
	if err := x.get("/v1/webhook-events/"+url.PathEscape(x.r.PathValue("id")), &e); err != nil {
		return err
	}
	x.render(http.StatusOK, "webhook_event", &view{Title: e.EventType, Nav: "webhooks", Data: e})
	return nil
}

type bill struct {
	ID                    string     `json:"id"`
	AsaasBillID           string     `json:"asaas_bill_id"`
	Status                string     `json:"status"`
	Value                 *string    `json:"value"`
	DueDate               *string    `json:"due_date"`
	PaymentDate           *string    `json:"payment_date"`
	TransactionReceiptURL *string    `json:"transaction_receipt_url"`
	FailReasons           *string    `json:"fail_reasons"`
	CanBeCancelled        *bool      `json:"can_be_cancelled"`
	StatusEventAt         *time.Time `json:"status_event_at"`
	CreatedAt             time.Time  `json:"created_at"`
	Timeline              []struct {
		Status         string     `json:"status"`
		AsaasEventID   string     `json:"asaas_event_id"`
		EventCreatedAt *time.Time `json:"event_created_at"`
		ReceivedAt     time.Time  `json:"received_at"`
	} `json:"timeline"`
}

func listBills(x *exchange) error {
	var page listPage[bill]
	if err := x.get("/v1/bills?"+x.query("status").Encode(), &page); err != nil {
		return err
	}
	x.render(http.StatusOK, "bills", &view{Title: "Bills", Nav: "bills", Data: map[string]any{
		"Bills": page.Data, "Next": x.nextURL(page.NextCursor), "Filters": x.filters()}})
	return nil
}

func showBill(x *exchange) error {
	var b bill
	if err := x.get("/v1/bills/"+url.PathEscape(x.r.PathValue("id")), &b); err != nil {
		return err
	}
	x.render(http.StatusOK, "bill", &view{Title: "Bill " + b.AsaasBillID, Nav: "bills", Data: b})
	return nil
}

package api

import (
	"strings"

	"billing/activities"
	"billing/asaas"
	"billing/domain"
)

// webhookEvent reduces a parsed Asaas webhook to what the event workflow needs:
// ids, event, amounts, dates and statuses. Free text (descriptions, company
// names), card data and foreign externalReferences stay out of Temporal; the raw
// body is kept in PostgreSQL.
func webhookEvent(accountID string, ev asaas.WebhookEvent) activities.WebhookEvent {
	out := activities.WebhookEvent{
		AccountID: accountID, EventKey: ev.Key(), EventID: ev.ID, Event: ev.Event, DateCreated: ev.DateCreated,
	}
	if p := ev.Payment; p != nil {
		pd := &activities.PaymentData{
			ID: p.ID, Status: p.Status, BillingType: p.BillingType,
			Value: p.Value.Decimal, NetValue: p.NetValue.Decimal,
			DueDate: p.DueDate.String(), PaymentDate: p.PaymentDate.String(),
			ClientPaymentDate: p.ClientPaymentDate.String(), Deleted: p.Deleted,
		}
		if d, ok := p.ConfirmedDate.Get(); ok {
			pd.ConfirmedDate = d.String()
		}
		pd.FromLink = p.PaymentLink != nil && *p.PaymentLink != ""
		if _, _, ours := domain.ParseChargeReference(p.ExternalRef()); ours {
			pd.ExternalReference = p.ExternalRef()
		}
		out.Payment = pd
	}
	if b := ev.Bill; b != nil {
		bd := &activities.BillData{
			ID: b.ID, Status: b.Status, Value: b.Value.Decimal, Fee: b.Fee.Decimal,
			DueDate: b.DueDate.String(), ScheduleDate: b.ScheduleDate.String(), PaymentDate: b.PaymentDate.String(),
			FailReasons: strings.Join(b.FailReasons, "; "), CanBeCancelled: b.CanBeCancelled,
		}
		if b.TransactionReceiptURL != nil {
			bd.TransactionReceiptURL = *b.TransactionReceiptURL
		}
		out.Bill = bd
	}
	return out
}

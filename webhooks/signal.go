package webhooks

import (
	"billing/asaas"
	"billing/workflows"

	"github.com/google/uuid"
)

// signalOf reduces a payment event to what the contract decides on: ids, event,
// amounts, dates and statuses. Free text (descriptions, names), card data and the
// externalReference stay out of Temporal; the raw body is kept in PostgreSQL.
func signalOf(acct uuid.UUID, key string, ev asaas.WebhookEvent, installment int) workflows.PaymentEvent {
	p := ev.Payment
	gp := workflows.GatewayPayment{
		ID: p.ID, Status: p.Status, BillingType: p.BillingType, Value: p.Value.Decimal, NetValue: p.NetValue.Decimal,
		PaymentDate: p.PaymentDate.String(), ClientPaymentDate: p.ClientPaymentDate.String(), Deleted: p.Deleted,
		FromLink: p.PaymentLink != nil && *p.PaymentLink != "", DueDate: p.DueDate.String(),
	}
	if d, ok := p.ConfirmedDate.Get(); ok {
		gp.ConfirmedDate = d.String()
	}
	return workflows.PaymentEvent{EventKey: key, Event: ev.Event, AccountID: acct.String(), InstallmentNumber: installment, Payment: gp}
}

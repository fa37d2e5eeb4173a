package activities

import (
	"context"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/shopspring/decimal"
)

// ReceiveInCash marks a charge as received outside the gateway at Asaas (which
// cancels its Asaas split). When the call fails, the charge's current state
// decides: already received in cash (an earlier attempt's answer was lost) is
// success; paid through Asaas means the customer paid first, and the caller
// records that payment instead.
func (a *Activities) ReceiveInCash(ctx context.Context, in ReceiveInCashInput) (GatewayOutcome, error) {
	acct, _, err := in.ids()
	if err != nil {
		return GatewayOutcome{}, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return GatewayOutcome{}, err
	}
	_, callErr := cl.ReceiveInCash(ctx, in.AsaasPaymentID, asaas.ReceiveInCashRequest{
		PaymentDate: asaas.DateOf(parseDay(in.PaidOn)), Value: asaas.NewNumber(in.Amount), NotifyCustomer: false})
	if callErr == nil {
		return GatewayOutcome{Outcome: OutcomeDone}, nil
	}
	if asaas.IsRetryable(callErr) {
		return GatewayOutcome{}, gatewayError(callErr)
	}
	p, err := cl.GetPayment(ctx, in.AsaasPaymentID)
	switch {
	case asaas.IsRetryable(err):
		// The refusal is only understood once the charge is read: a failed read is
		// retried, never turned into the refusal (a 422 for a charge the customer
		// paid a moment before, which must be a 409).
		return GatewayOutcome{}, gatewayError(err)
	case err != nil:
		return GatewayOutcome{}, gatewayError(callErr)
	}
	switch p.Status {
	case asaas.StatusReceivedInCash:
		return GatewayOutcome{Outcome: OutcomeAlreadyDone}, nil
	case asaas.StatusReceived, asaas.StatusConfirmed:
		return GatewayOutcome{Outcome: OutcomePaidAtGateway, Payment: paymentInfo(p)}, nil
	}
	return GatewayOutcome{}, gatewayError(callErr)
}

// DeleteCharge deletes an open charge at Asaas and records it. A charge already
// deleted (or unknown to Asaas) is not an error; a charge the customer already
// paid is reported so the caller keeps it as paid.
func (a *Activities) DeleteCharge(ctx context.Context, in DeleteChargeInput) (GatewayOutcome, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return GatewayOutcome{}, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return GatewayOutcome{}, err
	}
	outcome := OutcomeDone
	if _, callErr := cl.DeletePayment(ctx, in.AsaasPaymentID); callErr != nil {
		if asaas.IsRetryable(callErr) {
			return GatewayOutcome{}, gatewayError(callErr)
		}
		p, err := cl.GetPayment(ctx, in.AsaasPaymentID)
		switch {
		case asaas.IsNotFound(err):
			outcome = OutcomeChargeNotFound
		case asaas.IsRetryable(err):
			// The refusal is only understood once the charge is read: a failed read
			// is retried, never turned into the refusal (which would stop the cancel).
			return GatewayOutcome{}, gatewayError(err)
		case err != nil:
			return GatewayOutcome{}, gatewayError(callErr)
		case p.Deleted:
			outcome = OutcomeAlreadyDone
		case p.Status == asaas.StatusReceived || p.Status == asaas.StatusConfirmed || p.Status == asaas.StatusReceivedInCash:
			return GatewayOutcome{Outcome: OutcomePaidAtGateway, Payment: paymentInfo(p)}, nil
		default:
			return GatewayOutcome{}, gatewayError(callErr)
		}
	}
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.SetChargeDeleted(ctx, dbgen.SetChargeDeletedParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Deleted: true})
		if err != nil || n == 0 {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "charge.deleted", entityType: "contract",
			entityID: &cid, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID, "outcome": outcome}})
	})
	return GatewayOutcome{Outcome: outcome}, err
}

func paymentInfo(p asaas.Payment) *GatewayPaymentInfo {
	paid := p.PaymentDate
	if paid.IsZero() {
		paid = p.ClientPaymentDate
	}
	if d, ok := p.ConfirmedDate.Get(); paid.IsZero() && ok {
		paid = d
	}
	refunded, _ := p.RefundedValue() // unreadable refunds[]: nothing concluded from them
	if refunded.IsZero() {
		refunded = decimal.Zero
	}
	return &GatewayPaymentInfo{ID: p.ID, Status: p.Status, Value: p.Value.Decimal, NetValue: p.NetValue.Decimal, PaymentDate: paid.String(),
		BillingType: p.BillingType, Deleted: p.Deleted, FromLink: p.PaymentLink != nil && *p.PaymentLink != "",
		DueDate: p.DueDate.String(), Refunded: refunded}
}

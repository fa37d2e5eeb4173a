package activities

import (
	"context"
	"fmt"

	"billing/asaas"
	"billing/domain"

	"golang.org/x/sync/errgroup"
)

// Gateway truth (docs/architecture.md): a webhook is a notification, Asaas is the
// truth about money. These activities ask it.

// VerifyPaymentInput asks Asaas whether a payment event's claim holds.
type VerifyPaymentInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
	ChargeID       string // the installment's own charge
	Event          string // what the event claims: a payment, or a refund (PAYMENT_REFUNDED)
	// Life: the contract takes the claims of the charge's life (holds, partial
	// refunds, an undone cash receipt, a changed charge: wantedStatuses). Runs
	// older than that send false and are answered as before (a refund only when
	// Asaas says REFUNDED).
	Life bool `json:",omitempty"`
}

// PaymentVerdict is what Asaas says: the payment as it stands there when it
// confirms the claim, or why not.
type PaymentVerdict struct {
	Confirmed bool
	Reason    string              `json:",omitempty"`
	Payment   *GatewayPaymentInfo `json:",omitempty"`
}

// VerifyPayment reads the payment at Asaas (GET /v3/payments/{id}, the account's
// key) and confirms the event's claim only when the payment is this
// installment's (its own charge, or a payment whose externalReference is the
// installment's: a payment link tied to it), is not deleted, and is in the state
// the event claims: received or confirmed, or refunded for a refund.
func (a *Activities) VerifyPayment(ctx context.Context, in VerifyPaymentInput) (PaymentVerdict, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return PaymentVerdict{}, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return PaymentVerdict{}, err
	}
	p, err := cl.GetPayment(ctx, in.AsaasPaymentID)
	switch {
	case asaas.IsNotFound(err):
		return PaymentVerdict{Reason: fmt.Sprintf("Asaas does not know payment %s", in.AsaasPaymentID)}, nil
	case err != nil:
		return PaymentVerdict{}, gatewayError(err)
	}
	ref := domain.ChargeReference(cid.String(), in.Number)
	switch {
	case p.ID != in.ChargeID && p.ExternalRef() != ref:
		return PaymentVerdict{Reason: fmt.Sprintf("payment %s at Asaas is not installment %d's (externalReference %q)", p.ID, in.Number, p.ExternalRef())}, nil
	case p.Deleted:
		return PaymentVerdict{Reason: fmt.Sprintf("payment %s is deleted at Asaas", p.ID)}, nil
	}
	want := map[string]bool{asaas.StatusReceived: true, asaas.StatusConfirmed: true, asaas.StatusReceivedInCash: true}
	if in.Event == asaas.EventPaymentRefunded {
		want = map[string]bool{asaas.StatusRefunded: true}
	}
	if in.Life {
		want = wantedStatuses(in.Event)
	}
	info := paymentInfo(p)
	if in.Life && isRefundEvent(in.Event) && (p.Status == asaas.StatusReceived || p.Status == asaas.StatusConfirmed) {
		if info.Refunded.IsPositive() {
			return PaymentVerdict{Confirmed: true, Payment: info}, nil // refunded in part
		}
		return PaymentVerdict{Reason: fmt.Sprintf("Asaas says payment %s is %s with nothing refunded", p.ID, p.Status)}, nil
	}
	if !want[p.Status] {
		return PaymentVerdict{Reason: fmt.Sprintf("Asaas says payment %s is %s", p.ID, p.Status)}, nil
	}
	return PaymentVerdict{Confirmed: true, Payment: info}, nil
}

// wantedStatuses are the statuses at Asaas that confirm an event's claim: a
// payment (or a won chargeback, a denied refund: paid again), a refund (whole:
// REFUNDED; in part: still paid with refunds[] — isRefundEvent), a chargeback
// open, a refund in progress, a cash receipt undone or a charge changed (the
// charge waits for payment again).
func wantedStatuses(event string) map[string]bool {
	switch {
	case isRefundEvent(event):
		return map[string]bool{asaas.StatusRefunded: true}
	}
	switch event {
	case asaas.EventPaymentChargebackRequested, asaas.EventPaymentChargebackDispute, asaas.EventPaymentAwaitingChargebackReversal:
		return map[string]bool{asaas.StatusChargebackRequested: true, asaas.StatusChargebackDispute: true, asaas.StatusAwaitingChargebackReversal: true}
	case asaas.EventPaymentRefundInProgress:
		return map[string]bool{asaas.StatusRefundInProgress: true, asaas.StatusRefundRequested: true}
	case asaas.EventPaymentReceivedInCashUndone, asaas.EventPaymentUpdated:
		return map[string]bool{asaas.StatusPending: true, asaas.StatusOverdue: true}
	}
	return map[string]bool{asaas.StatusReceived: true, asaas.StatusConfirmed: true, asaas.StatusReceivedInCash: true}
}

func isRefundEvent(event string) bool {
	return event == asaas.EventPaymentRefunded || event == asaas.EventPaymentPartiallyRefunded
}

// CheckInstallmentsInput names the installments to ask Asaas about.
type CheckInstallmentsInput struct {
	ContractRef
	Installments []InstallmentToCheck
}

// InstallmentToCheck is one installment and its own charge ("" when none).
type InstallmentToCheck struct {
	Number   int
	ChargeID string
}

// FoundPayment is one payment Asaas holds for an installment.
type FoundPayment struct {
	Number  int
	Payment GatewayPaymentInfo
}

// CheckInstallments asks Asaas for every payment of the installments (listed by
// their externalReference, which finds payments made through a tied payment
// link and stray charges of ours too) and reads each own charge that the list
// leaves out (a deleted one), a few installments at a time.
func (a *Activities) CheckInstallments(ctx context.Context, in CheckInstallmentsInput) ([]FoundPayment, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return nil, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return nil, err
	}
	found := make([][]FoundPayment, len(in.Installments))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, inst := range in.Installments {
		g.Go(func() error {
			ps, err := cl.ListAllPayments(gctx, asaas.PaymentFilter{ExternalReference: domain.ChargeReference(cid.String(), inst.Number)})
			if err != nil {
				return gatewayError(err)
			}
			listed := false
			for _, p := range ps {
				found[i] = append(found[i], FoundPayment{Number: inst.Number, Payment: *paymentInfo(p)})
				listed = listed || p.ID == inst.ChargeID
			}
			if inst.ChargeID == "" || listed {
				return nil
			}
			p, err := cl.GetPayment(gctx, inst.ChargeID)
			switch {
			case asaas.IsNotFound(err):
				return nil
			case err != nil:
				return gatewayError(err)
			}
			found[i] = append(found[i], FoundPayment{Number: inst.Number, Payment: *paymentInfo(p)})
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []FoundPayment
	for _, f := range found {
		out = append(out, f...)
	}
	return out, nil
}

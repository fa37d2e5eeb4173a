package asaas

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopspring/decimal"
)

// The life of a charge after it is issued: changing it (PUT /v3/payments/{id}),
// refunding it in full or in part (POST /v3/payments/{id}/refund), reading its
// refunds[] and its split[] statuses.

// Payment events that public integrations of Asaas handle but seed 001 (the
// webhook documentation this product follows) does not list. Handled like their
// documented siblings; the verification GET decides what they mean.
const (
	// EventPaymentPartiallyRefunded: a refund of part of the value (the payment's
	// refunds[] says how much).
	EventPaymentPartiallyRefunded = "PAYMENT_PARTIALLY_REFUNDED"
	// EventPaymentRefundDenied: a refund in progress that did not happen.
	EventPaymentRefundDenied = "PAYMENT_REFUND_DENIED"
)

// UpdatePaymentRequest changes a charge that is still waiting for payment (PUT
// /v3/payments/{id}). Zero fields are not sent.
type UpdatePaymentRequest struct {
	Value   Number `json:"value,omitzero"`
	DueDate Date   `json:"dueDate,omitzero"`
}

// UpdatePayment changes a PENDING or OVERDUE charge's value and/or due date.
// Asaas answers with the charge as it now is and sends PAYMENT_UPDATED.
func (c *Client) UpdatePayment(ctx context.Context, id string, req UpdatePaymentRequest) (Payment, error) {
	return c.paymentCall(ctx, "update payment", http.MethodPut, id, "", req)
}

// RefundRequest refunds a received charge (POST /v3/payments/{id}/refund): the
// whole value when Value is zero, else that part of it.
type RefundRequest struct {
	Value       Number `json:"value,omitzero"`
	Description string `json:"description,omitempty"`
}

// RefundPayment refunds a charge in full or in part.
func (c *Client) RefundPayment(ctx context.Context, id string, req RefundRequest) (Payment, error) {
	return c.paymentCall(ctx, "refund payment", http.MethodPost, id, "/refund", req)
}

// Refund is one item of a payment's refunds[] (docs.asaas.com, "Refunds":
// dateCreated, status PENDING | CANCELLED | DONE, value, description,
// transactionReceiptUrl). Unknown keys are ignored.
type Refund struct {
	DateCreated string  `json:"dateCreated"`
	Status      string  `json:"status"`
	Value       Number  `json:"value"`
	Description *string `json:"description"`
}

// Refund statuses.
const (
	RefundPending   = "PENDING"
	RefundCancelled = "CANCELLED"
	RefundDone      = "DONE"
)

// RefundList reads the payment's refunds[] (null or absent: none).
func (p Payment) RefundList() ([]Refund, error) {
	if len(p.Refunds) == 0 || string(p.Refunds) == "null" {
		return nil, nil
	}
	var out []Refund
	if err := json.Unmarshal(p.Refunds, &out); err != nil {
		return nil, fmt.Errorf("asaas: payment %s: unreadable refunds: %w", p.ID, err)
	}
	return out, nil
}

// RefundedValue is what Asaas has refunded of the payment: the sum of its DONE
// refunds, or its whole value when its status is REFUNDED and refunds[] says less
// (a refund Asaas made without listing it). Never more than the value.
func (p Payment) RefundedValue() (decimal.Decimal, error) {
	refunds, err := p.RefundList()
	if err != nil {
		return decimal.Zero, err
	}
	sum := decimal.Zero
	for _, r := range refunds {
		if r.Status == RefundDone {
			sum = sum.Add(r.Value.Decimal)
		}
	}
	if p.Status == StatusRefunded || sum.GreaterThan(p.Value.Decimal) {
		sum = p.Value.Decimal
	}
	return sum, nil
}

// Split statuses (Asaas's public OpenAPI enum, plus REFUSED, which the seed's
// refusalReason implies): DONE is paid to the wallet; PENDING, PROCESSING and
// AWAITING_CREDIT are not final yet; the others never pay the wallet.
const (
	SplitPending                  = "PENDING"
	SplitProcessing               = "PROCESSING"
	SplitAwaitingCredit           = "AWAITING_CREDIT"
	SplitDone                     = "DONE"
	SplitCancelled                = "CANCELLED"
	SplitRefused                  = "REFUSED"
	SplitRefunded                 = "REFUNDED"
	SplitBlockedByValueDivergence = "BLOCKED_BY_VALUE_DIVERGENCE"
)

// SplitOutcome is what a split's status says about the wallet's money.
type SplitOutcome int

const (
	SplitWaiting  SplitOutcome = iota // PENDING, PROCESSING, AWAITING_CREDIT: not decided yet
	SplitPaid                         // DONE: the wallet got it
	SplitNotPaid                      // CANCELLED, REFUSED, BLOCKED_*: the wallet will not get it
	SplitRefundOf                     // REFUNDED: the payment's refund took it back (the refund path)
	SplitUnknown                      // a status this client does not know: nothing is concluded
)

// OutcomeOfSplit classifies a split status.
func OutcomeOfSplit(status string) SplitOutcome {
	switch {
	case status == SplitDone:
		return SplitPaid
	case status == SplitPending || status == SplitProcessing || status == SplitAwaitingCredit:
		return SplitWaiting
	case status == SplitCancelled || status == SplitRefused || strings.HasPrefix(status, "BLOCKED"):
		return SplitNotPaid
	case status == SplitRefunded:
		return SplitRefundOf
	}
	return SplitUnknown
}

package asaas

import (
	"context"
	"encoding/json"
	"net/http"
)

// Installment is an installment plan ("parcelamento"). Value is the plan's
// total, PaymentValue the value of its LAST parcel (which absorbs the
// rounding remainder), NetValue the sum of the parcels' net values.
type Installment struct {
	Object                string          `json:"object"`
	ID                    string          `json:"id"`
	Value                 Number          `json:"value"`
	NetValue              Number          `json:"netValue"`
	PaymentValue          Number          `json:"paymentValue"`
	InstallmentCount      int             `json:"installmentCount"`
	BillingType           string          `json:"billingType"`
	PaymentDate           Date            `json:"paymentDate"`
	Description           *string         `json:"description"`
	ExpirationDay         int             `json:"expirationDay"`
	Deleted               bool            `json:"deleted"`
	DateCreated           Date            `json:"dateCreated"`
	CheckoutSession       *string         `json:"checkoutSession"`
	Customer              string          `json:"customer"`
	PaymentLink           *string         `json:"paymentLink"`
	TransactionReceiptURL *string         `json:"transactionReceiptUrl"`
	CreditCard            *CreditCard     `json:"creditCard"`
	Refunds               json.RawMessage `json:"refunds,omitempty"`
}

// InstallmentRequest creates an installment plan (POST /v3/installments).
// Send TotalValue to have Asaas split it (every parcel truncated to the cent,
// the last one takes the remainder), or Value as the per-parcel amount.
// Note the endpoint's own names: splits (not split) and
// paymentExternalReference (set on every parcel).
type InstallmentRequest struct {
	Customer                 string    `json:"customer,omitempty"`
	BillingType              string    `json:"billingType,omitempty"`
	InstallmentCount         int       `json:"installmentCount,omitempty"`
	TotalValue               *Number   `json:"totalValue,omitempty"`
	Value                    *Number   `json:"value,omitempty"`
	DueDate                  Date      `json:"dueDate,omitzero"`
	Description              string    `json:"description,omitempty"`
	PaymentExternalReference string    `json:"paymentExternalReference,omitempty"`
	PostalService            *bool     `json:"postalService,omitempty"`
	Discount                 *Discount `json:"discount,omitempty"`
	Interest                 *Interest `json:"interest,omitempty"`
	Fine                     *Fine     `json:"fine,omitempty"`
	Splits                   []Split   `json:"splits,omitempty"`
}

// CreateInstallment creates an installment plan and its parcels.
func (c *Client) CreateInstallment(ctx context.Context, req InstallmentRequest) (Installment, error) {
	var in Installment
	err := c.do(ctx, "create installment", http.MethodPost, "/v3/installments", nil, req, &in)
	return in, err
}

// ListInstallmentPayments returns one page of a plan's parcels, newest
// (last parcel) first. Offset and Limit are used; other fields ignored.
func (c *Client) ListInstallmentPayments(ctx context.Context, installmentID string, f PaymentFilter) (List[Payment], error) {
	var l List[Payment]
	seg, err := pathID("list installment payments", "installment", installmentID)
	if err != nil {
		return l, err
	}
	q := PaymentFilter{Offset: f.Offset, Limit: f.Limit}.values()
	err = c.do(ctx, "list installment payments", http.MethodGet, "/v3/installments/"+seg+"/payments", q, nil, &l)
	return l, err
}

// ListAllInstallmentPayments returns every parcel of a plan, newest first.
func (c *Client) ListAllInstallmentPayments(ctx context.Context, installmentID string) ([]Payment, error) {
	return listAll(ctx, 0, func(ctx context.Context, offset int) (List[Payment], error) {
		return c.ListInstallmentPayments(ctx, installmentID, PaymentFilter{Offset: offset, Limit: MaxLimit})
	})
}

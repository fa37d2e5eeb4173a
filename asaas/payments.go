package asaas

import (
	"context"
	"net/http"
	"net/url"
)

// PaymentRequest creates a charge (POST /v3/payments). With InstallmentCount
// (and TotalValue or InstallmentValue) Asaas creates an installment plan and
// answers with its first parcel. Empty fields are not sent: Asaas validates
// the request and names the first missing field.
type PaymentRequest struct {
	Customer          string    `json:"customer,omitempty"`
	BillingType       string    `json:"billingType,omitempty"`
	Value             Number    `json:"value,omitzero"`
	DueDate           Date      `json:"dueDate,omitzero"`
	Description       string    `json:"description,omitempty"`
	ExternalReference string    `json:"externalReference,omitempty"`
	InstallmentCount  int       `json:"installmentCount,omitempty"`
	TotalValue        *Number   `json:"totalValue,omitempty"`
	InstallmentValue  *Number   `json:"installmentValue,omitempty"`
	Discount          *Discount `json:"discount,omitempty"`
	Interest          *Interest `json:"interest,omitempty"`
	Fine              *Fine     `json:"fine,omitempty"`
	PostalService     *bool     `json:"postalService,omitempty"`
	Split             []Split   `json:"split,omitempty"`
}

// PaymentFilter narrows GET /v3/payments. Zero fields are not sent.
type PaymentFilter struct {
	Customer          string
	ExternalReference string
	Installment       string
	Subscription      string
	Status            string
	BillingType       string
	Offset            int
	Limit             int // Asaas' default is 10, its maximum MaxLimit
}

func (f PaymentFilter) values() url.Values {
	v := url.Values{}
	setString(v, "customer", f.Customer)
	setString(v, "externalReference", f.ExternalReference)
	setString(v, "installment", f.Installment)
	setString(v, "subscription", f.Subscription)
	setString(v, "status", f.Status)
	setString(v, "billingType", f.BillingType)
	setPage(v, f.Offset, f.Limit)
	return v
}

// ReceiveInCashRequest records a payment received outside Asaas. Asaas then
// cancels the charge's split: the payees must be paid by hand.
type ReceiveInCashRequest struct {
	PaymentDate    Date   `json:"paymentDate"`
	Value          Number `json:"value"`
	NotifyCustomer bool   `json:"notifyCustomer"`
}

// CreatePayment creates a charge. It is not idempotent; see EnsurePayment.
func (c *Client) CreatePayment(ctx context.Context, req PaymentRequest) (Payment, error) {
	var p Payment
	err := c.do(ctx, "create payment", http.MethodPost, "/v3/payments", nil, req, &p)
	return p, err
}

// GetPayment returns a charge; IsNotFound(err) when it does not exist.
func (c *Client) GetPayment(ctx context.Context, id string) (Payment, error) {
	return c.paymentCall(ctx, "get payment", http.MethodGet, id, "", nil)
}

// ListPayments returns one page of charges.
func (c *Client) ListPayments(ctx context.Context, f PaymentFilter) (List[Payment], error) {
	var l List[Payment]
	err := c.do(ctx, "list payments", http.MethodGet, "/v3/payments", f.values(), nil, &l)
	return l, err
}

// ListAllPayments follows the pages of a listing (f.Offset is the start and
// f.Limit the page size, MaxLimit when zero) and returns every charge, newest first.
func (c *Client) ListAllPayments(ctx context.Context, f PaymentFilter) ([]Payment, error) {
	if f.Limit <= 0 {
		f.Limit = MaxLimit
	}
	return listAll(ctx, f.Offset, func(ctx context.Context, offset int) (List[Payment], error) {
		f.Offset = offset
		return c.ListPayments(ctx, f)
	})
}

// DeletePayment removes a charge (DELETE /v3/payments/{id}).
func (c *Client) DeletePayment(ctx context.Context, id string) (Deleted, error) {
	var d Deleted
	seg, err := pathID("delete payment", "payment", id)
	if err != nil {
		return d, err
	}
	err = c.do(ctx, "delete payment", http.MethodDelete, "/v3/payments/"+seg, nil, nil, &d)
	return d, err
}

// RestorePayment brings back a deleted charge.
func (c *Client) RestorePayment(ctx context.Context, id string) (Payment, error) {
	return c.paymentCall(ctx, "restore payment", http.MethodPost, id, "/restore", nil)
}

// ReceiveInCash marks a charge as paid outside Asaas.
func (c *Client) ReceiveInCash(ctx context.Context, id string, req ReceiveInCashRequest) (Payment, error) {
	return c.paymentCall(ctx, "receive payment in cash", http.MethodPost, id, "/receiveInCash", req)
}

// UndoReceivedInCash reverts ReceiveInCash.
func (c *Client) UndoReceivedInCash(ctx context.Context, id string) (Payment, error) {
	return c.paymentCall(ctx, "undo payment received in cash", http.MethodPost, id, "/undoReceivedInCash", nil)
}

// PixQrCode returns the charge's dynamic PIX QR code.
func (c *Client) PixQrCode(ctx context.Context, id string) (PixQrCode, error) {
	var q PixQrCode
	seg, err := pathID("get pix qr code", "payment", id)
	if err != nil {
		return q, err
	}
	err = c.do(ctx, "get pix qr code", http.MethodGet, "/v3/payments/"+seg+"/pixQrCode", nil, nil, &q)
	return q, err
}

// IdentificationField returns the boleto's typeable line and barcode.
func (c *Client) IdentificationField(ctx context.Context, id string) (IdentificationField, error) {
	var f IdentificationField
	seg, err := pathID("get identification field", "payment", id)
	if err != nil {
		return f, err
	}
	err = c.do(ctx, "get identification field", http.MethodGet, "/v3/payments/"+seg+"/identificationField", nil, nil, &f)
	return f, err
}

func (c *Client) paymentCall(ctx context.Context, op, method, id, suffix string, body any) (Payment, error) {
	var p Payment
	seg, err := pathID(op, "payment", id)
	if err != nil {
		return p, err
	}
	err = c.do(ctx, op, method, "/v3/payments/"+seg+suffix, nil, body, &p)
	return p, err
}

package asaas

import (
	"context"
	"net/http"
)

// PaymentLink is a reusable checkout page (/v3/paymentLinks). No capture
// shows one; fields follow the Asaas reference.
type PaymentLink struct {
	ID                  string  `json:"id"`
	Name                string  `json:"name"`
	Value               *Number `json:"value"` // null: the payer chooses the amount
	Active              bool    `json:"active"`
	ChargeType          string  `json:"chargeType"`
	URL                 string  `json:"url"`
	BillingType         string  `json:"billingType"`
	SubscriptionCycle   *string `json:"subscriptionCycle"`
	Description         *string `json:"description"`
	EndDate             Date    `json:"endDate"`
	Deleted             bool    `json:"deleted"`
	ViewCount           int     `json:"viewCount"`
	MaxInstallmentCount *int    `json:"maxInstallmentCount"`
	DueDateLimitDays    *int    `json:"dueDateLimitDays"`
	NotificationEnabled bool    `json:"notificationEnabled"`
	IsAddressRequired   bool    `json:"isAddressRequired"`
	ExternalReference   *string `json:"externalReference"`
}

// Payment link charge types.
const (
	ChargeTypeDetached    = "DETACHED"
	ChargeTypeRecurrent   = "RECURRENT"
	ChargeTypeInstallment = "INSTALLMENT"
)

// PaymentLinkRequest creates a payment link. Empty fields are not sent.
type PaymentLinkRequest struct {
	Name                string               `json:"name"`
	BillingType         string               `json:"billingType"`
	ChargeType          string               `json:"chargeType"`
	Value               *Number              `json:"value,omitempty"`
	Description         string               `json:"description,omitempty"`
	EndDate             Date                 `json:"endDate,omitzero"`
	DueDateLimitDays    int                  `json:"dueDateLimitDays,omitempty"`
	SubscriptionCycle   string               `json:"subscriptionCycle,omitempty"`
	MaxInstallmentCount int                  `json:"maxInstallmentCount,omitempty"`
	ExternalReference   string               `json:"externalReference,omitempty"`
	NotificationEnabled *bool                `json:"notificationEnabled,omitempty"`
	IsAddressRequired   *bool                `json:"isAddressRequired,omitempty"`
	Callback            *PaymentLinkCallback `json:"callback,omitempty"`
}

// PaymentLinkCallback redirects the payer after payment.
type PaymentLinkCallback struct {
	SuccessURL   string `json:"successUrl"`
	AutoRedirect bool   `json:"autoRedirect"`
}

// CreatePaymentLink creates a payment link.
func (c *Client) CreatePaymentLink(ctx context.Context, req PaymentLinkRequest) (PaymentLink, error) {
	var l PaymentLink
	err := c.do(ctx, "create payment link", http.MethodPost, "/v3/paymentLinks", nil, req, &l)
	return l, err
}

// GetPaymentLink returns a payment link; IsNotFound(err) when it does not exist.
func (c *Client) GetPaymentLink(ctx context.Context, id string) (PaymentLink, error) {
	var l PaymentLink
	seg, err := pathID("get payment link", "payment link", id)
	if err != nil {
		return l, err
	}
	err = c.do(ctx, "get payment link", http.MethodGet, "/v3/paymentLinks/"+seg, nil, nil, &l)
	return l, err
}

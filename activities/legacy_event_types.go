package activities

import "github.com/shopspring/decimal"

// WebhookEvent is an Asaas webhook reduced to what routing and processing need:
// ids, event, amounts, dates and statuses. The raw body (which may hold free text)
// stays in PostgreSQL and never enters a Temporal history.
type WebhookEvent struct {
	AccountID   string
	EventKey    string // the event id, or the SHA-256 of the raw body
	EventID     string `json:",omitempty"`
	Event       string
	DateCreated string       `json:",omitempty"`
	Payment     *PaymentData `json:",omitempty"`
	Bill        *BillData    `json:",omitempty"`
}

// PaymentData is the routing-relevant part of a webhook's payment object.
type PaymentData struct {
	ID                string
	Status            string
	BillingType       string
	Value             decimal.Decimal
	NetValue          decimal.Decimal
	ExternalReference string `json:",omitempty"` // kept only when it is one of ours
	DueDate           string `json:",omitempty"`
	PaymentDate       string `json:",omitempty"`
	ClientPaymentDate string `json:",omitempty"`
	ConfirmedDate     string `json:",omitempty"`
	Deleted           bool   `json:",omitempty"`
	// FromLink: the payment was created through a payment link (not by us).
	FromLink bool `json:",omitempty"`
}

// BillData is a bill payment's status snapshot.
type BillData struct {
	ID                    string
	Status                string
	Value                 decimal.Decimal
	Fee                   decimal.Decimal
	DueDate               string `json:",omitempty"`
	ScheduleDate          string `json:",omitempty"`
	PaymentDate           string `json:",omitempty"`
	TransactionReceiptURL string `json:",omitempty"`
	FailReasons           string `json:",omitempty"`
	CanBeCancelled        bool
}

// Routes of a webhook event.
const (
	RouteDone     = "done"     // fully handled (bill tracked, or recorded as ignored)
	RouteContract = "contract" // signal the contract workflow
)

// EventRoute tells the event workflow what to do next.
type EventRoute struct {
	Route             string
	ContractID        string `json:",omitempty"`
	InstallmentNumber int    `json:",omitempty"`
	Reason            string `json:",omitempty"`
}

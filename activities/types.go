package activities

import "github.com/shopspring/decimal"

// Activity inputs and results. Like workflow payloads they carry ids, amounts,
// dates and statuses only: activities read names, documents and bank details from
// PostgreSQL themselves.

// ContractRef names a contract of an account; every activity checks both, so a
// payload can never reach another account's rows.
type ContractRef struct {
	AccountID  string
	ContractID string
}

// ActivateContractInput marks a draft contract active.
type ActivateContractInput struct {
	ContractRef
	ActivatedBy string `json:",omitempty"`
}

// PlannedInstallment is an installment as stored when the workflow starts.
type PlannedInstallment struct {
	Number   int
	Value    decimal.Decimal
	DueDate  string // YYYY-MM-DD
	Status   string
	ChargeID string `json:",omitempty"`
}

// ContractPlan is what ActivateContract returns.
type ContractPlan struct {
	ClientID     string
	Status       string
	Installments []PlannedInstallment
}

// IssueChargeInput issues the charge of one installment.
type IssueChargeInput struct {
	ContractRef
	Number          int
	AsaasCustomerID string
}

// ChargeIssued is the Asaas charge of an installment.
type ChargeIssued struct {
	AsaasPaymentID string
	Status         string
}

// ContractErrorInput surfaces a gateway rejection on the contract and in the audit trail.
type ContractErrorInput struct {
	ContractRef
	Number  int // 0 when not about one installment
	Action  string
	Message string
}

// Payment origins.
const (
	OriginGateway    = "gateway"
	OriginManual     = "manual"
	OriginReconciled = "reconciled" // found by asking Asaas: no webhook told us
)

// Payment statuses.
const (
	PaymentConfirmed = "confirmed" // card authorised, not yet credited
	PaymentReceived  = "received"
	PaymentRefunded  = "refunded"
)

// ApplyPaymentInput records a payment on an installment and allocates its splits.
type ApplyPaymentInput struct {
	ContractRef
	Number int
	// Origin manual means Asaas did not split the money (receiveInCash cancels the
	// split): gateway rules become pending manual payouts and Net equals Amount.
	Origin         string
	AsaasPaymentID string // the charge's id; "" for a manual payment without charge
	Amount         decimal.Decimal
	Net            decimal.Decimal
	PaidOn         string // YYYY-MM-DD
	Status         string // confirmed | received
	SettledOn      string `json:",omitempty"`
	RecordedBy     string `json:",omitempty"` // user id, manual payments
	EventKey       string `json:",omitempty"` // webhook event to mark processed
	// InCash: Asaas received it outside the gateway (RECEIVED_IN_CASH) without our
	// doing (found by reconciliation): like a manual payment, no split at Asaas.
	InCash bool `json:",omitempty"`
	// Expected is the installment's value when a manual payment of another amount
	// was allowed: the difference is audited.
	Expected decimal.Decimal `json:",omitzero"`
}

// PaymentApplied is the payment as stored (Created false when it already was).
type PaymentApplied struct {
	PaymentID string
	Created   bool
	Shortfall decimal.Decimal
	Entries   int
	// GatewayEntries: received, with this many entries paid by Asaas through the
	// charge's split (ContractEventResult.GatewayEntries).
	GatewayEntries int `json:",omitempty"`
}

// SettlePaymentInput marks a confirmed (card) payment as received.
type SettlePaymentInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
	SettledOn      string
	EventKey       string `json:",omitempty"`
}

// MarkOverdueInput marks open installments overdue.
type MarkOverdueInput struct {
	ContractRef
	Numbers  []int
	Source   string // gateway | timer
	EventKey string `json:",omitempty"`
}

// ReversePaymentInput reverses a refunded or charged-back payment's split entries.
type ReversePaymentInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
	Event          string
	EventKey       string `json:",omitempty"`
}

// ChargeDeletedInput records that Asaas deleted (or restored) a charge.
type ChargeDeletedInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
	Deleted        bool   // false: restored
	EventKey       string `json:",omitempty"`
}

// Webhook event statuses.
const (
	EventReceived  = "received"
	EventProcessed = "processed"
	EventIgnored   = "ignored"
	EventFailed    = "failed"
	EventRejected  = "rejected" // its claim was not what Asaas says: nothing applied
)

// EventOutcomeInput records what became of a webhook event.
type EventOutcomeInput struct {
	AccountID  string
	EventKey   string
	Status     string
	Reason     string
	ContractID string `json:",omitempty"`
	// Notable: money the contract could not apply (a payment for a cancelled or
	// otherwise paid installment, a refund of nothing): audited for a person to
	// look at. Duplicates and informational events are only recorded.
	Notable bool `json:",omitempty"`
}

// ReceiveInCashInput marks a charge received outside the gateway at Asaas.
type ReceiveInCashInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
	Amount         decimal.Decimal
	PaidOn         string
}

// Gateway outcomes of ReceiveInCash and DeleteCharge.
const (
	OutcomeDone           = "done"           // received in cash / deleted
	OutcomeAlreadyDone    = "already_done"   // a retry found it done
	OutcomePaidAtGateway  = "paid"           // the customer paid through Asaas first
	OutcomeChargeNotFound = "charge_missing" // Asaas does not know the charge
)

// GatewayOutcome is what Asaas said, with the payment when it was paid there.
type GatewayOutcome struct {
	Outcome string
	Payment *GatewayPaymentInfo `json:",omitempty"`
}

// GatewayPaymentInfo is an Asaas payment's money and dates.
type GatewayPaymentInfo struct {
	ID          string
	Status      string
	Value       decimal.Decimal
	NetValue    decimal.Decimal
	PaymentDate string
	BillingType string `json:",omitempty"`
	Deleted     bool   `json:",omitempty"`
	FromLink    bool   `json:",omitempty"` // made through a payment link
	DueDate     string `json:",omitempty"` // YYYY-MM-DD
	// Refunded is what Asaas has refunded of it (refunds[] DONE; all of it when REFUNDED).
	Refunded decimal.Decimal `json:",omitzero"`
}

// DeleteChargeInput deletes one open charge at Asaas.
type DeleteChargeInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string
}

// FinishCancellationInput closes a cancelled contract in one transaction.
type FinishCancellationInput struct {
	ContractRef
	Cancelled []int
	// ReasonID is the contract note (contract_notes) holding the cancel reason the
	// API stored before the cancel: free text stays out of Temporal.
	ReasonID string `json:",omitempty"`
	// Reason is the reason's text as runs scheduled before the notes carried it;
	// never set now.
	Reason         string `json:",omitempty"`
	RequestedBy    string
	DeletedCharges int
}

// CompleteContractInput marks a fully paid contract completed.
type CompleteContractInput struct {
	ContractRef
}

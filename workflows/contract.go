package workflows

import (
	"time"

	"billing/activities"
	"billing/domain"

	"github.com/shopspring/decimal"
)

// The public contract of the contract workflow: everything a caller (the API, the
// webhook handler, the Temporal UI) needs to address it. Payloads carry ids,
// amounts, dates and statuses only, never personal data.

// ContractWorkflowID is the one workflow of a contract: starting it twice answers
// with the same execution.
func ContractWorkflowID(contractID string) string { return "contract/" + contractID }

const (
	// PaymentEventSignal carries an Asaas payment event; the webhook handler sends
	// it for every event in ContractEvents whose charge reference names the contract.
	PaymentEventSignal = "payment-event"
	// MarkPaidUpdate records a manual payment (the API passes Idempotency-Key as the update ID).
	MarkPaidUpdate = "mark-paid"
	// CancelUpdate cancels the contract, deleting open charges last to first.
	CancelUpdate = "cancel"
	// StateQuery returns ContractView.
	StateQuery = "state"
	// ReconcileUpdate asks Asaas about every installment that can still be paid
	// (and the refunds of paid ones) and repairs what no webhook told.
	ReconcileUpdate = "reconcile"
	// ChangeInstallmentUpdate changes an open or overdue installment's value
	// and/or due date: its charge is changed at Asaas, or deleted and issued again.
	ChangeInstallmentUpdate = "change-installment"
	// ReissueChargeUpdate issues a new charge for an installment still owed whose
	// charge was deleted at Asaas or expired (overdue).
	ReissueChargeUpdate = "reissue-charge"
)

// ChangeInstallmentRequest changes an installment (zero Value or empty DueDate:
// unchanged).
type ChangeInstallmentRequest struct {
	InstallmentNumber int
	Value             decimal.Decimal `json:",omitzero"`
	DueDate           string          `json:",omitempty"` // YYYY-MM-DD
	RequestedBy       string          // user id
}

// ReissueChargeRequest issues the installment's charge again, due on DueDate
// (empty: the installment's due date, which must not have passed).
type ReissueChargeRequest struct {
	InstallmentNumber int
	DueDate           string `json:",omitempty"`
	RequestedBy       string // user id
}

// InstallmentChangeResult answers ChangeInstallmentUpdate and ReissueChargeUpdate.
type InstallmentChangeResult struct {
	InstallmentNumber int
	ChargeID          string // the installment's charge now
	How               string // updated (at Asaas) | reissued (a new charge)
	Value             decimal.Decimal
	DueDate           string
	Status            string // the installment's
}

// ReconcileRequest starts a reconciliation of the contract.
type ReconcileRequest struct {
	Source string // on-demand | queue-sweep
}

// ReconcileResult is what the contract found at Asaas and did about it.
type ReconcileResult struct {
	Checked    int // installments asked about
	Repairs    []Repair
	Mismatches []Mismatch
}

// Repair is one state the contract took from Asaas.
type Repair struct {
	Number         int
	AsaasPaymentID string
	Event          string // the event it stands for (PAYMENT_RECEIVED, ...)
	Before, After  string // the installment's status
}

// Mismatch is a state Asaas holds that the contract could not take: for a person.
type Mismatch struct {
	Number         int
	AsaasPaymentID string
	Event          string // the Asaas event the state stands for; "" when Asaas could not be asked
	Detail         string
}

// ContractInput starts (or, with State, continues) a contract workflow.
type ContractInput struct {
	AccountID   string
	ContractID  string
	ActivatedBy string // user id; "" for system
	// State is set only when the workflow continues as new.
	State   *ContractState `json:",omitempty"`
	Options ContractOptions
}

// ContractOptions tune the workflow; zero values mean the defaults.
type ContractOptions struct {
	// LateEventWindow keeps a completed contract listening for refunds and chargebacks.
	LateEventWindow time.Duration
	// MaxHistoryLength continues as new past this many events even if the server has
	// not suggested it yet, so long contracts keep small, fast-to-replay histories.
	MaxHistoryLength int
	// IssueConcurrency is how many charges are issued at Asaas at once.
	IssueConcurrency int
	// ReconcileGrace is how long after an installment becomes overdue (00:00 of
	// the day after its due date) the contract asks Asaas about it when no event
	// settled it, before marking it overdue itself.
	ReconcileGrace time.Duration
	// ReconcileEvery is how often it asks again while the installment stays
	// overdue, for ReconcileFor after it became overdue.
	ReconcileEvery time.Duration
	ReconcileFor   time.Duration
	// SplitReadAfter is how long after a payment with a gateway split the
	// contract reads the split's outcome back from Asaas (it settles with the
	// payment's credit; a refused one becomes a manual payout).
	SplitReadAfter time.Duration
}

// Defaults for ContractOptions.
const (
	DefaultLateEventWindow  = 120 * 24 * time.Hour // card chargebacks arrive within ~120 days
	DefaultMaxHistoryLength = 5000
	DefaultIssueConcurrency = 4
	DefaultReconcileGrace   = 2 * time.Hour
	DefaultReconcileEvery   = 24 * time.Hour
	DefaultReconcileFor     = 60 * 24 * time.Hour
	DefaultSplitReadAfter   = time.Hour
)

func (o ContractOptions) withDefaults() ContractOptions {
	if o.LateEventWindow <= 0 {
		o.LateEventWindow = DefaultLateEventWindow
	}
	if o.MaxHistoryLength <= 0 {
		o.MaxHistoryLength = DefaultMaxHistoryLength
	}
	if o.IssueConcurrency <= 0 {
		o.IssueConcurrency = DefaultIssueConcurrency
	}
	if o.ReconcileGrace <= 0 {
		o.ReconcileGrace = DefaultReconcileGrace
	}
	if o.ReconcileEvery <= 0 {
		o.ReconcileEvery = DefaultReconcileEvery
	}
	if o.ReconcileFor <= 0 {
		o.ReconcileFor = DefaultReconcileFor
	}
	if o.SplitReadAfter <= 0 {
		o.SplitReadAfter = DefaultSplitReadAfter
	}
	return o
}

// Contract lifecycle as the workflow sees it (mirrors domain.ContractStatus).
const (
	StatusActive    = string(domain.ContractActive)
	StatusCompleted = string(domain.ContractCompleted)
	StatusCancelled = string(domain.ContractCancelled)
)

// ContractState is the whole state of the workflow: one serialisable struct carried
// through continue-as-new.
type ContractState struct {
	AccountID       string
	ContractID      string
	ClientID        string
	AsaasCustomerID string
	Status          string
	Activated       bool // the activation activity ran
	ChargesIssued   bool // every installment got a charge attempt
	Cancelling      bool
	Installments    []InstallmentState
	LastError       string    `json:",omitempty"`
	CompletedAt     time.Time `json:",omitempty"`
	Runs            int       // continue-as-new generations so far
	// Pending are payment events received but not yet applied when the previous run
	// continued as new: moved from the signal channel into the state (no activity
	// in between), so a burst can neither be lost nor keep a run from ending.
	Pending []PaymentEvent `json:",omitempty"`
	// SeenEvents are the keys of the latest events this contract decided, oldest
	// first (at most MaxSeenEvents): a redelivered event is dropped before any
	// decision. The installments' state is the dedupe of last resort.
	SeenEvents  []string  `json:",omitempty"`
	CancelledAt time.Time `json:",omitempty"`
}

// MaxSeenEvents bounds ContractState.SeenEvents (about 4 events per installment
// of a 120-installment contract).
const MaxSeenEvents = 500

// InstallmentState is one installment: its charge and, once paid, its payment.
type InstallmentState struct {
	Number        int
	Value         decimal.Decimal
	DueDate       string        // YYYY-MM-DD
	Status        string        // domain.InstallmentStatus
	ChargeID      string        `json:",omitempty"` // Asaas payment id
	ChargeDeleted bool          `json:",omitempty"`
	Payment       *PaymentState `json:",omitempty"`
	// Checks counts the times the contract asked Asaas about it after it became
	// overdue (the next check is due ReconcileGrace + Checks × ReconcileEvery later).
	Checks int `json:",omitempty"`
}

// PaymentState is the payment applied to an installment.
type PaymentState struct {
	ID             string // our payment id
	AsaasPaymentID string `json:",omitempty"`
	Origin         string // gateway | manual
	Amount         decimal.Decimal
	Status         string // confirmed | received | refunded
	// Hold is chargeback | refund while Asaas has one open (its split entries are
	// disputed); Holds counts the holds it had.
	Hold  string `json:",omitempty"`
	Holds int    `json:",omitempty"`
	// Refunded is what Asaas refunded of it so far (a partial refund; Amount when
	// refunded in full).
	Refunded decimal.Decimal `json:",omitzero"`
	// SplitChecks counts the read-backs of its charge's split at Asaas;
	// SplitCheckAt is when the next one is due (zero: none).
	SplitChecks  int       `json:",omitempty"`
	SplitCheckAt time.Time `json:",omitzero"`
}

// ContractView is what the state query answers.
type ContractView struct {
	ContractState
	PaidInstallments int
	TotalPaid        decimal.Decimal
	Outstanding      decimal.Decimal
	NextDueDate      string `json:",omitempty"`
}

// PaymentEvent is the signal the webhook handler sends for a payment of ours.
type PaymentEvent struct {
	EventKey string // webhook event key: the dedupe key, and the row the outcome goes to
	Event    string // PAYMENT_RECEIVED, ...
	// AccountID is the account whose webhook secret delivered the event; the
	// contract ignores an event of another account. "" from the retired event
	// workflow, which checked it before signalling.
	AccountID         string `json:",omitempty"`
	InstallmentNumber int
	Payment           GatewayPayment
	// Verified: Payment is what Asaas says (read back from it), not an event's claim.
	Verified bool `json:",omitempty"`
	// Reconciled: found by the contract asking Asaas (no webhook told it).
	Reconciled bool `json:",omitempty"`
}

// ContractEvents are the Asaas payment events a contract acts on; the webhook
// handler records any other event of our charges as ignored without signalling.
var ContractEvents = []string{
	evCreated, evConfirmed, evReceived, evReceivedInCash, evDunningReceived,
	evOverdue, evRefunded, evDeleted, evRestored,
	// The charge's life (changeChargeLife): runs older than it record them as
	// events that do not change a contract.
	evUpdated, evPartiallyRefunded, evRefundInProgress, evRefundDenied, evReceivedInCashUndone,
	evChargebackRequested, evChargebackDispute, evAwaitingChargebackReversal,
}

// GatewayPayment is the part of an Asaas payment the workflow decides on.
type GatewayPayment struct {
	ID                string
	Status            string
	BillingType       string
	Value             decimal.Decimal
	NetValue          decimal.Decimal
	PaymentDate       string `json:",omitempty"`
	ClientPaymentDate string `json:",omitempty"`
	ConfirmedDate     string `json:",omitempty"`
	Deleted           bool   `json:",omitempty"`
	FromLink          bool   `json:",omitempty"` // created through a payment link
	DueDate           string `json:",omitempty"` // YYYY-MM-DD (PAYMENT_UPDATED)
	// Refunded is what Asaas refunded of it (read back from Asaas: a partial refund).
	Refunded decimal.Decimal `json:",omitzero"`
}

// MarkPaidRequest records a payment made outside the gateway.
type MarkPaidRequest struct {
	InstallmentNumber int
	Amount            decimal.Decimal
	PaidOn            string // YYYY-MM-DD
	RecordedBy        string // user id
	// AllowDifference records an amount other than the installment's value (it is
	// audited); without it such an amount is refused.
	AllowDifference bool `json:",omitempty"`
}

// MarkPaidResult answers MarkPaidUpdate.
type MarkPaidResult struct {
	PaymentID         string
	InstallmentNumber int
	Shortfall         decimal.Decimal
	ContractStatus    string
}

// CancelRequest cancels the contract. The reason's text is stored in PostgreSQL
// by the API first (contract_notes); the request carries its id only.
type CancelRequest struct {
	ReasonID string `json:",omitempty"`
	// Reason is the text an older API sent; never set now.
	Reason      string `json:",omitempty"`
	RequestedBy string // user id
}

// CancelResult answers CancelUpdate.
type CancelResult struct {
	Cancelled      []int // installments cancelled
	Kept           []int // installments already paid (kept)
	DeletedCharges int
}

// Error types workflow updates fail with; the API maps them to HTTP statuses.
const (
	ErrTypeInvalidState = activities.ErrTypeInvalidState // 409
	ErrTypeInvalidInput = activities.ErrTypeInvalidInput // 422
	ErrTypeAlreadyPaid  = "AlreadyPaid"                  // 409: paid through the gateway meanwhile
	ErrTypeGateway      = "GatewayRejected"
)

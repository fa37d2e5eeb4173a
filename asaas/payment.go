package asaas

import "encoding/json"

// Payment is an Asaas charge ("cobrança"), as returned by /v3/payments and
// carried by PAYMENT_* webhooks. Field presence follows the sandbox captures:
//   - plain pointers and Dates are keys Asaas always sends, null when unset;
//   - omitempty keys are omitted when unset (installment, subscription, split);
//   - Optional and omitempty json.RawMessage keys are sometimes absent and
//     sometimes null (billing-type-only keys, keys missing from older payloads).
//
// Objects whose shape no capture shows (pixTransaction, escrow, refunds,
// custody) are kept as raw JSON so that nothing is lost.
type Payment struct {
	Object                 string               `json:"object"`
	ID                     string               `json:"id"`
	DateCreated            Date                 `json:"dateCreated"`
	Customer               string               `json:"customer"`
	Installment            string               `json:"installment,omitempty"`
	Subscription           string               `json:"subscription,omitempty"`
	CheckoutSession        Optional[string]     `json:"checkoutSession,omitzero"`
	PaymentLink            *string              `json:"paymentLink"`
	Value                  Number               `json:"value"`
	NetValue               Number               `json:"netValue"`
	OriginalValue          *Number              `json:"originalValue"`
	InterestValue          *Number              `json:"interestValue"`
	Description            *string              `json:"description"`
	BillingType            string               `json:"billingType"`
	CanBePaidAfterDueDate  *bool                `json:"canBePaidAfterDueDate,omitempty"`
	ConfirmedDate          Optional[Date]       `json:"confirmedDate,omitzero"`
	CreditCard             Optional[CreditCard] `json:"creditCard,omitzero"`
	PixTransaction         json.RawMessage      `json:"pixTransaction,omitempty"`
	Status                 string               `json:"status"`
	DueDate                Date                 `json:"dueDate"`
	OriginalDueDate        Date                 `json:"originalDueDate"`
	PaymentDate            Date                 `json:"paymentDate"`
	ClientPaymentDate      Date                 `json:"clientPaymentDate"`
	InstallmentNumber      *int                 `json:"installmentNumber"`
	InvoiceURL             string               `json:"invoiceUrl"`
	InvoiceNumber          string               `json:"invoiceNumber"`
	ExternalReference      *string              `json:"externalReference"`
	Deleted                bool                 `json:"deleted"`
	Anticipated            bool                 `json:"anticipated"`
	Anticipable            bool                 `json:"anticipable"`
	CreditDate             Date                 `json:"creditDate"`
	EstimatedCreditDate    Date                 `json:"estimatedCreditDate"`
	TransactionReceiptURL  *string              `json:"transactionReceiptUrl"`
	NossoNumero            *string              `json:"nossoNumero"`
	BankSlipURL            *string              `json:"bankSlipUrl"`
	LastInvoiceViewedDate  *string              `json:"lastInvoiceViewedDate"`  // "YYYY-MM-DD HH:MM:SS"
	LastBankSlipViewedDate *string              `json:"lastBankSlipViewedDate"` // "YYYY-MM-DD HH:MM:SS"
	Discount               *Discount            `json:"discount,omitempty"`
	Fine                   *Fine                `json:"fine,omitempty"`
	Interest               *Interest            `json:"interest,omitempty"`
	PostalService          bool                 `json:"postalService"`
	Custody                json.RawMessage      `json:"custody,omitempty"`
	Escrow                 json.RawMessage      `json:"escrow,omitempty"`
	Refunds                json.RawMessage      `json:"refunds,omitempty"`
	Split                  []Split              `json:"split,omitempty"`
	Chargeback             Optional[Chargeback] `json:"chargeback,omitzero"`
}

// ExternalRef is the payment's externalReference, "" when null.
func (p Payment) ExternalRef() string {
	if p.ExternalReference == nil {
		return ""
	}
	return *p.ExternalReference
}

// Billing types.
const (
	BillingBoleto         = "BOLETO"
	BillingPix            = "PIX"
	BillingCreditCard     = "CREDIT_CARD"
	BillingUndefined      = "UNDEFINED" // the payer chooses
	BillingReceivedInCash = "RECEIVED_IN_CASH"
)

// Payment statuses.
const (
	StatusPending                    = "PENDING"
	StatusReceived                   = "RECEIVED"
	StatusConfirmed                  = "CONFIRMED"
	StatusOverdue                    = "OVERDUE"
	StatusRefunded                   = "REFUNDED"
	StatusReceivedInCash             = "RECEIVED_IN_CASH"
	StatusRefundRequested            = "REFUND_REQUESTED"
	StatusRefundInProgress           = "REFUND_IN_PROGRESS"
	StatusChargebackRequested        = "CHARGEBACK_REQUESTED"
	StatusChargebackDispute          = "CHARGEBACK_DISPUTE"
	StatusAwaitingChargebackReversal = "AWAITING_CHARGEBACK_REVERSAL"
	StatusDunningRequested           = "DUNNING_REQUESTED"
	StatusDunningReceived            = "DUNNING_RECEIVED"
	StatusAwaitingRiskAnalysis       = "AWAITING_RISK_ANALYSIS"
	StatusAuthorized                 = "AUTHORIZED"
)

// CreditCard is the card summary on card charges and installment plans.
type CreditCard struct {
	CreditCardNumber string `json:"creditCardNumber"` // last 4 digits
	CreditCardBrand  string `json:"creditCardBrand"`
	CreditCardToken  string `json:"creditCardToken"`
}

// Discount of a charge. Value is an amount or a percentage (Type FIXED or
// PERCENTAGE). Responses always carry limitDate and type; a request may omit
// both (leave them zero).
type Discount struct {
	Value     Number         `json:"value"`
	LimitDate Optional[Date] `json:"limitDate,omitzero"`
	// LimitedDate is the spelling of the webhook documentation example; real
	// responses use limitDate. Kept so that neither is lost.
	LimitedDate      Optional[Date] `json:"limitedDate,omitzero"`
	DueDateLimitDays int            `json:"dueDateLimitDays"`
	Type             string         `json:"type,omitempty"`
}

// Fine ("multa") applied after the due date: an amount or a percentage.
type Fine struct {
	Value Number `json:"value"`
	Type  string `json:"type,omitempty"`
}

// Interest ("juros") per month after the due date; Asaas defaults Type to
// PERCENTAGE when a request omits it.
type Interest struct {
	Value Number `json:"value"`
	Type  string `json:"type,omitempty"`
}

// Discount, fine and interest types.
const (
	ValueFixed      = "FIXED"
	ValuePercentage = "PERCENTAGE"
)

// Split is one share of a charge sent to another Asaas wallet, both in a
// create request (walletId + fixedValue or percentualValue) and in responses
// (plus status, refusalReason...). Every key but walletId may be absent.
type Split struct {
	ID                 string           `json:"id,omitempty"`
	WalletID           string           `json:"walletId"`
	FixedValue         Optional[Number] `json:"fixedValue,omitzero"`
	PercentualValue    Optional[Number] `json:"percentualValue,omitzero"`
	TotalFixedValue    Optional[Number] `json:"totalFixedValue,omitzero"`
	TotalValue         Optional[Number] `json:"totalValue,omitzero"`
	InstallmentNumber  Optional[int]    `json:"installmentNumber,omitzero"`
	ExternalReference  Optional[string] `json:"externalReference,omitzero"`
	Description        Optional[string] `json:"description,omitzero"`
	Status             string           `json:"status,omitempty"`
	RefusalReason      Optional[string] `json:"refusalReason,omitzero"`
	CancellationReason Optional[string] `json:"cancellationReason,omitzero"`
}

// Chargeback summary carried by PAYMENT_CHARGEBACK_* webhooks.
type Chargeback struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// PixQrCode is the dynamic PIX QR code of a charge.
type PixQrCode struct {
	EncodedImage   string `json:"encodedImage"`   // base64 PNG
	Payload        string `json:"payload"`        // copy-and-paste code
	ExpirationDate string `json:"expirationDate"` // "YYYY-MM-DD HH:MM:SS"
}

// IdentificationField is the boleto's typeable line and barcode.
type IdentificationField struct {
	IdentificationField string `json:"identificationField"`
	NossoNumero         string `json:"nossoNumero"`
	BarCode             string `json:"barCode"`
}

// Deleted is the answer of a DELETE.
type Deleted struct {
	Deleted bool   `json:"deleted"`
	ID      string `json:"id"`
}

package asaassim

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

// snapshot is the simulator's whole state as plain data, for the state file.
// Entities name each other by id; restore rebuilds the pointers and indexes.
// What is left out on purpose: delivered and skipped events (a queue keeps only
// what is not yet acknowledged), fault rates (runtime knobs, from Options at
// start) and cached PIX QR images (derived from the charge).
type snapshot struct {
	Format  int       `json:"format"`
	SavedAt time.Time `json:"savedAt"`
	// Generation counts the starts that loaded this state: it picks the id
	// stream of the next start, so a seeded simulator does not hand out the
	// uuids of its first run again.
	Generation  int64 `json:"generation"`
	CustomerSeq int64 `json:"customerSeq"`
	PaymentSeq  int64 `json:"paymentSeq"`
	EventSeq    int64 `json:"eventSeq"`
	LinkSeq     int64 `json:"linkSeq"`

	Accounts     []accountSnap     `json:"accounts"`  // creation order
	Customers    []customerSnap    `json:"customers"` // per account, creation order
	Installments []installmentSnap `json:"installments"`
	Payments     []paymentSnap     `json:"payments"` // creation order (seq)
	Links        []linkSnap        `json:"paymentLinks"`
	Transfers    []transferSnap    `json:"transfers"` // creation order
	Bills        []billSnap        `json:"bills"`
}

// stateFormat is the layout version of the state file.
const stateFormat = 1

type accountSnap struct {
	Account
	Balance           decimal.Decimal `json:"balance"`
	AnticipationLimit decimal.Decimal `json:"anticipationLimit"`
	InvoiceSeq        int64           `json:"invoiceSeq"`
	NossoSeq          int64           `json:"nossoSeq"`
	CardTokens        []cardSnap      `json:"cardTokens"`
	Webhook           queueSnap       `json:"webhook"`
}

type queueSnap struct {
	Config   WebhookConfig `json:"config"`
	Paused   bool          `json:"paused"`
	Failures int           `json:"failures"`
	Pending  []Delivery    `json:"pending"` // not yet acknowledged, head first
	Held     *Delivery     `json:"held,omitempty"`
}

type cardSnap struct {
	Last4 string `json:"last4"`
	Brand string `json:"brand"`
	Token string `json:"token"`
}

type customerSnap struct {
	ID                   string    `json:"id"`
	AccountID            string    `json:"accountId"`
	DateCreated          time.Time `json:"dateCreated"`
	Name                 string    `json:"name"`
	CpfCnpj              string    `json:"cpfCnpj"`
	Deleted              bool      `json:"deleted"`
	Email                *string   `json:"email"`
	Company              *string   `json:"company"`
	Phone                *string   `json:"phone"`
	MobilePhone          *string   `json:"mobilePhone"`
	Address              *string   `json:"address"`
	AddressNumber        *string   `json:"addressNumber"`
	Complement           *string   `json:"complement"`
	Province             *string   `json:"province"`
	PostalCode           *string   `json:"postalCode"`
	AdditionalEmails     *string   `json:"additionalEmails"`
	ExternalReference    *string   `json:"externalReference"`
	Observations         *string   `json:"observations"`
	MunicipalInscription *string   `json:"municipalInscription"`
	StateInscription     *string   `json:"stateInscription"`
	NotificationDisabled bool      `json:"notificationDisabled"`
}

type installmentSnap struct {
	ID            string          `json:"id"`
	AccountID     string          `json:"accountId"`
	CustomerID    string          `json:"customerId"`
	Value         decimal.Decimal `json:"value"`
	Count         int             `json:"count"`
	BillingType   string          `json:"billingType"`
	Description   *string         `json:"description"`
	ExpirationDay int             `json:"expirationDay"`
	DateCreated   time.Time       `json:"dateCreated"`
	PaymentDate   *time.Time      `json:"paymentDate"`
	Card          *cardSnap       `json:"card"`
	ReceiptURL    *string         `json:"receiptUrl"`
	PaymentLink   *string         `json:"paymentLink"`
}

type paymentSnap struct {
	ID                     string            `json:"id"`
	Seq                    int64             `json:"seq"`
	AccountID              string            `json:"accountId"`
	CustomerID             string            `json:"customerId"`
	InstallmentID          string            `json:"installmentId,omitempty"`
	Number                 int               `json:"number"`
	DateCreated            time.Time         `json:"dateCreated"`
	Value                  decimal.Decimal   `json:"value"`
	NetValue               decimal.Decimal   `json:"netValue"`
	OriginalValue          *decimal.Decimal  `json:"originalValue"`
	InterestValue          *decimal.Decimal  `json:"interestValue"`
	Description            *string           `json:"description"`
	BillingType            string            `json:"billingType"`
	MethodType             string            `json:"methodType"`
	Status                 string            `json:"status"`
	DueDate                time.Time         `json:"dueDate"`
	OriginalDueDate        time.Time         `json:"originalDueDate"`
	PaymentDate            *time.Time        `json:"paymentDate"`
	ClientPaymentDate      *time.Time        `json:"clientPaymentDate"`
	ConfirmedDate          *time.Time        `json:"confirmedDate"`
	CreditDate             *time.Time        `json:"creditDate"`
	EstimatedCreditDate    *time.Time        `json:"estimatedCreditDate"`
	InvoiceNumber          string            `json:"invoiceNumber"`
	NossoNumero            *string           `json:"nossoNumero"`
	ExternalReference      *string           `json:"externalReference"`
	Deleted                bool              `json:"deleted"`
	Card                   *cardSnap         `json:"card"`
	ReceiptURL             *string           `json:"receiptUrl"`
	Discount               discountSnap      `json:"discount"`
	Fine                   fineSnap          `json:"fine"`
	Interest               decimal.Decimal   `json:"interest"`
	Splits                 []splitSnap       `json:"splits"`
	Refunds                []json.RawMessage `json:"refunds"`
	Chargeback             *chargebackSnap   `json:"chargeback"`
	PaymentLink            *string           `json:"paymentLink"`
	BeforeCash             *cashSnap         `json:"beforeCash"`
	StatusBeforeChargeback string            `json:"statusBeforeChargeback"`
}

type discountSnap struct {
	Value            decimal.Decimal `json:"value"`
	DueDateLimitDays int             `json:"dueDateLimitDays"`
	Type             string          `json:"type"`
}

type fineSnap struct {
	Value decimal.Decimal `json:"value"`
	Type  string          `json:"type"`
}

type chargebackSnap struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

type cashSnap struct {
	Status        string           `json:"status"`
	BillingType   string           `json:"billingType"`
	Value         decimal.Decimal  `json:"value"`
	NetValue      decimal.Decimal  `json:"netValue"`
	OriginalValue *decimal.Decimal `json:"originalValue"`
}

type splitSnap struct {
	ID                 string           `json:"id"`
	WalletID           string           `json:"walletId"`
	Fixed              *decimal.Decimal `json:"fixed"`
	Percent            *decimal.Decimal `json:"percent"`
	TotalFixed         *decimal.Decimal `json:"totalFixed"`
	ExternalReference  *string          `json:"externalReference"`
	Description        *string          `json:"description"`
	Total              decimal.Decimal  `json:"total"`
	Status             string           `json:"status"`
	CancellationReason *string          `json:"cancellationReason"`
	RefusalReason      *string          `json:"refusalReason,omitempty"`
	Credited           bool             `json:"credited"`
}

type linkSnap struct {
	ID                  string           `json:"id"`
	AccountID           string           `json:"accountId"`
	Name                string           `json:"name"`
	Value               *decimal.Decimal `json:"value"`
	BillingType         string           `json:"billingType"`
	ChargeType          string           `json:"chargeType"`
	SubscriptionCycle   *string          `json:"subscriptionCycle"`
	Description         *string          `json:"description"`
	EndDate             *time.Time       `json:"endDate"`
	DueDateLimitDays    int              `json:"dueDateLimitDays"`
	MaxInstallmentCount int              `json:"maxInstallmentCount"`
	NotificationEnabled bool             `json:"notificationEnabled"`
	IsAddressRequired   bool             `json:"isAddressRequired"`
	ExternalReference   *string          `json:"externalReference"`
}

type transferSnap struct {
	ID                string          `json:"id"`
	AccountID         string          `json:"accountId"`
	DateCreated       time.Time       `json:"dateCreated"`
	Value             decimal.Decimal `json:"value"`
	Status            string          `json:"status"`
	Type              string          `json:"type"`
	OperationType     string          `json:"operationType"`
	EffectiveDate     *time.Time      `json:"effectiveDate"`
	ScheduleDate      time.Time       `json:"scheduleDate"`
	FailReason        *string         `json:"failReason"`
	ExternalReference *string         `json:"externalReference"`
	Description       *string         `json:"description"`
	ReceiptURL        *string         `json:"receiptUrl"`
	BankAccount       json.RawMessage `json:"bankAccount,omitempty"`
	WalletID          string          `json:"walletId,omitempty"`
}

type billSnap struct {
	ID                  string          `json:"id"`
	AccountID           string          `json:"accountId"`
	Stage               string          `json:"stage"`
	Value               decimal.Decimal `json:"value"`
	IdentificationField string          `json:"identificationField"`
	DueDate             time.Time       `json:"dueDate"`
	ScheduleDate        time.Time       `json:"scheduleDate"`
	PaymentDate         *time.Time      `json:"paymentDate"`
	Description         *string         `json:"description"`
	CompanyName         *string         `json:"companyName"`
	ReceiptURL          *string         `json:"receiptUrl"`
	FailReasons         []string        `json:"failReasons"`
}

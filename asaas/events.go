package asaas

import "strings"

// Payment webhook events (seed 001, "Eventos para cobranças").
const (
	EventPaymentCreated                    = "PAYMENT_CREATED"
	EventPaymentAwaitingRiskAnalysis       = "PAYMENT_AWAITING_RISK_ANALYSIS"
	EventPaymentApprovedByRiskAnalysis     = "PAYMENT_APPROVED_BY_RISK_ANALYSIS"
	EventPaymentReprovedByRiskAnalysis     = "PAYMENT_REPROVED_BY_RISK_ANALYSIS"
	EventPaymentAuthorized                 = "PAYMENT_AUTHORIZED"
	EventPaymentUpdated                    = "PAYMENT_UPDATED"
	EventPaymentConfirmed                  = "PAYMENT_CONFIRMED"
	EventPaymentReceived                   = "PAYMENT_RECEIVED"
	EventPaymentCreditCardCaptureRefused   = "PAYMENT_CREDIT_CARD_CAPTURE_REFUSED"
	EventPaymentAnticipated                = "PAYMENT_ANTICIPATED"
	EventPaymentOverdue                    = "PAYMENT_OVERDUE"
	EventPaymentDeleted                    = "PAYMENT_DELETED"
	EventPaymentRestored                   = "PAYMENT_RESTORED"
	EventPaymentRefunded                   = "PAYMENT_REFUNDED"
	EventPaymentRefundInProgress           = "PAYMENT_REFUND_IN_PROGRESS"
	EventPaymentReceivedInCashUndone       = "PAYMENT_RECEIVED_IN_CASH_UNDONE"
	EventPaymentChargebackRequested        = "PAYMENT_CHARGEBACK_REQUESTED"
	EventPaymentChargebackDispute          = "PAYMENT_CHARGEBACK_DISPUTE"
	EventPaymentAwaitingChargebackReversal = "PAYMENT_AWAITING_CHARGEBACK_REVERSAL"
	EventPaymentDunningReceived            = "PAYMENT_DUNNING_RECEIVED"
	EventPaymentDunningRequested           = "PAYMENT_DUNNING_REQUESTED"
	EventPaymentBankSlipViewed             = "PAYMENT_BANK_SLIP_VIEWED"
	EventPaymentCheckoutViewed             = "PAYMENT_CHECKOUT_VIEWED"
)

// Bill payment webhook events (seed 002).
const (
	EventBillCreated        = "BILL_CREATED"
	EventBillPending        = "BILL_PENDING"
	EventBillBankProcessing = "BILL_BANK_PROCESSING"
	EventBillPaid           = "BILL_PAID"
	EventBillCancelled      = "BILL_CANCELLED"
	EventBillFailed         = "BILL_FAILED"
	EventBillRefunded       = "BILL_REFUNDED"
)

// PaymentEvents lists every payment event of the seed, in its order.
var PaymentEvents = []string{
	EventPaymentCreated, EventPaymentAwaitingRiskAnalysis, EventPaymentApprovedByRiskAnalysis,
	EventPaymentReprovedByRiskAnalysis, EventPaymentAuthorized, EventPaymentUpdated,
	EventPaymentConfirmed, EventPaymentReceived, EventPaymentCreditCardCaptureRefused,
	EventPaymentAnticipated, EventPaymentOverdue, EventPaymentDeleted, EventPaymentRestored,
	EventPaymentRefunded, EventPaymentRefundInProgress, EventPaymentReceivedInCashUndone,
	EventPaymentChargebackRequested, EventPaymentChargebackDispute,
	EventPaymentAwaitingChargebackReversal, EventPaymentDunningReceived,
	EventPaymentDunningRequested, EventPaymentBankSlipViewed, EventPaymentCheckoutViewed,
}

// BillEvents lists every bill event of the seed, in its order.
var BillEvents = []string{
	EventBillCreated, EventBillPending, EventBillBankProcessing, EventBillPaid,
	EventBillCancelled, EventBillFailed, EventBillRefunded,
}

// IsPaymentEvent reports whether event is a PAYMENT_* event, known or not.
func IsPaymentEvent(event string) bool { return strings.HasPrefix(event, "PAYMENT_") }

// IsBillEvent reports whether event is a BILL_* event, known or not.
func IsBillEvent(event string) bool { return strings.HasPrefix(event, "BILL_") }

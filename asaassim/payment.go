package asaassim

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"
)

const sandboxBase = "https://sandbox.asaas.com"

// Payment statuses used by the simulator.
const (
	statusPending               = "PENDING"
	statusOverdue               = "OVERDUE"
	statusConfirmed             = "CONFIRMED"
	statusReceived              = "RECEIVED"
	statusReceivedInCash        = "RECEIVED_IN_CASH"
	statusRefunded              = "REFUNDED"
	statusChargebackRequested   = "CHARGEBACK_REQUESTED"
	statusChargebackDispute     = "CHARGEBACK_DISPUTE"
	statusAwaitingChargebackRev = "AWAITING_CHARGEBACK_REVERSAL"
)

type payment struct {
	id          string
	seq         int64
	acct        *account
	customer    *customer
	plan        *installment // nil for a standalone charge
	number      int          // installment number; 0 when standalone
	dateCreated time.Time

	value         decimal.Decimal
	netValue      decimal.Decimal
	originalValue *decimal.Decimal
	interestValue *decimal.Decimal
	description   *string
	// billingType is what the API shows (RECEIVED_IN_CASH after receiveInCash, the
	// chosen method once an UNDEFINED charge is paid). methodType decides the
	// method-only keys and the fee; it never becomes RECEIVED_IN_CASH.
	billingType string
	methodType  string
	status      string

	dueDate, originalDueDate                      time.Time
	paymentDate, clientPaymentDate, confirmedDate *time.Time
	creditDate, estimatedCreditDate               *time.Time
	invoiceNumber                                 string
	nossoNumero                                   *string
	externalReference                             *string
	deleted                                       bool
	card                                          *cardInfo
	receiptURL                                    *string
	discount                                      discountRule
	fine                                          fineRule
	interest                                      interestRule
	splits                                        []*split
	refunds                                       []json.RawMessage // rendered once, kept as JSON so state can be saved
	chargeback                                    *chargebackInfo
	paymentLink                                   *string
	beforeCash                                    *cashUndo // saved by receiveInCash for undoReceivedInCash
	qrImage                                       string    // cached pixQrCode image
	statusBeforeChargeback                        string
	refuseUpdates                                 bool // test control (RefuseUpdates); not saved
}

type discountRule struct {
	value            decimal.Decimal
	dueDateLimitDays int
	typ              string
}

type fineRule struct {
	value decimal.Decimal
	typ   string
}

type interestRule struct {
	value decimal.Decimal
}

type chargebackInfo struct {
	status string // REQUESTED, IN_DISPUTE, DISPUTE_LOST, REVERSED, DONE
	reason string
}

type cashUndo struct {
	status        string
	billingType   string
	value         decimal.Decimal
	netValue      decimal.Decimal
	originalValue *decimal.Decimal
}

func (p *payment) open() bool {
	return !p.deleted && (p.status == statusPending || p.status == statusOverdue)
}

// render is the payment as GET /v3/payments/{id} shows it, key order and
// present-vs-absent keys exactly as FACTS.md "Response shape" lists them.
func (p *payment) render(today time.Time) obj {
	short := p.id[len("pay_"):]
	o := make(obj, 0, 48)
	o.add("object", "payment")
	o.add("id", p.id)
	o.add("dateCreated", fmtDate(p.dateCreated))
	o.add("customer", p.customer.id)
	if p.plan != nil {
		o.add("installment", p.plan.id) // null relational links are omitted
	}
	o.add("checkoutSession", nil)
	o.add("paymentLink", p.paymentLink)
	o.add("value", p.value)
	o.add("netValue", p.netValue)
	o.add("originalValue", decOrNil(p.originalValue))
	o.add("interestValue", decOrNil(p.interestValue))
	o.add("description", p.description)
	o.add("billingType", p.billingType)
	switch p.methodType {
	case "BOLETO", "UNDEFINED":
		// UNDEFINED can be paid by boleto, so it is shaped like one (invented).
		o.add("canBePaidAfterDueDate", true)
	case "CREDIT_CARD":
		o.add("confirmedDate", dateOrNil(p.confirmedDate))
		o.add("creditCard", p.card.render())
	}
	o.add("pixTransaction", nil)
	o.add("status", p.status)
	o.add("dueDate", fmtDate(p.dueDate))
	o.add("originalDueDate", fmtDate(p.originalDueDate))
	o.add("paymentDate", dateOrNil(p.paymentDate))
	o.add("clientPaymentDate", dateOrNil(p.clientPaymentDate))
	if p.number > 0 {
		o.add("installmentNumber", p.number)
	} else {
		o.add("installmentNumber", nil)
	}
	o.add("invoiceUrl", sandboxBase+"/i/"+short)
	o.add("invoiceNumber", p.invoiceNumber)
	o.add("externalReference", p.externalReference)
	o.add("deleted", p.deleted)
	o.add("anticipated", false)
	o.add("anticipable", p.anticipable(today))
	o.add("creditDate", dateOrNil(p.creditDate))
	o.add("estimatedCreditDate", dateOrNil(p.estimatedCreditDate))
	o.add("transactionReceiptUrl", p.receiptURL)
	o.add("nossoNumero", p.nossoNumero)
	if p.nossoNumero != nil {
		o.add("bankSlipUrl", sandboxBase+"/b/pdf/"+short)
	} else {
		o.add("bankSlipUrl", nil)
	}
	o.add("lastInvoiceViewedDate", nil)
	o.add("lastBankSlipViewedDate", nil)
	o.add("discount", obj{
		// limitDate is null in every capture, dueDateLimitDays 0 included.
		{"value", p.discount.value}, {"limitDate", nil},
		{"dueDateLimitDays", p.discount.dueDateLimitDays}, {"type", p.discount.typ},
	})
	o.add("fine", obj{{"value", p.fine.value}, {"type", p.fine.typ}})
	o.add("interest", obj{{"value", p.interest.value}, {"type", "PERCENTAGE"}})
	if len(p.splits) > 0 {
		// Position from the public OpenAPI spec (after interest); no capture
		// shows a split. No split key at all on charges without one (FACTS).
		items := make([]obj, len(p.splits))
		for i, sp := range p.splits {
			items[i] = sp.render()
		}
		o.add("split", items)
	}
	o.add("postalService", false)
	if p.chargeback != nil {
		// Position from the OpenAPI spec; the shape {status, reason} from seed 001.
		o.add("chargeback", obj{{"status", p.chargeback.status}, {"reason", p.chargeback.reason}})
	}
	o.add("escrow", nil)
	if len(p.refunds) > 0 {
		o.add("refunds", p.refunds)
	} else {
		o.add("refunds", nil)
	}
	return o
}

// anticipable (FACTS): PIX never; boleto only while pending, due within 90 days
// and within the account's anticipation limit (R$ 66.66 on the captured account);
// card charges were false in every capture, pending or confirmed.
func (p *payment) anticipable(today time.Time) bool {
	if p.deleted || p.status != statusPending || p.billingType != "BOLETO" {
		return false
	}
	return daysBetween(today, p.dueDate) <= 90 && !p.value.GreaterThan(p.acct.anticipationLimit)
}

// recomputeNet sets netValue from the value and the current method's fee.
func (p *payment) recomputeNet() {
	total, n := p.value, 1
	if p.plan != nil && p.methodType == "CREDIT_CARD" && p.billingType == "CREDIT_CARD" {
		total, n = p.plan.value, p.plan.count
	}
	fee := feeFor(p.billingType, p.value, total, n)
	p.netValue = p.value.Sub(fee)
	if p.netValue.IsNegative() {
		p.netValue = decimal.Zero
	}
}

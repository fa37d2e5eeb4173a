package asaassim

import (
	"time"

	"github.com/shopspring/decimal"
)

// Status flows from seed 001. Every function here runs under s.mu, changes
// nothing when it returns an error, and emits the webhook of the move.

// PayOptions describes a simulated payer's payment. Zero fields take defaults:
// the charge's own method (PIX for UNDEFINED), what the charge asks on that day
// (its value, less the discount in time, plus fine and interest when late: see
// amountDue), today.
type PayOptions struct {
	BillingType string          `json:"billingType"`
	Value       decimal.Decimal `json:"value"`
	Date        string          `json:"date"`
}

// payMethods: which method may pay a charge of each type. A boleto carries a
// PIX QR code, so it can be paid either way; UNDEFINED lets the payer choose.
// Invented (not captured).
var payMethods = map[string]map[string]bool{
	"BOLETO":      {"BOLETO": true, "PIX": true},
	"PIX":         {"PIX": true},
	"CREDIT_CARD": {"CREDIT_CARD": true},
	"UNDEFINED":   {"BOLETO": true, "PIX": true, "CREDIT_CARD": true},
}

func (s *Server) pay(p *payment, o PayOptions) *Error {
	if !p.open() {
		return invalidAction("A cobrança não está aguardando pagamento (status " + p.status + ").")
	}
	method := o.BillingType
	if method == "" {
		method = p.methodType
		if method == "UNDEFINED" {
			method = "PIX"
		}
	}
	if !payMethods[p.methodType][method] {
		return badRequest("invalid_billingType", "Uma cobrança "+p.methodType+" não pode ser paga com "+method+".")
	}
	date, err := s.optDate(o.Date)
	if err != nil {
		return err
	}
	value := p.amountDue(date)
	if !o.Value.IsZero() {
		if !o.Value.IsPositive() || o.Value.Exponent() < -2 {
			return badRequest("invalid_value", "O valor pago é inválido.")
		}
		value = o.Value
	}
	if method != "CREDIT_CARD" {
		s.receive(p, method, value, date)
		return nil
	}
	if p.plan != nil && p.plan.billingType == "CREDIT_CARD" {
		// One authorisation for the whole plan: every open parcel is confirmed at its
		// value (no discount, fine or interest on a card plan: invented).
		if !o.Value.IsZero() && !o.Value.Equal(p.value) {
			return badRequest("invalid_value", "Um parcelamento no cartão é pago pelo valor das parcelas.")
		}
		var open []*payment
		for _, q := range p.plan.parcels {
			if q.open() {
				open = append(open, q)
			}
		}
		s.confirmCard(open, s.sandboxCardInfo(p.acct), date)
		return nil
	}
	s.changeValue(p, value, date)
	s.confirmCard([]*payment{p}, s.sandboxCardInfo(p.acct), date)
	return nil
}

// changeValue applies a paid amount that differs from the charge: value = paid,
// originalValue = the charge's value (seed 001), and interestValue = the excess
// (fine + interest) when paid after the due date (invented: no capture shows a
// late payment).
func (s *Server) changeValue(p *payment, paid decimal.Decimal, date time.Time) {
	if paid.Equal(p.value) {
		return
	}
	orig := p.value
	p.originalValue = &orig
	if paid.GreaterThan(orig) && date.After(p.dueDate) {
		extra := paid.Sub(orig)
		p.interestValue = &extra
	}
	p.value = paid
}

// receive: PIX and boleto go PENDING/OVERDUE -> RECEIVED directly (seed 001,
// FACTS). The money lands the same day in the simulator (invented: boleto
// compensation delay not modelled). Splits become DONE and are credited.
func (s *Server) receive(p *payment, method string, value decimal.Decimal, date time.Time) {
	s.changeValue(p, value, date)
	p.billingType, p.methodType = method, method
	p.recomputeNet()
	p.status = statusReceived
	p.paymentDate, p.clientPaymentDate = datePtr(date), datePtr(date)
	p.creditDate, p.estimatedCreditDate = datePtr(date), datePtr(date)
	p.receiptURL = s.newReceiptURL()
	p.resetSplits(splitPending)
	p.creditSplits()
	s.emitPayment(p, "PAYMENT_RECEIVED")
}

// confirmCard: card charges are CONFIRMED first (authorised; credit date in the
// future), RECEIVED when settled. A plan's parcels share card and receipt.
func (s *Server) confirmCard(charges []*payment, card *cardInfo, date time.Time) {
	receipt := s.newReceiptURL()
	for _, p := range charges {
		p.billingType, p.methodType = "CREDIT_CARD", "CREDIT_CARD"
		p.card = card
		p.recomputeNet()
		p.status = statusConfirmed
		p.cardCredit(date)
		p.receiptURL = receipt
		p.resetSplits(splitAwaitingCredit)
		if p.plan != nil && p.plan.billingType == "CREDIT_CARD" {
			p.plan.card, p.plan.receiptURL, p.plan.paymentDate = card, receipt, datePtr(date)
		}
	}
	for _, p := range charges {
		s.emitPayment(p, "PAYMENT_CONFIRMED")
	}
}

// settle: CONFIRMED -> RECEIVED when the card money is credited; paymentDate is
// the given day or the charge's creditDate.
func (s *Server) settle(p *payment, date string) *Error {
	if p.status != statusConfirmed {
		return invalidAction("Só cobranças confirmadas podem ser liquidadas (status " + p.status + ").")
	}
	day := *p.creditDate
	if date != "" {
		d, err := s.optDate(date)
		if err != nil {
			return err
		}
		day = d
	}
	s.markReceived(p, day)
	return nil
}

func (s *Server) markReceived(p *payment, day time.Time) {
	p.status = statusReceived
	p.paymentDate = datePtr(day)
	p.creditDate = datePtr(day)
	p.creditSplits()
	s.emitPayment(p, "PAYMENT_RECEIVED")
}

// markOverdue: PENDING -> OVERDUE. The control API may force it before the due
// date (useful in tests); Tick applies it to charges past due.
func (s *Server) markOverdue(p *payment) *Error {
	if p.deleted || p.status != statusPending {
		return invalidAction("Só cobranças pendentes podem vencer (status " + p.status + ").")
	}
	p.status = statusOverdue
	s.emitPayment(p, "PAYMENT_OVERDUE")
	return nil
}

// refund: PIX/boleto after RECEIVED; card while CONFIRMED or after RECEIVED
// (seed 001). Splits become REFUNDED and credited amounts are taken back.
func (s *Server) refund(p *payment, description *string) *Error {
	switch {
	case p.status == statusReceived:
	case p.status == statusConfirmed && p.methodType == "CREDIT_CARD":
	case p.status == statusReceivedInCash:
		return invalidAction("Um recebimento em dinheiro não é estornado: desfaça-o com undoReceivedInCash.")
	default:
		return invalidAction("Não é possível estornar uma cobrança com status " + p.status + ".")
	}
	credited := p.status == statusReceived
	var refundedSplits []obj
	for _, sp := range p.splits {
		if sp.status != splitBlocked {
			refundedSplits = append(refundedSplits, obj{{"id", sp.id}, {"value", sp.total}, {"done", true}})
		}
	}
	now := s.now()
	refund := obj{
		// Keys of the OpenAPI PaymentRefundGetResponseDTO; values invented.
		{"dateCreated", now.Format("2006-01-02 15:04:05")},
		{"status", "DONE"},
		{"value", p.value},
		{"endToEndIdentifier", nil},
		{"description", description},
		{"effectiveDate", now.Format("2006-01-02 15:04:05")},
		{"transactionReceiptUrl", *s.newReceiptURL()},
		{"refundedSplits", refundedSplits},
	}
	p.debitSplits(credited)
	p.refunds = append(p.refunds, encodeJSON(refund))
	p.status = statusRefunded
	s.emitPayment(p, "PAYMENT_REFUNDED")
	return nil
}

// receiveInCash: the charge is marked paid outside Asaas: status
// RECEIVED_IN_CASH, webhook PAYMENT_RECEIVED with billingType RECEIVED_IN_CASH
// (seed 001), no fee (netValue = value: no money moved), and the Asaas split is
// CANCELLED (receiveInCash cancels the split: README, "How money is handled").
func (s *Server) receiveInCash(p *payment, date time.Time, value decimal.Decimal) *Error {
	if !p.open() {
		return invalidAction("Só é possível confirmar em dinheiro cobranças aguardando pagamento ou vencidas (status " + p.status + ").")
	}
	p.beforeCash = &cashUndo{status: p.status, billingType: p.billingType, value: p.value, netValue: p.netValue, originalValue: p.originalValue}
	s.changeValue(p, value, date)
	p.interestValue = nil
	p.billingType = statusReceivedInCash
	p.netValue = p.value
	p.status = statusReceivedInCash
	p.paymentDate, p.clientPaymentDate = datePtr(date), datePtr(date)
	p.setSplits(splitCancelled, "PAYMENT_RECEIVED_IN_CASH")
	s.emitPayment(p, "PAYMENT_RECEIVED")
	return nil
}

// undoReceivedInCash restores the charge as it was and re-opens its split.
func (s *Server) undoReceivedInCash(p *payment) *Error {
	if p.status != statusReceivedInCash || p.beforeCash == nil {
		return invalidAction("A cobrança não foi recebida em dinheiro (status " + p.status + ").")
	}
	b := p.beforeCash
	p.status, p.billingType, p.value, p.netValue, p.originalValue = b.status, b.billingType, b.value, b.netValue, b.originalValue
	p.beforeCash = nil
	p.paymentDate, p.clientPaymentDate = nil, nil
	p.resetSplits(splitPending)
	s.emitPayment(p, "PAYMENT_RECEIVED_IN_CASH_UNDONE")
	return nil
}

// Chargeback (card only), seed 001:
//   CONFIRMED|RECEIVED -> CHARGEBACK_REQUESTED -> [CHARGEBACK_DISPUTE ->
//   AWAITING_CHARGEBACK_REVERSAL -> CONFIRMED|RECEIVED] or -> REFUNDED.
// The chargeback object's statuses follow the OpenAPI enum.

func (s *Server) chargeback(p *payment, reason string) *Error {
	if p.methodType != "CREDIT_CARD" || (p.status != statusConfirmed && p.status != statusReceived) {
		return invalidAction("Só cobranças de cartão confirmadas ou recebidas podem receber chargeback (status " + p.status + ").")
	}
	if reason == "" {
		reason = "PROCESS_ERROR"
	}
	p.statusBeforeChargeback = p.status
	p.status = statusChargebackRequested
	p.chargeback = &chargebackInfo{status: "REQUESTED", reason: reason}
	s.emitPayment(p, "PAYMENT_CHARGEBACK_REQUESTED")
	return nil
}

func (s *Server) chargebackDispute(p *payment) *Error {
	if p.status != statusChargebackRequested {
		return invalidAction("Só um chargeback solicitado pode ser disputado (status " + p.status + ").")
	}
	p.status = statusChargebackDispute
	p.chargeback.status = "IN_DISPUTE"
	s.emitPayment(p, "PAYMENT_CHARGEBACK_DISPUTE")
	return nil
}

// chargebackResolve: won (the merchant wins the dispute) -> AWAITING_CHARGEBACK_
// REVERSAL; lost (disputed or not) -> REFUNDED.
func (s *Server) chargebackResolve(p *payment, won bool) *Error {
	if won {
		if p.status != statusChargebackDispute {
			return invalidAction("Só um chargeback em disputa pode ser ganho (status " + p.status + ").")
		}
		p.status = statusAwaitingChargebackRev
		s.emitPayment(p, "PAYMENT_AWAITING_CHARGEBACK_REVERSAL")
		return nil
	}
	if p.status != statusChargebackRequested && p.status != statusChargebackDispute {
		return invalidAction("A cobrança não tem chargeback em aberto (status " + p.status + ").")
	}
	p.chargeback.status = "DONE"
	if p.status == statusChargebackDispute {
		p.chargeback.status = "DISPUTE_LOST"
	}
	p.debitSplits(p.statusBeforeChargeback == statusReceived)
	p.status = statusRefunded
	s.emitPayment(p, "PAYMENT_REFUNDED")
	return nil
}

// chargebackReversal ends a won dispute: the charge returns to CONFIRMED, or to
// RECEIVED when it was received or its credit date has come.
func (s *Server) chargebackReversal(p *payment) *Error {
	if p.status != statusAwaitingChargebackRev {
		return invalidAction("A cobrança não aguarda repasse de chargeback (status " + p.status + ").")
	}
	p.chargeback.status = "REVERSED"
	if p.statusBeforeChargeback == statusReceived {
		p.status = statusReceived
		s.emitPayment(p, "PAYMENT_RECEIVED")
		return nil
	}
	if today := s.today(); !today.Before(*p.creditDate) {
		s.markReceived(p, today)
		return nil
	}
	p.status = statusConfirmed
	s.emitPayment(p, "PAYMENT_CONFIRMED")
	return nil
}

// optDate parses an optional "YYYY-MM-DD" (empty = today).
func (s *Server) optDate(v string) (time.Time, *Error) {
	if v == "" {
		return s.today(), nil
	}
	d, ok := parseDate(v)
	if !ok {
		return time.Time{}, controlError(400, "invalid_date", "date must be YYYY-MM-DD")
	}
	return d, nil
}

package asaassim

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/shopspring/decimal"
)

// The life of a charge after it is issued: PUT /v3/payments/{id} (value and due
// date of a charge still waiting for payment, PAYMENT_UPDATED), partial refunds
// (POST /v3/payments/{id}/refund {value}), a refund in progress and its outcome,
// and the control of a charge's split status. No capture shows any of it: what
// the public documentation does not say is marked invented.

func (s *Server) lifeRoutes() {
	m := s.mux
	m.Handle("PUT /v3/payments/{id}", s.api(s.updatePaymentAPI))

	action := func(run func(id string, r *http.Request) error) http.Handler {
		return s.control(func(r *http.Request) (any, *Error) {
			id := r.PathValue("id")
			if err := run(id, r); err != nil {
				return nil, err.(*Error)
			}
			p, _ := s.Payment(id)
			return p, nil
		})
	}
	m.Handle("POST /_sim/payments/{id}/partial-refund", action(func(id string, r *http.Request) error {
		var in struct {
			Value       decimal.Decimal `json:"value"`
			Description string          `json:"description"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.RefundValue(id, in.Value, in.Description)
	}))
	m.Handle("POST /_sim/payments/{id}/undo-cash", action(func(id string, _ *http.Request) error { return s.UndoReceivedInCash(id) }))
	m.Handle("POST /_sim/payments/{id}/refund-in-progress", action(func(id string, _ *http.Request) error { return s.RefundInProgress(id) }))
	m.Handle("POST /_sim/payments/{id}/refund-outcome", action(func(id string, r *http.Request) error {
		var in struct {
			Done bool `json:"done"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.RefundOutcome(id, in.Done)
	}))
	m.Handle("POST /_sim/payments/{id}/split-status", action(func(id string, r *http.Request) error {
		var in struct {
			WalletID      string `json:"walletId"`
			Status        string `json:"status"`
			RefusalReason string `json:"refusalReason"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.SetSplitStatus(id, in.WalletID, in.Status, in.RefusalReason)
	}))
	m.Handle("POST /_sim/payments/{id}/refuse-updates", action(func(id string, r *http.Request) error {
		var in struct {
			Refuse bool `json:"refuse"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.RefuseUpdates(id, in.Refuse)
	}))
}

// updatePaymentAPI: PUT /v3/payments/{id} with value and/or dueDate (other keys
// are accepted and ignored: the simulator changes only these two). Only a
// PENDING or OVERDUE charge changes; a dueDate before today, a value that no
// longer covers the split, and a parcel's value (its plan holds the total) are
// refused. An OVERDUE charge whose due date moves to today or later is PENDING
// again. Texts and the last three rules invented.
func (s *Server) updatePaymentAPI(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.livePayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !p.open() {
		return nil, invalidAction("Só é possível alterar cobranças aguardando pagamento ou vencidas; esta está " + p.status + ".")
	}
	if p.refuseUpdates {
		return nil, invalidAction("Não é possível alterar esta cobrança.")
	}
	value, hasValue, ok := b.dec("value")
	if !ok || (hasValue && (!value.IsPositive() || value.Exponent() < -2)) {
		return nil, badRequest("invalid_value", "O valor da cobrança é inválido.")
	}
	due := p.dueDate
	if raw, present, ok := b.str("dueDate"); !ok {
		return nil, badRequest("invalid_dueDate", "A data de vencimento é inválida.")
	} else if present {
		d, ok := parseDate(raw)
		if !ok {
			return nil, badRequest("invalid_dueDate", "A data de vencimento é inválida.")
		}
		if d.Before(s.today()) {
			return nil, badRequest("invalid_dueDate", "A data de vencimento não pode ser anterior à data atual.")
		}
		due = d
	}
	if hasValue && !value.Equal(p.value) {
		if p.plan != nil {
			return nil, invalidAction("O valor de uma parcela não pode ser alterado: altere o parcelamento.")
		}
		fee := feeFor(p.billingType, value, value, 1)
		if err := checkSplitFits(inputsOf(p.splits), value.Sub(fee)); err != nil {
			return nil, err
		}
		p.value = value
		p.recomputeNet()
		p.resetSplits(splitPending)
	}
	p.dueDate = due
	if p.status == statusOverdue && !due.Before(s.today()) {
		p.status = statusPending
	}
	s.emitPayment(p, "PAYMENT_UPDATED")
	return p.render(s.today()), nil
}

// refundedSoFar is the sum of the charge's refunds.
func (p *payment) refundedSoFar() decimal.Decimal {
	sum := decimal.Zero
	for _, raw := range p.refunds {
		var r struct {
			Value decimal.Decimal `json:"value"`
		}
		if json.Unmarshal(raw, &r) == nil {
			sum = sum.Add(r.Value)
		}
	}
	return sum
}

// refundValue refunds part of a received charge (PIX allows several partial
// refunds whose sum stays within the value: docs.asaas.com "Refund payment").
// Invented where the documentation is silent: the charge stays RECEIVED (or
// CONFIRMED) while its refunds add up to less than its value, each partial refund
// is one refunds[] item (status DONE) and one PAYMENT_PARTIALLY_REFUNDED event
// (an event public integrations of Asaas handle; seed 001 does not list it); the
// refund that completes the value is PAYMENT_REFUNDED with status REFUNDED, as a
// whole refund. A partial refund comes out of the account's balance, not out of
// the split wallets (Asaas's refund docs: without splitRefunds the value is
// deducted from the main charge).
func (s *Server) refundValue(p *payment, value decimal.Decimal, present bool, description *string) *Error {
	done := p.refundedSoFar()
	if !present {
		value = p.value.Sub(done) // what is left
	}
	if done.IsZero() && value.Equal(p.value) {
		return s.refund(p, description)
	}
	switch {
	case p.status == statusReceived:
	case p.status == statusConfirmed && p.methodType == "CREDIT_CARD":
	default:
		return invalidAction("Não é possível estornar uma cobrança com status " + p.status + ".")
	}
	left := p.value.Sub(done)
	if !value.IsPositive() || value.Exponent() < -2 || value.GreaterThan(left) {
		return badRequest("invalid_value", "O valor do estorno deve ser positivo e no máximo "+brl(left)+".")
	}
	now := s.now()
	refund := obj{
		{"dateCreated", now.Format("2006-01-02 15:04:05")},
		{"status", "DONE"},
		{"value", value},
		{"endToEndIdentifier", nil},
		{"description", description},
		{"effectiveDate", now.Format("2006-01-02 15:04:05")},
		{"transactionReceiptUrl", *s.newReceiptURL()},
		{"refundedSplits", []obj{}},
	}
	p.refunds = append(p.refunds, encodeJSON(refund))
	credited := p.status == statusReceived
	if value.Equal(left) {
		p.debitSplits(credited)
		if credited {
			p.acct.balance = p.acct.balance.Add(done) // debitSplits took the whole net; the partial refunds were taken already
		}
		p.status = statusRefunded
		s.emitPayment(p, "PAYMENT_REFUNDED")
		return nil
	}
	if credited {
		p.acct.balance = p.acct.balance.Sub(value)
	}
	s.emitPayment(p, "PAYMENT_PARTIALLY_REFUNDED")
	return nil
}

// RefundValue refunds value of a received charge (all of it when value is zero).
func (s *Server) RefundValue(paymentID string, value decimal.Decimal, description string) error {
	var desc *string
	if description != "" {
		desc = &description
	}
	return s.withPayment(paymentID, func(p *payment) *Error { return s.refundValue(p, value, !value.IsZero(), desc) })
}

// UndoReceivedInCash is POST /v3/payments/{id}/undoReceivedInCash as the account's
// user would do it in the Asaas panel: PAYMENT_RECEIVED_IN_CASH_UNDONE.
func (s *Server) UndoReceivedInCash(paymentID string) error {
	return s.withPayment(paymentID, s.undoReceivedInCash)
}

// RefundInProgress: a refund Asaas has scheduled (REFUND_IN_PROGRESS, seed 001:
// "liquidação já está agendada, cobrança será estornada após executar a
// liquidação"). RefundOutcome ends it: done refunds the charge in full
// (PAYMENT_REFUNDED); not done returns it to its status with
// PAYMENT_REFUND_DENIED (invented: not in seed 001, named by public integrations).
func (s *Server) RefundInProgress(paymentID string) error {
	return s.withPayment(paymentID, func(p *payment) *Error {
		if p.status != statusReceived && !(p.status == statusConfirmed && p.methodType == "CREDIT_CARD") {
			return invalidAction("Não é possível estornar uma cobrança com status " + p.status + ".")
		}
		p.statusBeforeChargeback = p.status // the status it returns to (the field is the charge's "status before")
		p.status = "REFUND_IN_PROGRESS"
		s.emitPayment(p, "PAYMENT_REFUND_IN_PROGRESS")
		return nil
	})
}

// RefundOutcome ends a refund in progress.
func (s *Server) RefundOutcome(paymentID string, done bool) error {
	return s.withPayment(paymentID, func(p *payment) *Error {
		if p.status != "REFUND_IN_PROGRESS" {
			return invalidAction("A cobrança não tem estorno em processamento (status " + p.status + ").")
		}
		p.status = p.statusBeforeChargeback
		if done {
			return s.refund(p, nil)
		}
		s.emitPayment(p, "PAYMENT_REFUND_DENIED")
		return nil
	})
}

// SetSplitStatus sets the status of the charge's splits to one wallet (every
// split when walletID is ""): REFUSED (with refusalReason) or CANCELLED, as Asaas
// may decide on its own. A split already paid to its wallet is taken back from
// it. Invented: Asaas sends no webhook for it; the product reads it back.
func (s *Server) SetSplitStatus(paymentID, walletID, status, reason string) error {
	return s.withPayment(paymentID, func(p *payment) *Error {
		if status != splitRefused && status != splitCancelled {
			return controlError(http.StatusBadRequest, "invalid_status", "status must be REFUSED or CANCELLED")
		}
		found := false
		for _, sp := range p.splits {
			if walletID != "" && !strings.EqualFold(sp.wallet.WalletID, walletID) {
				continue
			}
			found = true
			if sp.credited {
				sp.wallet.balance = sp.wallet.balance.Sub(sp.total)
				p.acct.balance = p.acct.balance.Add(sp.total)
				sp.credited = false
			}
			sp.status = status
			sp.refusalReason, sp.cancellationReason = nil, nil
			if reason != "" {
				r := reason
				if status == splitRefused {
					sp.refusalReason = &r
				} else {
					sp.cancellationReason = &r
				}
			}
		}
		if !found {
			return controlError(http.StatusNotFound, "not_found", "the charge has no split to that wallet")
		}
		return nil
	})
}

// RefuseUpdates makes PUT /v3/payments/{id} refuse to change the charge (a test
// control for the product's fall-back: delete and issue again). Not saved with
// the simulator's state.
func (s *Server) RefuseUpdates(paymentID string, refuse bool) error {
	return s.withPayment(paymentID, func(p *payment) *Error {
		p.refuseUpdates = refuse
		return nil
	})
}

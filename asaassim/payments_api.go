package asaassim

import (
	"net/http"
	"strconv"
)

// createPayment: POST /v3/payments. With installmentCount it creates a plan and
// answers its FIRST parcel (FACTS). Creation answers 200, never 201.
func (s *Server) createPayment(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.parseCharge(a, b, modePayment)
	if err != nil {
		return nil, err
	}
	_, charges := s.createCharges(a, in)
	return charges[0].render(s.today()), nil
}

// ownPayment finds a charge of the account (deleted ones included: GET of a
// deleted charge still answers).
func (s *Server) ownPayment(a *account, id string) (*payment, *Error) {
	p := s.st.payments[id]
	if p == nil || p.acct != a {
		return nil, notFound("Cobrança")
	}
	return p, nil
}

// livePayment is ownPayment for actions: a deleted charge is not found.
func (s *Server) livePayment(a *account, id string) (*payment, *Error) {
	p, err := s.ownPayment(a, id)
	if err == nil && p.deleted {
		return nil, notFound("Cobrança")
	}
	return p, err
}

func (s *Server) getPayment(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.ownPayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return p.render(s.today()), nil
}

// listPayments: GET /v3/payments with customer, externalReference, installment,
// status and billingType filters; deleted charges are left out. The walk starts
// from the most selective index given.
func (s *Server) listPayments(a *account, r *http.Request) (any, *Error) {
	q := r.URL.Query()
	cust, ext, plan := q.Get("customer"), q.Get("externalReference"), q.Get("installment")
	status, bt := q.Get("status"), q.Get("billingType")
	s.mu.Lock()
	defer s.mu.Unlock()
	items := a.payments
	switch {
	case plan != "":
		items = nil
		if in := s.st.installments[plan]; in != nil && in.acct == a {
			items = in.parcels
		}
	case ext != "":
		items = a.payByExt[ext]
	case cust != "":
		items = a.payByCust[cust]
	}
	match := func(p *payment) bool {
		return !p.deleted &&
			(cust == "" || p.customer.id == cust) &&
			(ext == "" || (p.externalReference != nil && *p.externalReference == ext)) &&
			(plan == "" || (p.plan != nil && p.plan.id == plan)) &&
			(status == "" || p.status == status) &&
			(bt == "" || p.billingType == bt)
	}
	today := s.today()
	return listPage(items, match, parsePage(q), func(p *payment) obj { return p.render(today) }), nil
}

// deletePayment: DELETE /v3/payments/{id}. Only PENDING/OVERDUE charges can be
// removed; a parcel cannot be removed while a LATER parcel of its plan is still
// open (seed 000: cancellation goes last to first). The charge keeps its status,
// becomes deleted and leaves the lists. Error texts invented.
func (s *Server) deletePayment(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.livePayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !p.open() {
		return nil, invalidAction("Só é possível remover cobranças aguardando pagamento ou vencidas; esta está " + p.status + ".")
	}
	if p.plan != nil {
		for _, later := range p.plan.parcels[p.number:] {
			if later.open() {
				return nil, invalidAction("Não é possível remover a parcela " + strconv.Itoa(p.number) +
					" enquanto a parcela " + strconv.Itoa(later.number) + " do mesmo parcelamento estiver em aberto: remova as parcelas da última para a primeira.")
			}
		}
	}
	p.deleted = true
	p.setSplits(splitCancelled, "PAYMENT_DELETED")
	s.emitPayment(p, "PAYMENT_DELETED")
	return obj{{"deleted", true}, {"id", p.id}}, nil
}

// restorePayment: POST /v3/payments/{id}/restore undoes a deletion.
func (s *Server) restorePayment(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.ownPayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !p.deleted {
		return nil, invalidAction("Só é possível restaurar cobranças removidas.")
	}
	p.deleted = false
	p.setSplits(splitPending, "")
	s.emitPayment(p, "PAYMENT_RESTORED")
	return p.render(s.today()), nil
}

// receiveInCash: POST /v3/payments/{id}/receiveInCash {paymentDate, value,
// notifyCustomer}. Texts invented.
func (s *Server) receiveInCashAPI(a *account, r *http.Request) (any, *Error) {
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
	raw, present, _ := b.str("paymentDate")
	if !present {
		return nil, badRequest("invalid_paymentDate", "Informe a data de pagamento.")
	}
	date, ok := parseDate(raw)
	if !ok {
		return nil, badRequest("invalid_paymentDate", "A data de pagamento informada é inválida.")
	}
	if date.After(s.today()) {
		return nil, badRequest("invalid_paymentDate", "A data de pagamento não pode ser posterior à data atual.")
	}
	v, present, ok := b.dec("value")
	if !present {
		return nil, badRequest("invalid_value", "Informe o valor recebido.")
	}
	if !ok || !v.IsPositive() || v.Exponent() < -2 {
		return nil, badRequest("invalid_value", "O valor recebido é inválido.")
	}
	if _, _, ok := b.boolean("notifyCustomer"); !ok {
		return nil, badRequest("invalid_notifyCustomer", "O campo notifyCustomer é inválido.")
	}
	if err := s.receiveInCash(p, date, v); err != nil {
		return nil, err
	}
	return p.render(s.today()), nil
}

func (s *Server) undoReceivedInCashAPI(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.livePayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := s.undoReceivedInCash(p); err != nil {
		return nil, err
	}
	return p.render(s.today()), nil
}

// refundAPI: POST /v3/payments/{id}/refund {value?, description?}: the whole
// value, or part of it (refundValue).
func (s *Server) refundAPI(a *account, r *http.Request) (any, *Error) {
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
	v, present, ok := b.dec("value")
	if !ok {
		return nil, badRequest("invalid_value", "O valor do estorno é inválido.")
	}
	desc, _ := b.optStr("description")
	if err := s.refundValue(p, v, present, desc); err != nil {
		return nil, err
	}
	return p.render(s.today()), nil
}

package asaassim

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

type chargeMode int

const (
	modePayment     chargeMode = iota // POST /v3/payments (a plan when installmentCount is sent)
	modeInstallment                   // POST /v3/installments
)

// Parcel limits: invented (Asaas's limits depend on the account and method).
const (
	maxCardParcels  = 21
	maxOtherParcels = 60
)

// chargeInput is a validated create request: nothing is written until every
// field has passed.
type chargeInput struct {
	customer          *customer
	billingType       string
	count             int               // parcels; 0 for a standalone charge
	values            []decimal.Decimal // one per charge
	total             decimal.Decimal
	dueDate           time.Time
	description       *string
	externalReference *string
	discount          discountRule
	fine              fineRule
	interest          interestRule
	splits            []splitInput
	card              *cardInfo // approved card: the charges are born CONFIRMED
	paymentLink       *string
}

var billingTypes = map[string]bool{"BOLETO": true, "PIX": true, "CREDIT_CARD": true, "UNDEFINED": true}

// parseCharge validates a create request field by field and stops at the first
// failure, like the API (capture: {} -> only invalid_customer). Only that first
// error is captured; every other code and text is invented. Caller holds s.mu.
func (s *Server) parseCharge(a *account, b body, mode chargeMode) (*chargeInput, *Error) {
	in := &chargeInput{}
	custID, _, _ := b.str("customer")
	c := s.st.customers[custID]
	if c == nil || c.acct != a || c.deleted {
		return nil, badRequest("invalid_customer", "Customer inválido ou não informado.")
	}
	in.customer = c

	bt, _, ok := b.str("billingType")
	if !ok || !billingTypes[bt] {
		return nil, badRequest("invalid_billingType", "Informe uma forma de pagamento válida: BOLETO, CREDIT_CARD, PIX ou UNDEFINED.")
	}
	in.billingType = bt

	if err := s.parseValues(b, mode, in); err != nil {
		return nil, err
	}

	due, present, ok := b.str("dueDate")
	if !present {
		return nil, badRequest("invalid_dueDate", "Informe a data de vencimento da cobrança.")
	}
	if in.dueDate, ok = parseDate(due); !ok {
		return nil, badRequest("invalid_dueDate", "A data de vencimento informada é inválida.")
	}
	if in.dueDate.Before(s.today()) {
		return nil, badRequest("invalid_dueDate", "A data de vencimento não pode ser anterior à data atual.")
	}

	if in.description, ok = b.optStr("description"); !ok || (in.description != nil && utf8.RuneCountInString(*in.description) > 500) {
		return nil, badRequest("invalid_description", "A descrição deve ter no máximo 500 caracteres.")
	}
	refKey := "externalReference"
	if mode == modeInstallment {
		refKey = "paymentExternalReference" // set on every parcel (OpenAPI)
	}
	if in.externalReference, ok = b.optStr(refKey); !ok {
		return nil, badRequest("invalid_"+refKey, "O "+refKey+" informado é inválido.")
	}
	if err := parseRules(b, in); err != nil {
		return nil, err
	}

	splitKey := "split"
	if mode == modeInstallment {
		splitKey = "splits" // the endpoint's own name (OpenAPI InstallmentSaveRequestDTO)
	}
	splits, err := s.parseSplits(a, b, splitKey, in.count > 0)
	if err != nil {
		return nil, err
	}
	in.splits = splits
	// The split must fit what the account nets from a payment with the discount
	// (the split documentation: the splits never exceed the net value available);
	// refusing it at creation rather than blocking it at payment is invented.
	for i, v := range in.values {
		if err := checkSplitFits(in.parcelSplits(i), v.Sub(in.discount.on(v)).Sub(in.fee(i))); err != nil {
			return nil, err
		}
	}

	if bt == "CREDIT_CARD" {
		card, _, err := s.parseCard(a, b)
		if err != nil {
			return nil, err
		}
		in.card = card
	}
	return in, nil
}

// parcelSplits is the split of charge i.
func (in *chargeInput) parcelSplits(i int) []splitInput {
	return forParcel(in.splits, i, in.count)
}

// fee of charge i of the request.
func (in *chargeInput) fee(i int) decimal.Decimal {
	return feeFor(in.billingType, in.values[i], in.total, max(in.count, 1))
}

// parseValues reads value (standalone) or installmentCount + totalValue |
// installmentValue (POST /v3/payments) / totalValue | value (POST
// /v3/installments; FACTS: 350 in 12x only works via totalValue).
func (s *Server) parseValues(b body, mode chargeMode, in *chargeInput) *Error {
	if mode == modePayment && !b.has("installmentCount") {
		v, present, ok := b.dec("value")
		if !present {
			return badRequest("invalid_value", "Informe o valor da cobrança.")
		}
		if !ok || v.Exponent() < -2 {
			return badRequest("invalid_value", "O valor da cobrança é inválido.")
		}
		if v.LessThan(minChargeValue) {
			return badRequest("invalid_value", "O valor da cobrança deve ser de no mínimo "+brl(minChargeValue)+".")
		}
		in.values, in.total = []decimal.Decimal{v}, v
		return nil
	}
	limit := maxOtherParcels
	if in.billingType == "CREDIT_CARD" {
		limit = maxCardParcels
	}
	n, _, ok := b.integer("installmentCount")
	if !ok || n < 2 || n > limit {
		return badRequest("invalid_installmentCount", "O número de parcelas deve estar entre 2 e "+strconv.Itoa(limit)+".")
	}
	in.count = n
	perKey := "installmentValue"
	if mode == modeInstallment {
		perKey = "value"
	}
	total, hasTotal, okT := b.dec("totalValue")
	per, hasPer, okP := b.dec(perKey)
	switch {
	case !okT || (hasTotal && total.Exponent() < -2):
		return badRequest("invalid_totalValue", "O valor total do parcelamento é inválido.")
	case hasTotal:
		in.total = total
		in.values = splitParcels(total, n)
	case !okP || (hasPer && per.Exponent() < -2):
		return badRequest("invalid_"+perKey, "O valor da parcela é inválido.")
	case hasPer:
		in.values = make([]decimal.Decimal, n)
		for i := range in.values {
			in.values[i] = per
		}
		in.total = per.Mul(decimal.NewFromInt(int64(n)))
	default:
		return badRequest("invalid_totalValue", "Informe o valor total (totalValue) ou o valor de cada parcela ("+perKey+").")
	}
	if in.values[0].LessThan(minChargeValue) {
		return badRequest("invalid_value", "O valor de cada parcela deve ser de no mínimo "+brl(minChargeValue)+".")
	}
	return nil
}

// parseRules reads discount, fine and interest. Defaults (FACTS): discount
// {0, null, 0, FIXED}, fine {0, FIXED}, interest {0, PERCENTAGE}; interest
// without type is PERCENTAGE (captured). A fine sent without type is read as
// PERCENTAGE, the historical meaning of fine.value (invented).
func parseRules(b body, in *chargeInput) *Error {
	in.discount = discountRule{typ: "FIXED"}
	in.fine = fineRule{typ: "FIXED"}
	minValue := in.values[0]
	for _, v := range in.values {
		minValue = decimal.Min(minValue, v)
	}

	if d, present, ok := b.sub("discount"); !ok {
		return badRequest("invalid_discount", "O desconto informado é inválido.")
	} else if present {
		v, _, okV := d.dec("value")
		days, _, okD := d.integer("dueDateLimitDays")
		typ, hasType, okT := d.str("type")
		if !hasType {
			typ = "FIXED"
		}
		switch {
		case !okV || v.IsNegative():
			return badRequest("invalid_discount", "O valor do desconto é inválido.")
		case !okD || days < 0:
			return badRequest("invalid_discount", "O prazo do desconto (dueDateLimitDays) é inválido.")
		case !okT || (typ != "FIXED" && typ != "PERCENTAGE"):
			return badRequest("invalid_discount", "O tipo do desconto deve ser FIXED ou PERCENTAGE.")
		case typ == "PERCENTAGE" && v.GreaterThan(hundred):
			return badRequest("invalid_discount", "O desconto percentual não pode ser maior que 100%.")
		case typ == "FIXED" && !v.LessThan(minValue):
			return badRequest("invalid_discount", "O desconto não pode ser maior ou igual ao valor da cobrança.")
		}
		in.discount = discountRule{value: v, dueDateLimitDays: days, typ: typ}
	}

	if f, present, ok := b.sub("fine"); !ok {
		return badRequest("invalid_fine", "A multa informada é inválida.")
	} else if present {
		v, _, okV := f.dec("value")
		typ, hasType, okT := f.str("type")
		if !hasType {
			typ = "PERCENTAGE"
		}
		switch {
		case !okV || v.IsNegative():
			return badRequest("invalid_fine", "O valor da multa é inválido.")
		case !okT || (typ != "FIXED" && typ != "PERCENTAGE"):
			return badRequest("invalid_fine", "O tipo da multa deve ser FIXED ou PERCENTAGE.")
		case typ == "PERCENTAGE" && v.GreaterThan(hundred):
			return badRequest("invalid_fine", "A multa percentual não pode ser maior que 100%.")
		}
		in.fine = fineRule{value: v, typ: typ}
	}

	if i, present, ok := b.sub("interest"); !ok {
		return badRequest("invalid_interest", "Os juros informados são inválidos.")
	} else if present {
		v, _, okV := i.dec("value")
		if !okV || v.IsNegative() || v.GreaterThan(hundred) {
			return badRequest("invalid_interest", "O percentual de juros é inválido.")
		}
		in.interest = interestRule{value: v}
	}
	return nil
}

// createCharges writes the charges of a validated request, emits their events
// and, for an approved card, confirms them all (FACTS: a card plan's N parcels
// are born CONFIRMED, one authorisation for the total). Caller holds s.mu.
func (s *Server) createCharges(a *account, in *chargeInput) (*installment, []*payment) {
	today := s.today()
	var plan *installment
	if in.count > 0 {
		plan = &installment{
			id: s.ids.uuid(), acct: a, customer: in.customer, value: in.total, count: in.count,
			billingType: in.billingType, description: in.description, expirationDay: in.dueDate.Day(),
			dateCreated: today, paymentLink: in.paymentLink,
		}
		s.st.installments[plan.id] = plan
	}
	charges := make([]*payment, len(in.values))
	for i, v := range in.values {
		p := &payment{
			id: s.newPaymentID(), acct: a, customer: in.customer, plan: plan, dateCreated: today,
			value: v, billingType: in.billingType, methodType: in.billingType, status: statusPending,
			dueDate: in.dueDate, description: in.description, externalReference: in.externalReference,
			discount: in.discount, fine: in.fine, interest: in.interest, paymentLink: in.paymentLink,
		}
		p.netValue = v.Sub(in.fee(i))
		if plan != nil {
			p.number = i + 1
			p.dueDate = addMonths(in.dueDate, i)
			// "Parcela N de M." when no description is sent (FACTS). With one,
			// the real text is unknown; we prefix it (invented).
			text := "Parcela " + strconv.Itoa(i+1) + " de " + strconv.Itoa(in.count) + "."
			if in.description != nil {
				text += " " + *in.description
			}
			p.description = &text
		}
		p.originalDueDate = p.dueDate
		p.invoiceNumber = s.nextInvoiceNumber(a)
		if in.billingType == "BOLETO" || in.billingType == "UNDEFINED" {
			nn := s.nextNossoNumero(a)
			p.nossoNumero = &nn
		}
		p.splits = s.newSplits(in.parcelSplits(i), p.netValue)
		s.addPayment(p)
		charges[i] = p
	}
	for _, p := range charges {
		s.emitPayment(p, "PAYMENT_CREATED")
	}
	if in.card != nil {
		s.confirmCard(charges, s.tokenize(a, in.card), today)
	}
	return plan, charges
}

func (s *Server) newPaymentID() string {
	for {
		id := "pay_" + s.ids.alnum(16)
		if s.st.payments[id] == nil {
			return id
		}
	}
}

func (s *Server) addPayment(p *payment) {
	s.st.paymentSeq++
	p.seq = s.st.paymentSeq
	s.indexPayment(p)
}

// indexPayment files a numbered charge under its account, customer,
// externalReference and plan.
func (s *Server) indexPayment(p *payment) {
	a := p.acct
	s.st.payments[p.id] = p
	a.payments = append(a.payments, p)
	a.payByCust[p.customer.id] = append(a.payByCust[p.customer.id], p)
	if p.externalReference != nil {
		a.payByExt[*p.externalReference] = append(a.payByExt[*p.externalReference], p)
	}
	if p.plan != nil {
		p.plan.parcels = append(p.plan.parcels, p)
	}
}

// receiptURL: https://sandbox.asaas.com/comprovantes/<16 digits> (FACTS).
func (s *Server) newReceiptURL() *string {
	u := sandboxBase + "/comprovantes/" + s.ids.digits(16)
	return &u
}

package asaassim

import (
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// paymentLink: no capture covers payment links. Keys and defaults follow the
// public API reference example; ids are 12 digits (seed 001's example).
type paymentLink struct {
	id                  string
	acct                *account
	name                string
	value               *decimal.Decimal
	billingType         string
	chargeType          string
	subscriptionCycle   *string
	description         *string
	endDate             *time.Time
	dueDateLimitDays    int
	maxInstallmentCount int
	notificationEnabled bool
	isAddressRequired   bool
	externalReference   *string
}

func (l *paymentLink) render() obj {
	return obj{
		{"object", "paymentLink"},
		{"id", l.id},
		{"name", l.name},
		{"value", decOrNil(l.value)},
		{"active", true},
		{"chargeType", l.chargeType},
		{"url", sandboxBase + "/c/" + l.id},
		{"billingType", l.billingType},
		{"subscriptionCycle", l.subscriptionCycle},
		{"description", l.description},
		{"endDate", dateOrNil(l.endDate)},
		{"deleted", false},
		{"viewCount", 0},
		{"maxInstallmentCount", l.maxInstallmentCount},
		{"dueDateLimitDays", l.dueDateLimitDays},
		{"notificationEnabled", l.notificationEnabled},
		{"isAddressRequired", l.isAddressRequired},
		{"externalReference", l.externalReference},
	}
}

var (
	chargeTypes = map[string]bool{"DETACHED": true, "RECURRENT": true, "INSTALLMENT": true}
	cycles      = map[string]bool{"WEEKLY": true, "BIWEEKLY": true, "MONTHLY": true, "BIMONTHLY": true, "QUARTERLY": true, "SEMIANNUALLY": true, "YEARLY": true}
)

// createPaymentLink: POST /v3/paymentLinks. Error codes and texts invented.
func (s *Server) createPaymentLink(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	l := &paymentLink{acct: a, dueDateLimitDays: 10, maxInstallmentCount: 1, notificationEnabled: true}
	var ok bool
	if l.name, _, ok = b.str("name"); !ok || l.name == "" {
		return nil, badRequest("invalid_name", "Informe o nome do link de pagamento.")
	}
	if l.billingType, _, ok = b.str("billingType"); !ok || !billingTypes[l.billingType] {
		return nil, badRequest("invalid_billingType", "Informe uma forma de pagamento válida: BOLETO, CREDIT_CARD, PIX ou UNDEFINED.")
	}
	if l.chargeType, _, ok = b.str("chargeType"); !ok || !chargeTypes[l.chargeType] {
		return nil, badRequest("invalid_chargeType", "Informe o tipo de cobrança: DETACHED, RECURRENT ou INSTALLMENT.")
	}
	if v, present, ok := b.dec("value"); !ok || (present && (v.LessThan(minChargeValue) || v.Exponent() < -2)) {
		return nil, badRequest("invalid_value", "O valor do link deve ser de no mínimo "+brl(minChargeValue)+".")
	} else if present {
		l.value = &v
	}
	if l.description, ok = b.optStr("description"); !ok {
		return nil, badRequest("invalid_description", "A descrição informada é inválida.")
	}
	if raw, present, _ := b.str("endDate"); present {
		d, ok := parseDate(raw)
		if !ok {
			return nil, badRequest("invalid_endDate", "A data de encerramento informada é inválida.")
		}
		l.endDate = &d
	}
	if n, present, ok := b.integer("dueDateLimitDays"); !ok || (present && n < 0) {
		return nil, badRequest("invalid_dueDateLimitDays", "O prazo de vencimento (dueDateLimitDays) é inválido.")
	} else if present {
		l.dueDateLimitDays = n
	}
	if c, present, ok := b.str("subscriptionCycle"); !ok || (present && !cycles[c]) || (!present && l.chargeType == "RECURRENT") {
		return nil, badRequest("invalid_subscriptionCycle", "Informe uma periodicidade válida para a assinatura.")
	} else if present {
		l.subscriptionCycle = &c
	}
	if n, present, ok := b.integer("maxInstallmentCount"); !ok || (present && (n < 1 || n > maxCardParcels)) || (!present && l.chargeType == "INSTALLMENT") {
		return nil, badRequest("invalid_maxInstallmentCount", "Informe o número máximo de parcelas (1 a 21).")
	} else if present {
		l.maxInstallmentCount = n
	}
	if v, present, ok := b.boolean("notificationEnabled"); !ok {
		return nil, badRequest("invalid_notificationEnabled", "O campo notificationEnabled é inválido.")
	} else if present {
		l.notificationEnabled = v
	}
	if v, _, ok := b.boolean("isAddressRequired"); !ok {
		return nil, badRequest("invalid_isAddressRequired", "O campo isAddressRequired é inválido.")
	} else {
		l.isAddressRequired = v
	}
	if l.externalReference, ok = b.optStr("externalReference"); !ok {
		return nil, badRequest("invalid_externalReference", "O externalReference informado é inválido.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.linkSeq++
	l.id = pad(s.st.linkSeq, 12)
	s.st.links[l.id] = l
	return l.render(), nil
}

func (s *Server) getPaymentLink(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.st.links[r.PathValue("id")]
	if l == nil || l.acct != a {
		return nil, notFound("Link de pagamento")
	}
	return l.render(), nil
}

// LinkPayOptions is a simulated payer paying through a payment link. Customer is
// an existing customer id of the link's account; without one a customer named
// "Cliente do link" is created.
type LinkPayOptions struct {
	Customer string `json:"customer"`
	PayOptions
}

// PayLink creates the charge a payer generates on the link's page (dueDate =
// today + dueDateLimitDays, paymentLink set, the link's externalReference) and
// pays it. Invented flow: links were never captured. Returns the payment id.
func (s *Server) PayLink(linkID string, o LinkPayOptions) (string, error) {
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.st.links[linkID]
	if l == nil {
		return "", controlError(404, "not_found", "payment link not found")
	}
	a := l.acct
	c := s.st.customers[o.Customer]
	if o.Customer != "" && (c == nil || c.acct != a) {
		return "", controlError(400, "invalid_customer", "customer not found in the link's account")
	}
	value := o.Value
	if value.IsZero() {
		if l.value == nil {
			return "", controlError(400, "invalid_value", "the link has no value: give one")
		}
		value = *l.value
	}
	method := o.BillingType
	if method == "" {
		method = l.billingType
		if method == "UNDEFINED" {
			method = "PIX"
		}
	}
	if l.billingType != "UNDEFINED" && method != l.billingType {
		return "", controlError(400, "invalid_billingType", "the link only accepts "+l.billingType)
	}
	if c == nil {
		c = &customer{acct: a, name: "Cliente do link", dateCreated: s.today()}
		s.st.customerSeq++
		c.id = "cus_" + pad(s.st.customerSeq, 12)
		s.st.customers[c.id] = c
		a.customers = append(a.customers, c)
	}
	id := l.id
	in := &chargeInput{
		customer: c, billingType: method, values: []decimal.Decimal{value}, total: value,
		dueDate: addDays(s.today(), l.dueDateLimitDays), description: l.description,
		externalReference: l.externalReference, discount: discountRule{typ: "FIXED"},
		fine: fineRule{typ: "FIXED"}, paymentLink: &id,
	}
	_, charges := s.createCharges(a, in)
	p := charges[0]
	if err := s.pay(p, PayOptions{BillingType: method, Date: o.Date}); err != nil {
		return "", err
	}
	return p.id, nil
}

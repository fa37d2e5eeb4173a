package asaassim

import (
	"strings"
	"time"
)

// cardInfo is what a charge shows of the card: {creditCardNumber (last 4),
// creditCardBrand, creditCardToken} (FACTS "creditCard object").
type cardInfo struct {
	last4, brand, token string
}

func (c *cardInfo) render() any {
	if c == nil {
		return nil
	}
	return obj{{"creditCardNumber", c.last4}, {"creditCardBrand", c.brand}, {"creditCardToken", c.token}}
}

// sandboxCard is approved and reported as VISA although it fails the Luhn check
// (FACTS "Cards").
const sandboxCard = "4444444444444444"

// parseCard reads the card of a charge: creditCardToken alone (FACTS: accepted
// without creditCard/creditCardHolderInfo), or creditCard + creditCardHolderInfo.
// present is false when the request carries no card at all (the charge stays
// PENDING until the payer pays on the invoice page). Error codes and texts are
// invented; any Luhn-valid number is approved (the sandbox's decline cards
// were never captured).
func (s *Server) parseCard(a *account, b body) (card *cardInfo, present bool, err *Error) {
	token, hasToken, ok := b.str("creditCardToken")
	if !ok {
		return nil, true, badRequest("invalid_creditCardToken", "O token do cartão de crédito é inválido.")
	}
	cc, hasCard, ok := b.sub("creditCard")
	if !ok {
		return nil, true, badRequest("invalid_creditCard", "Os dados do cartão de crédito são inválidos.")
	}
	switch {
	case hasToken && token != "":
		known := a.cardTokens[token]
		if known == nil {
			return nil, true, badRequest("invalid_creditCardToken", "O token do cartão de crédito informado não existe.")
		}
		return known, true, nil
	case !hasCard:
		return nil, false, nil
	}
	number := onlyDigits(strField(cc, "number"))
	switch {
	case strField(cc, "holderName") == "":
		return nil, true, badRequest("invalid_creditCard", "Informe o nome impresso no cartão.")
	case len(number) < 13 || len(number) > 19 || (number != sandboxCard && !luhn(number)):
		return nil, true, badRequest("invalid_creditCard", "O número do cartão de crédito é inválido.")
	case !s.validExpiry(strField(cc, "expiryMonth"), strField(cc, "expiryYear")):
		return nil, true, badRequest("invalid_creditCard", "A data de validade do cartão de crédito é inválida.")
	case len(onlyDigits(strField(cc, "ccv"))) < 3:
		return nil, true, badRequest("invalid_creditCard", "O código de segurança do cartão de crédito é inválido.")
	}
	holder, hasHolder, ok := b.sub("creditCardHolderInfo")
	if !ok || !hasHolder {
		return nil, true, badRequest("invalid_creditCardHolderInfo", "Informe os dados do titular do cartão.")
	}
	switch {
	case strField(holder, "name") == "":
		return nil, true, badRequest("invalid_creditCardHolderInfo", "Informe o nome do titular do cartão.")
	case !validDocument(normalizeDocument(strField(holder, "cpfCnpj"))):
		return nil, true, badRequest("invalid_creditCardHolderInfo", "O CPF/CNPJ do titular do cartão é inválido.")
	case len(onlyDigits(strField(holder, "postalCode"))) != 8:
		return nil, true, badRequest("invalid_creditCardHolderInfo", "Informe o CEP do titular do cartão.")
	case strField(holder, "addressNumber") == "":
		return nil, true, badRequest("invalid_creditCardHolderInfo", "Informe o número do endereço do titular do cartão.")
	}
	return &cardInfo{last4: number[len(number)-4:], brand: cardBrand(number)}, true, nil
}

// tokenize gives an approved card its token, kept for later creditCardToken use.
func (s *Server) tokenize(a *account, c *cardInfo) *cardInfo {
	if c.token == "" {
		c = &cardInfo{last4: c.last4, brand: c.brand, token: s.ids.uuid()}
		a.cardTokens[c.token] = c
	}
	return c
}

// sandboxCardInfo is the card a simulated payer uses on the invoice page.
func (s *Server) sandboxCardInfo(a *account) *cardInfo {
	return s.tokenize(a, &cardInfo{last4: "4444", brand: "VISA"})
}

func strField(b body, k string) string {
	v, _, ok := b.str(k)
	if !ok {
		// numbers are fine for number-like card fields
		if d, _, okd := b.dec(k); okd {
			return d.String()
		}
		return ""
	}
	return strings.TrimSpace(v)
}

func (s *Server) validExpiry(month, year string) bool {
	m, y := atoi(month), atoi(year)
	if y < 100 {
		y += 2000
	}
	if m < 1 || m > 12 || y > 2100 {
		return false
	}
	now := s.today()
	return y > now.Year() || (y == now.Year() && time.Month(m) >= now.Month())
}

func atoi(s string) int {
	n := 0
	if s == "" || len(s) > 6 {
		return -1
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func luhn(number string) bool {
	sum, double := 0, false
	for i := len(number) - 1; i >= 0; i-- {
		d := int(number[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// cardBrand by prefix (longest rules first). Invented table: Asaas's BIN data is
// not public.
func cardBrand(n string) string {
	prefixes := []struct{ p, brand string }{
		{"636368", "ELO"}, {"438935", "ELO"}, {"504175", "ELO"}, {"451416", "ELO"}, {"636297", "ELO"},
		{"506699", "ELO"}, {"509", "ELO"}, {"4011", "ELO"}, {"4576", "ELO"}, {"5067", "ELO"},
		{"606282", "HIPERCARD"}, {"3841", "HIPERCARD"},
		{"34", "AMEX"}, {"37", "AMEX"},
		{"6011", "DISCOVER"}, {"65", "DISCOVER"},
		{"300", "DINERS"}, {"301", "DINERS"}, {"302", "DINERS"}, {"303", "DINERS"}, {"304", "DINERS"}, {"305", "DINERS"}, {"36", "DINERS"}, {"38", "DINERS"},
		{"35", "JCB"},
		{"4", "VISA"},
		{"51", "MASTERCARD"}, {"52", "MASTERCARD"}, {"53", "MASTERCARD"}, {"54", "MASTERCARD"}, {"55", "MASTERCARD"}, {"2", "MASTERCARD"},
	}
	for _, r := range prefixes {
		if strings.HasPrefix(n, r.p) {
			return r.brand
		}
	}
	return "UNKNOWN"
}

// cardCredit sets the dates of a card parcel confirmed on day: confirmedDate =
// clientPaymentDate = day, paymentDate null, creditDate = estimatedCreditDate =
// day + 32 x n, pushed to the next business day (FACTS "Card credit schedule").
func (p *payment) cardCredit(day time.Time) {
	n := max(p.number, 1)
	credit := nextBusinessDay(addDays(day, 32*n))
	p.confirmedDate = datePtr(day)
	p.clientPaymentDate = datePtr(day)
	p.paymentDate = nil
	p.creditDate = datePtr(credit)
	p.estimatedCreditDate = datePtr(credit)
}

package asaassim

import (
	"net/http"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// identificationField: GET /v3/payments/{id}/identificationField ->
// {identificationField (47-digit linha digitável), nossoNumero, barCode (44
// digits)}. The numbers follow the FEBRABAN layout with valid check digits; the
// bank code (461, Asaas's) and free field layout are invented.
func (s *Server) identificationField(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.livePayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if p.nossoNumero == nil {
		return nil, badRequest("invalid_billingType", "Só cobranças por boleto têm linha digitável.")
	}
	bar := barCode(p.dueDate, p.value, pad(atoi64(*p.nossoNumero), 11)+pad(atoi64(p.invoiceNumber), 14))
	return obj{
		{"identificationField", linhaDigitavel(bar)},
		{"nossoNumero", *p.nossoNumero},
		{"barCode", bar},
	}, nil
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// barCode: bank(3) currency(1) DV(1) due factor(4) value(10) free field(25).
func barCode(due time.Time, value decimal.Decimal, free string) string {
	cents := value.Mul(hundred).IntPart() % 10_000_000_000
	body := "461" + "9" + dueFactor(due) + pad(cents, 10) + free
	return body[:4] + strconv.Itoa(mod11(body)) + body[4:]
}

// dueFactor counts days from 1997-10-07; it restarted at 1000 on 2025-02-22.
func dueFactor(due time.Time) string {
	days := daysBetween(time.Date(1997, 10, 7, 0, 0, 0, 0, time.UTC), due)
	if days >= 10000 {
		days = (days-10000)%9000 + 1000
	}
	return pad(int64(days), 4)
}

// linhaDigitavel rearranges a barcode into the typed line: three fields with
// mod-10 check digits, the barcode's DV, then factor + value.
func linhaDigitavel(bar string) string {
	f1 := bar[0:4] + bar[19:24]
	f2 := bar[24:34]
	f3 := bar[34:44]
	return f1 + strconv.Itoa(mod10(f1)) + f2 + strconv.Itoa(mod10(f2)) + f3 + strconv.Itoa(mod10(f3)) + bar[4:5] + bar[5:19]
}

func mod10(s string) int {
	sum, weight := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i]-'0') * weight
		sum += d/10 + d%10
		weight = 3 - weight
	}
	return (10 - sum%10) % 10
}

func mod11(s string) int {
	sum, weight := 0, 2
	for i := len(s) - 1; i >= 0; i-- {
		sum += int(s[i]-'0') * weight
		weight++
		if weight > 9 {
			weight = 2
		}
	}
	dv := 11 - sum%11
	if dv == 0 || dv == 10 || dv == 11 {
		return 1
	}
	return dv
}

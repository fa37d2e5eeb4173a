package activities

import (
	"billing/asaas"
	"billing/domain"
)

// chargeTerms are a contract's terms as Asaas takes them in POST /v3/payments: fine
// and interest as percentages (interest per month), the discount as a FIXED amount
// or a PERCENTAGE with its dueDateLimitDays. Terms that are zero are not sent, so a
// contract without terms issues the same request as before they existed (Asaas
// answers the defaults, FACTS.md: discount {0, null, 0, FIXED}, fine {0, FIXED},
// interest {0, PERCENTAGE}).
func chargeTerms(t domain.ChargeTerms) (fine *asaas.Fine, interest *asaas.Interest, discount *asaas.Discount) {
	if t.FinePercent.IsPositive() {
		fine = &asaas.Fine{Value: asaas.NewNumber(t.FinePercent), Type: asaas.ValuePercentage}
	}
	if t.InterestPercent.IsPositive() {
		interest = &asaas.Interest{Value: asaas.NewNumber(t.InterestPercent), Type: asaas.ValuePercentage}
	}
	if d := t.Discount; d != nil {
		discount = &asaas.Discount{Value: asaas.NewNumber(d.Amount), Type: asaas.ValueFixed, DueDateLimitDays: d.DaysBeforeDue}
		if d.Kind == domain.DiscountPercentage {
			discount.Value, discount.Type = asaas.NewNumber(d.Percent), asaas.ValuePercentage
		}
	}
	return fine, interest, discount
}

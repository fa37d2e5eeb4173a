package db

import (
	"billing/db/dbgen"
	"billing/domain"

	"github.com/shopspring/decimal"
)

// Charge terms have one representation, domain.ChargeTerms; these are the two
// directions of their storage (the same columns on templates and contracts).

// TermColumns are the stored columns of a contract's or template's terms.
type TermColumns struct {
	FinePercent           decimal.Decimal
	InterestPercent       decimal.Decimal
	DiscountKind          *string
	DiscountAmount        decimal.NullDecimal
	DiscountPercent       decimal.NullDecimal
	DiscountDaysBeforeDue int32
}

// ContractChargeTerms are a contract's stored terms.
func ContractChargeTerms(c dbgen.Contract) domain.ChargeTerms {
	return TermColumns{c.FinePercent, c.InterestPercent, c.DiscountKind, c.DiscountAmount, c.DiscountPercent, c.DiscountDaysBeforeDue}.Terms()
}

// TemplateChargeTerms are a template's stored terms.
func TemplateChargeTerms(t dbgen.Template) domain.ChargeTerms {
	return TermColumns{t.FinePercent, t.InterestPercent, t.DiscountKind, t.DiscountAmount, t.DiscountPercent, t.DiscountDaysBeforeDue}.Terms()
}

// Terms reads the columns.
func (c TermColumns) Terms() domain.ChargeTerms {
	t := domain.ChargeTerms{FinePercent: c.FinePercent, InterestPercent: c.InterestPercent}
	if c.DiscountKind != nil {
		t.Discount = &domain.Discount{Kind: domain.DiscountKind(*c.DiscountKind), Amount: c.DiscountAmount.Decimal,
			Percent: c.DiscountPercent.Decimal, DaysBeforeDue: int(c.DiscountDaysBeforeDue)}
	}
	return t
}

// ChargeTermColumns are the columns that store t.
func ChargeTermColumns(t domain.ChargeTerms) TermColumns {
	c := TermColumns{FinePercent: t.FinePercent, InterestPercent: t.InterestPercent}
	if d := t.Discount; d != nil {
		kind := string(d.Kind)
		c.DiscountKind = &kind
		c.DiscountAmount = decimal.NullDecimal{Decimal: d.Amount, Valid: d.Kind == domain.DiscountFixed}
		c.DiscountPercent = decimal.NullDecimal{Decimal: d.Percent, Valid: d.Kind == domain.DiscountPercentage}
		c.DiscountDaysBeforeDue = int32(d.DaysBeforeDue)
	}
	return c
}

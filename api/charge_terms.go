package api

import (
	"context"
	"encoding/json"

	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// chargeTermsInput is charge_terms as sent: every member is optional (a missing
// rate is 0, a missing or null discount is none). On a PATCH it replaces all the
// terms.
type chargeTermsInput struct {
	FinePercent     json.RawMessage `json:"fine_percent"`
	InterestPercent json.RawMessage `json:"interest_percent_per_month"`
	Discount        *discountInput  `json:"discount"`
}

type discountInput struct {
	Kind          string          `json:"kind"`
	Amount        json.RawMessage `json:"amount"`
	Percent       json.RawMessage `json:"percent"`
	DaysBeforeDue *int            `json:"days_before_due"`
}

type chargeTermsView struct {
	FinePercent     string        `json:"fine_percent"`
	InterestPercent string        `json:"interest_percent_per_month"`
	Discount        *discountView `json:"discount"`
}

type discountView struct {
	Kind          string  `json:"kind"`
	Amount        *string `json:"amount"`
	Percent       *string `json:"percent"`
	DaysBeforeDue int     `json:"days_before_due"`
}

func viewChargeTerms(t domain.ChargeTerms) chargeTermsView {
	v := chargeTermsView{FinePercent: formatMoney(t.FinePercent), InterestPercent: formatMoney(t.InterestPercent)}
	if d := t.Discount; d != nil {
		v.Discount = &discountView{Kind: string(d.Kind), DaysBeforeDue: d.DaysBeforeDue}
		if d.Kind == domain.DiscountFixed {
			v.Discount.Amount = formatOptMoney(decimal.NullDecimal{Decimal: d.Amount, Valid: true})
		} else {
			v.Discount.Percent = formatOptMoney(decimal.NullDecimal{Decimal: d.Percent, Valid: true})
		}
	}
	return v
}

// chargeTerms parses and validates charge_terms on their own (nil: none). What
// depends on the installments is checked by installmentTerms.
func (f *fields) chargeTerms(in *chargeTermsInput) domain.ChargeTerms {
	var t domain.ChargeTerms
	if in == nil {
		return t
	}
	before := len(f.errs)
	t.FinePercent = f.rate("charge_terms.fine_percent", in.FinePercent)
	t.InterestPercent = f.rate("charge_terms.interest_percent_per_month", in.InterestPercent)
	if d := in.Discount; d != nil {
		t.Discount = &domain.Discount{Kind: domain.DiscountKind(f.oneOf("charge_terms.discount.kind", d.Kind, "fixed", "percentage"))}
		switch t.Discount.Kind {
		case domain.DiscountFixed:
			t.Discount.Amount = f.money("charge_terms.discount.amount", nullIfJSONNull(d.Amount))
			if nullIfJSONNull(d.Percent) != nil {
				f.add("charge_terms.discount.percent", "a fixed discount takes no percent")
			}
		case domain.DiscountPercentage:
			t.Discount.Percent = f.percent("charge_terms.discount.percent", nullIfJSONNull(d.Percent))
			if nullIfJSONNull(d.Amount) != nil {
				f.add("charge_terms.discount.amount", "a percentage discount takes no amount")
			}
		}
		if d.DaysBeforeDue != nil {
			t.Discount.DaysBeforeDue = *d.DaysBeforeDue
		}
	}
	if len(f.errs) == before { // the parse errors say it already
		f.addDomain(domain.ValidateChargeTerms(t))
	}
	return t
}

// rate parses an optional percentage that may be 0 (absent or null: 0).
func (f *fields) rate(field string, raw json.RawMessage) decimal.Decimal {
	if raw = nullIfJSONNull(raw); raw == nil {
		return decimal.Zero
	}
	d, err := domain.ParseMoneyJSON(raw) // a plain decimal with at most 2 places, like an amount
	if err != nil {
		f.add(field, "%s", reason(err, domain.ErrInvalidMoney))
	}
	return d
}

// installmentTerms checks the terms against the installment values a contract will
// have (a discount must leave something to pay on each).
func (f *fields) installmentTerms(t domain.ChargeTerms, values []decimal.Decimal) {
	if f.ok() {
		f.addDomain(domain.ValidateChargeTermsFor(t, values, nil))
	}
}

func setContractTerms(ctx context.Context, t *txn, contractID uuid.UUID, terms domain.ChargeTerms) (dbgen.Contract, error) {
	c := db.ChargeTermColumns(terms)
	return t.SetDraftContractChargeTerms(ctx, dbgen.SetDraftContractChargeTermsParams{
		AccountID: t.actor.AccountID, ID: contractID, FinePercent: c.FinePercent, InterestPercent: c.InterestPercent,
		DiscountKind: c.DiscountKind, DiscountAmount: c.DiscountAmount, DiscountPercent: c.DiscountPercent,
		DiscountDaysBeforeDue: c.DiscountDaysBeforeDue,
	})
}

func setTemplateTerms(ctx context.Context, t *txn, templateID uuid.UUID, terms domain.ChargeTerms) (dbgen.Template, error) {
	c := db.ChargeTermColumns(terms)
	return t.SetTemplateChargeTerms(ctx, dbgen.SetTemplateChargeTermsParams{
		AccountID: t.actor.AccountID, ID: templateID, FinePercent: c.FinePercent, InterestPercent: c.InterestPercent,
		DiscountKind: c.DiscountKind, DiscountAmount: c.DiscountAmount, DiscountPercent: c.DiscountPercent,
		DiscountDaysBeforeDue: c.DiscountDaysBeforeDue,
	})
}

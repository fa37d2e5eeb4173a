package domain

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// ChargeTerms are what every charge of a contract asks of a late payer and offers
// an early one: they go to Asaas with each charge (fine, interest, discount of
// POST /v3/payments), and Asaas applies them to the amount it collects.
type ChargeTerms struct {
	// FinePercent ("multa"): a percentage of the installment's value, charged once
	// when it is paid after its due date; 0 = no fine.
	FinePercent decimal.Decimal
	// InterestPercent ("juros"): a percentage of the value per month late, charged
	// pro rata per day; 0 = no interest.
	InterestPercent decimal.Decimal
	// Discount for paying early; nil = none.
	Discount *Discount
}

// DiscountKind says what a discount's value is.
type DiscountKind string

const (
	DiscountFixed      DiscountKind = "fixed"      // an amount off every installment
	DiscountPercentage DiscountKind = "percentage" // a percentage off every installment's value
)

// Discount is taken off an installment paid on or before its limit date: the due
// date minus DaysBeforeDue (0: up to the due date itself).
type Discount struct {
	Kind          DiscountKind
	Amount        decimal.Decimal // fixed only
	Percent       decimal.Decimal // percentage only
	DaysBeforeDue int
}

// Limits of the terms. Asaas's public documentation states none that we could
// check, so these are ours: a fine and a monthly interest of up to 10% cover what
// Brazilian contracts use (consumer contracts cap the fine at 2%, CDC art. 52 §1,
// which is the merchant's business to respect), and a discount window of up to a
// year covers any schedule we issue.
var (
	MaxFinePercent     = decimal.NewFromInt(10)
	MaxInterestPercent = decimal.NewFromInt(10)
)

const MaxDiscountDaysBeforeDue = 365

// termsField is the API field that holds the terms.
const termsField = "charge_terms"

// IsZero reports whether the terms ask nothing and offer nothing.
func (t ChargeTerms) IsZero() bool {
	return t.FinePercent.IsZero() && t.InterestPercent.IsZero() && t.Discount == nil
}

// ValidateChargeTerms checks the terms on their own: fine and interest between 0
// and their limit with at most 2 decimal places; a discount of a known kind whose
// amount or percent is greater than 0 (a percentage below 100) and whose window
// is 0 to MaxDiscountDaysBeforeDue days. Field names are charge_terms.fine_percent,
// .interest_percent_per_month, .discount.kind, .discount.amount,
// .discount.percent and .discount.days_before_due.
func ValidateChargeTerms(t ChargeTerms) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: termsField + "." + field, Message: fmt.Sprintf(format, args...)})
	}
	rate := func(field string, v, limit decimal.Decimal) {
		switch {
		case v.IsNegative():
			add(field, "must not be negative")
		case v.GreaterThan(limit):
			add(field, "must be at most %s", limit)
		case !hasAtMostTwoPlaces(v):
			add(field, "must have at most 2 decimal places")
		}
	}
	rate("fine_percent", t.FinePercent, MaxFinePercent)
	rate("interest_percent_per_month", t.InterestPercent, MaxInterestPercent)
	d := t.Discount
	if d == nil {
		return errs
	}
	switch d.Kind {
	case DiscountFixed:
		if why := AmountProblem(d.Amount); why != "" {
			add("discount.amount", "%s", why)
		} else if !d.Amount.IsPositive() {
			add("discount.amount", "must be greater than 0")
		}
		if !d.Percent.IsZero() {
			add("discount.percent", "a fixed discount takes no percent")
		}
	case DiscountPercentage:
		switch {
		case !d.Percent.IsPositive():
			add("discount.percent", "must be greater than 0")
		case !d.Percent.LessThan(hundred):
			add("discount.percent", "must be less than 100")
		case !hasAtMostTwoPlaces(d.Percent):
			add("discount.percent", "must have at most 2 decimal places")
		}
		if !d.Amount.IsZero() {
			add("discount.amount", "a percentage discount takes no amount")
		}
	default:
		add("discount.kind", "must be fixed or percentage")
	}
	if d.DaysBeforeDue < 0 || d.DaysBeforeDue > MaxDiscountDaysBeforeDue {
		add("discount.days_before_due", "must be between 0 and %d", MaxDiscountDaysBeforeDue)
	}
	return errs
}

// DiscountOn is the discount an installment of value gets when paid in time: the
// fixed amount, or the percentage of value rounded to the cent; 0 without a
// discount. How Asaas rounds a percentage discount is not documented; we round
// half away from zero.
func (t ChargeTerms) DiscountOn(value decimal.Decimal) decimal.Decimal {
	switch {
	case t.Discount == nil:
		return decimal.Zero
	case t.Discount.Kind == DiscountFixed:
		return t.Discount.Amount
	default:
		return value.Mul(t.Discount.Percent).Div(hundred).Round(2)
	}
}

// ValidateChargeTermsFor checks the terms against a contract's installments and
// split rules, on top of ValidateChargeTerms: a discount must leave something to
// pay on every installment, and the fixed split amounts must fit in the smallest
// installment after its discount. Asaas's split documentation says the splits of
// a charge can never exceed the net value available; a payment with the discount
// lowers it, so a fixed split that only fits the full value would leave Asaas
// unable to split such a payment (the simulator refuses it at creation). Only the
// discount is checked here: the gateway fee is known when the money comes in.
func ValidateChargeTermsFor(t ChargeTerms, installmentValues []decimal.Decimal, rules []SplitRule) []FieldError {
	errs := ValidateChargeTerms(t)
	if len(errs) > 0 || t.Discount == nil || len(installmentValues) == 0 {
		return errs
	}
	smallest := installmentValues[0]
	for _, v := range installmentValues[1:] {
		smallest = decimal.Min(smallest, v)
	}
	discount := t.DiscountOn(smallest)
	if t.Discount.Kind == DiscountFixed && !discount.LessThan(smallest) {
		return append(errs, FieldError{Field: termsField + ".discount.amount", Message: fmt.Sprintf(
			"The discount (%s) must be less than the smallest installment (%s).", FormatMoney(discount), FormatMoney(smallest))})
	}
	fixedSum := decimal.Zero
	for _, r := range rules {
		if r.Kind == RuleFixed {
			fixedSum = fixedSum.Add(r.Amount)
		}
	}
	// A sum above the undiscounted installment is ValidateForActivation's error.
	if discounted := smallest.Sub(discount); fixedSum.GreaterThan(discounted) && !fixedSum.GreaterThan(smallest) {
		errs = append(errs, FieldError{Field: rulesField, Message: fmt.Sprintf(
			"The fixed amounts add up to %s, more than the smallest installment after its discount (%s): a payment with the discount could not cover them.",
			FormatMoney(fixedSum), FormatMoney(discounted))})
	}
	return errs
}

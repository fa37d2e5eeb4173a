package domain_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"billing/domain"
)

func fixedDiscount(amount string, days int) *domain.Discount {
	return &domain.Discount{Kind: domain.DiscountFixed, Amount: dec(amount), DaysBeforeDue: days}
}

func percentDiscount(percent string, days int) *domain.Discount {
	return &domain.Discount{Kind: domain.DiscountPercentage, Percent: dec(percent), DaysBeforeDue: days}
}

func TestValidateChargeTerms(t *testing.T) {
	type fe = domain.FieldError
	cases := []struct {
		name  string
		terms domain.ChargeTerms
		want  []domain.FieldError
	}{
		{"none", domain.ChargeTerms{}, nil},
		{"the captured boleto's terms", domain.ChargeTerms{FinePercent: dec("2"), InterestPercent: dec("1"), Discount: percentDiscount("5", 0)}, nil},
		{"at the limits", domain.ChargeTerms{FinePercent: dec("10"), InterestPercent: dec("10"), Discount: percentDiscount("99.99", 365)}, nil},
		{"fixed discount", domain.ChargeTerms{Discount: fixedDiscount("0.01", 3)}, nil},
		{
			"rates out of range",
			domain.ChargeTerms{FinePercent: dec("10.01"), InterestPercent: dec("-1")},
			[]fe{{"charge_terms.fine_percent", "must be at most 10"}, {"charge_terms.interest_percent_per_month", "must not be negative"}},
		},
		{
			"rates with three places",
			domain.ChargeTerms{FinePercent: dec("2.005"), InterestPercent: dec("0.033")},
			[]fe{{"charge_terms.fine_percent", "must have at most 2 decimal places"}, {"charge_terms.interest_percent_per_month", "must have at most 2 decimal places"}},
		},
		{"percentage discount of 100", domain.ChargeTerms{Discount: percentDiscount("100", 0)}, []fe{{"charge_terms.discount.percent", "must be less than 100"}}},
		{"percentage discount of 0", domain.ChargeTerms{Discount: percentDiscount("0", 0)}, []fe{{"charge_terms.discount.percent", "must be greater than 0"}}},
		{"fixed discount of 0", domain.ChargeTerms{Discount: fixedDiscount("0", 0)}, []fe{{"charge_terms.discount.amount", "must be greater than 0"}}},
		{"fixed discount in tenths of a cent", domain.ChargeTerms{Discount: fixedDiscount("1.001", 0)}, []fe{{"charge_terms.discount.amount", "must have at most 2 decimal places"}}},
		{
			"discount window out of range",
			domain.ChargeTerms{Discount: percentDiscount("5", -1)},
			[]fe{{"charge_terms.discount.days_before_due", "must be between 0 and 365"}},
		},
		{"unknown kind", domain.ChargeTerms{Discount: &domain.Discount{Kind: "bonus"}}, []fe{{"charge_terms.discount.kind", "must be fixed or percentage"}}},
		{
			"both values",
			domain.ChargeTerms{Discount: &domain.Discount{Kind: domain.DiscountFixed, Amount: dec("1"), Percent: dec("2")}},
			[]fe{{"charge_terms.discount.percent", "a fixed discount takes no percent"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.ValidateChargeTerms(tc.terms))
		})
	}
}

func TestDiscountOn(t *testing.T) {
	cases := []struct {
		name     string
		discount *domain.Discount
		value    string
		want     string
	}{
		{"none", nil, "100.00", "0"},
		{"fixed", fixedDiscount("12.50", 0), "100.00", "12.50"},
		{"5% of 350 (the captured boleto)", percentDiscount("5", 0), "350.00", "17.50"},
		{"half a cent rounds up", percentDiscount("2.5", 0), "29.00", "0.73"}, // 0.725
		{"rounded down", percentDiscount("3", 0), "29.16", "0.87"},            // 0.8748 -> 0.87
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := domain.ChargeTerms{Discount: tc.discount}.DiscountOn(dec(tc.value))
			assert.True(t, dec(tc.want).Equal(got), "got %s", got)
		})
	}
}

func TestValidateChargeTermsFor(t *testing.T) {
	type fe = domain.FieldError
	values := []decimal.Decimal{dec("100.00"), dec("100.00"), dec("100.01")}
	cases := []struct {
		name  string
		terms domain.ChargeTerms
		rules []domain.SplitRule
		want  []domain.FieldError
	}{
		{"no discount", domain.ChargeTerms{FinePercent: dec("2")}, []domain.SplitRule{fixed("a", "100", true)}, nil},
		{"fixed discount below the smallest installment", domain.ChargeTerms{Discount: fixedDiscount("99.99", 0)}, nil, nil},
		{
			"fixed discount of a whole installment",
			domain.ChargeTerms{Discount: fixedDiscount("100", 0)}, nil,
			[]fe{{"charge_terms.discount.amount", "The discount (100.00) must be less than the smallest installment (100.00)."}},
		},
		{"fixed splits fit the discounted value", domain.ChargeTerms{Discount: percentDiscount("10", 0)}, []domain.SplitRule{fixed("a", "50", true), fixed("b", "40", false)}, nil},
		{
			"fixed splits fit the value but not the discounted value",
			domain.ChargeTerms{Discount: percentDiscount("10", 0)}, []domain.SplitRule{fixed("a", "50", true), fixed("b", "40.01", false), pct("c", "50", true)},
			[]fe{{"split_rules", "The fixed amounts add up to 90.01, more than the smallest installment after its discount (90.00): a payment with the discount could not cover them."}},
		},
		{
			"fixed splits above the value: ValidateForActivation says so",
			domain.ChargeTerms{Discount: fixedDiscount("5", 0)}, []domain.SplitRule{fixed("a", "100.01", true)}, nil,
		},
		{
			"invalid terms are reported alone",
			domain.ChargeTerms{FinePercent: dec("11"), Discount: fixedDiscount("500", 0)}, []domain.SplitRule{fixed("a", "99", true)},
			[]fe{{"charge_terms.fine_percent", "must be at most 10"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.ValidateChargeTermsFor(tc.terms, values, tc.rules))
		})
	}
}

package domain_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"billing/domain"
)

func TestValidateRules(t *testing.T) {
	type fe = domain.FieldError
	cases := []struct {
		name  string
		rules []domain.SplitRule
		want  []domain.FieldError
	}{
		{name: "no rules", rules: nil, want: nil},
		{
			name: "every kind, valid",
			rules: []domain.SplitRule{
				pct("a", "60", true), pct("b", "40", false), fixed("c", "0.01", true),
				{Kind: domain.RuleFee}, {Kind: domain.RuleRemainder, PayeeID: "d"},
			},
			want: nil,
		},
		{name: "100 percent", rules: []domain.SplitRule{pct("a", "100", true)}, want: nil},
		{name: "fee rule with payee", rules: []domain.SplitRule{{Kind: domain.RuleFee, PayeeID: "a"}}, want: nil},
		{
			name:  "unknown kind",
			rules: []domain.SplitRule{{Kind: "bonus", PayeeID: "a"}, {PayeeID: "b"}},
			want: []fe{
				{"split_rules[0].kind", `Unknown kind "bonus": use percentage, fixed, fee or remainder.`},
				{"split_rules[1].kind", `Unknown kind "": use percentage, fixed, fee or remainder.`},
			},
		},
		{
			name: "percentage out of range",
			rules: []domain.SplitRule{
				pct("a", "0", false), pct("b", "-1", false), pct("c", "100.01", false), pct("d", "10.005", false),
			},
			want: []fe{
				{"split_rules[0].percent", "A percentage rule's percent must be greater than 0."},
				{"split_rules[1].percent", "A percentage rule's percent must be greater than 0."},
				{"split_rules[2].percent", "A percentage rule's percent must be at most 100."},
				{"split_rules[3].percent", "A percentage rule's percent must have at most 2 decimal places."},
				{"split_rules", "The percentages add up to 109.015%; they must add up to at most 100%."},
			},
		},
		{
			name:  "percentage with an amount",
			rules: []domain.SplitRule{{PayeeID: "a", Kind: domain.RulePercentage, Percent: dec("10"), Amount: dec("5")}},
			want:  []fe{{"split_rules[0].amount", "A percentage rule takes no amount."}},
		},
		{
			name: "fixed amount problems",
			rules: []domain.SplitRule{
				fixed("a", "0", false), fixed("b", "-5", false), fixed("c", "1.001", false), fixed("d", "1000000000000", false),
				{PayeeID: "e", Kind: domain.RuleFixed, Amount: dec("5"), Percent: dec("10")},
			},
			want: []fe{
				{"split_rules[0].amount", "A fixed rule's amount must be greater than 0."},
				{"split_rules[1].amount", "A fixed rule's amount must be greater than 0."},
				{"split_rules[2].amount", "A fixed rule's amount must have at most 2 decimal places."},
				{"split_rules[3].amount", "A fixed rule's amount must have at most 12 digits before the decimal point."},
				{"split_rules[4].percent", "A fixed rule takes no percent."},
			},
		},
		{
			name: "fee and remainder take nothing",
			rules: []domain.SplitRule{
				{Kind: domain.RuleFee, Percent: dec("1"), Amount: dec("2"), ViaGateway: true},
				{Kind: domain.RuleRemainder, PayeeID: "a", Percent: dec("1"), Amount: dec("2"), ViaGateway: true},
			},
			want: []fe{
				{"split_rules[0].percent", "A fee rule takes no percent."},
				{"split_rules[0].amount", "A fee rule takes no amount."},
				{"split_rules[0].via_gateway", "A fee rule is never sent to Asaas, so via_gateway must be false."},
				{"split_rules[1].percent", "A remainder rule takes no percent."},
				{"split_rules[1].amount", "A remainder rule takes no amount."},
				{"split_rules[1].via_gateway", "A remainder rule is never sent to Asaas, so via_gateway must be false."},
			},
		},
		{
			name: "payee required except for fee",
			rules: []domain.SplitRule{
				pct("", "10", false), fixed(" ", "5", false), {Kind: domain.RuleRemainder}, {Kind: domain.RuleFee},
			},
			want: []fe{
				{"split_rules[0].payee_id", "A percentage rule needs a payee_id."},
				{"split_rules[1].payee_id", "A fixed rule needs a payee_id."},
				{"split_rules[2].payee_id", "A remainder rule needs a payee_id."},
			},
		},
		{
			name: "one fee and one remainder at most",
			rules: []domain.SplitRule{
				{Kind: domain.RuleFee}, {Kind: domain.RuleRemainder, PayeeID: "a"},
				{Kind: domain.RuleFee, PayeeID: "b"}, {Kind: domain.RuleRemainder, PayeeID: "c"}, {Kind: domain.RuleFee},
			},
			want: []fe{
				{"split_rules[2].kind", "Only one fee rule is allowed."},
				{"split_rules[3].kind", "Only one remainder rule is allowed."},
				{"split_rules[4].kind", "Only one fee rule is allowed."},
			},
		},
		{
			name:  "percentages over 100",
			rules: []domain.SplitRule{pct("a", "50.5", true), pct("b", "49.51", false)},
			want:  []fe{{"split_rules", "The percentages add up to 100.01%; they must add up to at most 100%."}},
		},
		{
			name:  "percentages of exactly 100 across rules",
			rules: []domain.SplitRule{pct("a", "33.33", true), pct("b", "33.33", false), pct("c", "33.34", false)},
			want:  nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.ValidateRules(tc.rules))
		})
	}
}

func TestValidateForActivation(t *testing.T) {
	type fe = domain.FieldError
	payees := map[string]domain.PayeeInfo{
		"wallet":   {Exists: true, HasWallet: true},
		"nowallet": {Exists: true},
		"archived": {Exists: true, HasWallet: true, Archived: true},
	}
	installments := []decimal.Decimal{dec("29.16"), dec("29.16"), dec("29.24")}
	cases := []struct {
		name         string
		rules        []domain.SplitRule
		installments []decimal.Decimal
		want         []domain.FieldError
	}{
		{
			name: "valid",
			rules: []domain.SplitRule{
				pct("wallet", "10", true), fixed("nowallet", "10", false), fixed("wallet", "19.16", true),
				{Kind: domain.RuleFee, PayeeID: "nowallet"}, {Kind: domain.RuleRemainder, PayeeID: "nowallet"},
			},
			installments: installments,
			want:         nil,
		},
		{name: "no rules", rules: nil, installments: installments, want: nil},
		{
			name:         "unknown payee",
			rules:        []domain.SplitRule{pct("ghost", "10", true), {Kind: domain.RuleFee, PayeeID: "ghost2"}},
			installments: installments,
			want: []fe{
				{"split_rules[0].payee_id", "Payee ghost does not exist."},
				{"split_rules[1].payee_id", "Payee ghost2 does not exist."},
			},
		},
		{
			name:         "archived payee",
			rules:        []domain.SplitRule{{Kind: domain.RuleRemainder, PayeeID: "archived"}},
			installments: installments,
			want:         []fe{{"split_rules[0].payee_id", "Payee archived is archived."}},
		},
		{
			name:         "gateway payee without wallet",
			rules:        []domain.SplitRule{pct("nowallet", "10", true), fixed("nowallet", "1", true), pct("nowallet", "5", false)},
			installments: installments,
			want: []fe{
				{"split_rules[0].via_gateway", "Payee nowallet has no Asaas walletId, which automatic splits need: add one or set via_gateway to false."},
				{"split_rules[1].via_gateway", "Payee nowallet has no Asaas walletId, which automatic splits need: add one or set via_gateway to false."},
			},
		},
		{
			name:         "fixed amounts above the smallest installment",
			rules:        []domain.SplitRule{fixed("wallet", "20", true), fixed("nowallet", "9.17", false)},
			installments: installments,
			want:         []fe{{"split_rules", "The fixed amounts add up to 29.17, more than the smallest installment (29.16)."}},
		},
		{
			name:         "fixed amounts equal to the smallest installment",
			rules:        []domain.SplitRule{fixed("wallet", "20", true), fixed("nowallet", "9.16", false)},
			installments: installments,
			want:         nil,
		},
		{
			name:         "smallest installment is not the first",
			rules:        []domain.SplitRule{fixed("wallet", "50", true)},
			installments: []decimal.Decimal{dec("100"), dec("49.99"), dec("100")},
			want:         []fe{{"split_rules", "The fixed amounts add up to 50.00, more than the smallest installment (49.99)."}},
		},
		{
			name:         "shape errors come first, then activation errors",
			rules:        []domain.SplitRule{pct("ghost", "101", true)},
			installments: installments,
			want: []fe{
				{"split_rules[0].percent", "A percentage rule's percent must be at most 100."},
				{"split_rules", "The percentages add up to 101%; they must add up to at most 100%."},
				{"split_rules[0].payee_id", "Payee ghost does not exist."},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.ValidateForActivation(tc.rules, tc.installments, payees))
		})
	}
}

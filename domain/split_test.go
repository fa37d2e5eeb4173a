package domain_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/domain"
)

// row is an Entry with its amount as text, so expectations read like a ledger.
type row struct {
	Rule   int
	Payee  string
	Kind   domain.RuleKind
	Amount string
	Status domain.EntryStatus
}

func rows(entries []domain.Entry) []row {
	out := make([]row, len(entries))
	for i, e := range entries {
		out[i] = row{e.RuleIndex, e.PayeeID, e.Kind, domain.FormatMoney(e.Amount), e.Status}
	}
	return out
}

func pct(payee, percent string, viaGateway bool) domain.SplitRule {
	return domain.SplitRule{PayeeID: payee, Kind: domain.RulePercentage, Percent: dec(percent), ViaGateway: viaGateway}
}

func fixed(payee, amount string, viaGateway bool) domain.SplitRule {
	return domain.SplitRule{PayeeID: payee, Kind: domain.RuleFixed, Amount: dec(amount), ViaGateway: viaGateway}
}

func gateway(paid, net string) domain.PaymentAmounts {
	return domain.PaymentAmounts{Paid: dec(paid), Net: dec(net)}
}

func manual(paid string) domain.PaymentAmounts {
	return domain.PaymentAmounts{Paid: dec(paid), Net: dec(paid), Manual: true}
}

const (
	fee       = domain.RuleFee
	percent   = domain.RulePercentage
	fix       = domain.RuleFixed
	remainder = domain.RuleRemainder
	sent      = domain.EntrySentToGateway
	paid      = domain.EntryPaid
	pending   = domain.EntryPending
	retained  = domain.EntryRetained
	reversed  = domain.EntryReversed
)

func TestAllocate(t *testing.T) {
	remainderTo := func(payee string) domain.SplitRule {
		return domain.SplitRule{PayeeID: payee, Kind: domain.RuleRemainder}
	}
	feeTo := func(payee string) domain.SplitRule { return domain.SplitRule{PayeeID: payee, Kind: domain.RuleFee} }

	cases := []struct {
		name      string
		payment   domain.PaymentAmounts
		rules     []domain.SplitRule
		want      []row
		shortfall string
	}{
		{
			name:    "boleto with percentage, fixed and remainder",
			payment: gateway("100", "98.01"),
			rules:   []domain.SplitRule{pct("a", "10", true), fixed("b", "20", false), remainderTo("c")},
			want: []row{
				{-1, "", fee, "1.99", paid},
				{0, "a", percent, "9.80", sent}, // 9.801 rounded down
				{1, "b", fix, "20.00", pending},
				{2, "c", remainder, "68.21", pending},
			},
			shortfall: "0",
		},
		{
			name:    "no remainder rule: the account retains it",
			payment: gateway("29.16", "27.17"),
			rules:   []domain.SplitRule{pct("a", "30", true)},
			want: []row{
				{-1, "", fee, "1.99", paid},
				{0, "a", percent, "8.15", sent}, // 8.151
				{-1, "", remainder, "19.02", retained},
			},
			shortfall: "0",
		},
		{
			name:    "fee rule names who bears the fee",
			payment: gateway("100", "98.01"),
			rules:   []domain.SplitRule{fixed("a", "50", true), feeTo("agency"), remainderTo("b")},
			want: []row{
				{1, "agency", fee, "1.99", paid},
				{0, "a", fix, "50.00", sent},
				{2, "b", remainder, "48.01", pending},
			},
			shortfall: "0",
		},
		{
			name:    "fee rule without payee",
			payment: gateway("100", "98.01"),
			rules:   []domain.SplitRule{feeTo("")},
			want: []row{
				{0, "", fee, "1.99", paid},
				{-1, "", remainder, "98.01", retained},
			},
			shortfall: "0",
		},
		{
			name:    "manual payment: gateway rules become pending payouts, no fee",
			payment: manual("100"),
			rules:   []domain.SplitRule{pct("a", "10", true), fixed("b", "20", true), remainderTo("c")},
			want: []row{
				{0, "a", percent, "10.00", pending},
				{1, "b", fix, "20.00", pending},
				{2, "c", remainder, "70.00", pending},
			},
			shortfall: "0",
		},
		{
			name:    "100 percent to one payee leaves no remainder entry",
			payment: gateway("100", "98.01"),
			rules:   []domain.SplitRule{pct("a", "100", true), remainderTo("c")},
			want: []row{
				{-1, "", fee, "1.99", paid},
				{0, "a", percent, "98.01", sent},
			},
			shortfall: "0",
		},
		{
			name:    "percentages summing to 100 lose the rounded-down cents to the remainder",
			payment: manual("100.01"),
			rules:   []domain.SplitRule{pct("a", "50", false), pct("b", "50", false)},
			want: []row{
				{0, "a", percent, "50.00", pending}, // 50.005
				{1, "b", percent, "50.00", pending},
				{-1, "", remainder, "0.01", retained},
			},
			shortfall: "0",
		},
		{
			name:    "partial manual payment served in rule order",
			payment: manual("50"),
			rules:   []domain.SplitRule{pct("c", "10", false), fixed("a", "30", true), fixed("b", "40", false), remainderTo("d")},
			want: []row{
				{0, "c", percent, "5.00", pending},
				{1, "a", fix, "30.00", pending},
				{2, "b", fix, "15.00", pending},
			},
			shortfall: "25",
		},
		{
			name:    "later rules get nothing once N runs out",
			payment: manual("30"),
			rules:   []domain.SplitRule{fixed("a", "30", false), fixed("b", "40", false), pct("c", "10", false)},
			want: []row{
				{0, "a", fix, "30.00", pending},
			},
			shortfall: "43",
		},
		{
			name:    "fee takes the whole payment",
			payment: gateway("1.99", "0"),
			rules:   []domain.SplitRule{pct("a", "50", true), fixed("b", "5", true)},
			want: []row{
				{-1, "", fee, "1.99", paid},
			},
			shortfall: "5",
		},
		{
			name:    "one cent, percentage rounds to nothing",
			payment: manual("0.01"),
			rules:   []domain.SplitRule{pct("a", "50", false), remainderTo("b")},
			want: []row{
				{1, "b", remainder, "0.01", pending},
			},
			shortfall: "0",
		},
		{
			name:    "one cent fixed rule",
			payment: gateway("0.02", "0.01"),
			rules:   []domain.SplitRule{fixed("a", "0.01", true)},
			want: []row{
				{-1, "", fee, "0.01", paid},
				{0, "a", fix, "0.01", sent},
			},
			shortfall: "0",
		},
		{
			name:    "0.01 percent",
			payment: manual("10000"),
			rules:   []domain.SplitRule{pct("a", "0.01", false)},
			want: []row{
				{0, "a", percent, "1.00", pending},
				{-1, "", remainder, "9999.00", retained},
			},
			shortfall: "0",
		},
		{
			name:    "fractional percent rounds down",
			payment: manual("33.33"),
			rules:   []domain.SplitRule{pct("a", "33.33", false)},
			want: []row{
				{0, "a", percent, "11.10", pending}, // 11.108889
				{-1, "", remainder, "22.23", retained},
			},
			shortfall: "0",
		},
		{
			name:      "no rules",
			payment:   gateway("350", "348.01"),
			rules:     nil,
			want:      []row{{-1, "", fee, "1.99", paid}, {-1, "", remainder, "348.01", retained}},
			shortfall: "0",
		},
		{
			name:    "same payee in two rules gets two entries",
			payment: manual("200"),
			rules:   []domain.SplitRule{pct("a", "10", false), fixed("a", "10", false)},
			want: []row{
				{0, "a", percent, "20.00", pending},
				{1, "a", fix, "10.00", pending},
				{-1, "", remainder, "170.00", retained},
			},
			shortfall: "0",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.Allocate(tc.payment, tc.rules)
			require.NoError(t, err)
			assert.Equal(t, tc.want, rows(got.Entries))
			assert.True(t, dec(tc.shortfall).Equal(got.Shortfall), "shortfall %s", got.Shortfall)
			assert.True(t, tc.payment.Paid.Equal(domain.SumEntries(got.Entries)), "entries sum to %s", domain.SumEntries(got.Entries))
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	valid := []domain.SplitRule{pct("a", "10", false)}
	cases := []struct {
		name    string
		payment domain.PaymentAmounts
		msg     string
	}{
		{"zero paid", gateway("0", "0"), "the amount paid must be greater than 0"},
		{"negative paid", gateway("-1", "-1"), "the amount paid must be greater than 0"},
		{"negative net", gateway("10", "-0.01"), "the net amount must not be negative"},
		{"net above paid", gateway("10", "10.01"), "the net amount 10.01 is greater than the amount paid 10.00"},
		{"manual with a fee", domain.PaymentAmounts{Paid: dec("10"), Net: dec("9"), Manual: true},
			"a manual payment has no fee, so its net amount must equal the amount paid"},
		{"paid with 3 decimals", gateway("10.001", "10"), "amounts must have at most 2 decimal places"},
		{"net with 3 decimals", gateway("10", "9.999"), "amounts must have at most 2 decimal places"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.Allocate(tc.payment, valid)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidPayment)
			assert.Equal(t, "invalid payment amounts: "+tc.msg, err.Error())
			assert.Empty(t, got.Entries)
		})
	}

	t.Run("invalid rules", func(t *testing.T) {
		_, err := domain.Allocate(manual("10"), []domain.SplitRule{pct("a", "60", false), pct("b", "50", false)})
		var fieldErrs domain.FieldErrors
		require.True(t, errors.As(err, &fieldErrs), "error %v", err)
		assert.Equal(t, domain.FieldErrors{{Field: "split_rules", Message: "The percentages add up to 110%; they must add up to at most 100%."}}, fieldErrs)
		assert.Equal(t, "invalid input: split_rules: The percentages add up to 110%; they must add up to at most 100%.", err.Error())
	})
}

func TestReverse(t *testing.T) {
	cases := []struct {
		name string
		in   []row
		want []row
	}{
		{
			name: "every entry negated, status reversed",
			in: []row{
				{-1, "", fee, "1.99", paid},
				{0, "a", percent, "9.80", sent},
				{1, "b", fix, "20.00", pending},
				{2, "c", remainder, "68.21", pending},
				{-1, "", remainder, "0.01", retained},
			},
			want: []row{
				{-1, "", fee, "-1.99", reversed},
				{0, "a", percent, "-9.80", reversed},
				{1, "b", fix, "-20.00", reversed},
				{2, "c", remainder, "-68.21", reversed},
				{-1, "", remainder, "-0.01", reversed},
			},
		},
		{name: "nothing to reverse", in: []row{}, want: []row{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := make([]domain.Entry, len(tc.in))
			for i, r := range tc.in {
				in[i] = domain.Entry{RuleIndex: r.Rule, PayeeID: r.Payee, Kind: r.Kind, Amount: dec(r.Amount), Status: r.Status}
			}
			before := rows(in)
			got := domain.Reverse(in)
			assert.Equal(t, tc.want, rows(got))
			assert.Equal(t, before, rows(in), "the input is left untouched")
			assert.True(t, domain.SumEntries(in).Add(domain.SumEntries(got)).IsZero())
		})
	}
}

func TestSumEntries(t *testing.T) {
	assert.True(t, dec("0").Equal(domain.SumEntries(nil)))
	assert.True(t, dec("10.02").Equal(domain.SumEntries([]domain.Entry{{Amount: dec("10.01")}, {Amount: dec("0.01")}})))
	assert.True(t, dec("-3").Equal(domain.SumEntries([]domain.Entry{{Amount: dec("-5")}, {Amount: dec("2")}})))
}

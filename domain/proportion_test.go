package domain_test

import (
	"testing"

	"billing/domain"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

func TestProportionalShares(t *testing.T) {
	cases := []struct {
		name  string
		parts []string
		total string
		want  []string
	}{
		{"a third of a payment with fee, 10%, fixed and remainder", []string{"1.99", "9.80", "5.00", "83.21"}, "30.00", []string{"0.60", "2.94", "1.50", "24.96"}},
		{"the whole of it", []string{"1.99", "9.80", "5.00", "83.21"}, "100.00", []string{"1.99", "9.80", "5.00", "83.21"}},
		{"one cent", []string{"1.99", "9.80", "5.00", "83.21"}, "0.01", []string{"0.00", "0.00", "0.00", "0.01"}},
		{"equal parts, the odd cent to the first", []string{"10.00", "10.00", "10.00"}, "10.00", []string{"3.34", "3.33", "3.33"}},
		{"zero parts get nothing", []string{"0", "50.00", "50.00"}, "0.03", []string{"0.00", "0.02", "0.01"}},
		{"nothing to divide", []string{"0", "0"}, "1.00", []string{"0", "0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := domain.ProportionalShares(decs(tc.parts...), decimal.RequireFromString(tc.total))
			want := decs(tc.want...)
			sum := decimal.Zero
			for i := range got {
				assert.True(t, want[i].Equal(got[i]), "share %d: want %s, got %s", i, want[i], got[i])
				sum = sum.Add(got[i])
			}
			if tc.name != "nothing to divide" {
				assert.True(t, sum.Equal(decimal.RequireFromString(tc.total)), "shares sum to the total: %s", sum)
			}
		})
	}
}

// Property: for any parts and any total up to their sum, the shares sum to the
// total to the cent and none exceeds its part; repeated partial refunds that
// each divide what is left reach every part exactly.
func TestProportionalSharesRepeatedRefunds(t *testing.T) {
	parts := decs("1.99", "9.80", "5.00", "0.01", "83.20")
	left := append([]decimal.Decimal(nil), parts...)
	for _, step := range []string{"33.33", "0.01", "12.34", "54.32"} {
		shares := domain.ProportionalShares(left, decimal.RequireFromString(step))
		sum := decimal.Zero
		for i := range shares {
			assert.False(t, shares[i].GreaterThan(left[i]), "a share never exceeds what is left of its part")
			left[i] = left[i].Sub(shares[i])
			sum = sum.Add(shares[i])
		}
		assert.True(t, sum.Equal(decimal.RequireFromString(step)))
	}
	for i := range left {
		assert.True(t, left[i].IsZero(), "all refunded: part %d has %s left", i, left[i])
	}
}

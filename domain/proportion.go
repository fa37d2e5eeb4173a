package domain

import (
	"sort"

	"github.com/shopspring/decimal"
)

// ProportionalShares divides total (cents) among parts in proportion to their
// amounts, to the cent: each share is its part's exact proportion rounded down,
// and the cents left over go one each to the parts with the largest fractions
// (the earlier part first on a tie). The shares sum to total exactly, and no
// share exceeds its part when total does not exceed the parts' sum. Used to
// reverse a partial refund across a payment's split entries.
//
// Parts must not be negative; with parts summing to zero every share is zero
// (nothing to divide by).
func ProportionalShares(parts []decimal.Decimal, total decimal.Decimal) []decimal.Decimal {
	shares := make([]decimal.Decimal, len(parts))
	sum := decimal.Zero
	for i, p := range parts {
		shares[i] = decimal.Zero
		sum = sum.Add(p)
	}
	if !sum.IsPositive() || total.IsZero() {
		return shares
	}
	totalCents := total.Shift(2).IntPart()
	sumCents := sum.Shift(2)
	type rest struct {
		index int
		frac  decimal.Decimal
	}
	rests := make([]rest, len(parts))
	given := int64(0)
	for i, p := range parts {
		exact := p.Shift(2).Mul(decimal.NewFromInt(totalCents)).Div(sumCents)
		floor := exact.Floor()
		shares[i] = floor.Shift(-2)
		given += floor.IntPart()
		rests[i] = rest{i, exact.Sub(floor)}
	}
	sort.SliceStable(rests, func(a, b int) bool { return rests[a].frac.GreaterThan(rests[b].frac) })
	for k := int64(0); k < totalCents-given; k++ {
		i := rests[k%int64(len(rests))].index
		shares[i] = shares[i].Add(decimal.New(1, -2))
	}
	return shares
}

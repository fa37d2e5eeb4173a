package domain_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"billing/domain"
)

// maxCents is the largest amount a numeric(14,2) column holds, in cents.
const maxCents = 99_999_999_999_999

func cents(c int64) decimal.Decimal { return decimal.New(c, -2) }

// genCents draws amounts of every size, small ones often (where rounding bites).
func genCents(min int64) *rapid.Generator[int64] {
	return rapid.OneOf(
		rapid.Int64Range(min, 100),
		rapid.Int64Range(min, 1_000_000),
		rapid.Int64Range(min, maxCents),
	)
}

// genRules draws shape-valid rules: percentages totalling at most 100, at most
// one fee and one remainder rule.
func genRules(t *rapid.T) []domain.SplitRule {
	kinds := []domain.RuleKind{domain.RulePercentage, domain.RuleFixed, domain.RuleFee, domain.RuleRemainder}
	count := rapid.IntRange(0, 8).Draw(t, "count")
	budget := int64(10_000) // basis points left for percentages
	var rules []domain.SplitRule
	seen := map[domain.RuleKind]bool{}
	for range count {
		kind := rapid.SampledFrom(kinds).Draw(t, "kind")
		payee := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "payee")
		rule := domain.SplitRule{Kind: kind, PayeeID: payee}
		switch kind {
		case domain.RulePercentage:
			if budget == 0 {
				continue
			}
			bp := rapid.Int64Range(1, budget).Draw(t, "basisPoints")
			budget -= bp
			rule.Percent = decimal.New(bp, -2)
			rule.ViaGateway = rapid.Bool().Draw(t, "via")
		case domain.RuleFixed:
			rule.Amount = cents(genCents(1).Draw(t, "fixed"))
			rule.ViaGateway = rapid.Bool().Draw(t, "via")
		case domain.RuleFee, domain.RuleRemainder:
			if seen[kind] {
				continue
			}
			seen[kind] = true
			if kind == domain.RuleFee && rapid.Bool().Draw(t, "anonymousFee") {
				rule.PayeeID = ""
			}
		}
		rules = append(rules, rule)
	}
	return rules
}

type drawnPayment struct {
	paid, net int64
	manual    bool
}

func genPayment(t *rapid.T) drawnPayment {
	paid := genCents(1).Draw(t, "paid")
	if rapid.Bool().Draw(t, "manual") {
		return drawnPayment{paid, paid, true}
	}
	fee := rapid.OneOf(rapid.Int64Range(0, min(paid, 500)), rapid.Int64Range(0, paid)).Draw(t, "fee")
	return drawnPayment{paid, paid - fee, false}
}

func (p drawnPayment) amounts() domain.PaymentAmounts {
	return domain.PaymentAmounts{Paid: cents(p.paid), Net: cents(p.net), Manual: p.manual}
}

// checkAllocation asserts every invariant of an allocation of shape-valid
// rules, against an integer-cent oracle for what each rule wants.
func checkAllocation(t require.TestingT, p drawnPayment, rules []domain.SplitRule, got domain.Allocation) {
	paid, net := cents(p.paid), cents(p.net)

	// The invariant: the entries sum to P exactly.
	require.True(t, paid.Equal(domain.SumEntries(got.Entries)), "entries sum to %s, paid %s", domain.SumEntries(got.Entries), paid)

	wants := map[int]int64{}
	var wantTotal int64
	for i, r := range rules {
		switch r.Kind {
		case domain.RulePercentage:
			// Floor in integer cents: both factors are non-negative and the
			// product stays below 2^63 (at most 10^14 cents × 10^4 basis points).
			wants[i] = p.net * r.Percent.Shift(2).IntPart() / 10_000
		case domain.RuleFixed:
			wants[i] = r.Amount.Shift(2).IntPart()
		default:
			continue
		}
		wantTotal += wants[i]
	}

	require.False(t, got.Shortfall.IsNegative(), "shortfall %s", got.Shortfall)
	if wantTotal <= p.net {
		require.True(t, got.Shortfall.IsZero(), "N covers the rules, shortfall %s", got.Shortfall)
	}

	var allocated int64
	lastRule := -1
	for k, e := range got.Entries {
		require.True(t, e.Amount.IsPositive(), "entry %d amount %s", k, e.Amount)
		require.True(t, e.Amount.Equal(e.Amount.Truncate(2)), "entry %d amount %s", k, e.Amount)
		switch e.Kind {
		case domain.RuleFee:
			require.Equal(t, 0, k, "the fee comes first")
			require.True(t, paid.Sub(net).Equal(e.Amount))
			require.Equal(t, domain.EntryPaid, e.Status)
		case domain.RulePercentage, domain.RuleFixed:
			require.Greater(t, e.RuleIndex, lastRule, "rule order")
			lastRule = e.RuleIndex
			r := rules[e.RuleIndex]
			require.Equal(t, r.Kind, e.Kind)
			require.Equal(t, r.PayeeID, e.PayeeID)
			c := e.Amount.Shift(2).IntPart()
			require.LessOrEqual(t, c, wants[e.RuleIndex], "never more than the rule wants")
			allocated += c
			want := domain.EntryPending
			if r.ViaGateway && !p.manual {
				want = domain.EntrySentToGateway
			}
			require.Equal(t, want, e.Status)
		case domain.RuleRemainder:
			require.Equal(t, len(got.Entries)-1, k, "the remainder comes last")
			require.True(t, cents(p.net-allocated).Equal(e.Amount))
			if e.RuleIndex >= 0 {
				require.Equal(t, domain.RuleRemainder, rules[e.RuleIndex].Kind)
				require.Equal(t, domain.EntryPending, e.Status)
			} else {
				require.Empty(t, e.PayeeID)
				require.Equal(t, domain.EntryRetained, e.Status)
			}
		default:
			require.Failf(t, "unexpected kind", "%q", e.Kind)
		}
	}
	// What the rules wanted is either allocated or reported short.
	require.True(t, cents(wantTotal-allocated).Equal(got.Shortfall), "shortfall %s, expected %d cents", got.Shortfall, wantTotal-allocated)
	if p.paid > p.net {
		require.Equal(t, domain.RuleFee, got.Entries[0].Kind)
	}
}

func TestAllocateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPayment(t)
		rules := genRules(t)
		got, err := domain.Allocate(p.amounts(), rules)
		require.NoError(t, err)
		checkAllocation(t, p, rules, got)

		back := domain.Reverse(got.Entries)
		require.Len(t, back, len(got.Entries))
		require.True(t, cents(-p.paid).Equal(domain.SumEntries(back)), "reversal sums to %s", domain.SumEntries(back))
		for i, e := range back {
			require.Equal(t, domain.EntryReversed, e.Status)
			require.True(t, e.Amount.Equal(got.Entries[i].Amount.Neg()))
			require.Equal(t, got.Entries[i].RuleIndex, e.RuleIndex)
			require.Equal(t, got.Entries[i].PayeeID, e.PayeeID)
			require.Equal(t, got.Entries[i].Kind, e.Kind)
		}
	})
}

func TestAllocateRejectsImpossibleAmounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		paid := rapid.Int64Range(-1000, 1000).Draw(t, "paid")
		net := rapid.Int64Range(-1000, 1000).Draw(t, "net")
		manual := rapid.Bool().Draw(t, "manual")
		valid := paid > 0 && net >= 0 && net <= paid && (!manual || net == paid)
		_, err := domain.Allocate(domain.PaymentAmounts{Paid: cents(paid), Net: cents(net), Manual: manual}, nil)
		if valid {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, domain.ErrInvalidPayment)
		}
	})
}

func TestSplitTotalProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total := genCents(1).Draw(t, "total")
		n := rapid.OneOf(rapid.IntRange(1, 24), rapid.IntRange(1, domain.MaxInstallments)).Draw(t, "n")
		got, err := domain.SplitTotal(cents(total), n)
		if total < int64(n) {
			require.ErrorIs(t, err, domain.ErrInvalidSchedule)
			return
		}
		require.NoError(t, err)
		require.Len(t, got, n)
		require.True(t, cents(total).Equal(decimal.Sum(decimal.Zero, got...)), "sum %s", decimal.Sum(decimal.Zero, got...))
		base := cents(total / int64(n))
		for i, v := range got[:n-1] {
			require.True(t, base.Equal(v), "parcel %d is %s, want %s", i+1, v, base)
		}
		last := got[n-1]
		require.True(t, last.GreaterThanOrEqual(base))
		require.True(t, last.Sub(base).LessThan(cents(int64(n))), "the last parcel exceeds the others by less than n cents")
	})
}

func TestMoneyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := cents(rapid.OneOf(rapid.Int64Range(0, 1000), rapid.Int64Range(0, maxCents)).Draw(t, "cents"))
		s := domain.FormatMoney(x)
		got, err := domain.ParseMoney(s)
		require.NoError(t, err)
		require.True(t, x.Equal(got), "%s → %q → %s", x, s, got)
		gotJSON, err := domain.ParseMoneyJSON([]byte(`"` + s + `"`))
		require.NoError(t, err)
		require.True(t, x.Equal(gotJSON))
		gotNumber, err := domain.ParseMoneyJSON([]byte(s))
		require.NoError(t, err)
		require.True(t, x.Equal(gotNumber))
	})
}

// moneyGrammar is what ParseMoney accepts, written independently of it.
var moneyGrammar = regexp.MustCompile(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$`)

func TestParseMoneyMatchesGrammar(t *testing.T) {
	alphabet := []rune("0123456789.-+eE x0")
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringOfN(rapid.SampledFrom(alphabet), 0, 18, -1).Draw(t, "s")
		got, err := domain.ParseMoney(s)
		if !moneyGrammar.MatchString(s) {
			require.ErrorIs(t, err, domain.ErrInvalidMoney)
			return
		}
		require.NoError(t, err)
		require.True(t, decimal.RequireFromString(s).Equal(got))
	})
}

func TestDueDatesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		first := time.Date(
			rapid.IntRange(1990, 2100).Draw(t, "year"),
			time.Month(rapid.IntRange(1, 12).Draw(t, "month")),
			rapid.IntRange(1, 31).Draw(t, "day"), // may overflow into the next month: the anchor is wherever it lands
			rapid.IntRange(0, 23).Draw(t, "hour"), 0, 0, 0, time.UTC)
		n := rapid.IntRange(1, domain.MaxInstallments).Draw(t, "n")
		interval := rapid.IntRange(1, domain.MaxIntervalMonths).Draw(t, "interval")
		got := domain.DueDates(first, n, interval)
		require.Len(t, got, n)
		require.Equal(t, time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC), got[0])
		monthIndex := func(d time.Time) int { return d.Year()*12 + int(d.Month()) - 1 }
		for i, d := range got {
			require.Equal(t, time.UTC, d.Location())
			require.Zero(t, d.Hour()+d.Minute()+d.Second()+d.Nanosecond())
			require.Equal(t, monthIndex(first)+i*interval, monthIndex(d), "date %d month", i)
			lastDay := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
			require.Equal(t, min(first.Day(), lastDay), d.Day(), "date %d day", i)
			if i > 0 {
				require.True(t, d.After(got[i-1]))
			}
		}
	})
}

// The properties above must fail when an invariant breaks: a sanity check that
// the oracle is not vacuous, on a hand-made bad allocation.
func TestCheckAllocationCatchesABadSum(t *testing.T) {
	p := drawnPayment{paid: 1000, net: 1000, manual: true}
	bad := domain.Allocation{Entries: []domain.Entry{{RuleIndex: -1, Kind: domain.RuleRemainder, Amount: cents(999), Status: domain.EntryRetained}}}
	rec := &recorder{}
	func() {
		defer func() { _ = recover() }()
		checkAllocation(rec, p, nil, bad)
	}()
	assert.True(t, rec.failed)
}

// recorder is a require.TestingT that remembers a failure instead of ending the test.
type recorder struct{ failed bool }

func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) FailNow()              { r.failed = true; panic("FailNow") }

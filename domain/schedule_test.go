package domain_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/domain"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// repeat returns n copies of s followed by the extra values.
func repeat(s string, n int, extra ...string) []string {
	out := make([]string, 0, n+len(extra))
	for range n {
		out = append(out, s)
	}
	return append(out, extra...)
}

func formatAll(values []decimal.Decimal) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = domain.FormatMoney(v)
	}
	return out
}

func TestSplitTotal(t *testing.T) {
	cases := []struct {
		name  string
		total string
		n     int
		want  []string
	}{
		{"Asaas example 350 in 12", "350", 12, repeat("29.16", 11, "29.24")},
		{"Asaas example 300 in 3", "300", 3, repeat("100.00", 3)},
		{"single installment", "1234.56", 1, []string{"1234.56"}},
		{"one cent in one", "0.01", 1, []string{"0.01"}},
		{"one cent each", "0.03", 3, repeat("0.01", 3)},
		{"remainder of cents on the last", "0.05", 3, []string{"0.01", "0.01", "0.03"}},
		{"100 in 3", "100", 3, []string{"33.33", "33.33", "33.34"}},
		{"10 in 360", "10", 360, repeat("0.02", 359, "2.82")},
		{"largest total", "999999999999.99", 7, repeat("142857142857.14", 6, "142857142857.15")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.SplitTotal(dec(tc.total), tc.n)
			require.NoError(t, err)
			assert.Equal(t, tc.want, formatAll(got))
			assert.True(t, dec(tc.total).Equal(decimal.Sum(decimal.Zero, got...)))
		})
	}

	errs := []struct {
		name  string
		total string
		n     int
		msg   string
	}{
		{"zero installments", "100", 0, "the number of installments must be between 1 and 360"},
		{"negative installments", "100", -1, "the number of installments must be between 1 and 360"},
		{"too many installments", "1000", 361, "the number of installments must be between 1 and 360"},
		{"zero total", "0", 3, "the total must be greater than 0"},
		{"negative total", "-10", 3, "the total must be greater than 0"},
		{"three decimals", "10.005", 3, "the total must have at most 2 decimal places"},
		{"zero parcel", "0.02", 3, "a total of 0.02 cannot be split into 3 installments of at least 0.01"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.SplitTotal(dec(tc.total), tc.n)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidSchedule)
			assert.Equal(t, "invalid installment schedule: "+tc.msg, err.Error())
			assert.Nil(t, got)
		})
	}
}

func TestDueDates(t *testing.T) {
	saoPaulo := time.FixedZone("BRT", -3*60*60)
	cases := []struct {
		name     string
		first    time.Time
		n        int
		interval int
		want     []time.Time
	}{
		{"Asaas example monthly on the 24th", day(2026, 7, 24), 12, 1, []time.Time{
			day(2026, 7, 24), day(2026, 8, 24), day(2026, 9, 24), day(2026, 10, 24), day(2026, 11, 24), day(2026, 12, 24),
			day(2027, 1, 24), day(2027, 2, 24), day(2027, 3, 24), day(2027, 4, 24), day(2027, 5, 24), day(2027, 6, 24),
		}},
		{"end of month keeps the 31st", day(2027, 1, 31), 5, 1, []time.Time{
			day(2027, 1, 31), day(2027, 2, 28), day(2027, 3, 31), day(2027, 4, 30), day(2027, 5, 31),
		}},
		{"leap year February", day(2028, 1, 31), 3, 1, []time.Time{
			day(2028, 1, 31), day(2028, 2, 29), day(2028, 3, 31),
		}},
		{"the 30th in February", day(2026, 1, 30), 3, 1, []time.Time{
			day(2026, 1, 30), day(2026, 2, 28), day(2026, 3, 30),
		}},
		{"the 29th of February anchors the 29th", day(2028, 2, 29), 3, 12, []time.Time{
			day(2028, 2, 29), day(2029, 2, 28), day(2030, 2, 28),
		}},
		{"leap year every 12 months", day(2027, 2, 28), 3, 12, []time.Time{
			day(2027, 2, 28), day(2028, 2, 28), day(2029, 2, 28),
		}},
		{"quarterly across the year end", day(2026, 11, 30), 4, 3, []time.Time{
			day(2026, 11, 30), day(2027, 2, 28), day(2027, 5, 30), day(2027, 8, 30),
		}},
		{"every 2 months from Aug 31", day(2026, 8, 31), 4, 2, []time.Time{
			day(2026, 8, 31), day(2026, 10, 31), day(2026, 12, 31), day(2027, 2, 28),
		}},
		{"time of day is dropped", time.Date(2026, 3, 15, 23, 59, 59, 999, time.UTC), 2, 1, []time.Time{
			day(2026, 3, 15), day(2026, 4, 15),
		}},
		{"the calendar day of the input's own zone", time.Date(2026, 3, 31, 22, 0, 0, 0, saoPaulo), 2, 1, []time.Time{
			day(2026, 3, 31), day(2026, 4, 30),
		}},
		{"one date", day(2026, 5, 5), 1, 1, []time.Time{day(2026, 5, 5)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := domain.DueDates(tc.first, tc.n, tc.interval)
			assert.Equal(t, tc.want, got)
			for _, d := range got {
				assert.Equal(t, time.UTC, d.Location())
			}
		})
	}

	t.Run("invalid arguments give nil", func(t *testing.T) {
		for _, args := range [][2]int{{0, 1}, {-1, 1}, {3, 0}, {3, 13}, {3, -1}} {
			assert.Nil(t, domain.DueDates(day(2026, 1, 1), args[0], args[1]), "n=%d interval=%d", args[0], args[1])
		}
	})

	t.Run("360 monthly dates stay on the anchor day", func(t *testing.T) {
		got := domain.DueDates(day(2026, 1, 31), 360, 1)
		require.Len(t, got, 360)
		assert.Equal(t, day(2055, 12, 31), got[359])
		for i, d := range got {
			lastDay := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
			assert.Equal(t, lastDay, d.Day(), "date %d is %s", i, d)
			assert.Equal(t, time.Month((i%12)+1), d.Month())
		}
	})
}

func TestSchedule(t *testing.T) {
	t.Run("350 in 12 from 2026-07-24", func(t *testing.T) {
		got, err := domain.Schedule(dec("350"), 12, day(2026, 7, 24), 1)
		require.NoError(t, err)
		require.Len(t, got, 12)
		for i, inst := range got {
			assert.Equal(t, i+1, inst.Number)
			want := "29.16"
			if i == 11 {
				want = "29.24"
			}
			assert.Equal(t, want, domain.FormatMoney(inst.Value))
		}
		assert.Equal(t, day(2026, 7, 24), got[0].DueDate)
		assert.Equal(t, day(2027, 6, 24), got[11].DueDate)
	})

	t.Run("end of month quarterly", func(t *testing.T) {
		got, err := domain.Schedule(dec("100"), 3, day(2027, 11, 30), 3)
		require.NoError(t, err)
		assert.Equal(t, []domain.ScheduledInstallment{
			{Number: 1, Value: dec("33.33"), DueDate: day(2027, 11, 30)},
			{Number: 2, Value: dec("33.33"), DueDate: day(2028, 2, 29)},
			{Number: 3, Value: dec("33.34"), DueDate: day(2028, 5, 30)},
		}, normalise(got))
	})

	errs := []struct {
		name     string
		total    string
		n        int
		first    time.Time
		interval int
		msg      string
	}{
		{"interval 0", "100", 3, day(2026, 1, 1), 0, "the interval must be between 1 and 12 months"},
		{"interval 13", "100", 3, day(2026, 1, 1), 13, "the interval must be between 1 and 12 months"},
		{"no first date", "100", 3, time.Time{}, 1, "the first due date is required"},
		{"bad count", "100", 0, day(2026, 1, 1), 1, "the number of installments must be between 1 and 360"},
		{"bad total", "0", 3, day(2026, 1, 1), 1, "the total must be greater than 0"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			got, err := domain.Schedule(dec(tc.total), tc.n, tc.first, tc.interval)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidSchedule)
			assert.Equal(t, "invalid installment schedule: "+tc.msg, err.Error())
			assert.Nil(t, got)
		})
	}
}

// normalise rewrites values through their string form so assert.Equal
// compares decimals by value rather than by internal representation.
func normalise(s []domain.ScheduledInstallment) []domain.ScheduledInstallment {
	out := make([]domain.ScheduledInstallment, len(s))
	for i, inst := range s {
		inst.Value = dec(inst.Value.String())
		out[i] = inst
	}
	return out
}

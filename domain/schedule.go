package domain

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// MaxInstallments is the largest installment count a contract may have.
const MaxInstallments = 360

// MaxIntervalMonths is the longest interval between two due dates.
const MaxIntervalMonths = 12

// ErrInvalidSchedule is wrapped by every error SplitTotal and Schedule return.
var ErrInvalidSchedule = errors.New("invalid installment schedule")

// ScheduledInstallment is one parcel of a schedule.
type ScheduledInstallment struct {
	Number  int // 1-based
	Value   decimal.Decimal
	DueDate time.Time // UTC midnight
}

// SplitTotal splits total into n parcels the way Asaas does: each parcel is
// total/n truncated to the cent and the LAST parcel absorbs the remainder
// (350 in 12 gives 11 × 29.16 and 29.24).
func SplitTotal(total decimal.Decimal, n int) ([]decimal.Decimal, error) {
	if err := validateInstallmentCount(n); err != nil {
		return nil, err
	}
	if !total.IsPositive() {
		return nil, fmt.Errorf("%w: the total must be greater than 0", ErrInvalidSchedule)
	}
	if !hasAtMostTwoPlaces(total) {
		return nil, fmt.Errorf("%w: the total must have at most 2 decimal places", ErrInvalidSchedule)
	}
	// Whole cents divided by n, truncated: exact, no division precision involved.
	cents, _ := total.Shift(2).QuoRem(decimal.NewFromInt(int64(n)), 0)
	parcel := cents.Shift(-2)
	if !parcel.IsPositive() {
		return nil, fmt.Errorf("%w: a total of %s cannot be split into %d installments of at least 0.01",
			ErrInvalidSchedule, FormatMoney(total), n)
	}
	values := make([]decimal.Decimal, n)
	for i := range n - 1 {
		values[i] = parcel
	}
	values[n-1] = total.Sub(parcel.Mul(decimal.NewFromInt(int64(n - 1))))
	return values, nil
}

// DueDates returns n due dates, the first on first's calendar day and each
// next one intervalMonths later, on the same day of month as first. A day the
// month lacks becomes that month's last day without drifting the later ones:
// Jan 31 → Feb 28 (29 in leap years) → Mar 31 → Apr 30. Dates are midnight
// UTC of the calendar day first has in its own location.
//
// It returns nil when n < 1 or intervalMonths is outside 1..12; Schedule
// reports those as errors.
func DueDates(first time.Time, n, intervalMonths int) []time.Time {
	if n < 1 || intervalMonths < 1 || intervalMonths > MaxIntervalMonths {
		return nil
	}
	year, month, day := first.Date()
	dates := make([]time.Time, n)
	for i := range dates {
		// Month arithmetic from the anchor, so a clamped day never carries over.
		offset := int(month) - 1 + i*intervalMonths
		y, m := year+offset/12, time.Month(offset%12+1)
		dates[i] = time.Date(y, m, min(day, daysIn(y, m)), 0, 0, 0, 0, time.UTC)
	}
	return dates
}

// Schedule splits total into n parcels (SplitTotal) due every intervalMonths
// from first (DueDates).
func Schedule(total decimal.Decimal, n int, first time.Time, intervalMonths int) ([]ScheduledInstallment, error) {
	if intervalMonths < 1 || intervalMonths > MaxIntervalMonths {
		return nil, fmt.Errorf("%w: the interval must be between 1 and %d months", ErrInvalidSchedule, MaxIntervalMonths)
	}
	if first.IsZero() {
		return nil, fmt.Errorf("%w: the first due date is required", ErrInvalidSchedule)
	}
	values, err := SplitTotal(total, n)
	if err != nil {
		return nil, err
	}
	dates := DueDates(first, n, intervalMonths)
	schedule := make([]ScheduledInstallment, n)
	for i := range schedule {
		schedule[i] = ScheduledInstallment{Number: i + 1, Value: values[i], DueDate: dates[i]}
	}
	return schedule, nil
}

func validateInstallmentCount(n int) error {
	if n < 1 || n > MaxInstallments {
		return fmt.Errorf("%w: the number of installments must be between 1 and %d", ErrInvalidSchedule, MaxInstallments)
	}
	return nil
}

// daysIn is the number of days of month m in year y.
func daysIn(y int, m time.Month) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

package asaassim

import (
	"time"

	"github.com/shopspring/decimal"
)

// What a payer owes for a charge with discount, fine and interest on a given day.
// The request and response shapes come from the captures (FACTS.md); how Asaas
// computes the amounts does not. Documented by Asaas: the discount holds until
// dueDateLimitDays before the due date, the fine is charged once after the due date
// and the interest is a percentage per month. Invented here, where neither the
// captures nor the documentation say:
//   - a payment is late on any calendar day after the due date (no grace for a due
//     date that falls on a weekend or a bank holiday);
//   - interest is pro rata per calendar day late, a month counting 30 days:
//     value × interest% × days / 30;
//   - fine, interest and discount are each computed on the charge's value and
//     rounded to the cent, half away from zero;
//   - the discount's limit date (dueDate − dueDateLimitDays) is inclusive, and a
//     payment on the due date itself is in time.
// The paid webhook then reports value = what was paid, originalValue = the
// charge's value and, when late, interestValue = fine + interest (seed 001:
// originalValue is "for when the amount paid differs from the charge's value").

const daysPerMonth = 30

// amountDue is what the charge asks on date: its value less the discount up to
// the discount's limit date, or plus the fine and the interest after the due date.
func (p *payment) amountDue(date time.Time) decimal.Decimal {
	switch {
	case !date.After(p.discountLimit()):
		return p.value.Sub(p.discount.on(p.value))
	case date.After(p.dueDate):
		return p.value.Add(p.fine.on(p.value)).Add(p.interest.on(p.value, daysBetween(p.dueDate, date)))
	}
	return p.value
}

// discountLimit is the last day the discount holds.
func (p *payment) discountLimit() time.Time {
	return addDays(p.dueDate, -p.discount.dueDateLimitDays)
}

func (d discountRule) on(value decimal.Decimal) decimal.Decimal {
	if d.typ == "PERCENTAGE" {
		return roundCents(value.Mul(d.value).Div(hundred))
	}
	return d.value
}

func (f fineRule) on(value decimal.Decimal) decimal.Decimal {
	if f.typ == "PERCENTAGE" {
		return roundCents(value.Mul(f.value).Div(hundred))
	}
	return f.value
}

func (i interestRule) on(value decimal.Decimal, daysLate int) decimal.Decimal {
	return roundCents(value.Mul(i.value).Div(hundred).Mul(decimal.NewFromInt(int64(daysLate))).Div(decimal.NewFromInt(daysPerMonth)))
}

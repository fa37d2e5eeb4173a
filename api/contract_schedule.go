package api

import (
	"encoding/json"
	"fmt"
	"time"

	"billing/domain"

	"github.com/shopspring/decimal"
)

// installmentInput is one installment of an explicit schedule.
type installmentInput struct {
	Value   json.RawMessage `json:"value"`
	DueDate string          `json:"due_date"`
}

// schedule is a contract's installments and the figures derived from them.
type schedule struct {
	Total    decimal.Decimal
	Interval int
	Items    []domain.ScheduledInstallment
}

func (s schedule) firstDue() time.Time { return s.Items[0].DueDate }

// values are the installments' values.
func (s schedule) values() []decimal.Decimal {
	out := make([]decimal.Decimal, len(s.Items))
	for i, it := range s.Items {
		out[i] = it.Value
	}
	return out
}

// generated splits total into n installments every interval months from first, the
// rounding difference on the last one (domain.Schedule).
func (f *fields) generated(total decimal.Decimal, n int, first time.Time, interval int) schedule {
	if !f.ok() {
		return schedule{}
	}
	items, err := domain.Schedule(total, n, first, interval)
	if err != nil {
		f.add("total_amount", "%s", reason(err, domain.ErrInvalidSchedule))
		return schedule{}
	}
	return schedule{Total: total, Interval: interval, Items: items}
}

// explicit validates a schedule sent installment by installment: positive values, due
// dates strictly increasing. The total is their sum.
func (f *fields) explicit(in []installmentInput, interval int) schedule {
	if len(in) < 1 || len(in) > domain.MaxInstallments {
		f.add("installments", "must have between 1 and %d installments", domain.MaxInstallments)
		return schedule{}
	}
	s := schedule{Total: decimal.Zero, Interval: interval, Items: make([]domain.ScheduledInstallment, len(in))}
	for i, it := range in {
		v := f.money(fmt.Sprintf("installments[%d].value", i), nullIfJSONNull(it.Value))
		d := f.date(fmt.Sprintf("installments[%d].due_date", i), it.DueDate)
		if i > 0 && !d.IsZero() && !s.Items[i-1].DueDate.IsZero() && !d.After(s.Items[i-1].DueDate) {
			f.add(fmt.Sprintf("installments[%d].due_date", i), "must be after the previous installment's due date")
		}
		s.Items[i] = domain.ScheduledInstallment{Number: i + 1, Value: v, DueDate: d}
		s.Total = s.Total.Add(v)
	}
	return s
}

// agrees reports a field sent alongside explicit installments that contradicts them.
func (f *fields) agrees(s schedule, total *decimal.Decimal, count *int, first *time.Time) {
	if !f.ok() {
		return
	}
	if total != nil && !total.Equal(s.Total) {
		f.add("total_amount", "must equal the sum of the installments (%s), or be omitted", formatMoney(s.Total))
	}
	if count != nil && *count != len(s.Items) {
		f.add("installment_count", "must equal the number of installments (%d), or be omitted", len(s.Items))
	}
	if first != nil && !first.Equal(s.firstDue()) {
		f.add("first_due_date", "must equal the first installment's due date (%s), or be omitted", formatDate(s.firstDue()))
	}
}

package domain

import "time"

// SaoPaulo is Asaas's calendar: due dates, payment dates and an event's
// dateCreated are São Paulo days and times (UTC-3; Brazil has had no daylight
// saving since 2019).
var SaoPaulo = time.FixedZone("America/Sao_Paulo", -3*3600)

// Day is the calendar day of t in São Paulo, as a date at 00:00 UTC (how dates
// are stored and compared everywhere else).
func Day(t time.Time) time.Time {
	y, m, d := t.In(SaoPaulo).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// OverdueAt is the first instant an installment due on the given day is
// overdue: 00:00 of the next day in São Paulo, when Asaas marks its charge
// overdue. On the due day itself, up to its last second, it is not.
func OverdueAt(due time.Time) time.Time {
	y, m, d := due.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, SaoPaulo)
}

// IsOverdue reports whether an installment due on the given day is overdue at now.
func IsOverdue(due, now time.Time) bool { return !now.Before(OverdueAt(due)) }

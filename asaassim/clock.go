package asaassim

import "time"

// saoPaulo is Asaas's calendar: Brazil has had no daylight saving since 2019, so a
// fixed UTC−3 zone needs no tzdata on the machine.
var saoPaulo = time.FixedZone("BRT", -3*60*60)

const dateLayout = "2006-01-02"

// dayOf is the calendar day of t in t's own location, as a UTC-midnight time.
// Tests that pin the clock to a date get that date whatever zone they use; the
// default clock runs in São Paulo time.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func fmtDate(t time.Time) string { return t.Format(dateLayout) }

func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

func datePtr(t time.Time) *time.Time { return &t }

func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// addMonths moves to the same day k months later, clamped to the month's last day
// (Jan 31 + 1 month = Feb 28). Parcels are monthly on the same day (FACTS); the
// clamping for short months is invented.
func addMonths(t time.Time, k int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

func daysBetween(from, to time.Time) int {
	return int(to.Sub(from).Hours() / 24)
}

// nextBusinessDay returns t, or the first bank business day after it. FACTS
// proves the weekend roll (D+32 on a Saturday credits on Monday); the national
// bank holidays below are our addition (Carnival and Corpus Christi close banks).
func nextBusinessDay(t time.Time) time.Time {
	for !isBusinessDay(t) {
		t = addDays(t, 1)
	}
	return t
}

func isBusinessDay(t time.Time) bool {
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !isBankHoliday(t)
}

func isBankHoliday(t time.Time) bool {
	switch [2]int{int(t.Month()), t.Day()} {
	case [2]int{1, 1}, [2]int{4, 21}, [2]int{5, 1}, [2]int{9, 7}, [2]int{10, 12},
		[2]int{11, 2}, [2]int{11, 15}, [2]int{11, 20}, [2]int{12, 25}:
		return true
	}
	easter := easterSunday(t.Year())
	for _, offset := range []int{-48, -47, -2, 60} { // Carnival Mon/Tue, Good Friday, Corpus Christi
		if addDays(easter, offset).Equal(t) {
			return true
		}
	}
	return false
}

// easterSunday: the anonymous Gregorian algorithm.
func easterSunday(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

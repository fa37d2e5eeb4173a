package domain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The overdue boundary: an installment is overdue from 00:00 of the day after
// its due date in São Paulo, never on the due day itself.
func TestIsOverdueBoundary(t *testing.T) {
	due := time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"the due day's first second", time.Date(2030, 1, 10, 0, 0, 0, 0, SaoPaulo), false},
		{"the due day, midday", time.Date(2030, 1, 10, 12, 0, 0, 0, SaoPaulo), false},
		{"the due day's last second", time.Date(2030, 1, 10, 23, 59, 59, 0, SaoPaulo), false},
		{"the due day's last second, read in UTC", time.Date(2030, 1, 11, 2, 59, 59, 0, time.UTC), false},
		{"the next day at 00:00", time.Date(2030, 1, 11, 0, 0, 0, 0, SaoPaulo), true},
		{"the next day at 00:00, read in UTC", time.Date(2030, 1, 11, 3, 0, 0, 0, time.UTC), true},
		{"a week later", time.Date(2030, 1, 17, 9, 0, 0, 0, SaoPaulo), true},
		{"the day before", time.Date(2030, 1, 9, 23, 0, 0, 0, SaoPaulo), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, IsOverdue(due, tc.now))
		})
	}
	assert.Equal(t, time.Date(2030, 1, 11, 3, 0, 0, 0, time.UTC), OverdueAt(due).UTC())
}

func TestDayIsTheSaoPauloCalendarDay(t *testing.T) {
	assert.Equal(t, time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC), Day(time.Date(2030, 1, 11, 2, 59, 0, 0, time.UTC)))
	assert.Equal(t, time.Date(2030, 1, 11, 0, 0, 0, 0, time.UTC), Day(time.Date(2030, 1, 11, 3, 0, 0, 0, time.UTC)))
}

package console

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBRL(t *testing.T) {
	cases := map[string]string{
		"0": "R$ 0,00", "0.5": "R$ 0,50", "12.3": "R$ 12,30", "1234.56": "R$ 1.234,56", "1234567.00": "R$ 1.234.567,00",
		"100": "R$ 100,00", "999999.99": "R$ 999.999,99", "-5.00": "-R$ 5,00", "-1234.5": "-R$ 1.234,50", "abc": "abc",
	}
	for in, want := range cases {
		assert.Equal(t, want, brl(in), in)
	}
	assert.Equal(t, "1.234,50", amountInput("1234.50"))
}

func TestParseAmountInput(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1234.56", "1234.56"}, {"1.234,56", "1234.56"}, {"1234,56", "1234.56"}, {"R$ 1.234,56", "1234.56"},
		{"1,234.56", "1234.56"}, {"1.234", "1234"}, {"1.234.567,8", "1234567.8"}, {" 300 ", "300"}, {"0,5", "0.5"},
		{"12.345", "12345"}, {"R$\u00a010,00", "10.00"},
		// Not money as anyone writes it: passed on for the API to refuse with its reason.
		{"1,2,3", "1,2,3"}, {"12.3456", "12.3456"}, {"-5", "-5"}, {"abc", "abc"}, {"", ""}, {"1e3", "1e3"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, parseAmountInput(tc.in), tc.in)
	}
}

func TestPercentAndDates(t *testing.T) {
	for in, want := range map[string]string{"10": "10", "10,5": "10.5", "12.25%": "12.25", "x": "x"} {
		assert.Equal(t, want, parsePercentInput(in), in)
	}
	assert.Equal(t, "12,5", percentInput("12.50"))
	for in, want := range map[string]string{"31/03/2026": "2026-03-31", "1/2/2026": "2026-02-01", "2026-03-31": "2026-03-31", "31-03-2026": "31-03-2026"} {
		assert.Equal(t, want, parseDateInput(in), in)
	}
	assert.Equal(t, "31/03/2026", brDateOf("2026-03-31"))
	assert.Equal(t, "soon", brDateOf("soon"))
	assert.Equal(t, "31/03/2026 11:05", brDateTime(time.Date(2026, 3, 31, 14, 5, 0, 0, time.UTC)), "São Paulo time")
	assert.Equal(t, "paid_on must be a date like 31/03/2026", localizeMessage("paid_on must be a date like 2026-03-31"))
}

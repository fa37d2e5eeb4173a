package domain_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/domain"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseMoney(t *testing.T) {
	valid := []struct{ in, want string }{
		{"1234.50", "1234.50"},
		{"10", "10.00"},
		{"0.01", "0.01"},
		{"0", "0.00"},
		{"0.5", "0.50"},
		{"12.10", "12.10"},
		{"999999999999.99", "999999999999.99"},
	}
	for _, tc := range valid {
		t.Run("valid "+tc.in, func(t *testing.T) {
			got, err := domain.ParseMoney(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, domain.FormatMoney(got))
			assert.True(t, dec(tc.want).Equal(got))
		})
	}

	invalid := []struct{ in, reason string }{
		{"", "must not be empty"},
		{"abc", `must be a decimal number like "1234.50"`},
		{"12,50", `must be a decimal number like "1234.50"`},
		{"1.2.3", `must be a decimal number like "1234.50"`},
		{".5", `must be a decimal number like "1234.50"`},
		{"5.", `must be a decimal number like "1234.50"`},
		{"-", `must be a decimal number like "1234.50"`},
		{"1e3", "must not use exponent notation (write 1000, not 1e3)"},
		{"1.5E-2", "must not use exponent notation (write 1000, not 1e3)"},
		{"+10", `must not start with "+"`},
		{" 10", "must not contain spaces"},
		{"10 ", "must not contain spaces"},
		{"1 000", "must not contain spaces"},
		{"10\t", "must not contain spaces"},
		{"10.001", "must have at most 2 decimal places"},
		{"0.000", "must have at most 2 decimal places"},
		{"-1", "must not be negative"},
		{"-0.01", "must not be negative"},
		{"NaN", "must be a finite number (NaN and Infinity are not allowed)"},
		{"Inf", "must be a finite number (NaN and Infinity are not allowed)"},
		{"-Infinity", "must be a finite number (NaN and Infinity are not allowed)"},
		{"1000000000000", "must have at most 12 digits before the decimal point"},
		{"0123", "must not have leading zeros"},
		{"00.50", "must not have leading zeros"},
		{"١٢", `must be a decimal number like "1234.50"`}, // non-ASCII digits
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.in, func(t *testing.T) {
			got, err := domain.ParseMoney(tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidMoney)
			assert.Equal(t, "invalid amount: "+tc.reason, err.Error())
			assert.True(t, got.IsZero())
		})
	}
}

func TestParseMoneyJSON(t *testing.T) {
	valid := []struct{ in, want string }{
		{`"12.50"`, "12.50"},
		{`12.5`, "12.50"},
		{`12.10`, "12.10"},
		{`0`, "0.00"},
		{`0.01`, "0.01"},
		{` 7 `, "7.00"},
		{`"1\u0030"`, "10.00"}, // JSON escapes are decoded before parsing
	}
	for _, tc := range valid {
		t.Run("valid "+tc.in, func(t *testing.T) {
			got, err := domain.ParseMoneyJSON([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, domain.FormatMoney(got))
		})
	}

	invalid := []struct{ in, reason string }{
		{`null`, "must not be null"},
		{``, "must not be empty"},
		{`12.001`, "must have at most 2 decimal places"},
		{`"12.001"`, "must have at most 2 decimal places"},
		{`1e2`, "must not use exponent notation (write 1000, not 1e3)"},
		{`-5`, "must not be negative"},
		{`"-5"`, "must not be negative"},
		{`""`, "must not be empty"},
		{`" 5"`, "must not contain spaces"},
		{`"abc"`, `must be a decimal number like "1234.50"`},
		{`"12.5`, "is not a valid JSON string"},
		{`true`, `must be a string like "1234.50" or a number`},
		{`{"value":1}`, `must be a string like "1234.50" or a number`},
		{`[1]`, `must be a string like "1234.50" or a number`},
		{`12.5x`, `must be a decimal number like "1234.50"`},
		{`1000000000000`, "must have at most 12 digits before the decimal point"},
		{"\f0", `must be a string like "1234.50" or a number`}, // form feed is not JSON whitespace
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.in, func(t *testing.T) {
			_, err := domain.ParseMoneyJSON([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidMoney)
			assert.Equal(t, "invalid amount: "+tc.reason, err.Error())
		})
	}
}

func TestFormatMoney(t *testing.T) {
	cases := []struct {
		in   decimal.Decimal
		want string
	}{
		{dec("1234.5"), "1234.50"},
		{dec("0"), "0.00"},
		{decimal.Decimal{}, "0.00"},
		{dec("0.01"), "0.01"},
		{dec("10"), "10.00"},
		{dec("12.100"), "12.10"},
		{dec("-3.2"), "-3.20"},
		{dec("999999999999.99"), "999999999999.99"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.FormatMoney(tc.in))
		})
	}
}

func TestParsePercent(t *testing.T) {
	valid := []struct{ in, want string }{
		{"100", "100"},
		{"100.00", "100"},
		{"0.01", "0.01"},
		{"12.5", "12.5"},
		{"33.33", "33.33"},
	}
	for _, tc := range valid {
		t.Run("valid "+tc.in, func(t *testing.T) {
			got, err := domain.ParsePercent(tc.in)
			require.NoError(t, err)
			assert.True(t, dec(tc.want).Equal(got), "got %s", got)
		})
	}

	invalid := []struct{ in, reason string }{
		{"0", "must be greater than 0"},
		{"0.00", "must be greater than 0"},
		{"100.01", "must be at most 100"},
		{"1000000000000000000000000", "must be at most 100"},
		{"12.345", "must have at most 2 decimal places"},
		{"-5", "must not be negative"},
		{"5%", `must be a decimal number like "1234.50"`},
		{"", "must not be empty"},
		{"1e1", "must not use exponent notation (write 1000, not 1e3)"},
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.in, func(t *testing.T) {
			_, err := domain.ParsePercent(tc.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidPercent)
			assert.NotErrorIs(t, err, domain.ErrInvalidMoney)
			assert.Equal(t, "invalid percentage: "+tc.reason, err.Error())
		})
	}
}

func TestParsePercentJSON(t *testing.T) {
	valid := []struct{ in, want string }{
		{`"12.5"`, "12.5"},
		{`12.5`, "12.5"},
		{`100`, "100"},
		{`0.01`, "0.01"},
	}
	for _, tc := range valid {
		t.Run("valid "+tc.in, func(t *testing.T) {
			got, err := domain.ParsePercentJSON([]byte(tc.in))
			require.NoError(t, err)
			assert.True(t, dec(tc.want).Equal(got), "got %s", got)
		})
	}

	invalid := []struct{ in, reason string }{
		{`null`, "must not be null"},
		{`0`, "must be greater than 0"},
		{`100.5`, "must be at most 100"},
		{`"12.345"`, "must have at most 2 decimal places"},
		{`1e1`, "must not use exponent notation (write 1000, not 1e3)"},
		{`false`, `must be a string like "1234.50" or a number`},
	}
	for _, tc := range invalid {
		t.Run("invalid "+tc.in, func(t *testing.T) {
			_, err := domain.ParsePercentJSON([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, domain.ErrInvalidPercent)
			assert.Equal(t, "invalid percentage: "+tc.reason, err.Error())
		})
	}
}

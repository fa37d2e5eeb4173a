package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// MaxMoneyIntegerDigits is how many digits an amount may have before the
// decimal point: money columns are numeric(14,2).
const MaxMoneyIntegerDigits = 12

// ErrInvalidMoney is wrapped by every error ParseMoney and ParseMoneyJSON
// return; the wrapping error's message says what is wrong, for an API user.
var ErrInvalidMoney = errors.New("invalid amount")

// ErrInvalidPercent is wrapped by every error ParsePercent and
// ParsePercentJSON return.
var ErrInvalidPercent = errors.New("invalid percentage")

// hundred is 100 as a decimal, the upper bound of a percentage.
var hundred = decimal.NewFromInt(100)

// ParseMoney parses a plain decimal amount in BRL such as "1234.50", "10",
// "0.01" or "0". It rejects everything else (signs, exponents, spaces, more
// than 2 decimal places, more than 12 integer digits) with an error wrapping
// ErrInvalidMoney. Zero is accepted: whether zero is allowed is the caller's
// rule.
func ParseMoney(s string) (decimal.Decimal, error) {
	d, reason := parsePlainDecimal(s, MaxMoneyIntegerDigits)
	if reason != "" {
		return decimal.Decimal{}, fmt.Errorf("%w: %s", ErrInvalidMoney, reason)
	}
	return d, nil
}

// ParseMoneyJSON parses a JSON value holding an amount: a string ("12.50") or
// a number (12.5). The literal text of a number follows the ParseMoney rules,
// so 12.10 is accepted and 12.001 or 1e2 are not. null is an error.
func ParseMoneyJSON(raw []byte) (decimal.Decimal, error) {
	text, reason := jsonScalarText(raw)
	if reason != "" {
		return decimal.Decimal{}, fmt.Errorf("%w: %s", ErrInvalidMoney, reason)
	}
	return ParseMoney(text)
}

// AmountProblem says why d cannot be an amount of the ledger (numeric(14,2)):
// negative, more than 2 decimal places, or more than MaxMoneyIntegerDigits
// digits before the point; "" when it can. Whether zero is allowed is the
// caller's rule. Amounts that did not come through ParseMoney (an Asaas
// webhook's value) are checked with it before they are recorded.
func AmountProblem(d decimal.Decimal) string {
	switch {
	case d.IsNegative():
		return "must not be negative"
	case !hasAtMostTwoPlaces(d):
		return "must have at most 2 decimal places"
	case d.GreaterThanOrEqual(maxMoney):
		return fmt.Sprintf("must have at most %d digits before the decimal point", MaxMoneyIntegerDigits)
	}
	return ""
}

// FormatMoney renders an amount with exactly 2 decimal places ("1234.50"),
// the form the API returns.
func FormatMoney(d decimal.Decimal) string {
	return d.StringFixed(2)
}

// ParsePercent parses a percentage such as "12.5" or "100": greater than 0,
// at most 100, at most 2 decimal places. Errors wrap ErrInvalidPercent.
func ParsePercent(s string) (decimal.Decimal, error) {
	// No digit limit here: the range check gives the clearer message.
	d, reason := parsePlainDecimal(s, math.MaxInt)
	if reason == "" {
		reason = percentRangeReason(d)
	}
	if reason != "" {
		return decimal.Decimal{}, fmt.Errorf("%w: %s", ErrInvalidPercent, reason)
	}
	return d, nil
}

// ParsePercentJSON parses a JSON string or number holding a percentage, with
// the ParsePercent rules applied to its literal text.
func ParsePercentJSON(raw []byte) (decimal.Decimal, error) {
	text, reason := jsonScalarText(raw)
	if reason != "" {
		return decimal.Decimal{}, fmt.Errorf("%w: %s", ErrInvalidPercent, reason)
	}
	return ParsePercent(text)
}

// percentRangeReason says why d is not a valid percentage, or "" if it is.
func percentRangeReason(d decimal.Decimal) string {
	switch {
	case !d.IsPositive():
		return "must be greater than 0"
	case d.GreaterThan(hundred):
		return "must be at most 100"
	case !hasAtMostTwoPlaces(d):
		return "must have at most 2 decimal places"
	}
	return ""
}

// hasAtMostTwoPlaces reports whether d is a whole number of cents, whatever
// its internal exponent.
func hasAtMostTwoPlaces(d decimal.Decimal) bool {
	return d.Equal(d.Truncate(2))
}

// jsonScalarText returns the text to parse from a JSON string or number, or
// the reason the value is neither.
func jsonScalarText(raw []byte) (string, string) {
	raw = bytes.Trim(raw, " \t\r\n") // JSON's whitespace, not Unicode's
	switch {
	case len(raw) == 0:
		return "", "must not be empty"
	case string(raw) == "null":
		return "", "must not be null"
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "is not a valid JSON string"
		}
		return s, ""
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		// A number literal: its own text is parsed, never a float64.
		return string(raw), ""
	}
	return "", `must be a string like "1234.50" or a number`
}

// parsePlainDecimal parses [0-9]+(\.[0-9]{1,2})? with no leading zeros and at
// most maxIntDigits integer digits. It returns the reason for rejecting s, in
// words for an API user, or "" on success.
func parsePlainDecimal(s string, maxIntDigits int) (decimal.Decimal, string) {
	if s == "" {
		return decimal.Decimal{}, "must not be empty"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return decimal.Decimal{}, "must not contain spaces"
	}
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "nan", "inf", "infinity":
		return decimal.Decimal{}, "must be a finite number (NaN and Infinity are not allowed)"
	}
	if s[0] == '+' {
		return decimal.Decimal{}, `must not start with "+"`
	}
	body, negative := strings.CutPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(body, ".")
	if !allDigits(intPart) || hasDot && !allDigits(frac) {
		if strings.ContainsAny(body, "eE") && allDigits(strings.NewReplacer("e", "", "E", "", ".", "", "+", "", "-", "").Replace(body)) {
			return decimal.Decimal{}, "must not use exponent notation (write 1000, not 1e3)"
		}
		return decimal.Decimal{}, `must be a decimal number like "1234.50"`
	}
	switch {
	case len(intPart) > 1 && intPart[0] == '0':
		return decimal.Decimal{}, "must not have leading zeros"
	case negative:
		return decimal.Decimal{}, "must not be negative"
	case len(frac) > 2:
		return decimal.Decimal{}, "must have at most 2 decimal places"
	case len(intPart) > maxIntDigits:
		return decimal.Decimal{}, fmt.Sprintf("must have at most %d digits before the decimal point", maxIntDigits)
	}
	d, err := decimal.NewFromString(body)
	if err != nil { // unreachable after the checks above; kept so a bug cannot yield a zero
		return decimal.Decimal{}, `must be a decimal number like "1234.50"`
	}
	return d, ""
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

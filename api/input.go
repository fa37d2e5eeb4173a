package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"billing/domain"

	"github.com/shopspring/decimal"
)

// opt is a PATCH field: absent (Set false), null (Null true) or a value.
type opt[T any] struct {
	Set, Null bool
	V         T
}

// UnmarshalJSON is only called when the member is present. It decodes as strictly
// as decodeJSON (no unknown members): json.Unmarshal here would drop them silently.
func (o *opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&o.V)
}

// fields collects the validation errors of one request, so the client sees them all.
type fields struct{ errs []FieldError }

func (f *fields) add(field, format string, args ...any) {
	f.errs = append(f.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (f *fields) addDomain(errs []domain.FieldError) { f.errs = append(f.errs, fromDomain(errs)...) }

func (f *fields) ok() bool { return len(f.errs) == 0 }

// err is a 422 with every collected error, or nil.
func (f *fields) err() error {
	if f.ok() {
		return nil
	}
	return Validation(f.errs...)
}

// text checks a required string: trimmed, 1..max characters.
func (f *fields) text(field, v string, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		f.add(field, "is required")
	case utf8.RuneCountInString(v) > max:
		f.add(field, "must be at most %d characters", max)
	}
	return v
}

// optText checks an optional string: nil when absent, null or blank.
func (f *fields) optText(field string, v *string, max int) *string {
	if v == nil || strings.TrimSpace(*v) == "" {
		return nil
	}
	s := f.text(field, *v, max)
	return &s
}

// patchText applies a PATCH to a nullable string: null or blank clears it.
func (f *fields) patchText(field string, o opt[string], max int, current *string) *string {
	if !o.Set {
		return current
	}
	if o.Null {
		return nil
	}
	return f.optText(field, &o.V, max)
}

// patchRequiredText applies a PATCH to a required string: null is refused.
func (f *fields) patchRequiredText(field string, o opt[string], max int, current string) string {
	if !o.Set {
		return current
	}
	if o.Null {
		f.add(field, "must not be null")
		return current
	}
	return f.text(field, o.V, max)
}

// money parses a required positive amount (string or number, at most 2 decimals).
func (f *fields) money(field string, raw json.RawMessage) decimal.Decimal {
	if raw == nil {
		f.add(field, "is required")
		return decimal.Zero
	}
	d, err := domain.ParseMoneyJSON(raw)
	switch {
	case err != nil:
		f.add(field, "%s", reason(err, domain.ErrInvalidMoney))
	case !d.IsPositive():
		f.add(field, "must be greater than 0")
	}
	return d
}

// percent parses a percentage: greater than 0, at most 100, at most 2 decimals.
func (f *fields) percent(field string, raw json.RawMessage) decimal.Decimal {
	if raw == nil {
		f.add(field, "is required")
		return decimal.Zero
	}
	d, err := domain.ParsePercentJSON(raw)
	if err != nil {
		f.add(field, "%s", reason(err, domain.ErrInvalidPercent))
	}
	return d
}

// reason strips the sentinel prefix from a domain parse error ("invalid amount: must
// not be negative" → "must not be negative").
func reason(err, sentinel error) string {
	msg := err.Error()
	if errors.Is(err, sentinel) {
		msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	}
	return msg
}

const dateLayout = "2006-01-02"

// date parses a required calendar date YYYY-MM-DD.
func (f *fields) date(field, v string) time.Time {
	if v == "" {
		f.add(field, "is required")
		return time.Time{}
	}
	d, err := time.Parse(dateLayout, v)
	if err != nil {
		f.add(field, "must be a date like 2026-03-31")
		return time.Time{}
	}
	if d.Year() < 2000 || d.Year() > 2100 {
		f.add(field, "must be a date between 2000 and 2100")
	}
	return d
}

// optDate parses an optional date; nil when absent.
func (f *fields) optDate(field, v string) *time.Time {
	if v == "" {
		return nil
	}
	d := f.date(field, v)
	return &d
}

// oneOf checks a required enum value.
func (f *fields) oneOf(field, v string, allowed ...string) string {
	if v == "" {
		f.add(field, "is required")
		return v
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	f.add(field, "must be one of %s", strings.Join(allowed, ", "))
	return v
}

// intRange checks a required integer in [lo, hi].
func (f *fields) intRange(field string, v *int, lo, hi int) int {
	if v == nil {
		f.add(field, "is required")
		return 0
	}
	if *v < lo || *v > hi {
		f.add(field, "must be between %d and %d", lo, hi)
	}
	return *v
}

func formatDate(t time.Time) string { return t.Format(dateLayout) }

func formatOptDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatDate(*t)
	return &s
}

func formatMoney(d decimal.Decimal) string { return domain.FormatMoney(d) }

func formatOptMoney(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := formatMoney(d.Decimal)
	return &s
}

var billingTypes = []string{string(domain.BillingBoleto), string(domain.BillingPix), string(domain.BillingUndefined)}

package domain_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"billing/domain"
)

var moneySeeds = []string{
	"0", "0.0", "0.00", "0.01", "1", "10", "12.5", "12.50", "1234.56", "999999999999.99", "1000000000000",
	"00", "01", "1.", ".5", "1.234", "-1", "-0", "+1", "1e2", "1E2", "1e-2", " 1", "1 ", "1,50", "1_000",
	"NaN", "Inf", "-Infinity", "0x10", "١٢", "１", "1\u00a0", "\u200b1", "1\x00", "\xff", "",
}

// FuzzParseMoney checks ParseMoney against the grammar written independently
// (moneyGrammar), the canonical form FormatMoney gives an accepted amount (the
// input padded to 2 places), the round trip FormatMoney → ParseMoney, and that
// the JSON forms agree with the string form: "x" as a JSON string, and x as a
// JSON number when it is one, are accepted or rejected alike, with one value.
func FuzzParseMoney(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseMoney(s)
		if !moneyGrammar.MatchString(s) {
			if err == nil {
				t.Fatalf("accepted %q as %s", s, got)
			}
			if !errors.Is(err, domain.ErrInvalidMoney) || strings.TrimPrefix(err.Error(), domain.ErrInvalidMoney.Error()+": ") == "" {
				t.Fatalf("%q: error %v does not wrap ErrInvalidMoney with a reason", s, err)
			}
		} else {
			if err != nil {
				t.Fatalf("rejected %q: %v", s, err)
			}
			if !decimal.RequireFromString(s).Equal(got) {
				t.Fatalf("%q parsed as %s", s, got)
			}
			if want := canonicalMoney(s); domain.FormatMoney(got) != want {
				t.Fatalf("%q formats as %q, want %q", s, domain.FormatMoney(got), want)
			}
			back, err := domain.ParseMoney(domain.FormatMoney(got))
			if err != nil || !back.Equal(got) {
				t.Fatalf("round trip of %q gave %s, %v", s, back, err)
			}
			if why := domain.AmountProblem(got); why != "" {
				t.Fatalf("%q was accepted but cannot be stored: %s", s, why)
			}
		}

		quoted, merr := json.Marshal(s)
		if merr != nil {
			t.Fatal(merr)
		}
		assertSameMoney(t, s, got, err, quoted)
		if jsonNumber.MatchString(s) {
			assertSameMoney(t, s, got, err, []byte(s))
		}
	})
}

// assertSameMoney checks that ParseMoneyJSON(raw) accepts exactly when the string
// form s was accepted (strErr nil), with the same value.
func assertSameMoney(t *testing.T, s string, want decimal.Decimal, strErr error, raw []byte) {
	t.Helper()
	got, err := domain.ParseMoneyJSON(raw)
	switch {
	case (err == nil) != (strErr == nil):
		t.Fatalf("%q: ParseMoney err %v, ParseMoneyJSON(%s) err %v", s, strErr, raw, err)
	case err != nil && !errors.Is(err, domain.ErrInvalidMoney):
		t.Fatalf("ParseMoneyJSON(%s): error %v does not wrap ErrInvalidMoney", raw, err)
	case err == nil && !got.Equal(want):
		t.Fatalf("ParseMoneyJSON(%s) = %s, ParseMoney(%q) = %s", raw, got, s, want)
	}
}

// jsonNumber is RFC 8259's number grammar.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// canonicalMoney pads a grammar-valid amount to exactly 2 decimal places.
func canonicalMoney(s string) string {
	whole, frac, _ := strings.Cut(s, ".")
	return whole + "." + (frac + "00")[:2]
}

// percentGrammar is what ParsePercent accepts before its range check.
var percentGrammar = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$`)

// FuzzParsePercent checks ParsePercent: accepted exactly when the text is a plain
// decimal with at most 2 places, greater than 0 and at most 100; the JSON string
// and number forms agree with it.
func FuzzParsePercent(f *testing.F) {
	for _, s := range append(moneySeeds, "100", "100.00", "100.01", "0.001", "99.99", "1000", "0.1") {
		f.Add(s)
	}
	hundred := decimal.NewFromInt(100)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParsePercent(s)
		valid := percentGrammar.MatchString(s) && decimal.RequireFromString(s).IsPositive() && !decimal.RequireFromString(s).GreaterThan(hundred)
		switch {
		case valid && err != nil:
			t.Fatalf("rejected %q: %v", s, err)
		case !valid && err == nil:
			t.Fatalf("accepted %q as %s", s, got)
		case err != nil && !errors.Is(err, domain.ErrInvalidPercent):
			t.Fatalf("%q: error %v does not wrap ErrInvalidPercent", s, err)
		case valid && !decimal.RequireFromString(s).Equal(got):
			t.Fatalf("%q parsed as %s", s, got)
		}
		quoted, _ := json.Marshal(s)
		forms := [][]byte{quoted}
		if jsonNumber.MatchString(s) {
			forms = append(forms, []byte(s))
		}
		for _, raw := range forms {
			j, jerr := domain.ParsePercentJSON(raw)
			if (jerr == nil) != valid || valid && !j.Equal(got) {
				t.Fatalf("ParsePercentJSON(%s) = %s, %v; ParsePercent(%q) = %s, %v", raw, j, jerr, s, got, err)
			}
		}
	})
}

package asaassim

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocuments(t *testing.T) {
	cases := []struct {
		doc   string
		valid bool
	}{
		{"24971563792", true}, // accepted by the sandbox in every capture
		{"249.715.637-92", true},
		{"24971563793", false},
		{"11111111111", false}, // capture: invalid_object
		{"11222333000181", true},
		{"11.222.333/0001-81", true},
		{"11222333000182", false},
		{"00000000000000", false},
		{"12ABC34501DE35", true}, // Receita Federal's alphanumeric CNPJ example
		{"12ABC34501DE36", false},
		{"12ABC34501DEX5", false},
		{"1234567890", false},
		{"", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.valid, validDocument(normalizeDocument(tc.doc)), tc.doc)
	}
	assert.Equal(t, "FISICA", personType("24971563792"))
	assert.Equal(t, "JURIDICA", personType("11222333000181"))
	assert.True(t, validMobilePhone("47996321478"))
	assert.False(t, validMobilePhone("47999999999"))
	assert.False(t, validMobilePhone("4799632"))
}

func TestFees(t *testing.T) {
	d := decimal.RequireFromString
	cases := []struct {
		name        string
		billingType string
		value       string
		total       string
		n           int
		fee         string
	}{
		{"PIX is flat", "PIX", "100", "100", 1, "1.99"},
		{"PIX on a big charge is still flat", "PIX", "10000", "10000", 1, "1.99"},
		{"boleto", "BOLETO", "350", "350", 1, "1.99"},
		{"boleto parcel", "BOLETO", "29.16", "350", 12, "1.99"},
		{"card single: 0.49 + 2.99%", "CREDIT_CARD", "100", "100", 1, "3.48"},
		{"card 3x of 300: (0.49 + 3.49% x 300) / 3 truncated", "CREDIT_CARD", "100", "300", 3, "3.65"},
		{"card 12x of 350: 14.46 / 12 = 1.205 -> 1.20", "CREDIT_CARD", "29.16", "350", 12, "1.20"},
		{"cash has no fee", "RECEIVED_IN_CASH", "100", "100", 1, "0"},
	}
	for _, tc := range cases {
		got := feeFor(tc.billingType, d(tc.value), d(tc.total), tc.n)
		assert.True(t, got.Equal(d(tc.fee)), "%s: got %s", tc.name, got)
	}
}

func TestSplitParcels(t *testing.T) {
	parts := splitParcels(decimal.NewFromInt(350), 12)
	require.Len(t, parts, 12)
	sum := decimal.Zero
	for i, p := range parts {
		sum = sum.Add(p)
		want := "29.16"
		if i == 11 {
			want = "29.24"
		}
		assert.Equal(t, want, p.StringFixed(2), "parcel %d", i+1)
	}
	assert.True(t, sum.Equal(decimal.NewFromInt(350)))
	assert.Equal(t, []string{"33.33", "33.33", "33.34"}, func() []string {
		var out []string
		for _, p := range splitParcels(decimal.NewFromInt(100), 3) {
			out = append(out, p.StringFixed(2))
		}
		return out
	}())
}

func TestCalendar(t *testing.T) {
	day := func(s string) time.Time { d, ok := parseDate(s); require.True(t, ok); return d }
	cases := []struct{ in, want string }{
		{"2026-08-15", "2026-08-17"}, // Saturday (FACTS: D+32 of 07-14)
		{"2026-09-16", "2026-09-16"}, // Wednesday
		{"2026-10-18", "2026-10-19"}, // Sunday
		{"2026-09-07", "2026-09-08"}, // Independence Day
		{"2027-02-06", "2027-02-10"}, // Saturday before Carnival (Feb 8-9, 2027)
		{"2026-12-25", "2026-12-28"}, // Christmas (Friday)
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, fmtDate(nextBusinessDay(day(tc.in))), tc.in)
	}
	assert.Equal(t, "2027-03-28", fmtDate(easterSunday(2027)))
	assert.Equal(t, "2026-04-05", fmtDate(easterSunday(2026)))
	assert.Equal(t, "2026-02-28", fmtDate(addMonths(day("2026-01-31"), 1)))
	assert.Equal(t, "2027-06-24", fmtDate(addMonths(day("2026-07-24"), 11)))
	assert.Equal(t, "2026-07-14", fmtDate(dayOf(time.Date(2026, 7, 14, 23, 59, 0, 0, saoPaulo))))
}

func TestBoletoNumbersMatchARealLine(t *testing.T) {
	// The linha digitável of seed 002's example, with its check digits.
	line := "03399777792990000000004751101017181510000002990"
	bar := line[0:4] + line[32:33] + line[33:47] + line[4:9] + line[10:20] + line[21:31]
	require.Len(t, bar, 44)
	assert.Equal(t, line, linhaDigitavel(bar))
	assert.Equal(t, int(line[32]-'0'), mod11(bar[:4]+bar[5:]))
	// The due-date factor reached 9999 on 2025-02-21 and restarted at 1000.
	assert.Equal(t, "9999", dueFactor(time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "1000", dueFactor(time.Date(2025, 2, 22, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "1001", dueFactor(time.Date(2025, 2, 23, 0, 0, 0, 0, time.UTC)))
}

func TestCRC16(t *testing.T) {
	assert.Equal(t, uint16(0x29B1), crc16("123456789"), "CRC-16/CCITT-FALSE check value")
}

func TestEncodeJSON(t *testing.T) {
	o := obj{
		{"z", decimal.RequireFromString("29.2400")},
		{"a", decimal.RequireFromString("100.00")},
		{"m", decimal.Zero},
		{"n", decimal.RequireFromString("-1.50")},
		{"s", "Olá \"mundo\" & <tags>\n\t\x01"},
		{"nil", nil},
		{"p", (*string)(nil)},
		{"list", []obj{{{"k", true}}}},
	}
	raw := encodeJSON(o)
	assert.Equal(t, `{"z":29.24,"a":100,"m":0,"n":-1.5,"s":"Olá \"mundo\" & <tags>\n\t\u0001","nil":null,"p":null,"list":[{"k":true}]}`, string(raw))
	var back map[string]any
	require.NoError(t, json.Unmarshal(raw, &back), "valid JSON")
	assert.Equal(t, "Olá \"mundo\" & <tags>\n\t\x01", back["s"])
	assert.True(t, strings.HasPrefix(string(encodeJSON("\u2028")), `"\u2028`))
}

func TestBRL(t *testing.T) {
	assert.Equal(t, "R$ 1.234.567,89", brl(decimal.RequireFromString("1234567.891")))
	assert.Equal(t, "R$ 5,00", brl(decimal.NewFromInt(5)))
	assert.Equal(t, "-R$ 0,50", brl(decimal.RequireFromString("-0.5")))
}

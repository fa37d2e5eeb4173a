package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCSVCellsCannotBecomeFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Ana Souza", "Ana Souza"},
		{"=HYPERLINK(1)", "'=HYPERLINK(1)"},
		{"+1", "'+1"},
		{"-x", "'-x"},
		{"@sum(A1)", "'@sum(A1)"},
		{"\t=1", "'\t'=1"},
		{"\r=1", "'\r'=1"},
		{"Ana,=1+2", "Ana,'=1+2"},
		{"Ana;@SUM(A1)", "Ana;'@SUM(A1)"},
		{"Ana\n-2+3", "Ana\n'-2+3"},
		{"Ana\t+1", "Ana\t'+1"},
		{"a=b, c-d", "a=b, c-d"},
		{"Franquia - Centro", "Franquia - Centro"},
		{"5.00", "5.00"},
		{"-2.71", "-2.71"},
		{"-2,71", "-2,71"},
		{"-2.71.5", "'-2.71.5"},
		{"- 2", "'- 2"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, csvCell(tt.in)) })
	}
}

func TestCSVCellsHoldingASeparatorAreQuoted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ana", "Ana"},
		{"Ana, Bia", `"Ana, Bia"`},
		{"Ana; Bia", `"Ana; Bia"`},
		{`Ana "A"`, `"Ana ""A"""`},
		{"Ana\nBia", "\"Ana\nBia\""},
		{"Ana\rBia", "\"Ana\rBia\""},
		{"Ana\tBia", "\"Ana\tBia\""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) { assert.Equal(t, tt.want, csvQuoted(tt.in)) })
	}
}

// hostilePayeeName holds every separator, a quote, line breaks and formulas at the
// start and after each splitter.
const hostilePayeeName = "=cmd|' /C calc'!A0,\"x\";+1\n@SUM(1)\t-2\r=3"

// The payout report as CSV, in each dialect, read back by a CSV reader set to that
// dialect: every row has every column, no cell (but plain numbers) can start a
// formula anywhere a spreadsheet could split, and a hostile payee name comes back
// exactly as sent, neutralised.
func TestPayoutReportCSVDialects(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	e.must(t, http.StatusOK, s.Token, "PATCH", "/v1/payees/"+s.bankPayee, map[string]any{"name": hostilePayeeName})
	tests := []struct {
		query     string
		separator rune
		bom       bool
		amount    string // the fixed entry of installment 1
		total     string
	}{
		{"format=csv", ',', false, "5.00", "58.32"},
		{"format=csv&dialect=rfc4180", ',', false, "5.00", "58.32"},
		{"format=csv&dialect=excel-br", ';', true, "5,00", "58,32"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.call(t, s.Token, "GET", "/v1/payouts/report?from=2026-07-01&to=2026-07-31&"+tt.query, nil)
			require.Equal(t, http.StatusOK, r.Code, "%s", r)
			assert.Equal(t, "text/csv; charset=utf-8", r.Header.Get("Content-Type"))
			assert.Equal(t, tt.bom, bytes.HasPrefix(r.Body, []byte("\uFEFF")), "UTF-8 BOM")
			assert.True(t, bytes.HasSuffix(r.Body, []byte("\r\n")), "CRLF rows")
			reader := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\uFEFF"))))
			reader.Comma = tt.separator
			rows, err := reader.ReadAll()
			require.NoError(t, err, "%s", r)
			assert.Equal(t, reportCSVHeader, rows[0])
			var fixed, last []string
			names := map[string]bool{}
			for _, row := range rows {
				require.Len(t, row, len(reportCSVHeader))
				for _, cell := range row {
					assertNoFormula(t, cell)
				}
				if row[1] == s.bankPayee {
					names[row[2]] = true
				}
				if row[3] == s.frFixed1.String() {
					fixed = row
				}
				last = row
			}
			assert.Equal(t, map[string]bool{csvCell(hostilePayeeName): true}, names, "the name, neutralised, in every row of the payee")
			assert.Equal(t, "'=cmd|' /C calc'!A0,\"x\";'+1\n'@SUM(1)\t'-2\r'=3", csvCell(hostilePayeeName))
			require.NotNil(t, fixed)
			assert.Equal(t, tt.amount, fixed[9])
			assert.Equal(t, "2026-07-24", fixed[8])
			assert.Equal(t, tt.total, last[9])
		})
	}
	t.Run("bad dialects", func(t *testing.T) {
		for query, field := range map[string]string{
			"format=csv&dialect=excel":    "dialect",
			"format=csv&dialect=":         "dialect",
			"dialect=excel-br":            "dialect",
			"format=json&dialect=rfc4180": "dialect",
		} {
			r := e.call(t, s.Token, "GET", "/v1/payouts/report?"+query, nil)
			require.Equal(t, http.StatusUnprocessableEntity, r.Code, "%s: %s", query, r)
			assert.Contains(t, problemFields(t, r), field)
		}
	})
}

// assertNoFormula: a cell that is not a plain number has no formula character at its
// start or after any character a spreadsheet may split at.
func assertNoFormula(t *testing.T, cell string) {
	t.Helper()
	if plainNumber.MatchString(cell) {
		return
	}
	for i := 0; i < len(cell); i++ {
		if (i == 0 || strings.IndexByte(csvSplitters, cell[i-1]) >= 0) && strings.IndexByte(csvFormulaStarts, cell[i]) >= 0 {
			t.Errorf("cell %q can start a formula at %d", cell, i)
			return
		}
	}
}

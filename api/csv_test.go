package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"

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

// The excel-br dialect opens cleanly in a spreadsheet set to Portuguese (Brazil):
// one BOM, then UTF-8 that keeps accents, semicolons between cells, amounts with a
// decimal comma and no thousands mark (1234,50; -5,00 for a reversal), which such a
// spreadsheet reads as numbers, and ISO dates, which it reads as dates.
func TestPayoutReportExcelBROpensCleanly(t *testing.T) {
	e := newAPIEnv(t)
	s := e.setUpSplits(t)
	const name = "Franquia São João & Cia. Ltda"
	e.must(t, http.StatusOK, s.Token, "PATCH", "/v1/payees/"+s.bankPayee, map[string]any{"name": name})
	fr := mustUUID(t, s.bankPayee)
	big := e.paidInstallment(t, s.AccountID, mustUUID(t, s.contract), 3, "1234.50", "1234.50",
		seedEntry{&fr, pos(4), "remainder", "1234.50", "pending"})[0]
	var reversal uuid.UUID
	require.NoError(t, e.pool.QueryRow(t.Context(), `INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id,
		rule_position, kind, amount, status, reverses_entry_id, occurred_on)
		SELECT account_id, payment_id, contract_id, payee_id, rule_position, kind, -amount, 'reversed', id, '2026-07-25'
		FROM split_entries WHERE id = $1 RETURNING id`, s.frFixed1).Scan(&reversal))

	r := e.call(t, s.Token, "GET", "/v1/payouts/report?format=csv&dialect=excel-br&payee_id="+s.bankPayee, nil)
	require.Equal(t, http.StatusOK, r.Code, r.String())
	assert.Equal(t, `attachment; filename="payout-report.csv"`, r.Header.Get("Content-Disposition"))
	require.True(t, bytes.HasPrefix(r.Body, []byte("\uFEFF")), "a UTF-8 BOM first")
	body := bytes.TrimPrefix(r.Body, []byte("\uFEFF"))
	assert.False(t, bytes.Contains(body, []byte("\uFEFF")), "one BOM only")
	assert.True(t, utf8.Valid(body))
	reader := csv.NewReader(bytes.NewReader(body))
	reader.Comma = ';'
	rows, err := reader.ReadAll()
	require.NoError(t, err)
	amountCell := regexp.MustCompile(`^-?[0-9]+,[0-9]{2}$`)
	byEntry := map[string][]string{}
	for _, row := range rows[1:] {
		require.Len(t, row, len(reportCSVHeader))
		if row[0] != "total" {
			assert.Equal(t, name, row[2], "the name as written, accents and all")
		}
		assert.Regexp(t, amountCell, row[9], "an amount a pt-BR spreadsheet reads as a number")
		if row[0] == "entry" {
			assert.Regexp(t, `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, row[8])
			byEntry[row[3]] = row
		}
	}
	assert.Equal(t, "1234,50", byEntry[big.String()][9])
	assert.Equal(t, "-5,00", byEntry[reversal.String()][9])
	assert.Equal(t, "5,00", byEntry[s.frFixed1.String()][9])
}

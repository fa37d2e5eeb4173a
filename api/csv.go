package api

import (
	"bytes"
	"regexp"
	"strings"
)

// csvDialect is how a CSV answer is written, picked with ?dialect=.
type csvDialect struct {
	separator byte // between cells
	decimal   byte // decimal mark of amounts
	bom       bool // a UTF-8 byte order mark first, so Excel reads UTF-8
}

const defaultCSVDialect = "rfc4180"

var csvDialects = map[string]csvDialect{
	// rfc4180: comma separator, amounts with a decimal point, as programs read it.
	"rfc4180": {separator: ',', decimal: '.'},
	// excel-br: opens cleanly in a spreadsheet set to Portuguese (Brazil): semicolon
	// separator, amounts with a decimal comma (1234,50), UTF-8 with a BOM.
	"excel-br": {separator: ';', decimal: ',', bom: true},
}

// csvTable writes rows in a dialect, CRLF-terminated (RFC 4180). Every cell is
// written safe: a cell that is not a plain number cannot start a formula, at its
// start or after any character a spreadsheet may split cells at; a cell holding a
// separator, a quote or a line break is quoted.
type csvTable struct {
	dialect csvDialect
	buf     bytes.Buffer
}

func newCSVTable(d csvDialect) *csvTable {
	t := &csvTable{dialect: d}
	if d.bom {
		t.buf.WriteString("\uFEFF")
	}
	return t
}

func (t *csvTable) row(cells ...string) {
	for i, cell := range cells {
		if i > 0 {
			t.buf.WriteByte(t.dialect.separator)
		}
		t.buf.WriteString(csvQuoted(csvCell(cell)))
	}
	t.buf.WriteString("\r\n")
}

func (t *csvTable) bytes() []byte { return t.buf.Bytes() }

// amount writes a decimal amount ("-1234.50") with the dialect's decimal mark.
func (d csvDialect) amount(s string) string {
	return strings.Replace(s, ".", string(d.decimal), 1)
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)

// csvSplitters are where a spreadsheet may start a new cell (whatever separator it
// assumes) or a new row; csvFormulaStarts make a cell a formula (tab and CR too:
// some spreadsheets skip them and read what follows).
const (
	csvSplitters     = ",;\t\r\n"
	csvFormulaStarts = "=+-@\t\r"
)

// csvCell neutralises formulas (CSV injection): an apostrophe goes before a formula
// character at the start of the cell and after any splitter. Plain numbers (amounts,
// "-2.71") are left as they are.
func csvCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	var b strings.Builder
	startOfCell := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if startOfCell && strings.IndexByte(csvFormulaStarts, c) >= 0 {
			b.WriteByte('\'')
		}
		b.WriteByte(c)
		startOfCell = strings.IndexByte(csvSplitters, c) >= 0
	}
	return b.String()
}

// csvQuoted quotes a cell holding a separator (of any dialect), a quote or a line break.
func csvQuoted(s string) string {
	if !strings.ContainsAny(s, csvSplitters+`"`) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

package api

import (
	"errors"
	"net/http"
	"strconv"

	"billing/db/dbgen"
	"billing/domain"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// maxReportEntries bounds one report; a longer period must be split.
const maxReportEntries = 20000

var entryStatuses = []string{
	string(domain.EntrySentToGateway), string(domain.EntryPaid), string(domain.EntryPending),
	string(domain.EntryReversed), string(domain.EntryRetained), string(domain.EntryDisputed),
}

// statusTotals sums amounts per entry status, plus "total" across them.
type statusTotals map[string]string

func totalsOf(sums map[string]decimal.Decimal) statusTotals {
	out := statusTotals{}
	total := decimal.Zero
	for _, st := range entryStatuses {
		out[st] = formatMoney(sums[st])
		total = total.Add(sums[st])
	}
	out["total"] = formatMoney(total)
	return out
}

type reportEntry struct {
	entryView
	ContractID        uuid.UUID `json:"contract_id"`
	InstallmentNumber int32     `json:"installment_number"`
}

// reportPayee groups the entries of one payee; payee_id null groups the entries that
// belong to no payee (the gateway fee and the account's own share).
type reportPayee struct {
	PayeeID   *uuid.UUID    `json:"payee_id"`
	PayeeName *string       `json:"payee_name"`
	Entries   []reportEntry `json:"entries"`
	Totals    statusTotals  `json:"totals"`
	sums      map[string]decimal.Decimal
}

type payoutReport struct {
	From    *string        `json:"from"`
	To      *string        `json:"to"`
	Status  *string        `json:"status"`
	PayeeID *uuid.UUID     `json:"payee_id"`
	Payees  []*reportPayee `json:"payees"`
	Totals  statusTotals   `json:"totals"`
}

// payoutReport answers GET /v1/payouts/report: split entries of the period (by
// occurred_on), per payee, with totals per payee and status; ?format=csv for CSV.
func (s *Server) payoutReport(c *gin.Context) {
	var f fields
	ctx, accountID := c.Request.Context(), actor(c).AccountID
	params := dbgen.PayoutReportEntriesParams{
		AccountID: accountID, PayeeID: optQueryID(c, &f, "payee_id"),
		DateFrom: optQueryDate(c, &f, "from"), DateTo: optQueryDate(c, &f, "to"), RowLimit: maxReportEntries + 1,
	}
	if params.Status = optQuery(c, "status"); params.Status != nil {
		f.oneOf("status", *params.Status, entryStatuses...)
	}
	format := c.DefaultQuery("format", "json")
	f.oneOf("format", format, "json", "csv")
	dialect, given := c.GetQuery("dialect")
	switch {
	case given && format != "csv":
		f.add("dialect", "applies only to format=csv")
	case given:
		f.oneOf("dialect", dialect, "rfc4180", "excel-br")
	default:
		dialect = defaultCSVDialect
	}
	if params.DateFrom != nil && params.DateTo != nil && params.DateTo.Before(*params.DateFrom) {
		f.add("to", "must not be before from")
	}
	q := dbgen.New(s.deps.Pool)
	if params.PayeeID != nil && f.ok() {
		_, err := q.GetPayee(ctx, dbgen.GetPayeeParams{AccountID: accountID, ID: *params.PayeeID})
		if errors.Is(err, pgx.ErrNoRows) {
			f.add("payee_id", "is not a payee of this account")
		} else if err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := q.PayoutReportEntries(ctx, params)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if len(rows) > maxReportEntries {
		s.writeError(c, Validation(FieldError{Field: "from", Message: "the period has more than " +
			strconv.Itoa(maxReportEntries) + " entries; choose a shorter period (from/to)"}))
		return
	}
	report := buildReport(rows)
	report.From, report.To, report.Status, report.PayeeID = formatOptDate(params.DateFrom), formatOptDate(params.DateTo), params.Status, params.PayeeID
	if format == "csv" {
		c.Header("Content-Disposition", `attachment; filename="payout-report.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", report.csv(csvDialects[dialect]))
		return
	}
	s.reply(c, ok(report), nil)
}

// buildReport groups rows (ordered by payee) and sums them per payee and status.
func buildReport(rows []dbgen.PayoutReportEntriesRow) payoutReport {
	r := payoutReport{Payees: []*reportPayee{}}
	grand := map[string]decimal.Decimal{}
	var cur *reportPayee
	for _, row := range rows {
		if cur == nil || !samePayee(cur.PayeeID, row.PayeeID) {
			cur = &reportPayee{PayeeID: row.PayeeID, PayeeName: row.PayeeName, Entries: []reportEntry{}, sums: map[string]decimal.Decimal{}}
			r.Payees = append(r.Payees, cur)
		}
		e := dbgen.SplitEntry{ID: row.ID, PaymentID: row.PaymentID, ContractID: row.ContractID, PayeeID: row.PayeeID,
			RulePosition: row.RulePosition, Kind: row.Kind, Amount: row.Amount, Status: row.Status,
			ReversesEntryID: row.ReversesEntryID, PayoutID: row.PayoutID, OccurredOn: row.OccurredOn}
		cur.Entries = append(cur.Entries, reportEntry{viewEntry(e), row.ContractID, row.InstallmentNumber})
		cur.sums[row.Status] = cur.sums[row.Status].Add(row.Amount)
		grand[row.Status] = grand[row.Status].Add(row.Amount)
	}
	for _, p := range r.Payees {
		p.Totals = totalsOf(p.sums)
	}
	r.Totals = totalsOf(grand)
	return r
}

func samePayee(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

var reportCSVHeader = []string{"row_type", "payee_id", "payee_name", "entry_id", "contract_id", "installment_number",
	"kind", "status", "occurred_on", "amount", "payout_id"}

// csv renders one row per entry, then per payee a payee_total row per status and
// "total", then the report's total rows. Amounts are decimals in the dialect's mark.
func (r payoutReport) csv(d csvDialect) []byte {
	t := newCSVTable(d)
	t.row(reportCSVHeader...)
	totalRows := func(kind, payeeID, payeeName string, totals statusTotals) {
		for _, st := range append(append([]string{}, entryStatuses...), "total") {
			t.row(kind, payeeID, payeeName, "", "", "", "", st, "", d.amount(totals[st]), "")
		}
	}
	for _, p := range r.Payees {
		payeeID, payeeName := "", ""
		if p.PayeeID != nil {
			payeeID = p.PayeeID.String()
		}
		if p.PayeeName != nil {
			payeeName = *p.PayeeName
		}
		for _, e := range p.Entries {
			payoutID := ""
			if e.PayoutID != nil {
				payoutID = e.PayoutID.String()
			}
			t.row("entry", payeeID, payeeName, e.ID.String(), e.ContractID.String(),
				strconv.Itoa(int(e.InstallmentNumber)), e.Kind, e.Status, e.OccurredOn, d.amount(e.Amount), payoutID)
		}
		totalRows("payee_total", payeeID, payeeName, p.Totals)
	}
	totalRows("total", "", "", r.Totals)
	return t.bytes()
}

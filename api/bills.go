package api

import (
	"strings"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// billView is one bill payment of the tracker (BILL_* events): its latest status
// and what the latest event said about it.
type billView struct {
	ID                    uuid.UUID  `json:"id"`
	AsaasBillID           string     `json:"asaas_bill_id"`
	Status                string     `json:"status"`
	Value                 *string    `json:"value"`
	DueDate               *string    `json:"due_date"`
	PaymentDate           *string    `json:"payment_date"`
	TransactionReceiptURL *string    `json:"transaction_receipt_url"`
	FailReasons           *string    `json:"fail_reasons"`
	CanBeCancelled        *bool      `json:"can_be_cancelled"`
	StatusEventAt         *time.Time `json:"status_event_at"`
	CreatedAt             time.Time  `json:"created_at"`
	UpdatedAt             time.Time  `json:"updated_at"`
}

// billDetail is GET /v1/bills/{id}: the bill and every status event, in event order
// (an out-of-order older event is in the timeline without moving the status back).
type billDetail struct {
	billView
	Timeline []billStatusView `json:"timeline"`
}

type billStatusView struct {
	Status         string     `json:"status"`
	AsaasEventID   string     `json:"asaas_event_id"`
	EventCreatedAt *time.Time `json:"event_created_at"`
	ReceivedAt     time.Time  `json:"received_at"`
}

func viewBill(b dbgen.Bill) billView {
	return billView{b.ID, b.AsaasBillID, b.Status, formatOptMoney(b.Value), formatOptDate(b.DueDate), formatOptDate(b.PaymentDate),
		b.TransactionReceiptUrl, b.FailReasons, b.CanBeCancelled, b.StatusEventAt, b.CreatedAt, b.UpdatedAt}
}

// listBills: newest bill first; ?status= is Asaas's status (PAID, FAILED, ...),
// matched without regard to case.
func (s *Server) listBills(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	params := dbgen.ListBillsParams{AccountID: actor(c).AccountID, AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch()}
	if status := optQuery(c, "status"); status != nil {
		upper := strings.ToUpper(*status)
		params.Status = &upper
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListBills(c.Request.Context(), params)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Bill) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewBill)), err)
}

func (s *Server) getBill(c *gin.Context) {
	id, err := pathID(c, "id", "bill")
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, accountID := c.Request.Context(), actor(c).AccountID
	q := dbgen.New(s.deps.Pool)
	row, err := q.GetBill(ctx, dbgen.GetBillParams{AccountID: accountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "bill"))
		return
	}
	history, err := q.ListBillStatusHistory(ctx, dbgen.ListBillStatusHistoryParams{AccountID: accountID, BillID: id})
	d := billDetail{billView: viewBill(row), Timeline: make([]billStatusView, len(history))}
	for i, h := range history {
		d.Timeline[i] = billStatusView{h.Status, h.AsaasEventID, h.EventCreatedAt, h.ReceivedAt}
	}
	s.reply(c, ok(d), err)
}

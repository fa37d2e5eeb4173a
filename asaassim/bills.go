package asaassim

import (
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Bill payments (BILL_* webhooks, seed 002). A bill is created by the control
// API and walked through its statuses:
//
//	CREATED -> PENDING -> BANK_PROCESSING -> PAID -> REFUNDED
//	                   \-> FAILED     \-> FAILED
//	CREATED|PENDING -> CANCELLED
//
// "CREATED" is the moment of BILL_CREATED; the bill's own status is PENDING
// from the start (the OpenAPI enum has no CREATED). Paying debits the balance;
// a refund credits it back (invented).
type bill struct {
	id                  string
	acct                *account
	stage               string // CREATED or the bill status
	value               decimal.Decimal
	identificationField string
	dueDate             time.Time
	scheduleDate        time.Time
	paymentDate         *time.Time
	description         *string
	companyName         *string
	receiptURL          *string
	failReasons         []string
}

var billMoves = map[string][]string{
	"CREATED":         {"PENDING", "CANCELLED"},
	"PENDING":         {"BANK_PROCESSING", "FAILED", "CANCELLED"},
	"BANK_PROCESSING": {"PAID", "FAILED"},
	"PAID":            {"REFUNDED"},
}

func (b *bill) status() string {
	if b.stage == "CREATED" {
		return "PENDING"
	}
	return b.stage
}

// render: the seed 002 example's keys and order.
func (b *bill) render() obj {
	var fail any
	if len(b.failReasons) > 0 {
		fail = b.failReasons
	}
	return obj{
		{"object", "bill"},
		{"id", b.id},
		{"status", b.status()},
		{"value", b.value},
		{"discount", decimal.Zero},
		{"interest", decimal.Zero},
		{"fine", decimal.Zero},
		{"identificationField", b.identificationField},
		{"dueDate", fmtDate(b.dueDate)},
		{"scheduleDate", fmtDate(b.scheduleDate)},
		{"paymentDate", dateOrNil(b.paymentDate)},
		{"fee", decimal.Zero},
		{"description", b.description},
		{"companyName", b.companyName},
		{"transactionReceiptUrl", b.receiptURL},
		{"canBeCancelled", b.stage == "CREATED" || b.stage == "PENDING"},
		{"failReasons", fail},
	}
}

// BillInput creates a bill. Zero fields take defaults: due and scheduled today,
// a generated boleto line.
type BillInput struct {
	Value               decimal.Decimal `json:"value"`
	DueDate             string          `json:"dueDate"`
	ScheduleDate        string          `json:"scheduleDate"`
	Description         string          `json:"description"`
	CompanyName         string          `json:"companyName"`
	IdentificationField string          `json:"identificationField"`
}

// CreateBill creates a bill payment for the account and emits BILL_CREATED.
func (s *Server) CreateBill(accountID string, in BillInput) (string, error) {
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[accountID]
	if a == nil {
		return "", controlError(404, "not_found", "account not found")
	}
	if !in.Value.IsPositive() || in.Value.Exponent() < -2 {
		return "", controlError(400, "invalid_value", "value must be a positive amount with at most 2 decimals")
	}
	due, err := s.optDate(in.DueDate)
	if err != nil {
		return "", err
	}
	sched := due
	if in.ScheduleDate != "" {
		if sched, err = s.optDate(in.ScheduleDate); err != nil {
			return "", err
		}
	}
	b := &bill{id: s.ids.uuid(), acct: a, stage: "CREATED", value: in.Value, dueDate: due, scheduleDate: sched}
	b.identificationField = strings.TrimSpace(in.IdentificationField)
	if b.identificationField == "" {
		b.identificationField = linhaDigitavel(barCode(due, in.Value, s.ids.digits(25)))
	}
	if d := strings.TrimSpace(in.Description); d != "" {
		b.description = &d
	}
	if c := strings.TrimSpace(in.CompanyName); c != "" {
		b.companyName = &c
	}
	s.st.bills[b.id] = b
	s.emitBill(b, "BILL_CREATED")
	return b.id, nil
}

// SetBillStatus moves a bill (status with or without the BILL_ prefix) and emits
// BILL_<status>; impossible moves are rejected and change nothing.
func (s *Server) SetBillStatus(billID, status string, failReasons []string) error {
	status = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(status)), "BILL_")
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.st.bills[billID]
	if b == nil {
		return controlError(404, "not_found", "bill not found")
	}
	allowed := false
	for _, next := range billMoves[b.stage] {
		allowed = allowed || next == status
	}
	if !allowed {
		return controlError(400, "invalid_status", "a bill cannot go from "+b.stage+" to "+status+" (allowed: "+strings.Join(billMoves[b.stage], ", ")+")")
	}
	b.stage = status
	switch status {
	case "PAID":
		b.paymentDate = datePtr(s.today())
		b.receiptURL = s.newReceiptURL()
		b.acct.balance = b.acct.balance.Sub(b.value)
	case "REFUNDED":
		b.acct.balance = b.acct.balance.Add(b.value)
	case "FAILED":
		b.failReasons = failReasons
		if len(b.failReasons) == 0 {
			b.failReasons = []string{"Não foi possível processar o pagamento da conta."}
		}
	}
	s.emitBill(b, "BILL_"+status)
	return nil
}

func (s *Server) emitBill(b *bill, event string) {
	s.emit(b.acct, event, "bill", b.render(), Delivery{BillID: b.id})
}

// getBill: GET /v3/bill/{id}.
func (s *Server) getBill(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.st.bills[r.PathValue("id")]
	if b == nil || b.acct != a {
		return nil, notFound("Pagamento de conta")
	}
	return b.render(), nil
}

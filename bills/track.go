// Package bills tracks bill payments ("pagamento de contas", Asaas BILL_* events):
// each bill's latest status and its whole status timeline. The webhook handler
// applies a bill event in the transaction that stores the delivery.
package bills

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Event is what a BILL_* delivery says about one bill.
type Event struct {
	Key            string // the webhook event key: one timeline entry per event
	Event          string // BILL_PAID, ...
	DateCreated    string // Asaas's "YYYY-MM-DD HH:MM:SS", São Paulo time
	BillID         string
	Status         string // "" → the status the event names
	Value          decimal.Decimal
	DueDate        string
	PaymentDate    string
	ReceiptURL     string
	FailReasons    string
	CanBeCancelled bool
}

// Track records the event in the bill's timeline and moves the bill's status
// forward only (an older event arriving late stays in the timeline). It returns
// what happened, for the delivery's outcome.
func Track(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, ev Event) (string, error) {
	status := ev.Status
	if status == "" {
		status = domain.BillStatusOfEvent(ev.Event)
	}
	eventAt := eventTime(ev.DateCreated)
	params := dbgen.InsertBillParams{
		AccountID: acct, AsaasBillID: ev.BillID, Status: status, Value: decimal.NullDecimal{Decimal: ev.Value, Valid: true},
		DueDate: day(ev.DueDate), PaymentDate: day(ev.PaymentDate), TransactionReceiptUrl: nonEmpty(ev.ReceiptURL),
		FailReasons: nonEmpty(ev.FailReasons), CanBeCancelled: &ev.CanBeCancelled, StatusEventAt: eventAt,
	}
	bill, err := q.GetBillForUpdate(ctx, dbgen.GetBillForUpdateParams{AccountID: acct, AsaasBillID: ev.BillID})
	moved := false
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if bill, err = q.InsertBill(ctx, params); errors.Is(err, pgx.ErrNoRows) {
			// Inserted concurrently by another event of the same bill: lock it and compare.
			if bill, err = q.GetBillForUpdate(ctx, dbgen.GetBillForUpdateParams{AccountID: acct, AsaasBillID: ev.BillID}); err != nil {
				return "", err
			}
			moved, err = advance(ctx, q, bill, params)
		} else {
			moved = err == nil
		}
	case err == nil:
		moved, err = advance(ctx, q, bill, params)
	}
	if err != nil {
		return "", err
	}
	if _, err := q.InsertBillStatus(ctx, dbgen.InsertBillStatusParams{AccountID: acct, BillID: bill.ID, Status: status,
		AsaasEventID: ev.Key, EventCreatedAt: eventAt}); err != nil {
		return "", err
	}
	if moved {
		return "bill " + ev.BillID + " is " + status, nil
	}
	return fmt.Sprintf("bill %s stays %s (a %s event does not move it back); kept in its timeline", ev.BillID, bill.Status, status), nil
}

func advance(ctx context.Context, q *dbgen.Queries, bill dbgen.Bill, p dbgen.InsertBillParams) (bool, error) {
	if !domain.BillStatusAdvances(bill.Status, p.Status) {
		return false, nil
	}
	return true, q.UpdateBillStatus(ctx, dbgen.UpdateBillStatusParams{
		AccountID: bill.AccountID, ID: bill.ID, Status: p.Status, Value: p.Value, DueDate: p.DueDate, PaymentDate: p.PaymentDate,
		TransactionReceiptUrl: p.TransactionReceiptUrl, FailReasons: p.FailReasons, CanBeCancelled: p.CanBeCancelled, StatusEventAt: p.StatusEventAt,
	})
}

func day(s string) *time.Time {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return &t
	}
	return nil
}

// eventTime reads Asaas's "YYYY-MM-DD HH:MM:SS" (São Paulo time).
func eventTime(s string) *time.Time {
	if t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(s), domain.SaoPaulo); err == nil {
		return &t
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

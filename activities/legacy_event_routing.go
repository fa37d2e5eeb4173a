package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// RouteWebhookEvent decides what a stored webhook event is for. Bill events are
// tracked right here; payment events of our charges go to their contract;
// everything else (a disabled account, a payment not created by us, an unknown
// event) is recorded as ignored with the reason. Recording is idempotent.
func (a *Activities) RouteWebhookEvent(ctx context.Context, ev WebhookEvent) (EventRoute, error) {
	acct, err := uuid.Parse(ev.AccountID)
	if err != nil {
		return EventRoute{}, notFound("account %q", ev.AccountID)
	}
	var route EventRoute
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		done := func(status, reason string) error {
			route = EventRoute{Route: RouteDone, Reason: reason}
			return setOutcome(ctx, q, acct, ev.EventKey, status, reason)
		}
		account, err := q.GetAccount(ctx, acct)
		if err != nil {
			return missing(err, "account %s", acct)
		}
		if !account.BillingEnabled {
			return done(EventIgnored, "the billing module is disabled for this account")
		}
		switch {
		case asaas.IsBillEvent(ev.Event):
			if ev.Bill == nil || ev.Bill.ID == "" {
				return done(EventIgnored, "bill event without a readable bill object")
			}
			reason, err := trackBill(ctx, q, acct, ev)
			if err != nil {
				return err
			}
			return done(EventProcessed, reason)
		case asaas.IsPaymentEvent(ev.Event):
			if ev.Payment == nil {
				return done(EventIgnored, "payment event without a readable payment object")
			}
			contractID, n, ours := domain.ParseChargeReference(ev.Payment.ExternalReference)
			if !ours {
				return done(EventIgnored, "payment not created by billing (no externalReference of ours); recorded only")
			}
			cid := uuid.MustParse(contractID)
			c, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: cid})
			if errors.Is(err, pgx.ErrNoRows) {
				return done(EventIgnored, fmt.Sprintf("contract %s does not exist in this account", cid))
			}
			if err != nil {
				return err
			}
			if c.Status != string(domain.ContractActive) && c.Status != string(domain.ContractCompleted) {
				return done(EventIgnored, fmt.Sprintf("contract %s is %s", cid, c.Status))
			}
			route = EventRoute{Route: RouteContract, ContractID: contractID, InstallmentNumber: n}
			return nil
		}
		return done(EventIgnored, fmt.Sprintf("event %s is not handled by billing; recorded only", ev.Event))
	})
	return route, err
}

// trackBill records a bill event in the timeline and moves the bill's status
// forward only (an older event arriving late stays in the timeline).
func trackBill(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, ev WebhookEvent) (string, error) {
	b := ev.Bill
	status := b.Status
	if status == "" {
		status = domain.BillStatusOfEvent(ev.Event)
	}
	eventAt := eventTime(ev.DateCreated)
	params := dbgen.InsertBillParams{
		AccountID: acct, AsaasBillID: b.ID, Status: status, Value: decimal.NullDecimal{Decimal: b.Value, Valid: true},
		DueDate: day(b.DueDate), PaymentDate: day(b.PaymentDate), TransactionReceiptUrl: nonEmpty(b.TransactionReceiptURL),
		FailReasons: nonEmpty(b.FailReasons), CanBeCancelled: &b.CanBeCancelled, StatusEventAt: eventAt,
	}
	bill, err := q.GetBillForUpdate(ctx, dbgen.GetBillForUpdateParams{AccountID: acct, AsaasBillID: b.ID})
	moved := false
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if bill, err = q.InsertBill(ctx, params); errors.Is(err, pgx.ErrNoRows) {
			// Inserted concurrently by another event of the same bill: lock it and compare.
			if bill, err = q.GetBillForUpdate(ctx, dbgen.GetBillForUpdateParams{AccountID: acct, AsaasBillID: b.ID}); err != nil {
				return "", err
			}
			moved, err = advanceBill(ctx, q, bill, params)
		} else {
			moved = err == nil
		}
	case err == nil:
		moved, err = advanceBill(ctx, q, bill, params)
	}
	if err != nil {
		return "", err
	}
	if _, err := q.InsertBillStatus(ctx, dbgen.InsertBillStatusParams{AccountID: acct, BillID: bill.ID, Status: status,
		AsaasEventID: ev.EventKey, EventCreatedAt: eventAt}); err != nil {
		return "", err
	}
	if moved {
		return "bill " + b.ID + " is " + status, nil
	}
	return fmt.Sprintf("bill %s stays %s (a %s event does not move it back); kept in its timeline", b.ID, bill.Status, status), nil
}

func advanceBill(ctx context.Context, q *dbgen.Queries, bill dbgen.Bill, p dbgen.InsertBillParams) (bool, error) {
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
	if t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(s), saoPaulo); err == nil {
		return &t
	}
	return nil
}

// RecordEventOutcome records what became of a webhook event, with an audit line
// when it concerned a contract.
func (a *Activities) RecordEventOutcome(ctx context.Context, in EventOutcomeInput) error {
	acct, err := uuid.Parse(in.AccountID)
	if err != nil {
		return notFound("account %q", in.AccountID)
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: acct, EventKey: in.EventKey, Status: in.Status, Reason: &in.Reason})
		if err != nil || n == 0 {
			return err // n == 0: recorded by an earlier attempt
		}
		cid, err := uuid.Parse(in.ContractID)
		if err != nil || !in.Notable {
			return nil
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "webhook.ignored", entityType: "contract",
			entityID: &cid, contractID: &cid, data: map[string]any{"event_key": in.EventKey, "reason": in.Reason}})
	})
}

package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"billing/asaas"
	"billing/bills"
	"billing/db/dbgen"
	"billing/workflows"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Outcome is what became of a delivery, as the handler answers it.
type Outcome string

const (
	Accepted  Outcome = "accepted"  // the contract's workflow has the event
	Queued    Outcome = "queued"    // stored; Temporal did not answer, the relay signals it
	Duplicate Outcome = "duplicate" // a redelivery of an event already decided
	Ignored   Outcome = "ignored"   // recorded; nothing to do (Reason says why)
	Processed Outcome = "processed" // applied in the handler's transaction (bill events)
	Rejected  Outcome = "rejected"  // stored for inspection, never applied
)

// Result of one delivery.
type Result struct {
	Outcome  Outcome
	EventKey string
	Reason   string
}

// Event statuses of a webhook_events row.
const (
	statusReceived  = "received"
	statusProcessed = "processed"
	statusIgnored   = "ignored"
	statusRejected  = "rejected"
)

// Defaults of Options.
const (
	DefaultSignalTimeout = 3 * time.Second
	DefaultDecideWithin  = 2 * time.Minute
	DefaultRelayEvery    = time.Second
)

// Options tune the ingestor; zero values mean the defaults.
type Options struct {
	// SignalTimeout bounds the signal to Temporal, leaving time to queue the
	// event for the relay before Asaas gives up on the delivery (10 s).
	SignalTimeout time.Duration
	// DecideWithin is how long a contract may take to decide a signalled event
	// before the relay signals it again (the handler may have died between
	// storing and signalling; a contract drops a copy it has seen).
	DecideWithin time.Duration
	// RelayEvery is how often the relay looks for events to signal.
	RelayEvery time.Duration
}

// Ingestor stores deliveries and hands their events to the contract workflows.
type Ingestor struct {
	pool     *pgxpool.Pool
	temporal client.Client
	logger   *slog.Logger
	opts     Options
}

// New builds an ingestor.
func New(pool *pgxpool.Pool, tc client.Client, logger *slog.Logger, opts Options) *Ingestor {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.SignalTimeout <= 0 {
		opts.SignalTimeout = DefaultSignalTimeout
	}
	if opts.DecideWithin <= 0 {
		opts.DecideWithin = DefaultDecideWithin
	}
	if opts.RelayEvery <= 0 {
		opts.RelayEvery = DefaultRelayEvery
	}
	return &Ingestor{pool: pool, temporal: tc, logger: logger, opts: opts}
}

// ErrUnavailable wraps a failure no answer but 503 fits: nothing was
// acknowledged, Asaas delivers the event again.
var ErrUnavailable = errors.New("the event could not be stored or handed over")

// UnstorableError is a delivery PostgreSQL refuses as data (a number out of
// range, a value too large to index): no retry fixes it.
type UnstorableError struct{ Why string }

func (e *UnstorableError) Error() string { return "the event cannot be stored as sent: " + e.Why }

// Deliver stores one delivery and does what it is for: signals its contract,
// applies a bill event, or records why nothing is to be done. A redelivery finds
// the first row: a duplicate, unless Temporal did not take it the first time,
// when its contract is signalled now (a contract drops a copy it has seen).
func (i *Ingestor) Deliver(ctx context.Context, acct Account, ev asaas.WebhookEvent) (Result, error) {
	t := route(acct, ev)
	row := newRow(acct, ev)
	switch t.kind {
	case toBill:
		return i.deliverBill(ctx, acct, ev, row)
	case toNobody:
		row.Status, row.Reason = statusIgnored, &t.reason
	case toContract:
		row.ContractID = &t.contractID
		row.RelayAt = ptr(time.Now().Add(i.opts.DecideWithin))
	}
	res := Result{EventKey: row.EventKey, Reason: t.reason}
	q := dbgen.New(i.pool)
	_, err := q.InsertWebhookEvent(ctx, row)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		first, err := q.GetWebhookEventByKey(ctx, dbgen.GetWebhookEventByKeyParams{AccountID: acct.ID, EventKey: row.EventKey})
		if err != nil {
			return res, unavailable(err)
		}
		if !first.Queued || t.kind != toContract {
			// Decided, or handed over and waiting for its contract to decide.
			res.Outcome, res.Reason = Duplicate, ""
			return res, nil
		}
		// Temporal did not take it before: try again now rather than at the relay's turn.
	case err != nil:
		return res, storeError(err)
	case t.kind == toNobody:
		res.Outcome = Ignored
		return res, nil
	}
	return i.signal(ctx, acct, row.EventKey, ev, t, false)
}

func newRow(acct Account, ev asaas.WebhookEvent) dbgen.InsertWebhookEventParams {
	row := dbgen.InsertWebhookEventParams{AccountID: acct.ID, EventKey: ev.Key(), AsaasEventID: nonEmpty(ev.ID),
		EventType: ev.Event, Status: statusReceived, Raw: ev.Raw}
	if ev.Payment != nil && ev.Payment.ID != "" {
		row.PaymentID = &ev.Payment.ID
	} else if ev.Bill != nil && ev.Bill.ID != "" {
		row.PaymentID = &ev.Bill.ID
	}
	return row
}

// signal hands a stored event to its contract. When Temporal does not take it,
// the row is queued for the relay (a committed write: that is what makes the
// 200 safe); the relay itself leaves the row to its next attempt.
func (i *Ingestor) signal(ctx context.Context, acct Account, key string, ev asaas.WebhookEvent, t target, fromRelay bool) (Result, error) {
	sigCtx, cancel := context.WithTimeout(ctx, i.opts.SignalTimeout)
	err := i.temporal.SignalWorkflow(sigCtx, workflows.ContractWorkflowID(t.contractID.String()), "",
		workflows.PaymentEventSignal, signalOf(acct.ID, key, ev, t.installment))
	cancel()
	var notFound *serviceerror.NotFound
	switch {
	case err == nil:
		return Result{Outcome: Accepted, EventKey: key}, nil
	case errors.As(err, &notFound):
		reason, err := i.recordNotRunning(ctx, acct, key, ev.Event, t.contractID)
		if err != nil {
			return Result{EventKey: key}, unavailable(err)
		}
		return Result{Outcome: Ignored, EventKey: key, Reason: reason}, nil
	case fromRelay:
		return Result{EventKey: key}, err
	}
	i.logger.Warn("Temporal did not take a webhook event; queued for the relay", "event_key", key, "error", err)
	if _, qerr := dbgen.New(i.pool).RelayWebhookEventSoon(ctx, dbgen.RelayWebhookEventSoonParams{AccountID: acct.ID, EventKey: key}); qerr != nil {
		return Result{EventKey: key}, unavailable(errors.Join(err, qerr))
	}
	return Result{Outcome: Queued, EventKey: key}, nil
}

// deliverBill stores a bill event and applies it to the bill tracker in one
// transaction, so the timeline follows the order the events arrive in.
func (i *Ingestor) deliverBill(ctx context.Context, acct Account, ev asaas.WebhookEvent, row dbgen.InsertWebhookEventParams) (Result, error) {
	res := Result{EventKey: row.EventKey, Outcome: Processed}
	err := pgx.BeginFunc(ctx, i.pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		if _, err := q.InsertWebhookEvent(ctx, row); errors.Is(err, pgx.ErrNoRows) {
			res.Outcome = Duplicate
			return nil
		} else if err != nil {
			return err
		}
		b := ev.Bill
		reason, err := bills.Track(ctx, q, acct.ID, bills.Event{Key: row.EventKey, Event: ev.Event, DateCreated: ev.DateCreated,
			BillID: b.ID, Status: b.Status, Value: b.Value.Decimal, DueDate: b.DueDate.String(), PaymentDate: b.PaymentDate.String(),
			ReceiptURL: deref(b.TransactionReceiptURL), FailReasons: b.FailReasons.String(), CanBeCancelled: b.CanBeCancelled})
		if err != nil {
			return err
		}
		res.Reason = reason
		_, err = q.SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: acct.ID, EventKey: row.EventKey,
			Status: statusProcessed, Reason: &reason})
		return err
	})
	if err != nil {
		return Result{EventKey: row.EventKey}, storeError(err)
	}
	return res, nil
}

// Reject stores a delivery that must never be applied as sent (e.g. a body with
// duplicate keys), under a key of its own so it cannot shadow the real event.
func (i *Ingestor) Reject(ctx context.Context, acct Account, raw []byte, event, reason string) (Result, error) {
	key := asaas.WebhookEvent{Raw: raw}.Key()
	key = "rejected:" + key[len("sha256:"):]
	// Kept as a JSON string: jsonb would fold duplicate keys, the very thing to see.
	asSent, err := json.Marshal(map[string]string{"body_as_sent": string(raw)})
	if err != nil {
		return Result{EventKey: key}, err
	}
	_, err = dbgen.New(i.pool).InsertWebhookEvent(ctx, dbgen.InsertWebhookEventParams{AccountID: acct.ID, EventKey: key,
		EventType: event, Status: statusRejected, Reason: &reason, Raw: asSent})
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Result{EventKey: key}, storeError(err)
	}
	return Result{Outcome: Rejected, EventKey: key, Reason: reason}, nil
}

func unavailable(err error) error { return fmt.Errorf("%w: %w", ErrUnavailable, err) }

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

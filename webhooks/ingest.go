package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"billing/asaas"
	"billing/bills"
	"billing/db/dbgen"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Outcome is what became of a delivery, as the handler answers it.
type Outcome string

const (
	Accepted  Outcome = "accepted"  // stored and being handed to the contract's workflow
	Duplicate Outcome = "duplicate" // a redelivery of an event already stored
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
	DefaultSignalTimeout = 5 * time.Second
	DefaultDecideWithin  = 30 * time.Second
	DefaultRelayEvery    = time.Second
	DefaultMaxHandovers  = 16
)

// Options tune the ingestor; zero values mean the defaults.
type Options struct {
	// SignalTimeout bounds one signal to Temporal.
	SignalTimeout time.Duration
	// DecideWithin is how long a contract may take to decide a stored event
	// before the relay signals it (again): the process may have died between
	// the answer and the signal; a contract drops a copy it has seen.
	DecideWithin time.Duration
	// RelayEvery is how often the relay looks for events to signal.
	RelayEvery time.Duration
	// MaxHandovers bounds the signals running at once after their deliveries
	// were answered (the others wait their turn).
	MaxHandovers int
}

// Ingestor stores deliveries and hands their events to the contract workflows.
type Ingestor struct {
	pool     *pgxpool.Pool
	temporal client.Client
	logger   *slog.Logger
	opts     Options
	pending  atomic.Int64   // handovers queued or running
	inFlight sync.WaitGroup // the same, for a clean stop

	mu      sync.Mutex
	queue   []handover // waiting for a signaller, oldest first
	running int        // signallers (at most MaxHandovers)
}

// handover is an answered delivery whose event is still to be signalled.
type handover struct {
	acct uuid.UUID
	key  string
	ev   asaas.WebhookEvent
	t    target
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
	if opts.MaxHandovers <= 0 {
		opts.MaxHandovers = DefaultMaxHandovers
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

// ErrUnauthorized: the webhook secret is not the account's any more (rotated
// since the handler looked it up).
var ErrUnauthorized = errors.New("the webhook secret does not belong to the account")

// disabledReason is the outcome of every event of an account whose billing
// module is disabled (written by StoreWebhookDelivery).
const disabledReason = "the billing module is disabled for this account"

// Deliver stores one delivery and does what it is for: hands it to its contract,
// applies a bill event, or records why nothing is to be done. An event for a
// contract is stored already queued for the relay (relay_at, committed before
// the answer: it can no longer be lost) and signalled right after the answer;
// the relay signals it if the contract has not decided it by relay_at. A
// redelivery finds the first row: a duplicate, unless Temporal did not take it
// the first time, when it is handed over again now (a contract drops a copy it
// has seen).
func (i *Ingestor) Deliver(ctx context.Context, acct Account, ev asaas.WebhookEvent) (Result, error) {
	t := route(ev)
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
	stored, err := q.StoreWebhookDelivery(ctx, row)
	switch {
	case err != nil:
		return res, storeError(err)
	case !stored.Authorized:
		return res, ErrUnauthorized
	case stored.StoredStatus == "":
		first, err := q.GetWebhookEventByKey(ctx, dbgen.GetWebhookEventByKeyParams{AccountID: acct.ID, EventKey: row.EventKey})
		if err != nil {
			return res, unavailable(err)
		}
		if !first.Queued || t.kind != toContract || !stored.BillingEnabled {
			// Decided, or handed over and waiting for its contract to decide.
			res.Outcome, res.Reason = Duplicate, ""
			return res, nil
		}
		// Temporal did not take it before: try again now rather than at the relay's turn.
		res.Outcome = Duplicate
		i.handOver(acct.ID, row.EventKey, ev, t)
		return res, nil
	case !stored.BillingEnabled:
		res.Outcome, res.Reason = Ignored, disabledReason
		return res, nil
	case t.kind == toNobody:
		res.Outcome = Ignored
		return res, nil
	}
	res.Outcome = Accepted
	i.handOver(acct.ID, row.EventKey, ev, t)
	return res, nil
}

// handOver signals a stored event in the background, after its delivery is
// answered: the answer waits neither for Temporal nor for other signals. At most
// MaxHandovers signals run at once; past MaxPending waiting ones, an event is
// left to the relay (its row is already due to it). The signals are sent by up
// to MaxHandovers signallers that take the queued events in turn and stop when
// none is left: a burst reuses their goroutines (and their stacks, which the
// SDK's signal path grows) instead of starting one per event.
func (i *Ingestor) handOver(acct uuid.UUID, key string, ev asaas.WebhookEvent, t target) {
	if i.pending.Add(1) > maxPending {
		i.pending.Add(-1)
		return
	}
	i.inFlight.Add(1)
	i.mu.Lock()
	i.queue = append(i.queue, handover{acct: acct, key: key, ev: ev, t: t})
	start := i.running < i.opts.MaxHandovers
	if start {
		i.running++
	}
	i.mu.Unlock()
	if start {
		go i.signaller()
	}
}

// signaller signals queued events until the queue is empty.
func (i *Ingestor) signaller() {
	for {
		i.mu.Lock()
		if len(i.queue) == 0 {
			i.running--
			i.queue = nil // a burst's backing array goes with it
			i.mu.Unlock()
			return
		}
		h := i.queue[0]
		i.queue[0] = handover{}
		i.queue = i.queue[1:]
		i.mu.Unlock()
		if _, err := i.signal(context.Background(), h.acct, h.key, h.ev, h.t, false); err != nil {
			i.logger.Warn("webhook event left to the relay", "event_key", h.key, "error", err)
		}
		i.pending.Add(-1)
		i.inFlight.Done()
	}
}

// maxPending bounds the events waiting for a signal slot (a burst past it waits
// for the relay instead of for memory).
const maxPending = 10_000

// Wait waits for the signals of answered deliveries (a stopping server calls it:
// what it cuts short, the relay sends later).
func (i *Ingestor) Wait() { i.inFlight.Wait() }

func newRow(acct Account, ev asaas.WebhookEvent) dbgen.StoreWebhookDeliveryParams {
	row := dbgen.StoreWebhookDeliveryParams{AccountID: acct.ID, SecretHash: acct.SecretHash, EventKey: ev.Key(),
		AsaasEventID: nonEmpty(ev.ID), EventType: ev.Event, Status: statusReceived, Raw: ev.Raw}
	if ev.Payment != nil && ev.Payment.ID != "" {
		row.PaymentID = &ev.Payment.ID
	} else if ev.Bill != nil && ev.Bill.ID != "" {
		row.PaymentID = &ev.Bill.ID
	}
	return row
}

// signal hands a stored event to its contract. When Temporal does not take it,
// the row is due to the relay at once; the relay itself leaves the row to its
// next attempt.
func (i *Ingestor) signal(ctx context.Context, acct uuid.UUID, key string, ev asaas.WebhookEvent, t target, fromRelay bool) (Result, error) {
	sigCtx, cancel := context.WithTimeout(ctx, i.opts.SignalTimeout)
	err := i.temporal.SignalWorkflow(sigCtx, workflows.ContractWorkflowID(t.contractID.String()), "",
		workflows.PaymentEventSignal, signalOf(acct, key, ev, t.installment))
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
	if _, qerr := dbgen.New(i.pool).RelayWebhookEventSoon(ctx, dbgen.RelayWebhookEventSoonParams{AccountID: acct, EventKey: key}); qerr != nil {
		return Result{EventKey: key}, errors.Join(err, qerr) // still due to the relay at relay_at
	}
	return Result{EventKey: key}, err
}

// deliverBill stores a bill event and applies it to the bill tracker in one
// transaction, so the timeline follows the order the events arrive in.
func (i *Ingestor) deliverBill(ctx context.Context, acct Account, ev asaas.WebhookEvent, row dbgen.StoreWebhookDeliveryParams) (Result, error) {
	res := Result{EventKey: row.EventKey, Outcome: Processed}
	err := pgx.BeginFunc(ctx, i.pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		stored, err := q.StoreWebhookDelivery(ctx, row)
		switch {
		case err != nil:
			return err
		case !stored.Authorized:
			return ErrUnauthorized
		case stored.StoredStatus == "":
			res.Outcome = Duplicate
			return nil
		case !stored.BillingEnabled:
			res.Outcome, res.Reason = Ignored, disabledReason
			return nil
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
	if errors.Is(err, ErrUnauthorized) {
		return Result{EventKey: row.EventKey}, err
	}
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
	stored, err := dbgen.New(i.pool).StoreWebhookDelivery(ctx, dbgen.StoreWebhookDeliveryParams{AccountID: acct.ID,
		SecretHash: acct.SecretHash, EventKey: key, EventType: event, Status: statusRejected, Reason: &reason, Raw: asSent})
	switch {
	case err != nil:
		return Result{EventKey: key}, storeError(err)
	case !stored.Authorized:
		return Result{EventKey: key}, ErrUnauthorized
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

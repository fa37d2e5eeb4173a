// Package activities holds the Temporal activities: the only workflow code that
// talks to PostgreSQL and Asaas. Every activity is idempotent: a retry after a
// crash, a timeout or a lost answer finds its work done and returns the same result.
package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"
	"billing/gateway"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
)

// Deps are the adapters activities use.
type Deps struct {
	Pool    *pgxpool.Pool
	Logger  *slog.Logger
	Gateway *gateway.Connector // each account's Asaas client
	// Temporal lets an activity act on another workflow (a reconciliation asks
	// each contract's workflow); worker.New sets it to the worker's client.
	Temporal client.Client
	// Queue tunes the watch of each account's Asaas webhook queue (zero: defaults).
	Queue QueueWatchOptions
}

// Activities is the registered method set.
type Activities struct {
	deps Deps
}

// New builds the activities.
func New(deps Deps) *Activities {
	if deps.Gateway == nil {
		deps.Gateway = gateway.NewConnector(nil, "")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	deps.Queue = deps.Queue.withDefaults()
	return &Activities{deps: deps}
}

// Register adds every activity to a worker.
func Register(w worker.Registry, deps Deps) {
	w.RegisterActivity(New(deps))
}

// inTx runs fn in one transaction: an activity's writes and its audit events
// commit together or not at all.
func (a *Activities) inTx(ctx context.Context, fn func(q *dbgen.Queries) error) error {
	return pgx.BeginFunc(ctx, a.deps.Pool, func(tx pgx.Tx) error { return fn(dbgen.New(tx)) })
}

func (a *Activities) q() *dbgen.Queries { return dbgen.New(a.deps.Pool) }

// ids parses a reference; a malformed one can never succeed, so it is final.
func (r ContractRef) ids() (account, contract uuid.UUID, err error) {
	if account, err = uuid.Parse(r.AccountID); err != nil {
		return account, contract, notFound("account %q", r.AccountID)
	}
	if contract, err = uuid.Parse(r.ContractID); err != nil {
		return account, contract, notFound("contract %q", r.ContractID)
	}
	return account, contract, nil
}

func notFound(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...)+" not found", ErrTypeNotFound, nil)
}

// missing maps "no rows" to a final not-found error and passes others through
// (a database that does not answer is retried).
func missing(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(format, args...)
	}
	return err
}

// asaasClient is the account's Asaas client, built from its stored settings.
func (a *Activities) asaasClient(ctx context.Context, accountID uuid.UUID) (*asaas.Client, error) {
	cl, err := a.deps.Gateway.Client(ctx, a.q(), accountID)
	if errors.Is(err, gateway.ErrNotConfigured) {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeNotConfigured, err)
	}
	return cl, err
}

// Actor types of audit events.
const (
	actorUser   = "user"
	actorSystem = "system"
	actorAsaas  = "asaas"
)

// auditEvent is one line of the audit trail, written in the transaction of the change.
type auditEvent struct {
	account    uuid.UUID
	actorType  string
	actorID    *uuid.UUID
	action     string
	entityType string
	entityID   *uuid.UUID
	contractID *uuid.UUID
	data       map[string]any
}

func writeAudit(ctx context.Context, q *dbgen.Queries, e auditEvent) error {
	data, err := json.Marshal(e.data)
	if err != nil {
		return err
	}
	e = e.withActor()
	return q.InsertAuditEvent(ctx, dbgen.InsertAuditEventParams{
		AccountID: e.account, ActorType: e.actorType, ActorID: e.actorID, Action: e.action,
		EntityType: e.entityType, EntityID: e.entityID, ContractID: e.contractID, Data: data,
	})
}

// writeAudits writes audit lines in order; consecutive lines of the same actor
// about the same entity go in one statement (InsertAuditEvents), the rows each
// writeAudit would have written.
func writeAudits(ctx context.Context, q *dbgen.Queries, events ...auditEvent) error {
	for len(events) > 0 {
		first := events[0].withActor()
		n := 1
		for n < len(events) && events[n].withActor().sameSubject(first) {
			n++
		}
		if n == 1 {
			if err := writeAudit(ctx, q, first); err != nil {
				return err
			}
			events = events[1:]
			continue
		}
		actions, data := make([]string, n), make([][]byte, n)
		for i, e := range events[:n] {
			b, err := json.Marshal(e.data)
			if err != nil {
				return err
			}
			actions[i], data[i] = e.action, b
		}
		if err := q.InsertAuditEvents(ctx, dbgen.InsertAuditEventsParams{AccountID: first.account, ActorType: first.actorType,
			ActorID: first.actorID, Actions: actions, EntityType: first.entityType, EntityID: first.entityID,
			ContractID: first.contractID, Data: data}); err != nil {
			return err
		}
		events = events[n:]
	}
	return nil
}

// withActor is the line as it is stored: a user action without a user is the
// system's, and only a user has an actor id.
func (e auditEvent) withActor() auditEvent {
	if e.actorType == actorUser && e.actorID == nil {
		e.actorType = actorSystem
	}
	if e.actorType != actorUser {
		e.actorID = nil
	}
	return e
}

// sameSubject: both lines (as stored) have one account, actor and entity.
func (e auditEvent) sameSubject(o auditEvent) bool {
	eq := func(a, b *uuid.UUID) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return e.account == o.account && e.actorType == o.actorType && eq(e.actorID, o.actorID) &&
		e.entityType == o.entityType && eq(e.entityID, o.entityID) && eq(e.contractID, o.contractID)
}

// userID parses an optional user id ("" → nil).
func userID(s string) *uuid.UUID {
	if s == "" {
		return nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return nil
	}
	return &id
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// parseDay reads YYYY-MM-DD; empty or malformed falls back to today (São Paulo).
func parseDay(s string) time.Time {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	return domain.Day(time.Now())
}

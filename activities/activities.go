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
	if e.actorType == actorUser && e.actorID == nil {
		e.actorType = actorSystem
	}
	if e.actorType != actorUser {
		e.actorID = nil
	}
	return q.InsertAuditEvent(ctx, dbgen.InsertAuditEventParams{
		AccountID: e.account, ActorType: e.actorType, ActorID: e.actorID, Action: e.action,
		EntityType: e.entityType, EntityID: e.entityID, ContractID: e.contractID, Data: data,
	})
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

// parseDay reads YYYY-MM-DD; empty or malformed falls back to today (São Paulo).
func parseDay(s string) time.Time {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	return domain.Day(time.Now())
}

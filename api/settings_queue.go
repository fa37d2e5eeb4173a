package api

import (
	"context"
	"errors"
	"time"

	"billing/db/dbgen"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
)

// The account's Asaas webhook queue as its watch last read it
// (docs/architecture.md, "Reconciliation of an account"), shown in the settings, and the
// watch's schedule, made when the settings are saved.

// QueueWatchScheduler creates or updates an account's queue watch schedule.
type QueueWatchScheduler interface {
	Ensure(ctx context.Context, accountID uuid.UUID) error
}

// TemporalQueueWatch is the production QueueWatchScheduler: a Temporal Schedule
// asaas-queue/<accountId> every Every (QUEUE_WATCH_EVERY).
type TemporalQueueWatch struct {
	Client client.Client
	Every  time.Duration
}

// Ensure creates the schedule, or sets the interval of the one that exists.
func (w TemporalQueueWatch) Ensure(ctx context.Context, accountID uuid.UUID) error {
	return workflows.EnsureQueueWatchSchedule(ctx, w.Client, accountID.String(), w.Every)
}

// webhookQueueView is the queue's health: every webhook at Asaas that delivers
// to us, taken together; last_sweep_at is when the account's latest
// reconciliation (a sweep or one run on demand) started.
type webhookQueueView struct {
	Enabled                bool       `json:"enabled"`
	Interrupted            bool       `json:"interrupted"`
	PenalizedRequestsCount int32      `json:"penalized_requests_count"`
	CheckedAt              time.Time  `json:"checked_at"`
	ReactivatedAt          *time.Time `json:"reactivated_at"`
	LastSweepAt            *time.Time `json:"last_sweep_at"`
}

// webhookQueue is the account's queue health, nil when never checked.
func webhookQueue(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID) (*webhookQueueView, error) {
	h, err := q.GetWebhookQueueHealth(ctx, accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &webhookQueueView{Enabled: h.Enabled, Interrupted: h.Interrupted, PenalizedRequestsCount: h.PenalizedRequestsCount,
		CheckedAt: h.CheckedAt, ReactivatedAt: h.ReactivatedAt}
	last, err := q.LastSweepStartedAt(ctx, accountID)
	switch {
	case err == nil:
		v.LastSweepAt = &last
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, err
	}
	return v, nil
}

// ensureQueueWatch schedules the account's queue watch when its settings are
// saved; the settings are saved only if Temporal took the schedule.
func (s *Server) ensureQueueWatch(ctx context.Context, accountID uuid.UUID) error {
	if s.deps.QueueWatch == nil {
		return nil // this server schedules nothing; the worker ensures every account's schedule when it starts
	}
	ctx, cancel := context.WithTimeout(ctx, temporalStartWait)
	defer cancel()
	if err := s.deps.QueueWatch.Ensure(ctx, accountID); err != nil {
		return unavailable("Temporal did not take the schedule that watches the account's Asaas webhook queue; nothing was saved, try again.", err)
	}
	return nil
}

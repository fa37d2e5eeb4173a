package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The watch of an account's Asaas webhook queue (docs/architecture.md,
// "Reconciliation"): Asaas interrupts a queue after 15 failed deliveries in a
// row and deletes what it kept after 14 days, so each account's queue is read
// on a schedule, reactivated when our endpoint is healthy again, and the
// account's open installments are swept against Asaas.

// QueueWatchOptions tune the watch; zero values mean the defaults.
type QueueWatchOptions struct {
	// HealthURL is asked for a 200 before an interrupted queue is reactivated
	// (API_HEALTH_URL): Asaas would interrupt it again at once otherwise.
	HealthURL string
	// SweepEvery: an account whose last sweep is older is swept again, also when
	// its queue never paused (webhooks can be lost without that).
	SweepEvery time.Duration
	// HTTP asks HealthURL (nil: a client with a 5 s timeout).
	HTTP *http.Client
}

// DefaultQueueSweepEvery is QUEUE_SWEEP_EVERY's default.
const DefaultQueueSweepEvery = 24 * time.Hour

func (o QueueWatchOptions) withDefaults() QueueWatchOptions {
	if o.SweepEvery <= 0 {
		o.SweepEvery = DefaultQueueSweepEvery
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	return o
}

// QueueRef names the account whose queue is watched.
type QueueRef struct {
	AccountID string
}

// QueueHealth is what the watch read at Asaas.
type QueueHealth struct {
	Webhooks []WebhookHealth
	// SweepDue: the account's last sweep started longer than SweepEvery ago (or
	// never), and no reconciliation of the account is running.
	SweepDue bool
}

// WebhookHealth is one webhook of the account at Asaas that delivers to us.
type WebhookHealth struct {
	ID          string
	Enabled     bool
	Interrupted bool
	Penalized   int
}

// WebhookPath is where Asaas delivers to us (the API's webhook route).
const WebhookPath = "/webhooks/asaas"

// ourWebhooks picks the account's webhooks that deliver to our endpoint: those
// whose URL path ends in /webhooks/asaas. An account may have up to ten webhooks
// at Asaas, some for other systems; their queues are not ours to judge. When
// none matches, every webhook is taken: the account may reach us through a
// proxy that rewrites the path, and a queue of ours left unwatched costs events
// for good, while reactivating another system's interrupted queue only resumes
// its deliveries.
func ourWebhooks(hooks []asaas.Webhook) []asaas.Webhook {
	var ours []asaas.Webhook
	for _, h := range hooks {
		if u, err := url.Parse(h.URL); err == nil && strings.HasSuffix(strings.TrimRight(u.Path, "/"), WebhookPath) {
			ours = append(ours, h)
		}
	}
	if len(ours) == 0 {
		return hooks
	}
	return ours
}

// queueSummary takes the watched webhooks together, as the account's one queue
// health: enabled when one is, interrupted when one is, the most penalized
// requests. No webhook at all reads as not enabled.
func queueSummary(hooks []WebhookHealth) (enabled, interrupted bool, penalized int) {
	for _, h := range hooks {
		enabled = enabled || h.Enabled
		interrupted = interrupted || h.Interrupted
		penalized = max(penalized, h.Penalized)
	}
	return enabled, interrupted, penalized
}

// CheckWebhookQueue reads the account's webhooks at Asaas (GET /v3/webhooks),
// records the health of those that deliver to us, and says whether the account
// is due a sweep. Running it again records the health again.
func (a *Activities) CheckWebhookQueue(ctx context.Context, in QueueRef) (QueueHealth, error) {
	acct, err := uuid.Parse(in.AccountID)
	if err != nil {
		return QueueHealth{}, notFound("account %q", in.AccountID)
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return QueueHealth{}, err
	}
	hooks, err := cl.ListWebhooks(ctx)
	if err != nil {
		return QueueHealth{}, gatewayError(err)
	}
	var out QueueHealth
	ids := []string{}
	for _, h := range ourWebhooks(hooks) {
		out.Webhooks = append(out.Webhooks, WebhookHealth{ID: h.ID, Enabled: h.Enabled, Interrupted: h.Interrupted, Penalized: h.PenalizedRequestsCount})
		ids = append(ids, h.ID)
	}
	enabled, interrupted, penalized := queueSummary(out.Webhooks)
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		if err := q.RecordWebhookQueueHealth(ctx, dbgen.RecordWebhookQueueHealthParams{AccountID: acct, WebhookIds: ids,
			Enabled: enabled, Interrupted: interrupted, PenalizedRequestsCount: int32(penalized)}); err != nil {
			return err
		}
		last, err := q.LastSweepStartedAt(ctx, acct)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			out.SweepDue = true
		case err != nil:
			return err
		default:
			out.SweepDue = time.Since(last) >= a.deps.Queue.SweepEvery
		}
		if out.SweepDue {
			// A run still going covers the account already: sweeps never pile up
			// when one takes longer than SweepEvery.
			running, err := q.ReconciliationRunning(ctx, acct)
			if err != nil {
				return err
			}
			out.SweepDue = !running
		}
		return nil
	})
	if err != nil {
		return QueueHealth{}, err
	}
	reportQueueHealth(acct.String(), enabled, interrupted, penalized)
	return out, nil
}

// APIHealth is whether our endpoint answers (the queue is reactivated only then).
type APIHealth struct {
	Healthy bool
	Detail  string `json:",omitempty"` // why not
}

// CheckAPIHealth asks HealthURL (the API's /readyz) for a 200. Anything else is
// an answer, not an error: the watch leaves the queue interrupted and says why.
func (a *Activities) CheckAPIHealth(ctx context.Context) (APIHealth, error) {
	target := a.deps.Queue.HealthURL
	if target == "" {
		return APIHealth{Detail: "no API_HEALTH_URL to ask"}, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return APIHealth{Detail: fmt.Sprintf("API_HEALTH_URL %q: %v", target, err)}, nil
	}
	resp, err := a.deps.Queue.HTTP.Do(req)
	if err != nil {
		return APIHealth{Detail: fmt.Sprintf("%s did not answer: %v", target, err)}, nil
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return APIHealth{Detail: fmt.Sprintf("%s answered %d", target, resp.StatusCode)}, nil
	}
	return APIHealth{Healthy: true}, nil
}

// ReactivateInput names the interrupted queues to reactivate; Key is the watch
// run's, so a retry records and audits the reactivation once.
type ReactivateInput struct {
	AccountID  string
	WebhookIDs []string
	Key        string
}

// ReactivateWebhookQueues resumes each interrupted queue (PUT
// /v3/webhooks/{id} with interrupted false, as Asaas documents:
// docs.asaas.com/docs/how-to-reactivate-an-interrupted-queue), then records
// it and writes asaas.webhook_queue_reactivated to the audit trail. Reactivating
// a queue that is running already changes nothing at Asaas.
func (a *Activities) ReactivateWebhookQueues(ctx context.Context, in ReactivateInput) error {
	acct, err := uuid.Parse(in.AccountID)
	if err != nil {
		return notFound("account %q", in.AccountID)
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return err
	}
	for _, id := range in.WebhookIDs {
		if _, err := cl.ReactivateWebhook(ctx, id); err != nil {
			return gatewayError(err)
		}
	}
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		_, err := q.RecordWebhookQueueReactivated(ctx, dbgen.RecordWebhookQueueReactivatedParams{AccountID: acct, ReactivationKey: &in.Key})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // this run recorded it before
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "asaas.webhook_queue_reactivated",
			entityType: "webhook_queue", data: map[string]any{"webhook_ids": in.WebhookIDs, "run": in.Key}})
	})
	if err != nil {
		return err
	}
	a.deps.Logger.Info("asaas webhook queue reactivated", "account", in.AccountID, "webhooks", in.WebhookIDs)
	reportQueueHealth(acct.String(), true, false, 0)
	return nil
}

// StartSweepInput creates the queue sweep's reconciliation run; the watch
// workflow chose its id, so a retry finds the run it created.
type StartSweepInput struct {
	AccountID        string
	ReconciliationID string
	WorkflowID       string
	Reason           string // reactivated | due
	// StartAfter: the run starts this much later (a sweep after a
	// reactivation); its started_at says when.
	StartAfter time.Duration `json:",omitempty"`
}

// StartQueueSweep records a queue-sweep reconciliation of the account (running,
// requested by the system) and its reconciliation.started audit event, once.
func (a *Activities) StartQueueSweep(ctx context.Context, in StartSweepInput) error {
	acct, err := uuid.Parse(in.AccountID)
	if err != nil {
		return notFound("account %q", in.AccountID)
	}
	id, err := uuid.Parse(in.ReconciliationID)
	if err != nil {
		return invalidInput("reconciliation id %q is not a UUID", in.ReconciliationID)
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		_, err := q.CreateReconciliation(ctx, dbgen.CreateReconciliationParams{ID: id, AccountID: acct, Source: SourceQueueSweep, WorkflowID: in.WorkflowID,
			StartsInSeconds: in.StartAfter.Seconds()})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // created by an earlier attempt
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "reconciliation.started",
			entityType: "reconciliation", entityID: &id, data: map[string]any{"source": SourceQueueSweep, "reason": in.Reason}})
	})
}

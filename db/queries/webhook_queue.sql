-- The health of each account's Asaas webhook queue (the queue watch,
-- docs/architecture.md "Reconciliation of an account").

-- name: RecordWebhookQueueHealth :exec
-- What the watch read at Asaas; when and by which run it last reactivated a
-- queue is kept.
INSERT INTO webhook_queue_health (account_id, webhook_ids, enabled, interrupted, penalized_requests_count, checked_at)
VALUES (@account_id, @webhook_ids, @enabled, @interrupted, @penalized_requests_count, now())
ON CONFLICT (account_id) DO UPDATE SET
    webhook_ids              = EXCLUDED.webhook_ids,
    enabled                  = EXCLUDED.enabled,
    interrupted              = EXCLUDED.interrupted,
    penalized_requests_count = EXCLUDED.penalized_requests_count,
    checked_at               = EXCLUDED.checked_at;

-- name: RecordWebhookQueueReactivated :one
-- The run (key) reactivated the account's queue: recorded once per run, so a
-- retried activity audits it once. No row: this run had recorded it already.
UPDATE webhook_queue_health
SET interrupted = false, penalized_requests_count = 0, reactivated_at = now(), reactivation_key = @reactivation_key
WHERE account_id = @account_id AND reactivation_key IS DISTINCT FROM @reactivation_key
RETURNING reactivated_at;

-- name: GetWebhookQueueHealth :one
SELECT * FROM webhook_queue_health WHERE account_id = $1;

-- name: LastSweepStartedAt :one
-- The start of the account's latest reconciliation that did not fail (no row: none).
SELECT started_at FROM reconciliations
WHERE account_id = $1 AND status <> 'failed' AND started_at <= now()
ORDER BY started_at DESC LIMIT 1;

-- name: ReconciliationRunning :one
-- Whether a reconciliation of the account started within the hour is still
-- running: a sweep is not started on top of it (an older one still marked
-- running is presumed stuck and no longer holds sweeps back; one waiting to
-- start holds nothing back).
SELECT EXISTS (
    SELECT 1 FROM reconciliations
    WHERE account_id = $1 AND status = 'running' AND started_at > now() - interval '1 hour' AND started_at <= now()
) AS running;

-- name: ListAccountsWithAsaasSettings :many
-- Every account whose queue is watched (the worker ensures their schedules).
SELECT account_id FROM asaas_settings ORDER BY account_id;

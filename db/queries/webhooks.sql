-- Webhook ingestion (package webhooks): the API stores each delivery, signals the
-- contract and, when Temporal did not take the signal, leaves the row to the relay.

-- name: InsertWebhookEvent :one
-- A delivery is stored once per (account, event key); a redelivery gets no row
-- and reads the first one (GetWebhookEventByKey).
INSERT INTO webhook_events (account_id, event_key, asaas_event_id, event_type, payment_id, contract_id,
                            status, reason, raw, relay_at, processed_at)
VALUES (@account_id, @event_key, @asaas_event_id, @event_type, @payment_id, @contract_id,
        @status, @reason, @raw, @relay_at, CASE WHEN @status::text = 'received' THEN NULL ELSE now() END)
ON CONFLICT (account_id, event_key) DO NOTHING
RETURNING id;

-- name: GetWebhookEventByKey :one
-- queued: undecided and due to the relay (Temporal did not take it before).
SELECT id, status, (status = 'received' AND relay_at IS NOT NULL AND relay_at <= now())::bool AS queued
FROM webhook_events WHERE account_id = $1 AND event_key = $2;

-- name: RelayWebhookEventSoon :execrows
-- Temporal did not take the signal: the relay sends it (this write is what makes
-- the 200 safe, so it is committed before the answer).
UPDATE webhook_events SET relay_at = now()
WHERE account_id = @account_id AND event_key = @event_key AND status = 'received';

-- name: ClaimWebhookEventsToRelay :many
-- Rows still undecided past their relay time, oldest first; each claim pushes the
-- next attempt out (5 s, 10 s, 20 s ... capped at an hour), so a contract that is
-- slow to decide is not flooded and concurrent relays never take the same row.
UPDATE webhook_events e
SET relay_at = now() + make_interval(secs => least(3600, 5 * power(2, least(e.relay_attempts, 10)))),
    relay_attempts = e.relay_attempts + 1
FROM accounts a
WHERE a.id = e.account_id
  AND e.id IN (SELECT id FROM webhook_events
               WHERE status = 'received' AND relay_at <= now()
               ORDER BY relay_at
               LIMIT @batch
               FOR UPDATE SKIP LOCKED)
RETURNING e.id, e.account_id, e.event_key, e.raw, a.billing_enabled;

-- name: SetWebhookEventOutcome :execrows
-- The outcome is written once: a late retry of an activity cannot overwrite it.
UPDATE webhook_events SET status = @status, reason = @reason, processed_at = now(), relay_at = NULL
WHERE account_id = @account_id AND event_key = @event_key AND status = 'received';

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

-- name: StoreWebhookDelivery :one
-- The handler's one statement per delivery: the webhook secret is checked again
-- (a secret rotated since the handler looked it up stops working at once), the
-- account's billing module decides whether the event is only recorded, and the
-- delivery is stored once per (account, event key). stored_status is '' for a
-- redelivery (or an unauthorized one).
WITH auth AS (
    SELECT a.billing_enabled FROM accounts a JOIN asaas_settings s ON s.account_id = a.id
    WHERE a.id = @account_id AND s.webhook_secret_hash = @secret_hash
), ins AS (
    INSERT INTO webhook_events (account_id, event_key, asaas_event_id, event_type, payment_id, contract_id,
                                status, reason, raw, relay_at, processed_at)
    SELECT @account_id, @event_key, @asaas_event_id, @event_type, @payment_id,
           CASE WHEN auth.billing_enabled THEN sqlc.narg(contract_id)::uuid END,
           CASE WHEN auth.billing_enabled OR @status::text = 'rejected' THEN @status::text ELSE 'ignored' END,
           CASE WHEN auth.billing_enabled OR @status::text = 'rejected' THEN sqlc.narg(reason)::text
                ELSE 'the billing module is disabled for this account' END,
           @raw,
           CASE WHEN auth.billing_enabled THEN sqlc.narg(relay_at)::timestamptz END,
           CASE WHEN auth.billing_enabled AND @status::text = 'received' THEN NULL ELSE now() END
    FROM auth
    ON CONFLICT (account_id, event_key) DO NOTHING
    RETURNING status, reason
)
SELECT EXISTS (SELECT 1 FROM auth) AS authorized,
       coalesce((SELECT billing_enabled FROM auth), false)::bool AS billing_enabled,
       coalesce((SELECT status FROM ins), '')::text AS stored_status,
       coalesce((SELECT reason FROM ins), '')::text AS stored_reason;

-- name: GetWebhookEventByKey :one
-- queued: undecided and due to the relay (Temporal did not take it before).
SELECT id, status, (status = 'received' AND relay_at IS NOT NULL AND relay_at <= now())::bool AS queued
FROM webhook_events WHERE account_id = $1 AND event_key = $2;

-- name: RelayWebhookEventSoon :execrows
-- Temporal did not take the signal: the relay sends it at its next turn.
UPDATE webhook_events SET relay_at = now()
WHERE account_id = @account_id AND event_key = @event_key AND status = 'received';

-- name: ClaimWebhookEventsToRelay :many
-- Rows still undecided past their relay time, oldest first; each claim pushes the
-- next attempt out (30 s, 1 min, 2 min ... capped at an hour), so a contract that
-- is slow to decide is not flooded and concurrent relays never take the same row.
UPDATE webhook_events e
SET relay_at = now() + make_interval(secs => least(3600, 30 * power(2, least(e.relay_attempts, 7)))),
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

-- name: DecideWebhookEvent :many
-- SetWebhookEventOutcome for the contract's decision, with when the delivery
-- arrived (the event-to-applied lag); no row when it was decided before.
UPDATE webhook_events SET status = @status, reason = @reason, processed_at = now(), relay_at = NULL
WHERE account_id = @account_id AND event_key = @event_key AND status = 'received'
RETURNING received_at;

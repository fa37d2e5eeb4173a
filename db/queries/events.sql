-- The API's reads of what the workflows recorded (Asaas webhook deliveries, the bill
-- tracker) and the payment links it creates. Lists are newest first, keyset-paginated.

-- name: ListWebhookEvents :many
SELECT * FROM webhook_events
WHERE account_id = @account_id
  AND (sqlc.narg(event_type)::text IS NULL OR event_type = sqlc.narg(event_type)::text)
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(after_received_at)::timestamptz IS NULL
       OR (received_at, id) < (sqlc.narg(after_received_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY received_at DESC, id DESC
LIMIT @row_limit;

-- name: GetWebhookEvent :one
SELECT * FROM webhook_events WHERE account_id = $1 AND id = $2;

-- name: ListBills :many
SELECT * FROM bills
WHERE account_id = @account_id
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: GetBill :one
SELECT * FROM bills WHERE account_id = $1 AND id = $2;

-- name: ListBillStatusHistory :many
-- The bill's timeline in the order Asaas sent it: by the event's dateCreated, then
-- by arrival (also within one second; an event without a date last).
SELECT * FROM bill_status_history
WHERE account_id = $1 AND bill_id = $2
ORDER BY event_created_at NULLS LAST, arrival;

-- name: InsertPaymentLink :one
INSERT INTO payment_links (account_id, asaas_payment_link_id, url, name, description, value, billing_type,
                           charge_type, max_installment_count, subscription_cycle, due_date_limit_days,
                           external_reference, contract_id, installment_number, created_by)
VALUES (@account_id, @asaas_payment_link_id, @url, @name, @description, @value, @billing_type,
        @charge_type, @max_installment_count, @subscription_cycle, @due_date_limit_days,
        @external_reference, @contract_id, @installment_number, @created_by)
RETURNING *;

-- name: GetPaymentLink :one
SELECT * FROM payment_links WHERE account_id = $1 AND id = $2;

-- name: ListPaymentLinks :many
SELECT * FROM payment_links
WHERE account_id = @account_id
  AND (sqlc.narg(contract_id)::uuid IS NULL OR contract_id = sqlc.narg(contract_id)::uuid)
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: ReleaseIdempotencyClaim :execrows
-- Frees a key claimed by a request whose effect happens outside our transaction (a
-- call to Asaas) when that request failed: a retry with the key may then run again.
-- A key that already holds an answer is never released.
DELETE FROM idempotency_keys
WHERE account_id = @account_id AND key = @key AND response_status IS NULL;

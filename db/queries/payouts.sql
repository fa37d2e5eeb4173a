-- name: LockSplitEntries :many
-- The entries a payout is about to pay, locked so two payouts cannot take the same one.
SELECT * FROM split_entries
WHERE account_id = @account_id AND id = ANY(@ids::uuid[])
ORDER BY id
FOR UPDATE;

-- name: CreatePayout :one
INSERT INTO payouts (account_id, payee_id, paid_on, method, reference, amount, recorded_by)
VALUES (@account_id, @payee_id, @paid_on, @method, @reference, @amount, @recorded_by)
RETURNING *;

-- name: PayPendingEntries :execrows
UPDATE split_entries SET status = 'paid', payout_id = @payout_id, updated_at = now()
WHERE account_id = @account_id AND id = ANY(@ids::uuid[]) AND payee_id = @payee_id
  AND status = 'pending' AND payout_id IS NULL;

-- name: GetPayout :one
SELECT * FROM payouts WHERE account_id = $1 AND id = $2;

-- name: ListPayouts :many
-- Newest first, keyset-paginated; paid_from/paid_to filter on paid_on (inclusive).
SELECT * FROM payouts
WHERE account_id = @account_id
  AND (sqlc.narg(payee_id)::uuid IS NULL OR payee_id = sqlc.narg(payee_id)::uuid)
  AND (sqlc.narg(paid_from)::date IS NULL OR paid_on >= sqlc.narg(paid_from)::date)
  AND (sqlc.narg(paid_to)::date IS NULL OR paid_on <= sqlc.narg(paid_to)::date)
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: ListPayoutEntries :many
-- With the installment each entry's payment paid: a payout lists what it paid for.
SELECT sqlc.embed(e), i.number AS installment_number FROM split_entries e
JOIN payments pm ON pm.account_id = e.account_id AND pm.id = e.payment_id
JOIN installments i ON i.account_id = pm.account_id AND i.id = pm.installment_id
WHERE e.account_id = @account_id AND e.payout_id = ANY(@payout_ids::uuid[])
ORDER BY e.occurred_on, e.created_at, e.id;

-- name: PayoutReportEntries :many
-- Split entries of a period (occurred_on, inclusive), grouped by payee (entries with
-- no payee, the gateway fee and the account's own share, come last).
SELECT e.id, e.payment_id, e.contract_id, e.payee_id, e.rule_position, e.kind, e.amount, e.status,
       e.reverses_entry_id, e.payout_id, e.occurred_on,
       i.number AS installment_number,
       p.name AS payee_name
FROM split_entries e
JOIN payments pm ON pm.account_id = e.account_id AND pm.id = e.payment_id
JOIN installments i ON i.account_id = pm.account_id AND i.id = pm.installment_id
LEFT JOIN payees p ON p.account_id = e.account_id AND p.id = e.payee_id
WHERE e.account_id = @account_id
  AND (sqlc.narg(payee_id)::uuid IS NULL OR e.payee_id = sqlc.narg(payee_id)::uuid)
  AND (sqlc.narg(status)::text IS NULL OR e.status = sqlc.narg(status)::text)
  AND (sqlc.narg(date_from)::date IS NULL OR e.occurred_on >= sqlc.narg(date_from)::date)
  AND (sqlc.narg(date_to)::date IS NULL OR e.occurred_on <= sqlc.narg(date_to)::date)
ORDER BY p.name NULLS LAST, e.payee_id NULLS LAST, e.occurred_on, e.created_at, e.id
LIMIT @row_limit;

-- name: GetPayoutForUpdate :one
SELECT * FROM payouts WHERE account_id = $1 AND id = $2 FOR UPDATE;

-- name: VoidPayout :one
UPDATE payouts SET voided_at = now(), voided_by = @voided_by, void_reason = @void_reason
WHERE account_id = @account_id AND id = @id AND voided_at IS NULL
RETURNING *;

-- name: ReopenPayoutEntries :many
-- A voided payout's entries: remembered as its own, then pending again with no payout.
WITH paid AS (
    INSERT INTO voided_payout_entries (account_id, payout_id, entry_id)
    SELECT s.account_id, s.payout_id, s.id FROM split_entries s
    WHERE s.account_id = @account_id AND s.payout_id = @payout_id::uuid
    RETURNING entry_id
)
UPDATE split_entries e SET status = 'pending', payout_id = NULL, updated_at = now()
FROM paid
WHERE e.account_id = @account_id AND e.id = paid.entry_id
RETURNING e.*;

-- name: SettleReversedPairs :execrows
-- An entry a void made pending again whose payment was refunded meanwhile, and its
-- reversal still waiting to be clawed back, owe nothing either way: both become
-- reversed, as when a payment is refunded before its entries are paid out.
UPDATE split_entries e SET status = 'reversed', updated_at = now()
FROM split_entries r
WHERE r.account_id = @account_id AND r.reverses_entry_id = ANY(@entry_ids::uuid[])
  AND r.status = 'pending' AND r.payout_id IS NULL
  AND e.account_id = r.account_id AND e.id IN (r.id, r.reverses_entry_id);

-- name: ListVoidedPayoutEntries :many
-- The entries voided payouts had paid, as they are now.
SELECT v.payout_id AS voided_payout_id, sqlc.embed(e), i.number AS installment_number FROM voided_payout_entries v
JOIN split_entries e ON e.account_id = v.account_id AND e.id = v.entry_id
JOIN payments pm ON pm.account_id = e.account_id AND pm.id = e.payment_id
JOIN installments i ON i.account_id = pm.account_id AND i.id = pm.installment_id
WHERE v.account_id = @account_id AND v.payout_id = ANY(@payout_ids::uuid[])
ORDER BY e.occurred_on, e.created_at, e.id;

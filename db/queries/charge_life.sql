-- Queries of the charge's life after issue (db/schema/00014_charge_life.sql): an
-- installment's value and due date changed, its charge re-issued, a payment held,
-- refunded in part or undone, a split that did not go through at Asaas, and the
-- notes (free text) of contract actions. Writes are guarded by the state they
-- change from, so an activity retried after it committed changes nothing.

-- name: GetInstallmentForUpdate :one
SELECT * FROM installments WHERE account_id = $1 AND contract_id = $2 AND number = $3 FOR UPDATE;

-- name: ChangeInstallmentTerms :one
-- A payable installment's value and due date (and open/overdue status) change; its
-- contract's total follows.
UPDATE installments SET value = @value, due_date = @due_date,
    status = CASE WHEN status IN ('open', 'overdue') THEN @status ELSE status END, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status IN ('scheduled', 'open', 'overdue')
RETURNING *;

-- name: SyncContractTotal :exec
UPDATE contracts SET total_amount = (
    SELECT sum(i.value) FROM installments i WHERE i.account_id = @account_id AND i.contract_id = @id
), updated_at = now()
WHERE account_id = @account_id AND id = @id;

-- name: SetChargeTerms :execrows
UPDATE charges SET value = @value, due_date = @due_date, status = COALESCE(NULLIF(@status::text, ''), status),
    net_value = COALESCE(sqlc.narg(net_value), net_value), updated_at = now()
WHERE account_id = @account_id AND asaas_payment_id = @asaas_payment_id;

-- name: PrepareReissue :execrows
-- A payable installment whose charge is about to be re-issued: its old charge (if
-- any) is superseded and the installment waits for the new one (scheduled, as
-- before its first charge), with the new value and due date.
UPDATE installments SET value = @value, due_date = @due_date, status = 'scheduled', updated_at = now()
WHERE account_id = @account_id AND id = @id AND status IN ('scheduled', 'open', 'overdue');

-- name: SupersedeCharges :execrows
UPDATE charges SET superseded_at = now(), updated_at = now()
WHERE account_id = @account_id AND installment_id = @installment_id AND superseded_at IS NULL
  AND asaas_payment_id <> @keep_asaas_payment_id;

-- name: GetPaymentForUpdate :one
SELECT * FROM payments WHERE account_id = $1 AND installment_id = $2 AND status <> 'undone' FOR UPDATE;

-- name: SetPaymentHold :execrows
UPDATE payments SET hold = sqlc.narg(hold), updated_at = now()
WHERE account_id = @account_id AND id = @id AND hold IS DISTINCT FROM sqlc.narg(hold);

-- name: HoldPaymentEntries :many
-- Entries that could still go to a payee are held: payouts take only 'pending'.
UPDATE split_entries SET held_from = status, status = 'disputed', updated_at = now()
WHERE account_id = @account_id AND payment_id = @payment_id AND status IN ('pending', 'sent_to_gateway', 'retained')
RETURNING id, amount, held_from;

-- name: ReleasePaymentEntries :many
UPDATE split_entries SET status = held_from, held_from = NULL, updated_at = now()
WHERE account_id = @account_id AND payment_id = @payment_id AND status = 'disputed'
RETURNING id, amount, status;

-- name: InsertReversalEntry :one
INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id, rule_position, kind, amount, status,
                           held_from, reverses_entry_id, refunded_to, occurred_on)
VALUES (@account_id, @payment_id, @contract_id, @payee_id, @rule_position, @kind, @amount, @status,
        sqlc.narg(held_from), @reverses_entry_id, sqlc.narg(refunded_to), @occurred_on)
ON CONFLICT DO NOTHING
RETURNING *;

-- name: SetEntryStatusAny :execrows
-- Voids an entry not paid out yet (a whole refund): from any of the given statuses.
UPDATE split_entries SET status = @status, held_from = NULL, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = ANY(@from_statuses::text[]);

-- name: SetPaymentRefunded :execrows
UPDATE payments SET refunded_amount = @refunded_amount,
    status = CASE WHEN @whole::bool THEN 'refunded' ELSE status END,
    hold = CASE WHEN @whole::bool THEN NULL ELSE hold END, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status <> 'undone' AND refunded_amount < @refunded_amount;

-- name: UndoPayment :execrows
UPDATE payments SET status = 'undone', hold = NULL, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status IN ('confirmed', 'received');

-- name: ReopenInstallment :execrows
UPDATE installments SET status = @status, paid_at = NULL, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'paid';

-- name: SetEntryPendingFromGateway :execrows
-- A split Asaas did not pay (cancelled, refused, blocked): the entry becomes a
-- manual payout. Held entries that came from the gateway are moved the same way.
UPDATE split_entries SET
    status = CASE WHEN status = 'disputed' THEN 'disputed' ELSE 'pending' END,
    held_from = CASE WHEN status = 'disputed' THEN 'pending' ELSE held_from END,
    updated_at = now()
WHERE account_id = @account_id AND id = @id
  AND (status = 'sent_to_gateway' OR (status = 'disputed' AND held_from = 'sent_to_gateway'));

-- name: InsertContractNote :exec
-- The id is chosen by the caller (from the action's update ID): a retried request
-- stores its note once.
INSERT INTO contract_notes (id, account_id, contract_id, kind, body, created_by)
VALUES (@id, @account_id, @contract_id, @kind, @body, @created_by)
ON CONFLICT (id) DO NOTHING;

-- name: GetContractNote :one
SELECT * FROM contract_notes WHERE account_id = $1 AND contract_id = $2 AND id = $3;

-- name: ReopenCompletedContract :execrows
-- A completed contract with an installment owed again (a cash receipt undone).
UPDATE contracts SET status = 'active', completed_at = NULL, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'completed';

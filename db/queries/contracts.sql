-- name: CreateContract :one
INSERT INTO contracts (account_id, client_id, template_id, description, billing_type, total_amount,
                       installment_count, interval_months, first_due_date, created_by)
VALUES (@account_id, @client_id, @template_id, @description, @billing_type, @total_amount,
        @installment_count, @interval_months, @first_due_date, @created_by)
RETURNING *;

-- name: GetContract :one
SELECT * FROM contracts WHERE account_id = $1 AND id = $2;

-- name: GetContractForUpdate :one
SELECT * FROM contracts WHERE account_id = $1 AND id = $2 FOR UPDATE;

-- name: ListContracts :many
-- Newest first, keyset-paginated. due_from/due_to keep contracts with at least one
-- installment due in that range (inclusive).
SELECT c.* FROM contracts c
WHERE c.account_id = @account_id
  AND (sqlc.narg(status)::text IS NULL OR c.status = sqlc.narg(status)::text)
  AND (sqlc.narg(client_id)::uuid IS NULL OR c.client_id = sqlc.narg(client_id)::uuid)
  AND ((sqlc.narg(due_from)::date IS NULL AND sqlc.narg(due_to)::date IS NULL) OR EXISTS (
        SELECT 1 FROM installments i
        WHERE i.account_id = c.account_id AND i.contract_id = c.id
          AND (sqlc.narg(due_from)::date IS NULL OR i.due_date >= sqlc.narg(due_from)::date)
          AND (sqlc.narg(due_to)::date IS NULL OR i.due_date <= sqlc.narg(due_to)::date)))
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (c.created_at, c.id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY c.created_at DESC, c.id DESC
LIMIT @row_limit;

-- name: UpdateDraftContract :one
UPDATE contracts SET
    description = @description, billing_type = @billing_type, total_amount = @total_amount,
    installment_count = @installment_count, interval_months = @interval_months,
    first_due_date = @first_due_date, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'draft'
RETURNING *;

-- name: InsertInstallment :exec
INSERT INTO installments (account_id, contract_id, number, value, due_date)
VALUES (@account_id, @contract_id, @number, @value, @due_date);

-- name: DeleteDraftInstallments :exec
-- Only a draft's schedule is ever replaced; nothing references its installments yet.
DELETE FROM installments i
USING contracts c
WHERE i.account_id = @account_id AND i.contract_id = @contract_id
  AND c.account_id = i.account_id AND c.id = i.contract_id AND c.status = 'draft';

-- name: ListInstallments :many
SELECT * FROM installments WHERE account_id = $1 AND contract_id = $2 ORDER BY number;

-- name: InsertContractSplitRule :exec
INSERT INTO contract_split_rules (account_id, contract_id, position, kind, payee_id, percent, amount, via_gateway)
VALUES (@account_id, @contract_id, @position, @kind, @payee_id, @percent, @amount, @via_gateway);

-- name: DeleteContractSplitRules :exec
DELETE FROM contract_split_rules WHERE account_id = $1 AND contract_id = $2;

-- name: ListContractSplitRules :many
SELECT * FROM contract_split_rules WHERE account_id = $1 AND contract_id = $2 ORDER BY position;

-- name: ListContractCharges :many
SELECT * FROM charges WHERE account_id = $1 AND contract_id = $2;

-- name: ListContractPayments :many
SELECT * FROM payments WHERE account_id = $1 AND contract_id = $2;

-- name: ListContractSplitEntries :many
SELECT * FROM split_entries WHERE account_id = $1 AND contract_id = $2
ORDER BY created_at, rule_position NULLS LAST, id;

-- name: SetDraftContractChargeTerms :one
-- Only a draft's terms change: every charge of an active contract was issued with them.
UPDATE contracts SET
    fine_percent = @fine_percent, interest_percent = @interest_percent, discount_kind = @discount_kind,
    discount_amount = @discount_amount, discount_percent = @discount_percent,
    discount_days_before_due = @discount_days_before_due, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'draft'
RETURNING *;

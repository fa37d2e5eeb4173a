-- name: GetChargeInstruction :one
SELECT * FROM charge_payment_instructions WHERE account_id = $1 AND charge_id = $2 AND part = $3;

-- name: ListContractChargeInstructions :many
SELECT i.* FROM charge_payment_instructions i
JOIN charges c ON c.account_id = i.account_id AND c.id = i.charge_id
WHERE i.account_id = @account_id AND c.contract_id = @contract_id;

-- name: UpsertChargeInstruction :exec
INSERT INTO charge_payment_instructions (account_id, charge_id, part, value, due_date, data)
VALUES (@account_id, @charge_id, @part, @value, @due_date, @data)
ON CONFLICT (account_id, charge_id, part) DO UPDATE
SET value = excluded.value, due_date = excluded.due_date, data = excluded.data, fetched_at = now();

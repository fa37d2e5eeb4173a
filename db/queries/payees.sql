-- name: CreatePayee :one
INSERT INTO payees (account_id, name, person_type, cpf_cnpj, asaas_wallet_id, pix_key, pix_key_type,
                    bank_code, agency, account, account_digit, account_type)
VALUES (@account_id, @name, @person_type, @cpf_cnpj, @asaas_wallet_id, @pix_key, @pix_key_type,
        @bank_code, @agency, @account, @account_digit, @account_type)
RETURNING *;

-- name: GetPayee :one
SELECT * FROM payees WHERE account_id = $1 AND id = $2;

-- name: GetPayeeForUpdate :one
SELECT * FROM payees WHERE account_id = $1 AND id = $2 FOR UPDATE;

-- name: ListPayeesByIDs :many
SELECT * FROM payees WHERE account_id = @account_id AND id = ANY(@ids::uuid[]);

-- name: ListPayees :many
-- Same filters and order as ListClients.
SELECT * FROM payees
WHERE account_id = @account_id
  AND (sqlc.narg(search)::text IS NULL
       OR strpos(lower(name), lower(sqlc.narg(search)::text)) > 0
       OR cpf_cnpj = sqlc.narg(search)::text)
  AND CASE @archived::text WHEN 'all' THEN true WHEN 'true' THEN archived_at IS NOT NULL ELSE archived_at IS NULL END
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: UpdatePayee :one
UPDATE payees SET
    name = @name, person_type = @person_type, cpf_cnpj = @cpf_cnpj, asaas_wallet_id = @asaas_wallet_id,
    pix_key = @pix_key, pix_key_type = @pix_key_type, bank_code = @bank_code, agency = @agency,
    account = @account, account_digit = @account_digit, account_type = @account_type, updated_at = now()
WHERE account_id = @account_id AND id = @id
RETURNING *;

-- name: DeletePayee :execrows
DELETE FROM payees WHERE account_id = $1 AND id = $2;

-- name: ArchivePayee :one
UPDATE payees SET archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE account_id = $1 AND id = $2
RETURNING *;

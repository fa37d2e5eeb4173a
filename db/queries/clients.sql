-- name: CreateClient :one
INSERT INTO clients (account_id, name, cpf_cnpj, email, phone)
VALUES (@account_id, @name, @cpf_cnpj, @email, @phone)
RETURNING *;

-- name: GetClient :one
SELECT * FROM clients WHERE account_id = $1 AND id = $2;

-- name: GetClientForUpdate :one
SELECT * FROM clients WHERE account_id = $1 AND id = $2 FOR UPDATE;

-- name: ListClients :many
-- Newest first, keyset-paginated on (created_at, id). archived: 'false' (default),
-- 'true' (archived only) or 'all'. search matches the name (case-insensitive) or the
-- exact CPF/CNPJ digits.
SELECT * FROM clients
WHERE account_id = @account_id
  AND (sqlc.narg(search)::text IS NULL
       OR strpos(lower(name), lower(sqlc.narg(search)::text)) > 0
       OR cpf_cnpj = sqlc.narg(search)::text)
  AND CASE @archived::text WHEN 'all' THEN true WHEN 'true' THEN archived_at IS NOT NULL ELSE archived_at IS NULL END
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: UpdateClient :one
UPDATE clients SET name = @name, cpf_cnpj = @cpf_cnpj, email = @email, phone = @phone, updated_at = now()
WHERE account_id = @account_id AND id = @id
RETURNING *;

-- name: DeleteClient :execrows
DELETE FROM clients WHERE account_id = $1 AND id = $2;

-- name: ArchiveClient :one
UPDATE clients SET archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE account_id = $1 AND id = $2
RETURNING *;

-- name: ListUsers :many
-- An account's users, newest first, keyset-paginated (GET /v1/users).
SELECT * FROM users
WHERE account_id = @account_id
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

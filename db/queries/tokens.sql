-- name: ListAPITokens :many
-- API tokens as people see them: never the hash (the token itself is never stored).
-- Newest first, keyset-paginated on (created_at, id).
SELECT t.id, t.user_id, u.email AS user_email, t.name, t.created_at, t.expires_at, t.revoked_at
FROM api_tokens t
JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
WHERE t.account_id = @account_id
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (t.created_at, t.id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY t.created_at DESC, t.id DESC
LIMIT @row_limit;

-- name: GetAPIToken :one
SELECT t.id, t.user_id, u.email AS user_email, t.name, t.created_at, t.expires_at, t.revoked_at
FROM api_tokens t
JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
WHERE t.account_id = @account_id AND t.id = @id;

-- name: RevokeAPIToken :one
-- Revokes a token of the account; revoked_at keeps the first revocation's time.
-- was_active says whether this call revoked it.
UPDATE api_tokens t SET revoked_at = coalesce(t.revoked_at, now())
FROM api_tokens old
WHERE t.account_id = @account_id AND t.id = @id AND old.id = t.id
RETURNING t.id, (old.revoked_at IS NULL)::boolean AS was_active;

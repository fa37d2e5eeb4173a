-- name: CreateConsoleSession :one
INSERT INTO console_sessions (id_hash, account_id, user_id, token_id, csrf_token, expires_at)
VALUES (@id_hash, @account_id, @user_id, @token_id, @csrf_token, @expires_at)
RETURNING *;

-- name: GetConsoleSession :one
-- A live session with what the console needs to call the API as its user: the hash
-- of the session's API token (the API checks it is still valid on every call) and
-- who the user is.
SELECT s.id_hash, s.account_id, s.user_id, s.token_id, s.csrf_token, s.expires_at,
       t.token_hash, u.email AS user_email, a.name AS account_name
FROM console_sessions s
JOIN api_tokens t ON t.id = s.token_id
JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
JOIN accounts a ON a.id = s.account_id
WHERE s.id_hash = @id_hash AND s.expires_at > now();

-- name: DeleteConsoleSession :exec
DELETE FROM console_sessions WHERE id_hash = @id_hash;

-- name: DeleteExpiredConsoleSessions :execrows
DELETE FROM console_sessions WHERE expires_at <= now();

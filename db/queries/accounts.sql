-- name: CreateAccount :one
INSERT INTO accounts (name, billing_enabled) VALUES ($1, $2) RETURNING *;

-- name: GetAccount :one
SELECT * FROM accounts WHERE id = $1;

-- name: GetAccountByName :one
SELECT * FROM accounts WHERE name = $1 ORDER BY created_at LIMIT 1;

-- name: SetAccountBillingEnabled :one
UPDATE accounts SET billing_enabled = $2 WHERE id = $1 RETURNING *;

-- name: CreateUser :one
INSERT INTO users (account_id, email, name) VALUES ($1, $2, $3) RETURNING *;

-- name: GetUserByEmail :one
SELECT * FROM users WHERE account_id = $1 AND email = $2;

-- name: CreateAPIToken :one
INSERT INTO api_tokens (account_id, user_id, name, token_hash, expires_at)
VALUES (@account_id, @user_id, @name, @token_hash, sqlc.narg(expires_at)) RETURNING *;

-- name: AuthenticateToken :one
-- The caller of one API request: token, user and account in one round trip.
SELECT t.id AS token_id, u.id AS user_id, u.email AS user_email, a.id AS account_id, a.billing_enabled
FROM api_tokens t
JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
JOIN accounts a ON a.id = t.account_id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now());

-- name: GetAccountForUpdate :one
SELECT * FROM accounts WHERE id = $1 FOR UPDATE;

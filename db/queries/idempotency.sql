-- name: ClaimIdempotencyKey :one
-- Claims the key inside the request's transaction. A concurrent request with the same
-- key waits here until the first one commits (then gets no row and replays its stored
-- answer) or rolls back (then claims the key itself).
INSERT INTO idempotency_keys (account_id, key, method, path, request_hash)
VALUES (@account_id, @key, @method, @path, @request_hash)
ON CONFLICT (account_id, key) DO NOTHING
RETURNING key;

-- name: GetIdempotencyKey :one
SELECT * FROM idempotency_keys WHERE account_id = $1 AND key = $2;

-- name: SaveIdempotencyResponse :exec
UPDATE idempotency_keys SET response_status = @response_status, response_body = @response_body
WHERE account_id = @account_id AND key = @key;

-- name: StoreIdempotencyResponse :exec
-- For requests whose effect happens outside our transaction (contract actions run by
-- the workflow, which dedupes by the same key): store the answer after the fact.
INSERT INTO idempotency_keys (account_id, key, method, path, request_hash, response_status, response_body)
VALUES (@account_id, @key, @method, @path, @request_hash, @response_status, @response_body)
ON CONFLICT (account_id, key) DO NOTHING;

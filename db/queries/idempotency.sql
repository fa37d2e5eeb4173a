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

-- name: TakeOverIdempotencyClaim :one
-- A claim without an answer older than the lease belongs to a request that died
-- (a crashed process never releases it): the same request, retried, takes it over.
UPDATE idempotency_keys SET claimed_at = now()
WHERE account_id = @account_id AND key = @key AND response_status IS NULL
  AND method = @method AND path = @path AND request_hash = @request_hash
  AND claimed_at < now() - make_interval(secs => @lease_seconds::float8)
RETURNING key;

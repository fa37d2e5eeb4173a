-- name: InsertAuditEvent :exec
INSERT INTO audit_events (account_id, actor_type, actor_id, action, entity_type, entity_id, contract_id, data)
VALUES (@account_id, @actor_type, @actor_id, @action, @entity_type, @entity_id, @contract_id, @data);

-- name: InsertAuditEvents :exec
-- Audit rows of one actor about one entity in one statement, in the order given
-- (actions[i] with data[i]). created_at is each row's clock_timestamp(), as one
-- InsertAuditEvent per row would have it, plus a microsecond per row before it,
-- so the rows keep their order when listed (created_at, id).
INSERT INTO audit_events (account_id, actor_type, actor_id, action, entity_type, entity_id, contract_id, data, created_at)
SELECT @account_id::uuid, @actor_type::text, sqlc.narg(actor_id)::uuid, (@actions::text[])[n], @entity_type::text,
       sqlc.narg(entity_id)::uuid, sqlc.narg(contract_id)::uuid, (@data::jsonb[])[n],
       clock_timestamp() + (n - 1) * interval '1 microsecond'
FROM generate_subscripts(@actions::text[], 1) AS n
ORDER BY n;

-- name: ListAuditEvents :many
-- Newest first, keyset-paginated on (created_at, id).
SELECT * FROM audit_events
WHERE account_id = @account_id
  AND (sqlc.narg(contract_id)::uuid IS NULL OR contract_id = sqlc.narg(contract_id)::uuid)
  AND (sqlc.narg(entity_type)::text IS NULL OR entity_type = sqlc.narg(entity_type)::text)
  AND (sqlc.narg(action)::text IS NULL OR action = sqlc.narg(action)::text)
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: AuditWrittenByActivity :one
-- Whether an activity (data->>'activity': its workflow run and activity id, the
-- same on every retry) already wrote this action on the contract: a retry after
-- its transaction committed writes nothing twice.
SELECT EXISTS (
    SELECT 1 FROM audit_events
    WHERE account_id = @account_id AND contract_id = @contract_id AND action = @action AND data->>'activity' = @activity::text
) AS written;

-- +goose Up
-- API tokens may expire (an expired token authenticates nobody, like a revoked one).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expires_after_creation CHECK (expires_at IS NULL OR expires_at > created_at);
CREATE INDEX api_tokens_list_idx ON api_tokens (account_id, created_at DESC, id DESC);

-- Operators act through the CLI (billing accounts enable-billing, billing tokens ...):
-- they are audited as such, with no user of the account behind them.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
    CHECK (actor_type IN ('user', 'system', 'asaas', 'operator'));

-- +goose Down
DELETE FROM audit_events WHERE actor_type = 'operator';
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
    CHECK (actor_type IN ('user', 'system', 'asaas'));
DROP INDEX api_tokens_list_idx;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_expires_after_creation;
ALTER TABLE api_tokens DROP COLUMN expires_at;

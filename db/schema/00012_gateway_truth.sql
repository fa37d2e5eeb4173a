-- +goose Up
-- Gateway truth (docs/architecture.md, "Gateway truth" and "Each contract reconciles itself"): a
-- payment the contract found by asking Asaas itself (no webhook told it) has
-- origin 'reconciled'.
ALTER TABLE payments DROP CONSTRAINT payments_origin_check;
ALTER TABLE payments ADD CONSTRAINT payments_origin_check CHECK (origin IN ('gateway', 'manual', 'reconciled'));

-- +goose Down
ALTER TABLE payments DROP CONSTRAINT payments_origin_check;
ALTER TABLE payments ADD CONSTRAINT payments_origin_check CHECK (origin IN ('gateway', 'manual'));

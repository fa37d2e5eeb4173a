-- +goose Up
-- A charge marked "received in cash" in the Asaas panel reaches us as a webhook: a
-- manual payment that no user of ours recorded. Manual payments therefore may have
-- no recorded_by; gateway payments still never have one.
-- +goose StatementBegin
DO $$
DECLARE c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
    WHERE conrelid = 'payments'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%recorded_by IS NOT NULL%';
    IF c IS NOT NULL THEN
        EXECUTE format('ALTER TABLE payments DROP CONSTRAINT %I', c);
    END IF;
END $$;
-- +goose StatementEnd
ALTER TABLE payments ADD CONSTRAINT payments_recorded_by_manual CHECK (origin = 'manual' OR recorded_by IS NULL);

-- The contract workflow looks installments up by number and charges by Asaas id.
CREATE INDEX charges_asaas_idx ON charges (account_id, asaas_payment_id);

-- +goose Down
DROP INDEX charges_asaas_idx;
ALTER TABLE payments DROP CONSTRAINT payments_recorded_by_manual;
ALTER TABLE payments ADD CHECK (origin = 'gateway' OR recorded_by IS NOT NULL);

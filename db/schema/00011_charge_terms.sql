-- +goose Up
-- Charge terms (domain.ChargeTerms): what every charge of a contract asks of a late
-- payer and offers an early one, sent to Asaas with each charge. Templates carry
-- them too; "generate contract" copies them, and a draft's can be edited.
--   fine_percent:             % of the installment's value, once, when paid late;
--   interest_percent:         % of the value per month late, pro rata per day;
--   discount_kind/_amount/_percent: an amount or a % off the value when paid on or
--                             before the due date minus discount_days_before_due.
-- 0 and NULL mean none; the API's limits are repeated here as the last line of defence.
ALTER TABLE templates
    ADD COLUMN fine_percent numeric(4,2) NOT NULL DEFAULT 0 CHECK (fine_percent BETWEEN 0 AND 10),
    ADD COLUMN interest_percent numeric(4,2) NOT NULL DEFAULT 0 CHECK (interest_percent BETWEEN 0 AND 10),
    ADD COLUMN discount_kind text CHECK (discount_kind IN ('fixed', 'percentage')),
    ADD COLUMN discount_amount numeric(14,2) CHECK (discount_amount > 0),
    ADD COLUMN discount_percent numeric(4,2) CHECK (discount_percent > 0 AND discount_percent < 100),
    ADD COLUMN discount_days_before_due int NOT NULL DEFAULT 0 CHECK (discount_days_before_due BETWEEN 0 AND 365),
    ADD CONSTRAINT templates_discount_amount CHECK ((discount_kind = 'fixed') IS TRUE = (discount_amount IS NOT NULL)),
    ADD CONSTRAINT templates_discount_percent CHECK ((discount_kind = 'percentage') IS TRUE = (discount_percent IS NOT NULL)),
    ADD CONSTRAINT templates_discount_days CHECK (discount_kind IS NOT NULL OR discount_days_before_due = 0);

ALTER TABLE contracts
    ADD COLUMN fine_percent numeric(4,2) NOT NULL DEFAULT 0 CHECK (fine_percent BETWEEN 0 AND 10),
    ADD COLUMN interest_percent numeric(4,2) NOT NULL DEFAULT 0 CHECK (interest_percent BETWEEN 0 AND 10),
    ADD COLUMN discount_kind text CHECK (discount_kind IN ('fixed', 'percentage')),
    ADD COLUMN discount_amount numeric(14,2) CHECK (discount_amount > 0),
    ADD COLUMN discount_percent numeric(4,2) CHECK (discount_percent > 0 AND discount_percent < 100),
    ADD COLUMN discount_days_before_due int NOT NULL DEFAULT 0 CHECK (discount_days_before_due BETWEEN 0 AND 365),
    ADD CONSTRAINT contracts_discount_amount CHECK ((discount_kind = 'fixed') IS TRUE = (discount_amount IS NOT NULL)),
    ADD CONSTRAINT contracts_discount_percent CHECK ((discount_kind = 'percentage') IS TRUE = (discount_percent IS NOT NULL)),
    ADD CONSTRAINT contracts_discount_days CHECK (discount_kind IS NOT NULL OR discount_days_before_due = 0);

-- What a payer needs to pay an open charge, as Asaas answered it (GET
-- /v3/payments/{id}/identificationField: part 'boleto'; .../pixQrCode: part 'pix'),
-- kept so that showing it again asks Asaas nothing. A boleto's typeable line and a
-- PIX payload encode the charge's value and due date: the row records both, and a
-- charge whose value or due date is no longer the recorded one is asked again.
CREATE TABLE charge_payment_instructions (
    account_id uuid NOT NULL,
    charge_id  uuid NOT NULL,
    part       text NOT NULL CHECK (part IN ('boleto', 'pix')),
    value      numeric(14,2) NOT NULL,
    due_date   date NOT NULL,
    data       jsonb NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, charge_id, part),
    FOREIGN KEY (account_id, charge_id) REFERENCES charges (account_id, id) ON DELETE CASCADE
);

-- A payout recorded by mistake is voided, never deleted: it keeps its row, marked
-- with who voided it, when and why, and its entries go back to pending (payout_id
-- cleared, so another payout can pay them); voided_payout_entries remembers which
-- entries it had paid.
ALTER TABLE payouts
    ADD COLUMN voided_at timestamptz,
    ADD COLUMN voided_by uuid,
    ADD COLUMN void_reason text CHECK (length(void_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT payouts_void_complete CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)),
    ADD CONSTRAINT payouts_voided_by_fkey FOREIGN KEY (account_id, voided_by) REFERENCES users (account_id, id);

CREATE TABLE voided_payout_entries (
    account_id uuid NOT NULL,
    payout_id  uuid NOT NULL,
    entry_id   uuid NOT NULL,
    PRIMARY KEY (payout_id, entry_id),
    FOREIGN KEY (account_id, payout_id) REFERENCES payouts (account_id, id),
    FOREIGN KEY (account_id, entry_id) REFERENCES split_entries (account_id, id)
);
CREATE INDEX voided_payout_entries_entry_idx ON voided_payout_entries (account_id, entry_id);

-- +goose Down
DROP TABLE voided_payout_entries;
ALTER TABLE payouts DROP COLUMN voided_at, DROP COLUMN voided_by, DROP COLUMN void_reason;
DROP TABLE charge_payment_instructions;
ALTER TABLE contracts
    DROP COLUMN fine_percent, DROP COLUMN interest_percent, DROP COLUMN discount_kind,
    DROP COLUMN discount_amount, DROP COLUMN discount_percent, DROP COLUMN discount_days_before_due;
ALTER TABLE templates
    DROP COLUMN fine_percent, DROP COLUMN interest_percent, DROP COLUMN discount_kind,
    DROP COLUMN discount_amount, DROP COLUMN discount_percent, DROP COLUMN discount_days_before_due;

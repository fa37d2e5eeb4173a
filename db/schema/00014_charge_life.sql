-- +goose Up
-- The life of a charge after it is issued (docs/architecture.md, "Changes, holds
-- and partial refunds"): an open installment's value and due date can change (its
-- charge updated at Asaas, or deleted and re-issued), a charge deleted at Asaas can
-- be re-issued, a payment can be put on hold (chargeback, refund in progress),
-- refunded in part, or undone (a cash receipt undone at Asaas), and the split of a
-- charge may not go through at Asaas.

-- A re-issued charge replaces the installment's charge: the old row stays (deleted
-- at Asaas), superseded; an installment has at most one current charge.
ALTER TABLE charges DROP CONSTRAINT charges_installment_id_key;
ALTER TABLE charges ADD COLUMN superseded_at timestamptz;
CREATE UNIQUE INDEX charges_current_idx ON charges (installment_id) WHERE superseded_at IS NULL;

-- refunded_amount: what Asaas refunded of the payment so far (a partial refund
-- reverses that share of its split entries; status 'refunded' once it is all).
-- hold: the payment's entries are held (status 'disputed') while a chargeback or a
-- refund in progress is open. 'undone': a cash receipt undone at Asaas; the
-- installment is open again and may be paid by another payment (of the same charge).
ALTER TABLE payments ADD COLUMN refunded_amount numeric(14,2) NOT NULL DEFAULT 0;
ALTER TABLE payments ADD CONSTRAINT payments_refunded_amount CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
ALTER TABLE payments ADD COLUMN hold text CHECK (hold IN ('chargeback', 'refund'));
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('confirmed', 'received', 'refunded', 'undone'));
ALTER TABLE payments DROP CONSTRAINT payments_installment_id_key;
ALTER TABLE payments DROP CONSTRAINT payments_account_id_asaas_payment_id_key;
CREATE UNIQUE INDEX payments_installment_live_idx ON payments (installment_id) WHERE status <> 'undone';
CREATE UNIQUE INDEX payments_asaas_live_idx ON payments (account_id, asaas_payment_id) WHERE status <> 'undone';

-- 'disputed': held while the payment's chargeback or refund is open; payouts take
-- only 'pending' entries, so a held entry cannot be paid out. held_from is the
-- status it returns to when the hold is released.
-- refunded_to: a reversal entry of a partial refund names the refunded total it
-- brings its payment to, so an entry may have one reversal per refund (NULL: the
-- one reversal of a whole refund, as before).
ALTER TABLE split_entries DROP CONSTRAINT split_entries_status_check;
ALTER TABLE split_entries ADD CONSTRAINT split_entries_status_check
    CHECK (status IN ('sent_to_gateway', 'paid', 'pending', 'reversed', 'retained', 'disputed'));
ALTER TABLE split_entries ADD COLUMN held_from text CHECK (held_from IN ('sent_to_gateway', 'pending', 'retained'));
ALTER TABLE split_entries ADD CONSTRAINT split_entries_held CHECK ((status = 'disputed') = (held_from IS NOT NULL));
ALTER TABLE split_entries ADD COLUMN refunded_to numeric(14,2);
DROP INDEX split_entries_one_reversal_idx;
CREATE UNIQUE INDEX split_entries_one_reversal_idx ON split_entries (reverses_entry_id, refunded_to) NULLS NOT DISTINCT
    WHERE reverses_entry_id IS NOT NULL;
CREATE INDEX split_entries_payment_idx ON split_entries (account_id, payment_id);

-- Free text a user gives an action (the cancel reason) is stored here before the
-- action runs; the contract workflow and its activities carry only the note's id
-- (Temporal histories are kept long and shown in the UI).
CREATE TABLE contract_notes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL,
    contract_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('cancel_reason')),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id),
    FOREIGN KEY (account_id, created_by) REFERENCES users (account_id, id)
);
CREATE INDEX contract_notes_contract_idx ON contract_notes (account_id, contract_id);

-- +goose Down
DROP TABLE contract_notes;
DROP INDEX split_entries_payment_idx;
DROP INDEX split_entries_one_reversal_idx;
CREATE UNIQUE INDEX split_entries_one_reversal_idx ON split_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
ALTER TABLE split_entries DROP COLUMN refunded_to;
ALTER TABLE split_entries DROP CONSTRAINT split_entries_held;
ALTER TABLE split_entries DROP COLUMN held_from;
ALTER TABLE split_entries DROP CONSTRAINT split_entries_status_check;
ALTER TABLE split_entries ADD CONSTRAINT split_entries_status_check
    CHECK (status IN ('sent_to_gateway', 'paid', 'pending', 'reversed', 'retained'));
DROP INDEX payments_asaas_live_idx;
DROP INDEX payments_installment_live_idx;
ALTER TABLE payments ADD CONSTRAINT payments_account_id_asaas_payment_id_key UNIQUE (account_id, asaas_payment_id);
ALTER TABLE payments ADD CONSTRAINT payments_installment_id_key UNIQUE (installment_id);
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('confirmed', 'received', 'refunded'));
ALTER TABLE payments DROP COLUMN hold;
ALTER TABLE payments DROP CONSTRAINT payments_refunded_amount;
ALTER TABLE payments DROP COLUMN refunded_amount;
DROP INDEX charges_current_idx;
ALTER TABLE charges DROP COLUMN superseded_at;
ALTER TABLE charges ADD CONSTRAINT charges_installment_id_key UNIQUE (installment_id);

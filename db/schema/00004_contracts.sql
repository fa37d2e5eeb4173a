-- +goose Up
-- Contracts and everything that happens to them: installments, split rules, Asaas
-- charges, payments, split entries and payouts. The API writes drafts and payouts; the
-- contract workflow's activities write the rest, idempotently through the UNIQUE keys
-- (one charge per installment, one payment per installment and per Asaas payment id).
-- Composite foreign keys (account_id, contract_id, installment_id) keep every child in
-- its own contract and account.

CREATE TABLE contracts (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id        uuid NOT NULL REFERENCES accounts (id),
    client_id         uuid NOT NULL,
    template_id       uuid,
    description       text CHECK (length(description) <= 500),
    billing_type      text NOT NULL CHECK (billing_type IN ('BOLETO', 'PIX', 'UNDEFINED')),
    total_amount      numeric(14,2) NOT NULL CHECK (total_amount > 0),
    installment_count int NOT NULL CHECK (installment_count BETWEEN 1 AND 360),
    interval_months   int NOT NULL DEFAULT 1 CHECK (interval_months BETWEEN 1 AND 12),
    first_due_date    date NOT NULL,
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
    workflow_id       text,
    -- The last error the gateway reported for this contract (e.g. an Asaas validation
    -- error while issuing a charge), shown to the user; cleared when it is resolved.
    last_error        text,
    created_by        uuid NOT NULL,
    activated_at      timestamptz,
    completed_at      timestamptz,
    cancelled_at      timestamptz,
    cancel_reason     text CHECK (length(cancel_reason) <= 500),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, template_id) REFERENCES templates (account_id, id),
    FOREIGN KEY (account_id, created_by) REFERENCES users (account_id, id),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
    CHECK (status = 'draft' OR activated_at IS NOT NULL OR status = 'cancelled')
);
CREATE INDEX contracts_list_idx ON contracts (account_id, created_at DESC, id DESC);
CREATE INDEX contracts_status_idx ON contracts (account_id, status, created_at DESC, id DESC);
CREATE INDEX contracts_client_idx ON contracts (account_id, client_id, created_at DESC);
CREATE INDEX contracts_template_idx ON contracts (account_id, template_id);

CREATE TABLE installments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL,
    contract_id uuid NOT NULL,
    number      int NOT NULL CHECK (number >= 1),
    value       numeric(14,2) NOT NULL CHECK (value > 0),
    due_date    date NOT NULL,
    status      text NOT NULL DEFAULT 'scheduled'
                CHECK (status IN ('scheduled', 'open', 'overdue', 'paid', 'cancelled', 'refunded')),
    paid_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (contract_id, number),
    UNIQUE (account_id, id),
    UNIQUE (account_id, contract_id, id),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id)
);
CREATE INDEX installments_due_idx ON installments (account_id, due_date);

CREATE TABLE contract_split_rules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL,
    contract_id uuid NOT NULL,
    position    int NOT NULL CHECK (position >= 1),
    kind        text NOT NULL CHECK (kind IN ('percentage', 'fixed', 'fee', 'remainder')),
    payee_id    uuid,
    percent     numeric(5,2) CHECK (percent > 0 AND percent <= 100),
    amount      numeric(14,2) CHECK (amount > 0),
    via_gateway boolean NOT NULL DEFAULT false,
    UNIQUE (contract_id, position),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id),
    FOREIGN KEY (account_id, payee_id) REFERENCES payees (account_id, id),
    CHECK ((kind = 'percentage') = (percent IS NOT NULL)),
    CHECK ((kind = 'fixed') = (amount IS NOT NULL)),
    CHECK (kind = 'fee' OR payee_id IS NOT NULL),
    CHECK (NOT via_gateway OR kind IN ('percentage', 'fixed'))
);
CREATE INDEX contract_split_rules_payee_idx ON contract_split_rules (account_id, payee_id);

-- One Asaas charge per installment. status is Asaas's own text (PENDING, RECEIVED, ...).
CREATE TABLE charges (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id         uuid NOT NULL,
    contract_id        uuid NOT NULL,
    installment_id     uuid NOT NULL UNIQUE,
    asaas_payment_id   text NOT NULL,
    external_reference text NOT NULL,
    billing_type       text NOT NULL,
    status             text NOT NULL,
    value              numeric(14,2) NOT NULL CHECK (value > 0),
    net_value          numeric(14,2) CHECK (net_value >= 0),
    due_date           date NOT NULL,
    invoice_url        text,
    bank_slip_url      text,
    pix_copy_paste     text,
    deleted_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, asaas_payment_id),
    UNIQUE (account_id, id),
    UNIQUE (account_id, installment_id, id),
    FOREIGN KEY (account_id, contract_id, installment_id) REFERENCES installments (account_id, contract_id, id)
);
CREATE INDEX charges_contract_idx ON charges (account_id, contract_id);

CREATE TABLE payments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id       uuid NOT NULL,
    contract_id      uuid NOT NULL,
    installment_id   uuid NOT NULL UNIQUE,
    charge_id        uuid,
    asaas_payment_id text,
    origin           text NOT NULL CHECK (origin IN ('gateway', 'manual')),
    recorded_by      uuid,
    amount           numeric(14,2) NOT NULL CHECK (amount > 0),
    net_amount       numeric(14,2) NOT NULL CHECK (net_amount >= 0),
    fee_amount       numeric(14,2) NOT NULL CHECK (fee_amount >= 0),
    paid_on          date NOT NULL,
    -- Card payments: CONFIRMED (paid_on) first, RECEIVED (settled_on) later; same payment.
    settled_on       date,
    status           text NOT NULL CHECK (status IN ('confirmed', 'received', 'refunded')),
    -- A partial manual payment whose net amount could not cover the percentage and
    -- fixed rules: the uncovered part (also flagged in the audit trail).
    shortfall        numeric(14,2) NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, asaas_payment_id),
    UNIQUE (account_id, id),
    UNIQUE (account_id, contract_id, id),
    FOREIGN KEY (account_id, contract_id, installment_id) REFERENCES installments (account_id, contract_id, id),
    FOREIGN KEY (account_id, installment_id, charge_id) REFERENCES charges (account_id, installment_id, id),
    FOREIGN KEY (account_id, recorded_by) REFERENCES users (account_id, id),
    CHECK (amount = net_amount + fee_amount),
    CHECK (origin = 'gateway' OR recorded_by IS NOT NULL)
);
CREATE INDEX payments_contract_idx ON payments (account_id, contract_id);

CREATE TABLE payouts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL,
    payee_id    uuid NOT NULL,
    paid_on     date NOT NULL,
    method      text NOT NULL CHECK (method IN ('PIX', 'TED', 'CASH')),
    reference   text CHECK (length(reference) <= 200),
    amount      numeric(14,2) NOT NULL CHECK (amount > 0),
    recorded_by uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    UNIQUE (account_id, payee_id, id),
    FOREIGN KEY (account_id, payee_id) REFERENCES payees (account_id, id),
    FOREIGN KEY (account_id, recorded_by) REFERENCES users (account_id, id)
);
CREATE INDEX payouts_list_idx ON payouts (account_id, created_at DESC, id DESC);

-- The allocation of one payment among the split rules. Entries of a payment sum to the
-- payment amount. A refund adds reversal entries (negative amounts, reverses_entry_id
-- set); nothing is deleted. payee_id is NULL for the gateway fee and for the account's
-- own share (no remainder rule). occurred_on is the business date reports group by:
-- the payment's paid_on, or the refund date for a reversal.
CREATE TABLE split_entries (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id        uuid NOT NULL,
    payment_id        uuid NOT NULL,
    contract_id       uuid NOT NULL,
    payee_id          uuid,
    rule_position     int,
    kind              text NOT NULL CHECK (kind IN ('percentage', 'fixed', 'fee', 'remainder')),
    amount            numeric(14,2) NOT NULL,
    status            text NOT NULL CHECK (status IN ('sent_to_gateway', 'paid', 'pending', 'reversed', 'retained')),
    reverses_entry_id uuid,
    payout_id         uuid,
    occurred_on       date NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, contract_id, payment_id) REFERENCES payments (account_id, contract_id, id),
    FOREIGN KEY (account_id, payee_id) REFERENCES payees (account_id, id),
    FOREIGN KEY (account_id, reverses_entry_id) REFERENCES split_entries (account_id, id),
    -- A payout only ever pays entries of its own payee.
    FOREIGN KEY (account_id, payee_id, payout_id) REFERENCES payouts (account_id, payee_id, id),
    CHECK (payout_id IS NULL OR payee_id IS NOT NULL),
    CHECK (amount >= 0 OR reverses_entry_id IS NOT NULL)
);
CREATE INDEX split_entries_contract_idx ON split_entries (account_id, contract_id);
CREATE INDEX split_entries_payee_idx ON split_entries (account_id, payee_id, occurred_on);
CREATE INDEX split_entries_payout_idx ON split_entries (account_id, payout_id);
-- Idempotent split processing: one allocation entry per rule of a payment (entries
-- without a rule, i.e. the fee and the account's own share, one per kind) and at most
-- one reversal per entry.
CREATE UNIQUE INDEX split_entries_rule_idx ON split_entries (payment_id, rule_position)
    WHERE reverses_entry_id IS NULL AND rule_position IS NOT NULL;
CREATE UNIQUE INDEX split_entries_unruled_idx ON split_entries (payment_id, kind)
    WHERE reverses_entry_id IS NULL AND rule_position IS NULL;
CREATE UNIQUE INDEX split_entries_one_reversal_idx ON split_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;

-- +goose Down
DROP TABLE split_entries;
DROP TABLE payouts;
DROP TABLE payments;
DROP TABLE charges;
DROP TABLE contract_split_rules;
DROP TABLE installments;
DROP TABLE contracts;

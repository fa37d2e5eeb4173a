-- +goose Up
-- Reconciliation (docs/architecture.md, "Reconciliation of an account"): the health of each
-- account's Asaas webhook queue as the queue watch last read it, and the runs
-- that ask Asaas about every open installment of an account (on demand, or the
-- watch's sweep) with what each contract found.

-- One row per account: the webhooks at Asaas that deliver to us, taken together
-- (enabled: one of them is; interrupted: one of them is; penalized: the most).
-- reactivation_key is the watch run that last reactivated a queue, so a retried
-- activity records (and audits) that reactivation once.
CREATE TABLE webhook_queue_health (
    account_id               uuid PRIMARY KEY REFERENCES accounts (id),
    webhook_ids              text[] NOT NULL,
    enabled                  boolean NOT NULL,
    interrupted              boolean NOT NULL,
    penalized_requests_count int NOT NULL CHECK (penalized_requests_count >= 0),
    checked_at               timestamptz NOT NULL,
    reactivated_at           timestamptz,
    reactivation_key         text
);

-- A run over the account's contracts. requested_by is the user of an on-demand
-- run, NULL for the queue sweep (the system). contracts_total is NULL until the
-- run has listed the contracts it checks.
CREATE TABLE reconciliations (
    id              uuid PRIMARY KEY,
    account_id      uuid NOT NULL REFERENCES accounts (id),
    source          text NOT NULL CHECK (source IN ('on-demand', 'queue-sweep')),
    requested_by    uuid,
    status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
    workflow_id     text NOT NULL,
    contracts_total int CHECK (contracts_total >= 0),
    error           text,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, requested_by) REFERENCES users (account_id, id),
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (source = 'queue-sweep' OR requested_by IS NOT NULL)
);
CREATE INDEX reconciliations_list_idx ON reconciliations (account_id, started_at DESC, id DESC);

-- Each contract of a run, written once: 'pending' when listed, then 'done' (the
-- contract answered) or 'failed' (it could not: no running workflow, or it did
-- not answer). A retried activity finds the row no longer pending and counts nothing twice.
CREATE TABLE reconciliation_contracts (
    account_id        uuid NOT NULL,
    reconciliation_id uuid NOT NULL,
    contract_id       uuid NOT NULL,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    checked           int NOT NULL DEFAULT 0 CHECK (checked >= 0),
    finished_at       timestamptz,
    PRIMARY KEY (reconciliation_id, contract_id),
    FOREIGN KEY (account_id, reconciliation_id) REFERENCES reconciliations (account_id, id),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id),
    CHECK ((status = 'pending') = (finished_at IS NULL))
);
CREATE INDEX reconciliation_contracts_pending_idx ON reconciliation_contracts (reconciliation_id, contract_id) WHERE status = 'pending';

-- What a contract found: a repair (a state it took from Asaas: event, installment
-- status before and after) or a mismatch (a state it could not take: detail).
-- position keeps the contract's own order.
CREATE TABLE reconciliation_findings (
    account_id        uuid NOT NULL,
    reconciliation_id uuid NOT NULL,
    contract_id       uuid NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('repair', 'mismatch')),
    position          int NOT NULL CHECK (position >= 0),
    installment       int CHECK (installment >= 1),
    asaas_payment_id  text,
    event             text,
    before_status     text,
    after_status      text,
    detail            text,
    PRIMARY KEY (reconciliation_id, contract_id, kind, position),
    FOREIGN KEY (reconciliation_id, contract_id) REFERENCES reconciliation_contracts (reconciliation_id, contract_id),
    CHECK (kind = 'mismatch' OR (event IS NOT NULL AND before_status IS NOT NULL AND after_status IS NOT NULL)),
    CHECK (kind = 'repair' OR detail IS NOT NULL)
);

-- +goose Down
DROP TABLE reconciliation_findings;
DROP TABLE reconciliation_contracts;
DROP TABLE reconciliations;
DROP TABLE webhook_queue_health;

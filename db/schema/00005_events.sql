-- +goose Up
-- The record of what happened: the audit trail, raw Asaas webhook events, the bill
-- payment tracker, and the stored answers of idempotent API requests.

-- Written in the same transaction as the change it records. actor_id is the user for
-- actor_type 'user' and NULL for 'system' (workflows) and 'asaas' (webhooks).
-- created_at is the insert time (clock_timestamp), so the events of one transaction
-- keep their order.
CREATE TABLE audit_events (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL REFERENCES accounts (id),
    actor_type  text NOT NULL CHECK (actor_type IN ('user', 'system', 'asaas')),
    actor_id    uuid,
    action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity_type text NOT NULL CHECK (length(entity_type) BETWEEN 1 AND 100),
    entity_id   uuid,
    contract_id uuid,
    data        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (account_id, actor_id) REFERENCES users (account_id, id),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id),
    CHECK ((actor_type = 'user') = (actor_id IS NOT NULL))
);
CREATE INDEX audit_events_list_idx ON audit_events (account_id, created_at DESC, id DESC);
CREATE INDEX audit_events_contract_idx ON audit_events (account_id, contract_id, created_at DESC, id DESC);

-- Every Asaas delivery, raw. event_key = the event's id, or the SHA-256 of the raw body
-- when it has none; a redelivery hits UNIQUE (account_id, event_key).
CREATE TABLE webhook_events (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id     uuid NOT NULL REFERENCES accounts (id),
    event_key      text NOT NULL,
    asaas_event_id text,
    event_type     text NOT NULL,
    payment_id     text,
    status         text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
    reason         text,
    raw            jsonb NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    processed_at   timestamptz,
    UNIQUE (account_id, event_key),
    UNIQUE (account_id, id)
);
CREATE INDEX webhook_events_received_idx ON webhook_events (account_id, received_at DESC);
CREATE INDEX webhook_events_payment_idx ON webhook_events (account_id, payment_id);

-- Bill payments (BILL_* events): the latest status, and the whole timeline in
-- bill_status_history. An out-of-order older event goes into the timeline only.
CREATE TABLE bills (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id              uuid NOT NULL REFERENCES accounts (id),
    asaas_bill_id           text NOT NULL,
    status                  text NOT NULL,
    value                   numeric(14,2) CHECK (value >= 0),
    due_date                date,
    payment_date            date,
    transaction_receipt_url text,
    fail_reasons            text,
    can_be_cancelled        boolean,
    -- The dateCreated of the event the current status came from (orders the events).
    status_event_at         timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, asaas_bill_id),
    UNIQUE (account_id, id)
);

CREATE TABLE bill_status_history (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id       uuid NOT NULL,
    bill_id          uuid NOT NULL,
    status           text NOT NULL,
    asaas_event_id   text NOT NULL,
    event_created_at timestamptz,
    received_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bill_id, asaas_event_id),
    FOREIGN KEY (account_id, bill_id) REFERENCES bills (account_id, id)
);
CREATE INDEX bill_status_history_bill_idx ON bill_status_history (account_id, bill_id, event_created_at);

-- Idempotency-Key: the first request with a key stores its answer in the same
-- transaction as its effect; a repeat with the same body gets that answer again.
CREATE TABLE idempotency_keys (
    account_id      uuid NOT NULL REFERENCES accounts (id),
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method          text NOT NULL,
    path            text NOT NULL,
    request_hash    bytea NOT NULL CHECK (length(request_hash) = 32),
    response_status int,
    response_body   bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE bill_status_history;
DROP TABLE bills;
DROP TABLE webhook_events;
DROP TABLE audit_events;

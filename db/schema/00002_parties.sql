-- +goose Up
-- Per-account Asaas settings and the parties of a contract: clients (who pay) and
-- payees (who receive splits). Every tenant table has UNIQUE (account_id, id) so other
-- tables reference it with a composite key: a row can never point into another account.

CREATE TABLE asaas_settings (
    account_id          uuid PRIMARY KEY REFERENCES accounts (id),
    -- AES-GCM(nonce || ciphertext) of the API key under BILLING_SECRET_KEY, with the
    -- account id as additional data so a ciphertext cannot be moved to another account.
    api_key_ciphertext  bytea NOT NULL,
    api_key_last4       text NOT NULL CHECK (length(api_key_last4) BETWEEN 1 AND 4),
    environment         text NOT NULL CHECK (environment IN ('sandbox', 'production')),
    -- HMAC-SHA256 of the webhook secret: the one webhook URL finds the account by it.
    webhook_secret_hash bytea UNIQUE CHECK (length(webhook_secret_hash) = 32),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          uuid NOT NULL,
    FOREIGN KEY (account_id, updated_by) REFERENCES users (account_id, id)
);

CREATE TABLE clients (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id        uuid NOT NULL REFERENCES accounts (id),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- Digits only (CNPJs may be alphanumeric from July 2026: 12 characters + 2 digits).
    cpf_cnpj          text NOT NULL CHECK (cpf_cnpj ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$'),
    email             text CHECK (length(email) BETWEEN 3 AND 320),
    phone             text CHECK (phone ~ '^[0-9]{10,11}$'),
    -- Set by the contract workflow when it first syncs the client to Asaas.
    asaas_customer_id text,
    archived_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    UNIQUE (account_id, asaas_customer_id)
);
CREATE INDEX clients_list_idx ON clients (account_id, created_at DESC, id DESC);

CREATE TABLE payees (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id      uuid NOT NULL REFERENCES accounts (id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    person_type     text NOT NULL CHECK (person_type IN ('person', 'company')),
    cpf_cnpj        text NOT NULL,
    -- Needed for automatic (gateway) splits; without it every entry is a manual payout.
    asaas_wallet_id text CHECK (length(asaas_wallet_id) BETWEEN 1 AND 100),
    pix_key         text CHECK (length(pix_key) BETWEEN 1 AND 140),
    pix_key_type    text CHECK (pix_key_type IN ('CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP')),
    bank_code       text CHECK (bank_code ~ '^[0-9]{3}$'),
    agency          text CHECK (agency ~ '^[0-9]{1,5}$'),
    account         text CHECK (account ~ '^[0-9]{1,20}$'),
    account_digit   text CHECK (account_digit ~ '^[0-9Xx]{1,2}$'),
    account_type    text CHECK (account_type IN ('CHECKING', 'SAVINGS')),
    archived_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id),
    CHECK ((person_type = 'person' AND cpf_cnpj ~ '^[0-9]{11}$') OR (person_type = 'company' AND cpf_cnpj ~ '^[0-9A-Z]{12}[0-9]{2}$')),
    CHECK ((pix_key IS NULL) = (pix_key_type IS NULL)),
    CHECK (num_nonnulls(bank_code, agency, account, account_type) IN (0, 4)),
    CHECK (account_digit IS NULL OR account IS NOT NULL)
);
CREATE INDEX payees_list_idx ON payees (account_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE payees;
DROP TABLE clients;
DROP TABLE asaas_settings;

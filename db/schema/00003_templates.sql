-- +goose Up
-- Templates: named reusable contract settings. "Generate contract" copies them (and
-- their split rules) into a new draft contract, so editing a template later never
-- changes an existing contract.

CREATE TABLE templates (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id        uuid NOT NULL REFERENCES accounts (id),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description       text CHECK (length(description) <= 500),
    installment_count int NOT NULL CHECK (installment_count BETWEEN 1 AND 360),
    billing_type      text NOT NULL CHECK (billing_type IN ('BOLETO', 'PIX', 'UNDEFINED')),
    interval_months   int NOT NULL DEFAULT 1 CHECK (interval_months BETWEEN 1 AND 12),
    archived_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, id)
);
CREATE INDEX templates_list_idx ON templates (account_id, created_at DESC, id DESC);

-- A split rule, in the order it is applied (position 1, 2, ...):
--   percentage: percent of the net amount, payee required;
--   fixed:      amount, payee required;
--   fee:        the gateway fee (payee optional: who bears it), never sent to Asaas;
--   remainder:  what is left, payee required, never sent to Asaas.
-- via_gateway: the rule goes into the Asaas charge's split[] (payee needs a walletId,
-- checked at activation).
CREATE TABLE template_split_rules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id  uuid NOT NULL,
    template_id uuid NOT NULL,
    position    int NOT NULL CHECK (position >= 1),
    kind        text NOT NULL CHECK (kind IN ('percentage', 'fixed', 'fee', 'remainder')),
    payee_id    uuid,
    percent     numeric(5,2) CHECK (percent > 0 AND percent <= 100),
    amount      numeric(14,2) CHECK (amount > 0),
    via_gateway boolean NOT NULL DEFAULT false,
    UNIQUE (template_id, position),
    FOREIGN KEY (account_id, template_id) REFERENCES templates (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, payee_id) REFERENCES payees (account_id, id),
    CHECK ((kind = 'percentage') = (percent IS NOT NULL)),
    CHECK ((kind = 'fixed') = (amount IS NOT NULL)),
    CHECK (kind = 'fee' OR payee_id IS NOT NULL),
    CHECK (NOT via_gateway OR kind IN ('percentage', 'fixed'))
);
CREATE INDEX template_split_rules_payee_idx ON template_split_rules (account_id, payee_id);

-- +goose Down
DROP TABLE template_split_rules;
DROP TABLE templates;

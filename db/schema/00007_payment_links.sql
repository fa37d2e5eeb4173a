-- +goose Up
-- Asaas payment links created through the API. A link may be tied to an installment
-- of the account's contract: its externalReference is then the installment's charge
-- reference, so a payment made through the link routes to that installment's workflow.
-- The composite keys keep the contract (and installment) in the link's own account.
CREATE TABLE payment_links (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id            uuid NOT NULL REFERENCES accounts (id),
    asaas_payment_link_id text NOT NULL CHECK (length(asaas_payment_link_id) BETWEEN 1 AND 100),
    url                   text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description           text CHECK (length(description) <= 500),
    value                 numeric(14,2) NOT NULL CHECK (value > 0),
    billing_type          text NOT NULL CHECK (billing_type IN ('BOLETO', 'PIX', 'CREDIT_CARD', 'UNDEFINED')),
    charge_type           text NOT NULL CHECK (charge_type IN ('DETACHED', 'RECURRENT', 'INSTALLMENT')),
    max_installment_count int CHECK (max_installment_count BETWEEN 1 AND 21),
    subscription_cycle    text CHECK (subscription_cycle IN ('WEEKLY', 'BIWEEKLY', 'MONTHLY', 'BIMONTHLY', 'QUARTERLY', 'SEMIANNUALLY', 'YEARLY')),
    due_date_limit_days   int CHECK (due_date_limit_days BETWEEN 1 AND 365),
    external_reference    text,
    contract_id           uuid,
    installment_number    int,
    created_by            uuid NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, asaas_payment_link_id),
    UNIQUE (account_id, id),
    FOREIGN KEY (account_id, contract_id) REFERENCES contracts (account_id, id),
    FOREIGN KEY (contract_id, installment_number) REFERENCES installments (contract_id, number),
    FOREIGN KEY (account_id, created_by) REFERENCES users (account_id, id),
    CHECK ((contract_id IS NULL) = (installment_number IS NULL)),
    CHECK ((charge_type = 'INSTALLMENT') = (max_installment_count IS NOT NULL)),
    CHECK ((charge_type = 'RECURRENT') = (subscription_cycle IS NOT NULL)),
    -- A link tied to an installment is one payment of that installment.
    CHECK (contract_id IS NULL OR charge_type = 'DETACHED')
);
CREATE INDEX payment_links_list_idx ON payment_links (account_id, created_at DESC, id DESC);
CREATE INDEX payment_links_contract_idx ON payment_links (account_id, contract_id);

-- +goose Down
DROP TABLE payment_links;

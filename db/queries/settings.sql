-- name: GetAsaasSettings :one
SELECT * FROM asaas_settings WHERE account_id = $1;

-- name: GetAsaasSettingsForUpdate :one
SELECT * FROM asaas_settings WHERE account_id = $1 FOR UPDATE;

-- name: UpsertAsaasSettings :one
INSERT INTO asaas_settings (account_id, api_key_ciphertext, api_key_last4, environment, webhook_secret_hash, updated_by)
VALUES (@account_id, @api_key_ciphertext, @api_key_last4, @environment, @webhook_secret_hash, @updated_by)
ON CONFLICT (account_id) DO UPDATE SET
    api_key_ciphertext  = EXCLUDED.api_key_ciphertext,
    api_key_last4       = EXCLUDED.api_key_last4,
    environment         = EXCLUDED.environment,
    webhook_secret_hash = EXCLUDED.webhook_secret_hash,
    updated_by          = EXCLUDED.updated_by,
    updated_at          = now()
RETURNING *;

-- name: GetAccountByWebhookSecretHash :one
-- The webhook handler's lookup: the account whose webhook secret hashes to this value.
-- The caller still compares the hashes in constant time.
SELECT s.account_id, s.webhook_secret_hash, a.billing_enabled
FROM asaas_settings s
JOIN accounts a ON a.id = s.account_id
WHERE s.webhook_secret_hash = $1;

package api

import (
	"log/slog"
	"net/http"
	"testing"

	"billing/secret"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettingsRules(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	b := e.account(t, "Other", true)

	t.Run("the first PUT needs the key and the environment", func(t *testing.T) {
		r := e.call(t, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"webhook_secret": webhookSecret})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		assert.Contains(t, r.String(), `"field":"api_key"`)
		assert.Contains(t, r.String(), `"field":"environment"`)
	})

	t.Run("testing before configuring is a conflict", func(t *testing.T) {
		assert.Equal(t, http.StatusConflict, e.call(t, a.Token, "POST", "/v1/settings/asaas/test", nil).Code)
	})

	e.must(t, http.StatusOK, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"api_key": sandboxKey, "environment": "sandbox", "webhook_secret": webhookSecret})

	t.Run("the owner may set the same secret again", func(t *testing.T) {
		got := e.must(t, http.StatusOK, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"webhook_secret": webhookSecret})
		assert.Equal(t, secret.WebhookToken(a.AccountID, webhookSecret), got["webhook_token"])
	})
	_ = b
	t.Run("switching to production needs a production key", func(t *testing.T) {
		r := e.call(t, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"environment": "production", "api_key": "$aact_hmlg_abcdefghijkl"})
		assert.Equal(t, http.StatusUnprocessableEntity, r.Code)
		got := e.must(t, http.StatusOK, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"environment": "production", "api_key": "$aact_prod_abcdefgh9876"})
		assert.Equal(t, "$aact_****9876", got["api_key"])
		assert.Equal(t, "production", got["environment"])
		assert.Equal(t, true, got["webhook_secret_configured"])
	})

	t.Run("without BILLING_SECRET_KEY the settings cannot be written or used", func(t *testing.T) {
		bare := &apiEnv{pool: e.pool, srv: NewServer(Deps{Pool: e.pool, Logger: slog.New(slog.DiscardHandler), Asaas: e.tester})}
		r := bare.call(t, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"environment": "sandbox"})
		assert.Equal(t, http.StatusServiceUnavailable, r.Code)
		assert.Equal(t, http.StatusServiceUnavailable, bare.call(t, a.Token, "POST", "/v1/settings/asaas/test", nil).Code)
		assert.Equal(t, http.StatusOK, bare.call(t, a.Token, "GET", "/v1/settings/asaas", nil).Code, "reading the masked view needs no key")
	})

	t.Run("without a connection tester: 501", func(t *testing.T) {
		bare := &apiEnv{pool: e.pool, srv: NewServer(Deps{Pool: e.pool, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})}
		assert.Equal(t, http.StatusNotImplemented, bare.call(t, a.Token, "POST", "/v1/settings/asaas/test", nil).Code)
	})
}

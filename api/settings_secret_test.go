package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"billing/secret"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// settingsAnswer is a PUT's answer with what differs between two accounts or two
// moments put aside: the chosen secret in the token, when and by whom.
func settingsAnswer(t *testing.T, r resp, chosen string, u tenantUser) (int, map[string]any) {
	t.Helper()
	m := r.obj(t)
	token, _ := m["webhook_token"].(string)
	require.Equal(t, chosen+"-"+strings.ReplaceAll(u.AccountID.String(), "-", ""), token, "the token is the secret and the account: %s", r)
	m["webhook_token"] = "<secret>-<account>"
	require.Equal(t, u.UserID.String(), m["updated_by"])
	m["updated_at"], m["updated_by"] = "<when>", "<who>"
	return r.Code, m
}

// Setting a webhook secret another account uses answers exactly as setting a new one
// (nothing tells that it is in use), and both accounts' webhooks stay unambiguous:
// each account's token ends with its own id, so Asaas's deliveries of one never
// reach the other.
func TestWebhookSecretInUseElsewhereIsNotRevealed(t *testing.T) {
	e := newAPIEnv(t)
	e.srv.deps.Temporal = testenv.Temporal(t)
	a := e.account(t, "Acme", true)
	b := e.account(t, "Rival", true)
	settings := func(secret string) map[string]any {
		return map[string]any{"api_key": sandboxKey, "environment": "sandbox", "webhook_secret": secret}
	}
	const shared = "minha-senha-de-webhook-123"
	taken := e.call(t, a.Token, "PUT", "/v1/settings/asaas", settings(shared))
	require.Equal(t, http.StatusOK, taken.Code, "%s", taken)
	tokenA := taken.obj(t)["webhook_token"].(string)

	// B sets A's secret, A's whole token, and a secret nobody uses: the same answer.
	fresh := "fresh-" + uuid.NewString()
	codeFresh, answerFresh := settingsAnswer(t, e.call(t, b.Token, "PUT", "/v1/settings/asaas", settings(fresh)), fresh, b)
	for _, tt := range []struct{ name, chosen string }{{"the other account's secret", shared}, {"the other account's token", tokenA}} {
		chosen := tt.chosen
		t.Run(tt.name, func(t *testing.T) {
			before := e.counts(t)
			r := e.call(t, b.Token, "PUT", "/v1/settings/asaas", settings(chosen))
			code, answer := settingsAnswer(t, r, chosen, b)
			assert.Equal(t, codeFresh, code)
			assert.Equal(t, answerFresh, answer, "nothing tells the secret is in use")
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.NotEqual(t, tokenA, r.obj(t)["webhook_token"])
			before["audit_events"]++
			assert.Equal(t, before, e.counts(t), "one audit event, like any update")
		})
	}
	tokenB := secret.WebhookToken(b.AccountID, tokenA) // B's last PUT

	// Each token reaches its own account only; the bare shared secret reaches nobody.
	deliver := func(token string) resp {
		body := fmt.Sprintf(`{"id":"evt_%s","event":"PAYMENT_CREATED","payment":{"id":"pay_1","status":"PENDING"}}`, uuid.NewString()[:8])
		return e.call(t, "", "POST", "/webhooks/asaas", body, webhookTokenHeader, token)
	}
	events := func(u tenantUser) int {
		var n int
		require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM webhook_events WHERE account_id = $1", u.AccountID).Scan(&n))
		return n
	}
	require.Equal(t, http.StatusOK, deliver(tokenA).Code)
	assert.Equal(t, []int{1, 0}, []int{events(a), events(b)})
	require.Equal(t, http.StatusOK, deliver(tokenB).Code)
	assert.Equal(t, []int{1, 1}, []int{events(a), events(b)})
	assert.Equal(t, http.StatusUnauthorized, deliver(shared).Code)
	assert.Equal(t, []int{1, 1}, []int{events(a), events(b)})

	// A is untouched.
	got := e.must(t, http.StatusOK, a.Token, "GET", "/v1/settings/asaas", nil)
	assert.Equal(t, true, got["webhook_secret_configured"])
	assert.NotContains(t, got, "webhook_token")
	assert.Equal(t, []string{"settings.asaas_updated"}, e.auditActions(t, a.AccountID))
}

func TestWebhookSecretLength(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	e.must(t, http.StatusOK, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"api_key": sandboxKey, "environment": "sandbox"})
	longest := strings.Repeat("s", 255-secret.WebhookTokenSuffixLength)
	tests := []struct {
		name   string
		chosen string
		ok     bool
	}{
		{"15 characters", strings.Repeat("s", 15), false},
		{"16 characters", strings.Repeat("s", 16), true},
		{"the longest that fits the token", longest, true},
		{"one more", longest + "s", false},
		{"a whole token of this account (255)", secret.WebhookToken(a.AccountID, longest), true},
		{"with a space", "sixteen chars ok", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.counts(t)
			r := e.call(t, a.Token, "PUT", "/v1/settings/asaas", map[string]any{"webhook_secret": tt.chosen})
			if !tt.ok {
				require.Equal(t, http.StatusUnprocessableEntity, r.Code, "%s", r)
				assert.Equal(t, []string{"webhook_secret"}, problemFields(t, r))
				assert.Equal(t, before, e.counts(t))
				return
			}
			require.Equal(t, http.StatusOK, r.Code, "%s", r)
			token := r.obj(t)["webhook_token"].(string)
			assert.LessOrEqual(t, len(token), 255)
			assert.Equal(t, secret.WebhookToken(a.AccountID, tt.chosen), token)
		})
	}
}

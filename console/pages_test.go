package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every screen renders for a signed-in user, with the strict CSP, and needs a session.
func TestScreensRenderSignedInOnly(t *testing.T) {
	s := newStack(t)
	v := s.visitor()
	screens := []string{"/console/", "/console/settings", "/console/payees", "/console/payees/new", "/console/clients",
		"/console/clients/new", "/console/templates", "/console/templates/new", "/console/contracts", "/console/contracts/new",
		"/console/payouts", "/console/payouts/recorded", "/console/reconciliations", "/console/settings/tokens",
		"/console/audit", "/console/webhook-events", "/console/bills"}
	for _, path := range screens {
		p := v.get(path)
		assert.Equal(t, "/console/sign-in", p.URL, "%s without a session goes to sign-in", path)
	}
	home := v.signIn(s.token)
	require.Equal(t, http.StatusOK, home.Status, home.Body)
	assert.Equal(t, "/console/", home.URL)
	for _, path := range screens {
		p := v.get(path)
		assert.Equal(t, http.StatusOK, p.Status, "%s: %s", path, p.Body)
		assert.Equal(t, ContentSecurityPolicy, p.Header.Get("Content-Security-Policy"), path)
		assert.NotContains(t, p.Body, "<script>", path)
		assert.Contains(t, p.Body, "ops@acme.test", path)
	}
	root := v.get("/")
	assert.Equal(t, "/console/", root.URL, "/ redirects to the console")
	assert.Equal(t, http.StatusNotFound, v.get("/console/nothing-here").Status)
	_ = strings.TrimSpace
	_ = url.Values{}
}

// Settings show the Asaas webhook queue as the queue watch last read it.
func TestSettingsShowTheAsaasQueue(t *testing.T) {
	s := newStack(t)
	v := s.visitor()
	v.signIn(s.token)
	form := v.get("/console/settings")
	saved := v.post("/console/settings", url.Values{"_csrf": {form.csrf(t)}, "api_key": {s.merchant.APIKey}, "environment": {"sandbox"}})
	require.Equal(t, http.StatusOK, saved.Status, saved.Body)
	assert.Contains(t, v.get("/console/settings").Body, "has not been read yet")

	_, err := s.pool.Exec(t.Context(), `INSERT INTO webhook_queue_health (account_id, webhook_ids, enabled, interrupted, penalized_requests_count, checked_at)
		VALUES ($1, '{wh_1}', true, true, 15, '2026-03-31 14:05:00+00')`, s.account)
	require.NoError(t, err)
	page := v.get("/console/settings").Body
	assert.Contains(t, page, "At Asaas, read 31/03/2026 11:05")
	assert.Contains(t, page, ">interrupted<")
	assert.Contains(t, page, "15 failed deliveries in a row")
}

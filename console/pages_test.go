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
		"/console/payouts", "/console/audit", "/console/webhook-events", "/console/bills"}
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

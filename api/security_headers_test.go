package api

import (
	"net/http"
	"strings"
	"testing"

	"billing/testenv"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every answer, whatever route, status or content type, says nosniff and no-store;
// HTML answers get the strict CSP too.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newAPIEnv(t)
	e.srv.deps.Temporal = testenv.Temporal(t)
	a := e.account(t, "Acme", true)
	// What the console (coming under /console/) will serve, and a handler that fails.
	e.srv.engine.GET("/console/probe", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<p>ok</p>")) })
	e.srv.engine.GET("/console/own-policy", func(c *gin.Context) {
		c.Header("Content-Security-Policy", "default-src 'none'")
		c.Data(http.StatusOK, "text/html", []byte("<p>ok</p>"))
	})
	e.srv.engine.GET("/console/fails", func(*gin.Context) { panic("boom") })

	tests := []struct {
		name, token, method, path string
		headers                   []string
		status                    int
		html                      bool
	}{
		{"liveness", "", "GET", "/healthz", nil, http.StatusOK, false},
		{"readiness", "", "GET", "/readyz", nil, http.StatusOK, false},
		{"openapi", "", "GET", "/v1/openapi.json", nil, http.StatusOK, false},
		{"api list", a.Token, "GET", "/v1/clients", nil, http.StatusOK, false},
		{"api csv", a.Token, "GET", "/v1/payouts/report?format=csv", nil, http.StatusOK, false},
		{"api without token", "", "GET", "/v1/clients", nil, http.StatusUnauthorized, false},
		{"api validation error", a.Token, "GET", "/v1/clients?limit=0", nil, http.StatusUnprocessableEntity, false},
		{"webhook without token", "", "POST", "/webhooks/asaas", nil, http.StatusUnauthorized, false},
		{"webhook with a wrong token", "", "POST", "/webhooks/asaas", []string{"asaas-access-token", "nobody-has-this-secret"}, http.StatusUnauthorized, false},
		{"no such route", "", "GET", "/v1/nothing-here", nil, http.StatusNotFound, false},
		{"method not allowed", "", "DELETE", "/healthz", nil, http.StatusMethodNotAllowed, false},
		{"panic", "", "GET", "/console/fails", nil, http.StatusInternalServerError, false},
		{"html page", "", "GET", "/console/probe", nil, http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := e.call
			if strings.HasPrefix(tt.path, "/console/") {
				call = e.callOutsideTheDocument // routes this test adds, not the API's
			}
			r := call(t, tt.token, tt.method, tt.path, nil, tt.headers...)
			require.Equal(t, tt.status, r.Code, "%s", r)
			assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
			assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
			if !tt.html {
				assert.Empty(t, r.Header.Get("Content-Security-Policy"), "not HTML")
				return
			}
			csp := r.Header.Get("Content-Security-Policy")
			assert.Equal(t, HTMLContentSecurityPolicy, csp)
			assert.Equal(t, "DENY", r.Header.Get("X-Frame-Options"))
			assert.Equal(t, "no-referrer", r.Header.Get("Referrer-Policy"))
		})
	}
	r := e.callOutsideTheDocument(t, "", "GET", "/console/own-policy", nil)
	assert.Equal(t, "default-src 'none'", r.Header.Get("Content-Security-Policy"), "a page's own policy is kept")
}

// The HTML policy is strict: nothing from elsewhere, no inline or eval'd script, no framing.
func TestHTMLContentSecurityPolicyIsStrict(t *testing.T) {
	directives := map[string]string{}
	for _, d := range strings.Split(HTMLContentSecurityPolicy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	assert.Equal(t, "'none'", directives["default-src"])
	assert.Equal(t, "'none'", directives["frame-ancestors"])
	assert.Equal(t, "'none'", directives["base-uri"])
	assert.Equal(t, "'self'", directives["script-src"])
	assert.Equal(t, "'self'", directives["form-action"])
	for _, unsafe := range []string{"unsafe-inline", "unsafe-eval", "*", "http:", "https:"} {
		assert.NotContains(t, HTMLContentSecurityPolicy, unsafe)
	}
}

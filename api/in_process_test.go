package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"billing/tenant"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A request marked in process (the console) is authenticated by the same query as a
// bearer token: the token's account, 401 once it is revoked, 403 when billing is off.
func TestInProcessRequestsAuthenticateLikeBearerTokens(t *testing.T) {
	e := newAPIEnv(t)
	acme := e.account(t, "Acme", true)
	off := e.account(t, "Off", false)
	e.must(t, http.StatusCreated, acme.Token, "POST", "/v1/payees", anaPayee)

	inProcess := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/payees", nil)
		req = req.WithContext(WithTokenHash(req.Context(), tenant.HashToken(token)))
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	rec := inProcess(acme.Token)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), "Ana Souza")
	assert.Equal(t, http.StatusForbidden, inProcess(off.Token).Code)
	assert.Equal(t, http.StatusUnauthorized, inProcess("bil_unknown").Code)

	_, err := e.pool.Exec(context.Background(), "UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1", acme.AccountID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, inProcess(acme.Token).Code, "a revoked token ends in-process access too")

	t.Run("the token hash is no credential from the network", func(t *testing.T) {
		rival := e.account(t, "Rival", true)
		hash := tenant.HashToken(rival.Token)
		for _, header := range []string{"Bearer " + string(hash), "Bearer " + string(rival.Token[:10])} {
			r := e.call(t, "", "GET", "/v1/payees", nil, "Authorization", header)
			assert.Equal(t, http.StatusUnauthorized, r.Code)
		}
	})
}

// Mounted front doors are served beside the API; every other path reaches the API
// untouched, and the router's routes stay the REST API's.
func TestMountServesBesideTheAPI(t *testing.T) {
	e := newAPIEnv(t)
	routes := len(e.srv.Routes())
	e.srv.Mount("/console/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("console")) }))
	e.srv.Mount("/", http.RedirectHandler("/console/", http.StatusSeeOther))
	assert.Equal(t, routes, len(e.srv.Routes()), "mounts are not gin routes")

	cases := []struct{ path, want string }{
		{"/console/", "console"}, {"/console/contracts/x", "console"}, {"/", "/console/"}, {"/healthz", `"ok"`}, {"/consoles", "not-found"},
	}
	for _, tc := range cases {
		rec := httptest.NewRecorder()
		e.srv.Root().ServeHTTP(rec, httptest.NewRequest("GET", tc.path, nil))
		assert.Contains(t, rec.Body.String()+rec.Header().Get("Location"), tc.want, tc.path)
	}
}

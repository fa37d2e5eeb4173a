package api

import (
	"context"
	"net/http"
	"testing"

	"billing/db/dbgen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	e := newAPIEnv(t)
	ctx := context.Background()
	ok := e.account(t, "Acme", true)
	disabled := e.account(t, "Dormant", false)
	revoked := e.account(t, "Gone", true)
	_, err := e.pool.Exec(ctx, "UPDATE api_tokens SET revoked_at = now() WHERE account_id = $1", revoked.AccountID)
	require.NoError(t, err)

	routes := []struct{ method, path string }{
		{"GET", "/v1/clients"},
		{"POST", "/v1/clients"},
		{"GET", "/v1/settings/asaas"},
		{"GET", "/v1/contracts/8f7c7c39-5c46-4d2e-9f4a-2a1d3c1e0b11"},
		{"POST", "/v1/payouts"},
	}
	cases := []struct {
		name          string
		authorization string
		status        int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"another scheme", "Basic " + ok.Token, http.StatusUnauthorized},
		{"empty bearer", "Bearer ", http.StatusUnauthorized},
		{"unknown token", "Bearer bil_not-a-real-token", http.StatusUnauthorized},
		{"token with a character changed", "Bearer " + ok.Token[:len(ok.Token)-1] + "x", http.StatusUnauthorized},
		{"revoked token", "Bearer " + revoked.Token, http.StatusUnauthorized},
		{"billing module disabled", "Bearer " + disabled.Token, http.StatusForbidden},
	}
	body := map[string]any{"name": "X", "cpf_cnpj": "52998224725"}
	for _, tc := range cases {
		for _, rt := range routes {
			t.Run(tc.name+" "+rt.method+" "+rt.path, func(t *testing.T) {
				before := e.counts(t)
				r := e.call(t, "", rt.method, rt.path, body, "Authorization", tc.authorization)
				require.Equal(t, tc.status, r.Code, r.String())
				assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
				if tc.status == http.StatusUnauthorized {
					assert.Equal(t, `Bearer realm="billing"`, r.Header.Get("WWW-Authenticate"))
				}
				assert.Equal(t, before, e.counts(t))
			})
		}
	}

	t.Run("a valid token of an enabled account passes, and enabling the module lets the other in", func(t *testing.T) {
		e.must(t, http.StatusOK, ok.Token, "GET", "/v1/clients", nil)
		e.must(t, http.StatusOK, "", "GET", "/v1/clients", nil, "Authorization", "bearer "+ok.Token) // scheme is case-insensitive
		_, err := dbgen.New(e.pool).SetAccountBillingEnabled(ctx, dbgen.SetAccountBillingEnabledParams{ID: disabled.AccountID, BillingEnabled: true})
		require.NoError(t, err)
		e.must(t, http.StatusOK, disabled.Token, "GET", "/v1/clients", nil)
	})
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every authenticated route of openapi.yaml, called with the account's real ids and a
// valid body but without a usable token: 401 with WWW-Authenticate, a problem+json
// body that shows nothing of the account, and nothing written. (Another account's
// valid token on every route is TestAnotherAccountSeesNothingOnAnyRoute.)
func TestEveryRouteRefusesMissingAndMalformedTokens(t *testing.T) {
	s := newSecurityEnv(t)
	routes := s.writeRoutes()
	authorizations := map[string]string{
		"no header":                   "",
		"scheme only":                 "Bearer",
		"blank token":                 "Bearer    ",
		"another scheme":              "Basic " + s.Token,
		"token without scheme":        s.Token,
		"token with a character more": "Bearer " + s.Token + "x",
		"token cut short":             "Bearer " + s.Token[:len(s.Token)-1],
		"token in upper case":         "Bearer " + strings.ToUpper(s.Token),
		"two tokens":                  "Bearer " + s.Token + " " + s.Token,
		"sql injection":               "Bearer ' OR '1'='1' --",
		"sql drop":                    "Bearer x'; DROP TABLE api_tokens; --",
		"NUL":                         "Bearer " + s.Token + "\x00",
		"invalid UTF-8":               "Bearer bil_\xff\xfe",
		"emoji":                       "Bearer bil_🔑",
		"very long":                   "Bearer bil_" + strings.Repeat("A", 64<<10),
	}
	unauthenticated := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /v1/openapi.json": true, "POST /webhooks/asaas": true}
	secrets := []string{s.AccountID.String(), s.client, s.walletPayee, s.contract, s.payout, "Cliente Exemplo", "Ana Souza"}
	exercised := 0
	for _, op := range openapiOperations(t, openapiDoc(t)) {
		if unauthenticated[op.route()] {
			continue
		}
		exercised++
		for name, authorization := range authorizations {
			t.Run(op.route()+" "+name, func(t *testing.T) {
				var body any
				if wr, ok := routes[op.route()]; ok {
					body = wr.bodies[0](t)
				}
				before := rowCounts(t, s.apiEnv)
				r := s.call(t, "", op.method, s.pathFor(op.pattern), body, "Authorization", authorization)
				require.Equal(t, http.StatusUnauthorized, r.Code, "%s", r)
				assert.Equal(t, `Bearer realm="billing"`, r.Header.Get("WWW-Authenticate"))
				assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
				for _, secret := range secrets {
					assert.NotContains(t, r.String(), secret)
				}
				assert.Equal(t, before, rowCounts(t, s.apiEnv), "nothing written")
			})
		}
	}
	assert.Greater(t, exercised, 25, "routes exercised")
	assert.Zero(t, s.engine.callCount(), "no contract action reached the engine")
	assert.Empty(t, s.tester.calls, "no Asaas connection was tested")
	// The token itself works: the refusals above are about the token, not the request.
	s.must(t, http.StatusOK, s.Token, "GET", "/v1/clients/"+s.client, nil)
}

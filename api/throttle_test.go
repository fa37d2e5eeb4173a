package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"billing/db/dbgen"
	"billing/secret"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Three failures in a row, then one more try a second.
var testThrottle = ThrottleLimits{Failures: 3, Window: 3 * time.Second}

func newThrottledEnv(t *testing.T, limits ThrottleLimits, proxies ...string) *apiEnv {
	e := newAPIEnv(t)
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: testenv.Temporal(t), Logger: slog.New(slog.DiscardHandler),
		SecretKey: testSecretKey, Throttle: limits, TrustedProxies: proxies})
	return e
}

// from sends a request from the client address ip; headers are name, value pairs.
func (e *apiEnv) from(t *testing.T, ip, method, path string, body []byte, headers ...string) resp {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = ip + ":40000"
	if ip[0] == '[' || bytes.ContainsRune([]byte(ip), ':') {
		req.RemoteAddr = "[" + ip + "]:40000"
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return resp{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

func requireThrottled(t *testing.T, r resp) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, r.Code, "%s", r)
	seconds, err := strconv.Atoi(r.Header.Get("Retry-After"))
	require.NoError(t, err, "Retry-After is whole seconds: %q", r.Header.Get("Retry-After"))
	assert.Equal(t, 1, seconds, "one try comes back a second after the last failure")
	assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
	assert.Contains(t, r.String(), "urn:billing:problem:too-many-requests")
}

func TestRepeatedTokenFailuresAreThrottled(t *testing.T) {
	e := newThrottledEnv(t, testThrottle)
	victim := e.account(t, "Acme", true)
	office := e.account(t, "Office", true)
	const attacker, other = "203.0.113.5", "198.51.100.7"

	// Someone at the attacker's address (one NAT) authenticated before the attack.
	require.Equal(t, http.StatusOK, e.from(t, attacker, "GET", "/v1/clients", nil, bearer(office.Token)...).Code)
	for i, token := range []string{"bil_guess1", victim.Token + "x", "bil_guess3"} {
		r := e.from(t, attacker, "GET", "/v1/clients", nil, bearer(token)...)
		require.Equal(t, http.StatusUnauthorized, r.Code, "failure %d is a plain 401: %s", i+1, r)
	}
	requireThrottled(t, e.from(t, attacker, "GET", "/v1/clients", nil, bearer("bil_guess4")...))
	requireThrottled(t, e.from(t, attacker, "GET", "/v1/clients", nil))
	requireThrottled(t, e.from(t, attacker, "POST", "/v1/clients", []byte(`{"name":"x","cpf_cnpj":"24971563792"}`), bearer("bil_guess5")...))
	requireThrottled(t, e.from(t, attacker, "GET", "/v1/clients", nil, bearer(victim.Token)...))

	// Valid clients are unaffected: the office's token that worked from that address,
	// anyone from another address (who has a budget of its own).
	assert.Equal(t, http.StatusOK, e.from(t, attacker, "GET", "/v1/clients", nil, bearer(office.Token)...).Code)
	assert.Equal(t, http.StatusOK, e.from(t, other, "GET", "/v1/clients", nil, bearer(victim.Token)...).Code)
	assert.Equal(t, http.StatusUnauthorized, e.from(t, other, "GET", "/v1/clients", nil, bearer("bil_nope")...).Code)
	assert.Equal(t, http.StatusOK, e.from(t, attacker, "GET", "/v1/openapi.json", nil).Code, "unauthenticated routes are not throttled")
	assert.Equal(t, http.StatusOK, e.from(t, attacker, "GET", "/healthz", nil).Code)

	// After Retry-After, one more try; failing it throttles again.
	time.Sleep(1100 * time.Millisecond)
	assert.Equal(t, http.StatusUnauthorized, e.from(t, attacker, "GET", "/v1/clients", nil, bearer("bil_guess6")...).Code)
	requireThrottled(t, e.from(t, attacker, "GET", "/v1/clients", nil, bearer("bil_guess7")...))
	var clients int
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM clients").Scan(&clients))
	assert.Zero(t, clients, "nothing was written")
}

// A token that stops working (revoked) loses its pass at once.
func TestRevokedTokenLosesItsPass(t *testing.T) {
	e := newThrottledEnv(t, testThrottle)
	a := e.account(t, "Acme", true)
	const ip = "203.0.113.20"
	created := e.from(t, ip, "POST", "/v1/tokens", []byte(`{"name":"short"}`), bearer(a.Token)...)
	require.Equal(t, http.StatusCreated, created.Code, "%s", created)
	token := created.obj(t)["token"].(string)
	require.Equal(t, http.StatusOK, e.from(t, ip, "GET", "/v1/tokens", nil, bearer(token)...).Code)
	require.Equal(t, http.StatusOK, e.from(t, ip, "DELETE", "/v1/tokens/"+created.obj(t)["id"].(string), nil, bearer(a.Token)...).Code)
	for range 3 {
		require.Equal(t, http.StatusUnauthorized, e.from(t, ip, "GET", "/v1/tokens", nil, bearer(token)...).Code)
	}
	requireThrottled(t, e.from(t, ip, "GET", "/v1/tokens", nil, bearer(token)...))
	assert.Equal(t, http.StatusOK, e.from(t, ip, "GET", "/v1/tokens", nil, bearer(a.Token)...).Code, "the token that still works")
}

func (e *apiEnv) webhookAccount(t *testing.T, name, webhookSecret string) {
	u := e.account(t, name, true)
	sealed, err := secret.Seal(testSecretKey, []byte("$aact_hmlg_"+name), u.AccountID[:])
	require.NoError(t, err)
	_, err = dbgen.New(e.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{
		AccountID: u.AccountID, ApiKeyCiphertext: sealed, ApiKeyLast4: "1234", Environment: "sandbox",
		WebhookSecretHash: secret.WebhookSecretHash(testSecretKey, webhookSecret), UpdatedBy: u.UserID})
	require.NoError(t, err)
}

func delivery() []byte {
	return fmt.Appendf(nil, `{"id":"evt_%s","event":"PAYMENT_CREATED","payment":{"id":"pay_%s","status":"PENDING"}}`,
		uuid.NewString()[:8], uuid.NewString()[:8])
}

// Asaas delivers every account's webhooks from a few addresses: wrong secrets from
// one of them get throttled, the secrets that worked from there keep working.
func TestRepeatedWebhookSecretFailuresAreThrottled(t *testing.T) {
	e := newThrottledEnv(t, testThrottle)
	e.webhookAccount(t, "Acme", "acme-webhook-secret-0001")
	e.webhookAccount(t, "Beta", "beta-webhook-secret-0002")
	const asaasIP, otherIP = "18.231.0.10", "52.67.0.20"
	hook := func(ip, secret string) resp {
		return e.from(t, ip, "POST", "/webhooks/asaas", delivery(), "Content-Type", "application/json", webhookTokenHeader, secret)
	}
	require.Equal(t, http.StatusOK, hook(asaasIP, "acme-webhook-secret-0001").Code)
	for i := range 3 {
		require.Equal(t, http.StatusUnauthorized, hook(asaasIP, fmt.Sprintf("guess-%d-0000000000", i)).Code)
	}
	requireThrottled(t, hook(asaasIP, "guess-4-0000000000"))
	requireThrottled(t, e.from(t, asaasIP, "POST", "/webhooks/asaas", delivery()))
	assert.Equal(t, http.StatusOK, hook(asaasIP, "acme-webhook-secret-0001").Code, "a secret that worked from this address")
	// A secret never seen from the throttled address waits like any other (Asaas
	// retries a 429 later); from elsewhere it is served.
	requireThrottled(t, hook(asaasIP, "beta-webhook-secret-0002"))
	assert.Equal(t, http.StatusOK, hook(otherIP, "beta-webhook-secret-0002").Code)
	// The webhook's budget is its own: the API is not throttled for that address.
	assert.Equal(t, http.StatusUnauthorized, e.from(t, asaasIP, "GET", "/v1/clients", nil, bearer("bil_x")...).Code)
}

func TestThrottleKnowsClientsByAddress(t *testing.T) {
	exhaust := func(t *testing.T, e *apiEnv, ip string, headers ...string) {
		for range 3 {
			require.Equal(t, http.StatusUnauthorized, e.from(t, ip, "GET", "/v1/clients", nil, append(bearer("bil_bad"), headers...)...).Code)
		}
		requireThrottled(t, e.from(t, ip, "GET", "/v1/clients", nil, append(bearer("bil_bad"), headers...)...))
	}
	t.Run("X-Forwarded-For from anyone is ignored", func(t *testing.T) {
		e := newThrottledEnv(t, testThrottle)
		exhaust(t, e, "203.0.113.5", "X-Forwarded-For", "192.0.2.1")
		requireThrottled(t, e.from(t, "203.0.113.5", "GET", "/v1/clients", nil, "X-Forwarded-For", "192.0.2.99", "X-Real-IP", "192.0.2.98"))
	})
	t.Run("an IPv6 client is its /64", func(t *testing.T) {
		e := newThrottledEnv(t, testThrottle)
		exhaust(t, e, "2001:db8:1:2::1")
		requireThrottled(t, e.from(t, "2001:db8:1:2:ffff:ffff:ffff:fffe", "GET", "/v1/clients", nil, bearer("bil_bad")...))
		assert.Equal(t, http.StatusUnauthorized, e.from(t, "2001:db8:1:3::1", "GET", "/v1/clients", nil, bearer("bil_bad")...).Code)
	})
	t.Run("behind a trusted proxy the client is X-Forwarded-For", func(t *testing.T) {
		e := newThrottledEnv(t, testThrottle, "10.0.0.0/8")
		exhaust(t, e, "10.0.0.2", "X-Forwarded-For", "203.0.113.9")
		requireThrottled(t, e.from(t, "10.0.0.3", "GET", "/v1/clients", nil, "X-Forwarded-For", "203.0.113.9"))
		assert.Equal(t, http.StatusUnauthorized, e.from(t, "10.0.0.2", "GET", "/v1/clients", nil, append(bearer("bil_bad"), "X-Forwarded-For", "203.0.113.10")...).Code)
		// An untrusted sender's X-Forwarded-For is not believed.
		exhaust(t, e, "198.51.100.1", "X-Forwarded-For", "203.0.113.50")
		requireThrottled(t, e.from(t, "198.51.100.1", "GET", "/v1/clients", nil, "X-Forwarded-For", "203.0.113.51"))
	})
}

func TestThrottleOffAtZero(t *testing.T) {
	e := newThrottledEnv(t, ThrottleLimits{})
	for i := range 50 {
		require.Equal(t, http.StatusUnauthorized, e.from(t, "203.0.113.5", "GET", "/v1/clients", nil, bearer("bil_bad")...).Code, "try %d", i)
	}
}

// However many addresses fail, the table stays bounded.
func TestThrottleTableIsBounded(t *testing.T) {
	th := newThrottle(ThrottleLimits{Failures: 3, Window: time.Hour}, slog.New(slog.DiscardHandler))
	th.maxSize = 100
	for i := range 1000 {
		th.failed(fmt.Sprintf("198.51.%d.%d", i/256, i%256), nil)
		require.LessOrEqual(t, len(th.clients), th.maxSize)
	}
	th.failed("203.0.113.5", nil)
	th.failed("203.0.113.5", nil)
	th.failed("203.0.113.5", nil)
	assert.Positive(t, th.wait("203.0.113.5", nil), "the newest client is still counted")
}

package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"billing/db/dbgen"
	"billing/secret"
	"billing/temporaldev"
	"billing/testenv"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// webhookEnv is the receiver with real PostgreSQL and a real Temporal server (no
// worker: acceptance is what the handler promises, processing is the workflow's).
type webhookEnv struct {
	t    *testing.T
	pool *pgxpool.Pool
	tc   client.Client
	srv  *Server
}

func newWebhookEnv(t *testing.T, tc client.Client) *webhookEnv {
	e := &webhookEnv{t: t, pool: testenv.Postgres(t), tc: tc}
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: tc, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})
	return e
}

// account creates an account whose Asaas webhook secret is webhookSecret.
func (e *webhookEnv) account(t *testing.T, name, webhookSecret string, enabled bool) uuid.UUID {
	api := &apiEnv{pool: e.pool}
	u := api.account(t, name, enabled)
	sealed, err := secret.Seal(testSecretKey, []byte("$aact_hmlg_"+name), u.AccountID[:])
	require.NoError(t, err)
	_, err = dbgen.New(e.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{
		AccountID: u.AccountID, ApiKeyCiphertext: sealed, ApiKeyLast4: "1234", Environment: "sandbox",
		WebhookSecretHash: secret.WebhookSecretHash(testSecretKey, webhookSecret), UpdatedBy: u.UserID})
	require.NoError(t, err)
	return u.AccountID
}

func (e *webhookEnv) post(token string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/asaas", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set(webhookTokenHeader, token)
	}
	rec := httptest.NewRecorder()
	checked(e.t, e.srv.Handler()).ServeHTTP(rec, req)
	return rec
}

func (e *webhookEnv) events(t *testing.T, account uuid.UUID) map[string]string {
	rows, err := e.pool.Query(context.Background(), "SELECT event_key, status FROM webhook_events WHERE account_id = $1", account)
	require.NoError(t, err)
	out := map[string]string{}
	for rows.Next() {
		var k, s string
		require.NoError(t, rows.Scan(&k, &s))
		out[k] = s
	}
	return out
}

func (e *webhookEnv) workflowExists(t *testing.T, account uuid.UUID, key string) bool {
	_, err := e.tc.DescribeWorkflowExecution(context.Background(), workflows.AsaasEventWorkflowID(account.String(), key), "")
	return err == nil
}

func paymentBody(id, event string) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event":%q,"dateCreated":"2026-07-20 10:00:00","newTopLevelField":{"x":1},
		"payment":{"object":"payment","id":"pay_abc","value":100,"netValue":98.01,"status":"RECEIVED","billingType":"PIX",
		"externalReference":null,"someNewField":"ignored"}}`, id, event))
}

func TestWebhookAcceptsOnceAndDedupes(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	other := e.account(t, "Other", "other-webhook-secret-002", true)

	body := paymentBody("evt_"+uuid.NewString(), "PAYMENT_RECEIVED")
	first := e.post("acme-webhook-secret-0001", body)
	require.Equal(t, http.StatusOK, first.Code, first.Body.String())
	assert.Contains(t, first.Body.String(), `"accepted"`)
	second := e.post("acme-webhook-secret-0001", body) // Asaas redelivers (at least once)
	require.Equal(t, http.StatusOK, second.Code)
	assert.Contains(t, second.Body.String(), `"duplicate"`)

	events := e.events(t, acct)
	require.Len(t, events, 1, "one stored event for two deliveries")
	for key := range events {
		assert.True(t, e.workflowExists(t, acct, key))
	}
	assert.Empty(t, e.events(t, other), "nothing reaches another account")

	// No id in the payload (the seed's example): the body's hash is the key.
	anonymous := []byte(`{"event":"PAYMENT_CREATED","payment":{"id":"pay_x","value":10,"netValue":8.01,"status":"PENDING"}}`)
	require.Equal(t, http.StatusOK, e.post("acme-webhook-secret-0001", anonymous).Code)
	require.Equal(t, http.StatusOK, e.post("acme-webhook-secret-0001", anonymous).Code)
	assert.Len(t, e.events(t, acct), 2)
	assert.True(t, e.workflowExists(t, acct, workflows.EventKey("", anonymous)))
}

func TestWebhookRejectsAndRecordsNothing(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	huge := append([]byte(`{"event":"PAYMENT_RECEIVED","pad":"`), bytes.Repeat([]byte("x"), 1<<20)...)
	huge = append(huge, `"}`...)
	deep := []byte(`{"event":"PAYMENT_RECEIVED","payment":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`)
	cases := []struct {
		name   string
		token  string
		body   []byte
		status int
	}{
		{"no token", "", paymentBody("evt_1", "PAYMENT_RECEIVED"), http.StatusUnauthorized},
		{"wrong token", "not-the-secret-at-all-000", paymentBody("evt_2", "PAYMENT_RECEIVED"), http.StatusUnauthorized},
		{"over 1 MiB", "acme-webhook-secret-0001", huge, http.StatusRequestEntityTooLarge},
		{"not JSON", "acme-webhook-secret-0001", []byte("event=PAYMENT_RECEIVED"), http.StatusBadRequest},
		{"no event", "acme-webhook-secret-0001", []byte(`{"id":"evt_3","payment":{}}`), http.StatusBadRequest},
		{"a JSON array", "acme-webhook-secret-0001", []byte(`[{"event":"PAYMENT_RECEIVED"}]`), http.StatusBadRequest},
		{"deeply nested", "acme-webhook-secret-0001", deep, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.post(tc.token, tc.body)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		})
	}
	assert.Empty(t, e.events(t, acct), "a rejected delivery records nothing")
	assert.False(t, e.workflowExists(t, acct, "evt_1"))
}

func TestWebhookForDisabledAccountIsAcknowledgedAndIgnored(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	acct := e.account(t, "Sleepy", "sleepy-webhook-secret-01", false)
	rec := e.post("sleepy-webhook-secret-01", paymentBody("evt_off", "PAYMENT_RECEIVED"))
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), `"ignored"`)
	assert.Equal(t, map[string]string{"evt_off": "ignored"}, e.events(t, acct))
	assert.False(t, e.workflowExists(t, acct, "evt_off"))
}

func TestWebhookAnswers503WhenTemporalIsDownAndAcceptsTheRetry(t *testing.T) {
	dead, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	down, err := client.NewLazyClient(client.Options{HostPort: dead})
	require.NoError(t, err)
	defer down.Close()
	e := newWebhookEnv(t, down)
	acct := e.account(t, "Acme", "acme-webhook-secret-0001", true)
	body := paymentBody("evt_retry", "PAYMENT_RECEIVED")
	rec := e.post("acme-webhook-secret-0001", body)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, "never 200 for an event Temporal did not take")

	// Asaas retries once Temporal is back: the stored row is reused and the event accepted.
	up := testenv.Temporal(t)
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: up, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})
	e.tc = up
	rec = e.post("acme-webhook-secret-0001", body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.True(t, e.workflowExists(t, acct, "evt_retry"))
	assert.Len(t, e.events(t, acct), 1)
}

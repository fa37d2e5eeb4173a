package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"billing/metrics/metricstest"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scrapeMetrics reads GET /metrics as a Prometheus server would (no token).
func scrapeMetrics(t *testing.T, s *Server) metricstest.Scrape {
	t.Helper()
	return metricstest.Get(t, s.Root(), "/metrics")
}

// Every answer of the webhook endpoint is counted once, by outcome, in the API's
// /metrics: the handler's outcomes, the duplicate-key refusal, the 401s answered
// before the body is read, refused bodies and the 503s. The signal an accepted
// delivery hands to its contract shows among the Temporal SDK's metrics.
func TestMetricsCountWebhookDeliveriesByOutcome(t *testing.T) {
	e := newWebhookEnv(t, testenv.Temporal(t))
	const token = "acme-webhook-secret-0001"
	e.account(t, "Acme", token, true)
	contract := e.contract(t)
	withoutKey := &webhookEnv{t: t, pool: e.pool, tc: e.tc,
		srv: NewServer(Deps{Pool: e.pool, Temporal: e.tc, Logger: slog.New(slog.DiscardHandler)})}

	paid := paymentBody("evt_"+uuid.NewString(), "PAYMENT_RECEIVED", contract, 1)
	notOurs := eventBody(map[string]string{"id": quoted("evt_" + uuid.NewString())}, map[string]string{"externalReference": `"order-42"`})
	bill := []byte(fmt.Sprintf(`{"id":%q,"event":"BILL_PAID","dateCreated":"2026-07-24 12:00:05","bill":{"object":"bill","id":"bill_m1","status":"PAID","value":29.90,"dueDate":"2026-07-31"}}`,
		"evt_"+uuid.NewString()))
	keyTwice := []byte(`{"id":"evt_twice","event":"PAYMENT_RECEIVED","payment":{"id":"pay_1","value":100},"PAYMENT":{"id":"pay_1","value":0.01}}`)
	huge := append([]byte(`{"event":"PAYMENT_RECEIVED","pad":"`), bytes.Repeat([]byte("x"), 1<<20)...)

	cases := []struct {
		name    string
		via     *webhookEnv
		token   string
		body    []byte
		status  int
		outcome string
	}{
		{"a payment for a contract", e, token, paid, http.StatusOK, "accepted"},
		{"the same event again", e, token, paid, http.StatusOK, "duplicate"},
		{"a payment of a charge billing did not create", e, token, notOurs, http.StatusOK, "ignored"},
		{"a bill event", e, token, bill, http.StatusOK, "processed"},
		{"a key twice", e, token, keyTwice, http.StatusBadRequest, "rejected"},
		{"no token", e, "", paid, http.StatusUnauthorized, "unauthorized"},
		{"a wrong token", e, "not-the-secret-at-all-000", paid, http.StatusUnauthorized, "unauthorized"},
		{"not JSON", e, token, []byte("event=PAYMENT_RECEIVED"), http.StatusBadRequest, "invalid"},
		{"over 1 MiB", e, token, huge, http.StatusRequestEntityTooLarge, "invalid"},
		{"no secret key to check it with", withoutKey, token, paid, http.StatusServiceUnavailable, "unavailable"},
	}
	const family = "billing_webhook_deliveries_total"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := scrapeMetrics(t, e.srv)
			rec := tc.via.post(tc.token, tc.body)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			after := scrapeMetrics(t, e.srv)
			assert.Equal(t, 1.0, after.Value(family, "outcome", tc.outcome)-before.Value(family, "outcome", tc.outcome))
			assert.Equal(t, 1.0, after.Value(family)-before.Value(family), "counted once")
			route := []string{"route", "/webhooks/asaas", "status", fmt.Sprint(tc.status)}
			assert.Equal(t, 1.0, after.Value("billing_http_request_duration_seconds", route...)-
				before.Value("billing_http_request_duration_seconds", route...), "timed by route")
		})
	}

	e.settled()
	signal := []string{"operation", "SignalWorkflowExecution", "namespace", "default"}
	assert.Positive(t, scrapeMetrics(t, e.srv).Value("temporal_request_total", signal...), "the Temporal SDK's own metrics")
}

// HTTP requests are timed by route template: an id in the path never becomes a
// label; a path no route matches is "unmatched".
func TestMetricsTimeRequestsByRouteTemplate(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	const family = "billing_http_request_duration_seconds"
	cases := []struct {
		name, path         string
		status             int
		route, statusLabel string
	}{
		{"an unknown id", "/v1/clients/" + uuid.NewString(), http.StatusNotFound, "/v1/clients/:id", "404"},
		{"another unknown id, same series", "/v1/clients/" + uuid.NewString(), http.StatusNotFound, "/v1/clients/:id", "404"},
		{"a list", "/v1/clients", http.StatusOK, "/v1/clients", "200"},
		{"no such route", "/v1/nothing/" + uuid.NewString(), http.StatusNotFound, "unmatched", "404"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := scrapeMetrics(t, e.srv)
			r := e.callOutsideTheDocument(t, u.Token, http.MethodGet, tc.path, nil)
			require.Equal(t, tc.status, r.Code, r.String())
			after := scrapeMetrics(t, e.srv)
			labels := []string{"method", "GET", "route", tc.route, "status", tc.statusLabel}
			assert.Equal(t, 1.0, after.Value(family, labels...)-before.Value(family, labels...))
		})
	}
	for _, route := range scrapeMetrics(t, e.srv).LabelValues(family, "route") {
		assert.NotRegexp(t, `[0-9a-f]{8}-[0-9a-f]{4}-`, route, "an id became a label")
	}
}

// /metrics is served without a token beside the REST API, not as one of its routes
// (so openapi.yaml, which documents every route, does not list it).
func TestMetricsIsServedBesideTheAPI(t *testing.T) {
	srv := NewServer(Deps{Logger: slog.New(slog.DiscardHandler)})
	s := scrapeMetrics(t, srv)
	for _, family := range []string{"billing_webhook_deliveries_total", "billing_http_request_duration_seconds", "go_goroutines", "process_resident_memory_bytes"} {
		assert.Contains(t, s, family)
	}
	for _, r := range srv.Routes() {
		assert.NotEqual(t, "/metrics", r.Path)
	}
}

package asaassim

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookedAccount is an account whose webhook posts to rc with token "tok-secret".
func hookedAccount(t *testing.T, s *Server, rc *receiver) Account {
	t.Helper()
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, AuthToken: "tok-secret", Enabled: true}))
	return acct
}

func TestWebhookResourceShape(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	acct := hookedAccount(t, s, rc)
	other := s.CreateAccount("B")
	c := newClient(t, ts, acct.APIKey)

	list := c.ok("GET", "/v3/webhooks", nil)
	assert.Equal(t, "list", list["object"])
	assert.Equal(t, float64(1), list["totalCount"])
	assert.Equal(t, false, list["hasMore"])
	require.Len(t, list["data"], 1)
	hook := list["data"].([]any)[0].(map[string]any)
	id := hook["id"].(string)
	assert.Regexp(t, reUUID, id)

	status, raw := c.do("GET", "/v3/webhooks/"+id, nil)
	require.Equal(t, http.StatusOK, status, string(raw))
	assert.Equal(t, []string{"id", "name", "url", "email", "enabled", "interrupted", "apiVersion", "hasAuthToken",
		"sendType", "penalizedRequestsCount", "events"}, parseOrdered(t, raw).keys, "keys in the OpenAPI schema's order")
	assert.NotContains(t, string(raw), "tok-secret", "the token is never shown back")
	got := c.ok("GET", "/v3/webhooks/"+id, nil)
	assert.Equal(t, rc.srv.URL, got["url"])
	assert.Equal(t, true, got["enabled"])
	assert.Equal(t, false, got["interrupted"])
	assert.Equal(t, true, got["hasAuthToken"])
	assert.Equal(t, float64(3), got["apiVersion"])
	assert.Equal(t, "SEQUENTIALLY", got["sendType"])
	assert.Equal(t, float64(0), got["penalizedRequestsCount"])
	assert.Nil(t, got["email"])
	assert.Contains(t, got["events"], "PAYMENT_RECEIVED")

	cases := []struct {
		name, key, path string
		status          int
		code            string
	}{
		{"another account's webhook", other.APIKey, "/v3/webhooks/" + id, http.StatusNotFound, "not_found"},
		{"unknown id", acct.APIKey, "/v3/webhooks/" + webhookID("nobody"), http.StatusNotFound, "not_found"},
		{"no access_token", "", "/v3/webhooks", http.StatusUnauthorized, "invalid_access_token"},
		{"no access_token on one", "", "/v3/webhooks/" + id, http.StatusUnauthorized, "invalid_access_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _ := newClient(t, ts, tc.key).fail(tc.status, "GET", tc.path, nil)
			assert.Equal(t, tc.code, code)
		})
	}
	t.Run("an account without a webhook lists none", func(t *testing.T) {
		l := newClient(t, ts, other.APIKey).ok("GET", "/v3/webhooks", nil)
		assert.Equal(t, float64(0), l["totalCount"])
		assert.Empty(t, l["data"])
	})
}

func TestWebhookResourceInterruptedAfter15FailuresAndReactivatedByPut(t *testing.T) {
	rc := newReceiver(t, func(int) int { return http.StatusInternalServerError })
	s, ts := newSim(t, Options{RetryBase: 20 * time.Microsecond})
	acct := hookedAccount(t, s, rc)
	c := newClient(t, ts, acct.APIKey)
	cust := c.customer()
	first := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"]
	id := c.ok("GET", "/v3/webhooks", nil)["data"].([]any)[0].(map[string]any)["id"].(string)

	waitFor(t, "the queue to be interrupted", func() bool { return c.ok("GET", "/v3/webhooks/"+id, nil)["interrupted"] == true })
	hook := c.ok("GET", "/v3/webhooks/"+id, nil)
	assert.Equal(t, float64(15), hook["penalizedRequestsCount"], "consecutive failures")
	assert.Equal(t, true, hook["enabled"], "interrupted is not disabled")
	second := c.charge(cust, map[string]any{"billingType": "PIX", "value": 20})["id"]

	rc.setAnswer(nil)
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, 15, rc.count(), "an interrupted queue sends nothing")

	hook = c.ok("PUT", "/v3/webhooks/"+id, map[string]any{"interrupted": false})
	assert.Equal(t, false, hook["interrupted"])
	assert.Equal(t, float64(0), hook["penalizedRequestsCount"])
	got := rc.events(t, 2)
	assert.Equal(t, first, paymentOf(got[0])["id"], "kept events go out in order")
	assert.Equal(t, second, paymentOf(got[1])["id"])
}

func TestWebhookResourcePut(t *testing.T) {
	cases := []struct {
		name     string
		body     map[string]any
		code     string // empty: accepted
		check    func(t *testing.T, hook map[string]any)
		paused   bool
		sentNext bool // the next PAYMENT_CREATED reaches the receiver
	}{
		{name: "rename, keep the rest", body: map[string]any{"name": "Billing", "email": "ops@example.com"},
			check: func(t *testing.T, h map[string]any) {
				assert.Equal(t, "Billing", h["name"])
				assert.Equal(t, "ops@example.com", h["email"])
				assert.Equal(t, true, h["hasAuthToken"])
				assert.Equal(t, true, h["enabled"])
			}, sentNext: true},
		{name: "events filter", body: map[string]any{"events": []string{"PAYMENT_RECEIVED"}},
			check: func(t *testing.T, h map[string]any) { assert.Equal(t, []any{"PAYMENT_RECEIVED"}, h["events"]) }},
		{name: "disable", body: map[string]any{"enabled": false},
			check: func(t *testing.T, h map[string]any) { assert.Equal(t, false, h["enabled"]) }},
		{name: "interrupt on purpose", body: map[string]any{"interrupted": true}, paused: true,
			check: func(t *testing.T, h map[string]any) { assert.Equal(t, true, h["interrupted"]) }},
		{name: "empty token removes it", body: map[string]any{"authToken": ""}, sentNext: true,
			check: func(t *testing.T, h map[string]any) { assert.Equal(t, false, h["hasAuthToken"]) }},
		{name: "bad url", body: map[string]any{"url": "ftp://x"}, code: "invalid_url", sentNext: true},
		{name: "bad sendType", body: map[string]any{"sendType": "ALL_AT_ONCE"}, code: "invalid_sendType", sentNext: true},
		{name: "enabled not a bool", body: map[string]any{"enabled": "sim"}, code: "invalid_enabled", sentNext: true},
		{name: "interrupted not a bool", body: map[string]any{"interrupted": 1}, code: "invalid_interrupted", sentNext: true},
		{name: "no events", body: map[string]any{"events": []string{}}, code: "invalid_events", sentNext: true},
		{name: "bad email", body: map[string]any{"email": "nope"}, code: "invalid_email", sentNext: true},
		{name: "first failing field only", body: map[string]any{"url": "x", "sendType": "x"}, code: "invalid_url", sentNext: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			s, ts := newSim(t, Options{})
			acct := hookedAccount(t, s, rc)
			c := newClient(t, ts, acct.APIKey)
			id := c.ok("GET", "/v3/webhooks", nil)["data"].([]any)[0].(map[string]any)["id"].(string)
			before := c.ok("GET", "/v3/webhooks/"+id, nil)
			if tc.code != "" {
				code, _ := c.fail(http.StatusBadRequest, "PUT", "/v3/webhooks/"+id, tc.body)
				assert.Equal(t, tc.code, code)
				assert.Equal(t, before, c.ok("GET", "/v3/webhooks/"+id, nil), "a refused update changes nothing")
			} else {
				hook := c.ok("PUT", "/v3/webhooks/"+id, tc.body)
				tc.check(t, hook)
				assert.Equal(t, hook, c.ok("GET", "/v3/webhooks/"+id, nil), "GET shows what PUT answered")
			}
			st, err := s.Webhook(acct.ID)
			require.NoError(t, err)
			assert.Equal(t, tc.paused, st.Paused)

			p := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
			if tc.sentNext {
				assert.Equal(t, p["id"], paymentOf(rc.next(t))["id"])
				return
			}
			time.Sleep(30 * time.Millisecond)
			assert.Zero(t, rc.count(), "PAYMENT_CREATED is not sent")
		})
	}
}

func TestWebhookResourcePutUnknownOrForeign(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	acct := hookedAccount(t, s, rc)
	other := s.CreateAccount("B")
	id := webhookID(acct.ID)
	code, _ := newClient(t, ts, other.APIKey).fail(http.StatusNotFound, "PUT", "/v3/webhooks/"+id, map[string]any{"interrupted": true})
	assert.Equal(t, "not_found", code)
	st, _ := s.Webhook(acct.ID)
	assert.False(t, st.Paused, "another account cannot pause this queue")
	assert.Equal(t, id, st.ID, "the control view shows the same id")
}

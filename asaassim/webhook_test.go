package asaassim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiver is a webhook endpoint that records every POST and answers the
// status its answer function picks for the n-th request (1-based).
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []hit
	answer func(n int) int
	ch     chan hit
}

type hit struct {
	token    string
	hasToken bool
	raw      []byte
	env      map[string]any
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	rc := &receiver{answer: answer, ch: make(chan hit, 1000)}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		h := hit{token: r.Header.Get("asaas-access-token"), raw: raw}
		_, h.hasToken = r.Header["Asaas-Access-Token"]
		_ = json.Unmarshal(raw, &h.env)
		rc.mu.Lock()
		rc.got = append(rc.got, h)
		n := len(rc.got)
		answer := rc.answer
		rc.mu.Unlock()
		status := http.StatusOK
		if answer != nil {
			status = answer(n)
		}
		w.WriteHeader(status)
		if status == http.StatusOK {
			rc.ch <- h
		}
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) setAnswer(f func(n int) int) {
	rc.mu.Lock()
	rc.answer = f
	rc.mu.Unlock()
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// next waits for the next event answered 200.
func (rc *receiver) next(t *testing.T) hit {
	t.Helper()
	select {
	case h := <-rc.ch:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived within 10s")
		return hit{}
	}
}

// events waits for n accepted events and returns "EVENT paymentId" strings.
func (rc *receiver) events(t *testing.T, n int) []hit {
	t.Helper()
	out := make([]hit, n)
	for i := range out {
		out[i] = rc.next(t)
	}
	return out
}

func eventName(h hit) string { return h.env["event"].(string) }

func paymentOf(h hit) map[string]any { return h.env["payment"].(map[string]any) }

// delivered waits until the account's first n deliveries are delivered (the
// receiver sees a POST before the simulator records its answer) and returns them.
func delivered(t *testing.T, s *Server, accountID string, n int) []Delivery {
	t.Helper()
	var ds []Delivery
	waitFor(t, "deliveries to be recorded", func() bool {
		ds, _ = s.Deliveries(accountID)
		if len(ds) < n {
			return false
		}
		for _, d := range ds[:n] {
			if !d.Delivered {
				return false
			}
		}
		return true
	})
	return ds
}

// waitFor polls cond (the simulator works in the background) for up to 10s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestWebhookEnvelopeIsThePaymentAsGETShowsIt(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, AuthToken: "tok", Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	p := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 100})

	h := rc.next(t)
	env := parseOrdered(t, h.raw)
	assert.Equal(t, []string{"id", "event", "dateCreated", "account", "payment"}, env.keys)
	assert.Regexp(t, `^evt_[0-9a-f]{32}&\d+$`, h.env["id"])
	assert.Equal(t, "PAYMENT_CREATED", h.env["event"])
	assert.Equal(t, "2026-07-14 10:30:00", h.env["dateCreated"])
	assert.Equal(t, map[string]any{"id": acct.ID, "ownerId": nil}, h.env["account"])

	_, getBody := c.do("GET", "/v3/payments/"+p["id"].(string), nil)
	assert.Equal(t, string(getBody), string(env.vals[4].raw(t)), "the payment as GET shows it, byte for byte")
}

// raw re-encodes an ordered node compactly, keeping key order.
func (n *node) raw(t *testing.T) []byte {
	t.Helper()
	var out []byte
	var write func(n *node)
	write = func(n *node) {
		switch n.kind {
		case kindObject:
			out = append(out, '{')
			for i, k := range n.keys {
				if i > 0 {
					out = append(out, ',')
				}
				kb, _ := json.Marshal(k)
				out = append(out, kb...)
				out = append(out, ':')
				write(n.vals[i])
			}
			out = append(out, '}')
		case kindArray:
			out = append(out, '[')
			for i, v := range n.vals {
				if i > 0 {
					out = append(out, ',')
				}
				write(v)
			}
			out = append(out, ']')
		case kindString:
			enc := encodeJSON(n.scalar)
			out = append(out, enc...)
		case kindNull:
			out = append(out, "null"...)
		default:
			out = append(out, n.scalar...)
		}
	}
	write(n)
	return out
}

func TestWebhookTokenHeaderAndAccountIsolation(t *testing.T) {
	rcA := newReceiver(t, nil)
	rcB := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	a := s.CreateAccount("A")
	b := s.CreateAccount("B")
	require.NoError(t, s.SetWebhook(a.ID, WebhookConfig{URL: rcA.srv.URL, AuthToken: "secret-A", Enabled: true}))
	require.NoError(t, s.SetWebhook(b.ID, WebhookConfig{URL: rcB.srv.URL, Enabled: true}))
	ca, cb := newClient(t, ts, a.APIKey), newClient(t, ts, b.APIKey)
	custA, custB := ca.customer(), cb.customer()
	idsA := map[string]bool{}
	idsB := map[string]bool{}
	for range 3 {
		idsA[ca.charge(custA, map[string]any{"billingType": "BOLETO", "value": 50})["id"].(string)] = true
		idsB[cb.charge(custB, map[string]any{"billingType": "PIX", "value": 60})["id"].(string)] = true
	}
	for _, h := range rcA.events(t, 3) {
		assert.True(t, h.hasToken)
		assert.Equal(t, "secret-A", h.token)
		assert.True(t, idsA[paymentOf(h)["id"].(string)], "A's receiver got a charge of A")
		assert.Equal(t, a.ID, h.env["account"].(map[string]any)["id"])
	}
	for _, h := range rcB.events(t, 3) {
		assert.False(t, h.hasToken, "no token configured: no asaas-access-token header")
		assert.True(t, idsB[paymentOf(h)["id"].(string)], "B's receiver got a charge of B")
	}
	waitFor(t, "queues to drain", func() bool {
		sa, _ := s.Webhook(a.ID)
		sb, _ := s.Webhook(b.ID)
		return sa.Queued == 0 && sb.Queued == 0
	})
	assert.Equal(t, 3, rcA.count())
	assert.Equal(t, 3, rcB.count())
}

func TestWebhookRetriesWithBackoffUntil200(t *testing.T) {
	const base = 5 * time.Millisecond
	rc := newReceiver(t, func(n int) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	s, ts := newSim(t, Options{RetryBase: base})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	p := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
	first := rc.next(t)
	assert.Equal(t, p["id"], paymentOf(first)["id"])

	ds := delivered(t, s, acct.ID, 1)
	require.Len(t, ds, 1)
	d := ds[0]
	assert.True(t, d.Delivered)
	assert.Equal(t, "delivered", d.Status)
	assert.Equal(t, first.env["id"], d.EventID)
	assert.Equal(t, p["id"], d.PaymentID)
	require.Len(t, d.Attempts, 4)
	var codes []int
	for _, a := range d.Attempts {
		codes = append(codes, a.StatusCode)
	}
	assert.Equal(t, []int{500, 500, 500, 200}, codes)
	for i := 1; i < len(d.Attempts); i++ {
		wantGap := base << (i - 1) // 5ms, 10ms, 20ms
		assert.GreaterOrEqual(t, d.Attempts[i].At.Sub(d.Attempts[i-1].At), wantGap, "backoff before attempt %d", i+1)
	}
}

func TestWebhookOnly200CountsAsDelivered(t *testing.T) {
	answers := []int{http.StatusNoContent, http.StatusCreated, http.StatusAccepted, http.StatusOK}
	rc := newReceiver(t, func(n int) int { return answers[min(n, len(answers))-1] })
	s, ts := newSim(t, Options{RetryBase: time.Millisecond})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
	rc.next(t)
	ds := delivered(t, s, acct.ID, 1)
	require.Len(t, ds, 1)
	var codes []int
	for _, a := range ds[0].Attempts {
		codes = append(codes, a.StatusCode)
	}
	assert.Equal(t, []int{204, 201, 202, 200}, codes, "2xx other than 200 are retried")
}

func TestWebhookDuplicateDelivery(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{DuplicateRate: 1})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
	got := rc.events(t, 2)
	assert.Equal(t, got[0].env["id"], got[1].env["id"], "same event id twice")
	assert.Equal(t, got[0].raw, got[1].raw, "same payload twice")
	ds := delivered(t, s, acct.ID, 2)
	require.Len(t, ds, 2)
	assert.False(t, ds[0].Duplicate)
	assert.True(t, ds[1].Duplicate)
}

func TestWebhookReorder(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{ReorderRate: 1, RetryBase: 20 * time.Millisecond})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	cust := c.customer()
	p1 := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"]
	p2 := c.charge(cust, map[string]any{"billingType": "PIX", "value": 20})["id"]
	p3 := c.charge(cust, map[string]any{"billingType": "PIX", "value": 30})["id"]
	got := rc.events(t, 3)
	// Rate 1: event 1 is held and goes behind event 2; event 3 is held with no
	// successor and is released after the hold window.
	assert.Equal(t, []any{p2, p1, p3}, []any{paymentOf(got[0])["id"], paymentOf(got[1])["id"], paymentOf(got[2])["id"]})
	ds, _ := s.Deliveries(acct.ID)
	require.Len(t, ds, 3)
	assert.True(t, ds[0].Reordered)
	assert.False(t, ds[1].Reordered)
	assert.True(t, ds[2].Reordered)
}

func TestWebhookQueuePausesAfter15FailuresAndResumes(t *testing.T) {
	rc := newReceiver(t, func(int) int { return http.StatusInternalServerError })
	s, ts := newSim(t, Options{RetryBase: 20 * time.Microsecond})
	acct := s.CreateAccount("A")
	require.NoError(t, s.SetWebhook(acct.ID, WebhookConfig{URL: rc.srv.URL, Enabled: true}))
	c := newClient(t, ts, acct.APIKey)
	cust := c.customer()
	first := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"]
	second := c.charge(cust, map[string]any{"billingType": "PIX", "value": 20})["id"]

	waitFor(t, "the queue to pause", func() bool { st, _ := s.Webhook(acct.ID); return st.Paused })
	st, _ := s.Webhook(acct.ID)
	assert.Equal(t, 15, st.ConsecutiveFailures)
	assert.Equal(t, 2, st.Queued)
	assert.Equal(t, 15, rc.count(), "15 attempts, all on the head event")
	ds, _ := s.Deliveries(acct.ID)
	assert.Len(t, ds[0].Attempts, 15)
	assert.Empty(t, ds[1].Attempts, "sequential: the second event waits behind the first")

	// The receiver recovers, but a paused queue does not retry by itself.
	rc.setAnswer(nil)
	time.Sleep(30 * time.Millisecond) // > 1000 retry bases
	assert.Equal(t, 15, rc.count(), "no attempt while paused")

	require.NoError(t, s.ResumeWebhooks(acct.ID))
	got := rc.events(t, 2)
	assert.Equal(t, first, paymentOf(got[0])["id"])
	assert.Equal(t, second, paymentOf(got[1])["id"])
	ds = delivered(t, s, acct.ID, 2)
	st, _ = s.Webhook(acct.ID)
	assert.False(t, st.Paused)
	assert.Equal(t, 0, st.ConsecutiveFailures)
	assert.Len(t, ds[0].Attempts, 16)
	assert.True(t, ds[0].Delivered)
}

func TestWebhookControlAPI(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	ctl := newClient(t, ts, "")
	acct := ctl.ok("POST", "/_sim/accounts", map[string]any{"name": "Loja", "webhook": map[string]any{"url": rc.srv.URL, "authToken": "t0k", "enabled": true}})
	assert.Regexp(t, `^\$aact_[A-Za-z0-9]{48}$`, acct["apiKey"])
	assert.Regexp(t, reUUID, acct["walletId"])
	assert.Regexp(t, reUUID, acct["id"])
	id := acct["id"].(string)

	c := newClient(t, ts, acct["apiKey"].(string))
	p := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
	assert.Equal(t, "t0k", rc.next(t).token)
	delivered(t, s, id, 1)

	_, raw := ctl.do("GET", "/_sim/accounts/"+id+"/deliveries", nil)
	var ds []Delivery
	require.NoError(t, json.Unmarshal(raw, &ds))
	require.Len(t, ds, 1)
	assert.Equal(t, p["id"], ds[0].PaymentID)
	assert.Equal(t, "PAYMENT_CREATED", ds[0].Event)

	st := ctl.ok("PUT", "/_sim/accounts/"+id+"/webhook", map[string]any{"url": rc.srv.URL, "enabled": false})
	assert.Equal(t, false, st["enabled"])
	assert.Equal(t, false, st["hasAuthToken"])
	c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
	ds, _ = s.Deliveries(id)
	require.Len(t, ds, 2)
	assert.Equal(t, "skipped", ds[1].Status, "a disabled webhook gets nothing")
	ctl.ok("POST", "/_sim/accounts/"+id+"/webhook/resume", nil)
	ctl.fail(404, "GET", "/_sim/accounts/nope/deliveries", nil)
}

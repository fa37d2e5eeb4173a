package asaassim

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func statusesOf(ds []Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Status
	}
	return out
}

func TestWebhookLossRate(t *testing.T) {
	one, zero := 1.0, 0.0
	cases := []struct {
		name     string
		opts     Options
		setup    func(t *testing.T, s *Server, ctl *client, acct Account)
		wantLost bool
	}{
		{name: "Options.LossRate", opts: Options{LossRate: 1}, wantLost: true},
		{name: "PUT /_sim/faults", setup: func(t *testing.T, _ *Server, ctl *client, _ Account) {
			f := ctl.ok("PUT", "/_sim/faults", map[string]any{"lossRate": 1})
			assert.Equal(t, float64(1), f["lossRate"])
		}, wantLost: true},
		{name: "the account's own rate", setup: func(t *testing.T, _ *Server, ctl *client, acct Account) {
			st := ctl.ok("PUT", "/_sim/accounts/"+acct.ID+"/webhook/faults", map[string]any{"lossRate": 1})
			assert.Equal(t, float64(1), st["lossRate"])
		}, wantLost: true},
		{name: "the account's own rate wins over the global one", opts: Options{LossRate: 1},
			setup: func(t *testing.T, s *Server, _ *client, acct Account) {
				require.NoError(t, s.SetLossRate(acct.ID, &zero))
			}},
		{name: "null returns the account to the global rate", opts: Options{LossRate: 1},
			setup: func(t *testing.T, s *Server, ctl *client, acct Account) {
				require.NoError(t, s.SetLossRate(acct.ID, &zero))
				st := ctl.ok("PUT", "/_sim/accounts/"+acct.ID+"/webhook/faults", map[string]any{"lossRate": nil})
				assert.Nil(t, st["lossRate"])
			}, wantLost: true},
		{name: "SetFaults back to 0", opts: Options{LossRate: 1},
			setup: func(t *testing.T, s *Server, _ *client, _ Account) { s.SetFaults(Faults{}) }},
		{name: "another account's rate does not apply", setup: func(t *testing.T, s *Server, _ *client, _ Account) {
			require.NoError(t, s.SetLossRate(s.CreateAccount("B").ID, &one))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			s, ts := newSim(t, tc.opts)
			acct := hookedAccount(t, s, rc)
			ctl := newClient(t, ts, "")
			if tc.setup != nil {
				tc.setup(t, s, ctl, acct)
			}
			c := newClient(t, ts, acct.APIKey)
			p := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
			ctl.ok("POST", "/_sim/payments/"+p["id"].(string)+"/pay", nil)
			if !tc.wantLost {
				rc.events(t, 2)
				delivered(t, s, acct.ID, 2)
				return
			}
			time.Sleep(30 * time.Millisecond)
			assert.Zero(t, rc.count(), "a lost event is never sent")
			ds, err := s.Deliveries(acct.ID)
			require.NoError(t, err)
			assert.Equal(t, []string{"lost", "lost"}, statusesOf(ds))
			assert.Equal(t, "PAYMENT_RECEIVED", ds[1].Event)
			st, _ := s.Webhook(acct.ID)
			assert.Zero(t, st.Queued)
			assert.Equal(t, "RECEIVED", c.payment(p["id"].(string))["status"], "GET /v3/payments/{id} stays the truth")
		})
	}
}

func TestWebhookLossRateLosesAShare(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{LossRate: 0.5})
	acct := hookedAccount(t, s, rc)
	c := newClient(t, ts, acct.APIKey)
	cust := c.customer()
	const n = 40
	for range n {
		c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})
	}
	ds, _ := s.Deliveries(acct.ID)
	lost := 0
	for _, d := range ds {
		if d.Status == "lost" {
			lost++
		}
	}
	assert.Greater(t, lost, 5)
	assert.Less(t, lost, n-5)
	rc.events(t, n-lost)
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, n-lost, rc.count(), "exactly the events not lost arrive")
}

func TestFaultsRejectBadLossRate(t *testing.T) {
	s, ts := newSim(t, Options{})
	acct := s.CreateAccount("A")
	ctl := newClient(t, ts, "")
	cases := []struct {
		name, method, path string
		body               map[string]any
	}{
		{"global above 1", "PUT", "/_sim/faults", map[string]any{"lossRate": 1.5}},
		{"global negative", "PUT", "/_sim/faults", map[string]any{"lossRate": -0.1}},
		{"account above 1", "PUT", "/_sim/accounts/" + acct.ID + "/webhook/faults", map[string]any{"lossRate": 2}},
		{"account not a number", "PUT", "/_sim/accounts/" + acct.ID + "/webhook/faults", map[string]any{"lossRate": "half"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _ := ctl.fail(http.StatusBadRequest, tc.method, tc.path, tc.body)
			assert.Equal(t, "invalid_lossRate", code)
		})
	}
	assert.Zero(t, s.CurrentFaults().LossRate)
	st, _ := s.Webhook(acct.ID)
	assert.Nil(t, st.LossRate)
	ctl.fail(http.StatusNotFound, "PUT", "/_sim/accounts/nope/webhook/faults", map[string]any{"lossRate": 0.5})
}

func TestWebhookPauseOnDemandAndResume(t *testing.T) {
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{})
	acct := hookedAccount(t, s, rc)
	ctl := newClient(t, ts, "")
	c := newClient(t, ts, acct.APIKey)

	st := ctl.ok("POST", "/_sim/accounts/"+acct.ID+"/webhook/pause", nil)
	assert.Equal(t, true, st["paused"])
	hook := c.ok("GET", "/v3/webhooks/"+webhookID(acct.ID), nil)
	assert.Equal(t, true, hook["interrupted"], "a paused queue reads as interrupted")
	cust := c.customer()
	ids := []any{
		c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"],
		c.charge(cust, map[string]any{"billingType": "PIX", "value": 20})["id"],
	}
	time.Sleep(30 * time.Millisecond)
	assert.Zero(t, rc.count())
	ws, _ := s.Webhook(acct.ID)
	assert.Equal(t, 2, ws.Queued)

	st = ctl.ok("POST", "/_sim/accounts/"+acct.ID+"/webhook/resume", nil)
	assert.Equal(t, false, st["paused"])
	got := rc.events(t, 2)
	assert.Equal(t, ids, []any{paymentOf(got[0])["id"], paymentOf(got[1])["id"]})
	ctl.fail(http.StatusNotFound, "POST", "/_sim/accounts/nope/webhook/pause", nil)
}

// movableClock is a simulator clock a test moves forward.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestWebhookEventsExpireAfter14DaysInAPausedQueue(t *testing.T) {
	clock := &movableClock{t: captureDay}
	rc := newReceiver(t, nil)
	s, ts := newSim(t, Options{Now: clock.now})
	acct := hookedAccount(t, s, rc)
	c := newClient(t, ts, acct.APIKey)
	require.NoError(t, s.PauseWebhooks(acct.ID))
	cust := c.customer()
	old := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10, "dueDate": "2026-08-30"})["id"]
	clock.advance(13 * 24 * time.Hour)
	kept := c.charge(cust, map[string]any{"billingType": "PIX", "value": 20, "dueDate": "2026-08-30"})["id"]
	clock.advance(24*time.Hour + time.Minute) // old: 14 days and a minute; kept: one day

	require.NoError(t, s.ResumeWebhooks(acct.ID))
	assert.Equal(t, kept, paymentOf(rc.next(t))["id"])
	var ds []Delivery
	waitFor(t, "the kept event to be recorded", func() bool { ds, _ = s.Deliveries(acct.ID); return ds[1].Delivered })
	assert.Equal(t, []string{"expired", "delivered"}, statusesOf(ds))
	assert.Equal(t, old, ds[0].PaymentID)
	assert.Empty(t, ds[0].Attempts)
}

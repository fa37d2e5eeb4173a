package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"billing/asaassim"
	"billing/workflows"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// frontDoor stands between the world and the API, as a load balancer would:
// Asaas delivers webhooks through it and the worker asks it for /readyz. While
// down it answers 503 to everything.
type frontDoor struct {
	url   string
	down  atomic.Bool
	mu    sync.Mutex
	proxy http.Handler
}

func newFrontDoor(t *testing.T) *frontDoor {
	f := &frontDoor{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		proxy := f.proxy
		f.mu.Unlock()
		if f.down.Load() || proxy == nil {
			http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *frontDoor) forwardTo(t *testing.T, apiURL string) {
	target, err := url.Parse(apiURL)
	require.NoError(t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.proxy = httputil.NewSingleHostReverseProxy(target)
}

// watchNow runs the account's queue watch at once, as its schedule does, and
// returns what it did.
func (s *stack) watchNow(id string, in workflows.QueueWatchInput) workflows.QueueWatchResult {
	s.t.Helper()
	run, err := s.tc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue},
		workflows.QueueWatchWorkflow, in)
	require.NoError(s.t, err)
	var res workflows.QueueWatchResult
	require.NoError(s.t, run.Get(context.Background(), &res))
	return res
}

// waitReconciliation waits until a run has ended and returns its report.
func (s *stack) waitReconciliation(id string) map[string]any {
	s.t.Helper()
	var report map[string]any
	s.eventually("reconciliation "+id+" ends", func() bool {
		report = s.must(http.StatusOK, "GET", "/v1/reconciliations/"+id, nil)
		return report["status"] != "running"
	})
	return report
}

// The account's queue watch, against the real parts: its schedule exists once
// the settings are saved, and a run of it sweeps an account never swept. Then our
// front door goes down: Asaas fails 15 deliveries in a row and interrupts the
// queue, and meanwhile loses an event for good. A watch while we are down leaves
// the queue as it is; once we are up it reactivates the queue at Asaas (audited,
// shown in the settings), the queue delivers what it kept, and the sweep repairs
// the lost payment (origin reconciled).
func TestInterruptedQueueIsReactivatedAndSwept(t *testing.T) {
	front := newFrontDoor(t)
	s := newStackOf(t, stackOptions{sim: asaassim.Options{RetryBase: 100 * time.Microsecond}, healthURL: front.url + "/readyz"})
	front.forwardTo(t, s.apiURL)
	s.configure()
	require.NoError(t, s.sim.SetWebhook(s.merchant.ID, asaassim.WebhookConfig{URL: front.url + "/webhooks/asaas", AuthToken: s.secret, Enabled: true}))
	contract, charges := s.activeContract(3, "300.00")
	ctx := context.Background()
	acct := s.account.String()

	// The schedule saving the settings made; a run of it sweeps the account.
	schedule := s.tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(acct))
	desc, err := schedule.Describe(ctx)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, desc.Schedule.Spec.Intervals[0].Every)
	require.NoError(t, schedule.Trigger(ctx, client.ScheduleTriggerOptions{}))
	var scheduled string
	s.eventually("the schedule starts a watch", func() bool {
		desc, err = schedule.Describe(ctx)
		require.NoError(t, err)
		if len(desc.Info.RecentActions) == 0 {
			return false
		}
		scheduled = desc.Info.RecentActions[0].StartWorkflowResult.WorkflowID
		return true
	})
	var first workflows.QueueWatchResult
	require.NoError(t, s.tc.GetWorkflow(ctx, scheduled, "").Get(ctx, &first))
	assert.Equal(t, 1, first.Webhooks)
	assert.Empty(t, first.Interrupted)
	require.NotEmpty(t, first.SweepID, "never swept: swept now")
	sweep := s.waitReconciliation(first.SweepID)
	assert.Equal(t, "completed", sweep["status"])
	assert.Equal(t, "queue-sweep", sweep["source"])
	assert.Nil(t, sweep["requested_by"], "the system")
	assert.Equal(t, float64(1), sweep["contracts_done"])
	assert.Empty(t, sweep["repairs"], "nothing to repair yet")

	// Our front door goes down: Asaas fails the delivery 15 times and interrupts the queue.
	front.down.Store(true)
	require.NoError(t, s.sim.Pay(charges[1], asaassim.PayOptions{BillingType: "PIX"}))
	s.eventually("Asaas interrupts the queue", func() bool {
		st, err := s.sim.Webhook(s.merchant.ID)
		require.NoError(t, err)
		return st.Paused
	})
	lost := 1.0 // and loses an event for good meanwhile
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, &lost))
	require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, nil))
	hook, err := s.sim.Webhook(s.merchant.ID)
	require.NoError(t, err)

	down := s.watchNow("watch-while-down-"+acct, workflows.QueueWatchInput{AccountID: acct})
	assert.Equal(t, []string{hook.ID}, down.Interrupted)
	assert.Empty(t, down.Reactivated)
	assert.Contains(t, down.NotReactivated, "answered 503")
	assert.Empty(t, down.SweepID, "swept lately; reactivating while we are down would only pause it again")
	queue := s.must(http.StatusOK, "GET", "/v1/settings/asaas", nil)["webhook_queue"].(map[string]any)
	assert.Equal(t, true, queue["interrupted"])
	assert.Equal(t, float64(15), queue["penalized_requests_count"])
	assert.Nil(t, queue["reactivated_at"])
	hook, err = s.sim.Webhook(s.merchant.ID)
	require.NoError(t, err)
	assert.True(t, hook.Paused, "still interrupted at Asaas")

	// We are back: the watch reactivates the queue and sweeps.
	front.down.Store(false)
	up := s.watchNow("watch-when-up-"+acct, workflows.QueueWatchInput{AccountID: acct, SweepDelay: 2 * time.Second})
	assert.Equal(t, []string{hook.ID}, up.Reactivated)
	require.NotEmpty(t, up.SweepID)
	hook, err = s.sim.Webhook(s.merchant.ID)
	require.NoError(t, err)
	assert.False(t, hook.Paused, "reactivated at Asaas (interrupted: false)")
	s.eventually("the queue delivers the event it kept", func() bool {
		deliveries, err := s.sim.Deliveries(s.merchant.ID)
		require.NoError(t, err)
		for _, d := range deliveries {
			if d.PaymentID == charges[1] && d.Event == "PAYMENT_RECEIVED" {
				return d.Status == "delivered"
			}
		}
		return false
	})
	sweep = s.waitReconciliation(up.SweepID)
	assert.Equal(t, "completed", sweep["status"])
	assert.Contains(t, sweep["repairs"], map[string]any{"contract_id": contract, "installment": float64(1), "asaas_payment_id": charges[0],
		"event": "PAYMENT_RECEIVED", "before": "open", "after": "paid"}, "the lost payment")
	view := s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)
	assert.Equal(t, "paid", field(installment(view, 1), "status"))
	assert.Equal(t, "reconciled", field(installment(view, 1), "payment", "origin"), "no webhook ever told it")
	s.eventually("the kept event pays installment 2", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), 2), "status") == "paid"
	})
	assert.Equal(t, "open", field(installment(view, 3), "status"))

	settings := s.must(http.StatusOK, "GET", "/v1/settings/asaas", nil)
	queue = settings["webhook_queue"].(map[string]any)
	assert.Equal(t, true, queue["enabled"])
	assert.Equal(t, false, queue["interrupted"])
	assert.Equal(t, float64(0), queue["penalized_requests_count"])
	assert.NotNil(t, queue["reactivated_at"])
	assert.Equal(t, sweep["started_at"], queue["last_sweep_at"])
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE account_id = $1 AND action = 'asaas.webhook_queue_reactivated'
		AND actor_type = 'system' AND data->'webhook_ids'->>0 = $2`, s.account, hook.ID))
	assert.Equal(t, 2, s.count(`SELECT count(*) FROM audit_events WHERE account_id = $1 AND action = 'reconciliation.started' AND actor_type = 'system'`, s.account))

	recordHistories(t, s, "queue-watch-scheduled-"+generation, scheduled)
	recordHistories(t, s, "queue-watch-sweep-due-"+generation, workflows.ReconciliationWorkflowID(first.SweepID))
	recordHistories(t, s, "queue-watch-down-"+generation, "watch-while-down-"+acct)
	recordHistories(t, s, "queue-watch-reactivated-"+generation, "watch-when-up-"+acct)
	recordHistories(t, s, "queue-watch-reactivated-sweep-"+generation, workflows.ReconciliationWorkflowID(up.SweepID))
}

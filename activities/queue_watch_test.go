package activities_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"billing/activities"
	"billing/asaassim"
	"billing/db/dbgen"
	"billing/gateway"
	"billing/secret"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
)

// withSimulatedAsaas gives the fixture's account an account at a fresh
// simulator (its webhook pointing at url) and stores its settings.
func (f *fixture) withSimulatedAsaas(url string, queue activities.QueueWatchOptions) (*asaassim.Server, asaassim.Account) {
	f.t.Helper()
	sim := asaassim.New(asaassim.Options{})
	f.t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim.Handler())
	f.t.Cleanup(srv.Close)
	acct, err := sim.AddAccount(asaassim.Account{Name: "Acme at Asaas", APIKey: "$aact_hmlg_" + strings.ReplaceAll(uuid.NewString(), "-", "")})
	require.NoError(f.t, err)
	require.NoError(f.t, sim.SetWebhook(acct.ID, asaassim.WebhookConfig{URL: url, AuthToken: "token-" + uuid.NewString(), Enabled: true}))
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := secret.Seal(key, []byte(acct.APIKey), f.account[:])
	require.NoError(f.t, err)
	_, err = dbgen.New(f.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{AccountID: f.account,
		ApiKeyCiphertext: sealed, ApiKeyLast4: acct.APIKey[len(acct.APIKey)-4:], Environment: "sandbox", UpdatedBy: f.user})
	require.NoError(f.t, err)
	f.acts = activities.New(activities.Deps{Pool: f.pool, Gateway: gateway.NewConnector(key, srv.URL), Queue: queue})
	f.env.RegisterActivity(f.acts)
	return sim, acct
}

func (f *fixture) queueRef() activities.QueueRef {
	return activities.QueueRef{AccountID: f.account.String()}
}

func TestCheckWebhookQueueRecordsHealthAndSaysWhenASweepIsDue(t *testing.T) {
	f := newFixture(t, "100.00")
	sim, acct := f.withSimulatedAsaas("https://billing.example.com/webhooks/asaas", activities.QueueWatchOptions{SweepEvery: time.Hour})
	require.NoError(t, sim.PauseWebhooks(acct.ID))

	var health activities.QueueHealth
	require.NoError(t, f.run(f.acts.CheckWebhookQueue, f.queueRef(), &health))
	require.Len(t, health.Webhooks, 1)
	assert.True(t, health.Webhooks[0].Enabled)
	assert.True(t, health.Webhooks[0].Interrupted)
	assert.True(t, health.SweepDue, "never swept")
	row, err := dbgen.New(f.pool).GetWebhookQueueHealth(context.Background(), f.account)
	require.NoError(t, err)
	assert.True(t, row.Interrupted)
	assert.True(t, row.Enabled)
	assert.Equal(t, []string{health.Webhooks[0].ID}, row.WebhookIds)
	assert.WithinDuration(t, time.Now(), row.CheckedAt, time.Minute)

	// A sweep started 10 minutes ago: not due (every hour); a failed one does not count.
	f.storeRun(time.Now().Add(-10*time.Minute), "running")
	require.NoError(t, f.run(f.acts.CheckWebhookQueue, f.queueRef(), &health))
	assert.False(t, health.SweepDue)

	_, err = f.pool.Exec(context.Background(), `UPDATE reconciliations SET status = 'failed', finished_at = now()`)
	require.NoError(t, err)
	require.NoError(t, f.run(f.acts.CheckWebhookQueue, f.queueRef(), &health))
	assert.True(t, health.SweepDue, "a failed sweep is no sweep")
}

func TestCheckWebhookQueueStartsNoSweepOnTopOfOneRunning(t *testing.T) {
	f := newFixture(t, "100.00")
	_, _ = f.withSimulatedAsaas("https://billing.example.com/webhooks/asaas", activities.QueueWatchOptions{SweepEvery: 10 * time.Minute})
	cases := []struct {
		name    string
		update  string
		wantDue bool
	}{
		{"started 30 min ago, still running", `UPDATE reconciliations SET status = 'running', finished_at = NULL, started_at = now() - interval '30 minutes'`, false},
		{"started 30 min ago, completed", `UPDATE reconciliations SET status = 'completed', finished_at = now(), started_at = now() - interval '30 minutes'`, true},
		{"a sweep after a reactivation, starting in 2 min: holds nothing back", `UPDATE reconciliations SET status = 'running', finished_at = NULL, started_at = now() + interval '2 minutes'`, true},
		{"started 2 h ago, still marked running: presumed stuck", `UPDATE reconciliations SET status = 'running', finished_at = NULL, started_at = now() - interval '2 hours'`, true},
	}
	f.storeRun(time.Now(), "running")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pool.Exec(context.Background(), tc.update)
			require.NoError(t, err)
			var health activities.QueueHealth
			require.NoError(t, f.run(f.acts.CheckWebhookQueue, f.queueRef(), &health))
			assert.Equal(t, tc.wantDue, health.SweepDue)
		})
	}
}

func TestCheckWebhookQueueWithoutSettingsIsFinal(t *testing.T) {
	f := newFixture(t, "100.00")
	err := f.run(f.acts.CheckWebhookQueue, f.queueRef(), nil)
	var appErr *temporal.ApplicationError
	require.ErrorAs(t, err, &appErr)
	assert.Equal(t, activities.ErrTypeNotConfigured, appErr.Type())
	assert.Zero(t, f.count(`SELECT count(*) FROM webhook_queue_health`))
}

func TestReactivateWebhookQueuesRecordsAndAuditsOnceARun(t *testing.T) {
	f := newFixture(t, "100.00")
	sim, acct := f.withSimulatedAsaas("https://billing.example.com/webhooks/asaas", activities.QueueWatchOptions{})
	require.NoError(t, sim.PauseWebhooks(acct.ID))
	var health activities.QueueHealth
	require.NoError(t, f.run(f.acts.CheckWebhookQueue, f.queueRef(), &health))
	in := activities.ReactivateInput{AccountID: f.account.String(), WebhookIDs: []string{health.Webhooks[0].ID}, Key: "run-1"}

	require.NoError(t, f.run(f.acts.ReactivateWebhookQueues, in, nil))
	require.NoError(t, f.run(f.acts.ReactivateWebhookQueues, in, nil), "a retry of the same run")
	state, err := sim.Webhook(acct.ID)
	require.NoError(t, err)
	assert.False(t, state.Paused, "resumed at Asaas")
	audited := `SELECT count(*) FROM audit_events WHERE account_id = $1 AND action = 'asaas.webhook_queue_reactivated' AND actor_type = 'system'`
	assert.Equal(t, 1, f.count(audited, f.account), "once per run")
	row, err := dbgen.New(f.pool).GetWebhookQueueHealth(context.Background(), f.account)
	require.NoError(t, err)
	assert.False(t, row.Interrupted)
	require.NotNil(t, row.ReactivatedAt)

	in.Key = "run-2"
	require.NoError(t, f.run(f.acts.ReactivateWebhookQueues, in, nil))
	assert.Equal(t, 2, f.count(audited, f.account), "another run's reactivation is another event")
}

func TestStartQueueSweepRecordsTheRunOnce(t *testing.T) {
	f := newFixture(t, "100.00")
	id := uuid.NewString()
	in := activities.StartSweepInput{AccountID: f.account.String(), ReconciliationID: id, WorkflowID: "reconciliation/" + id, Reason: "due"}
	require.NoError(t, f.run(f.acts.StartQueueSweep, in, nil))
	require.NoError(t, f.run(f.acts.StartQueueSweep, in, nil), "a retry")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM reconciliations WHERE id = $1 AND source = 'queue-sweep' AND requested_by IS NULL AND status = 'running'`, id))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE action = 'reconciliation.started' AND entity_id = $1 AND data->>'reason' = 'due'`, id))

	// After a reactivation the sweep starts SweepDelay later, and says so.
	later := uuid.NewString()
	in = activities.StartSweepInput{AccountID: f.account.String(), ReconciliationID: later, WorkflowID: "reconciliation/" + later,
		Reason: "reactivated", StartAfter: 2 * time.Minute}
	require.NoError(t, f.run(f.acts.StartQueueSweep, in, nil))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM reconciliations WHERE id = $1 AND started_at BETWEEN now() + interval '110 seconds' AND now() + interval '130 seconds'`, later))
}

func TestCheckAPIHealth(t *testing.T) {
	answering := func(status int) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }))
		t.Cleanup(srv.Close)
		return srv.URL + "/readyz"
	}
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL + "/readyz"
	gone.Close()
	cases := []struct {
		name    string
		url     string
		healthy bool
		detail  string
	}{
		{"ready", answering(http.StatusOK), true, ""},
		{"not ready", answering(http.StatusServiceUnavailable), false, "answered 503"},
		{"nobody listens", goneURL, false, "did not answer"},
		{"not configured", "", false, "no API_HEALTH_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, "100.00")
			f.acts = activities.New(activities.Deps{Pool: f.pool, Queue: activities.QueueWatchOptions{HealthURL: tc.url}})
			f.env.RegisterActivity(f.acts)
			val, err := f.env.ExecuteActivity(f.acts.CheckAPIHealth)
			require.NoError(t, err, "an unhealthy API is an answer, not an error")
			var got activities.APIHealth
			require.NoError(t, val.Get(&got))
			assert.Equal(t, tc.healthy, got.Healthy)
			assert.Contains(t, got.Detail, tc.detail)
		})
	}
}

// storeRun records a queue sweep of the fixture's account started at `at`.
func (f *fixture) storeRun(at time.Time, status string) uuid.UUID {
	f.t.Helper()
	id := uuid.New()
	var finished *time.Time
	if status != activities.ReconciliationRunning {
		finished = &at
	}
	_, err := f.pool.Exec(context.Background(), `INSERT INTO reconciliations (id, account_id, source, workflow_id, status, started_at, finished_at)
		VALUES ($1, $2, 'queue-sweep', $3, $4, $5, $6)`, id, f.account, "reconciliation/"+id.String(), status, at, finished)
	require.NoError(f.t, err)
	return id
}

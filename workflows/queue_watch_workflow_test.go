package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"billing/activities"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

// fakeWatch stands in for Asaas, our /readyz and PostgreSQL in the queue
// watch's unit tests; e2e/queue_watch_test.go runs it against the real parts.
type fakeWatch struct {
	mu             sync.Mutex
	health         activities.QueueHealth
	checkErr       error
	api            activities.APIHealth
	healthAsked    bool
	reactivated    []activities.ReactivateInput
	sweeps         []activities.StartSweepInput
	sweptAt        time.Time // the sweep lists its contracts
	sweepStartedAt time.Time // the watch starts the sweep
}

func (f *fakeWatch) CheckWebhookQueue(_ context.Context, _ activities.QueueRef) (activities.QueueHealth, error) {
	return f.health, f.checkErr
}

func (f *fakeWatch) CheckAPIHealth(_ context.Context) (activities.APIHealth, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.healthAsked = true
	return f.api, nil
}

func (f *fakeWatch) ReactivateWebhookQueues(_ context.Context, in activities.ReactivateInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reactivated = append(f.reactivated, in)
	return nil
}

func (f *fakeWatch) StartQueueSweep(ctx context.Context, in activities.StartSweepInput) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweeps = append(f.sweeps, in)
	return nil
}

func TestQueueWatch(t *testing.T) {
	interrupted := activities.WebhookHealth{ID: "wh_1", Enabled: true, Interrupted: true, Penalized: 15}
	healthy := activities.WebhookHealth{ID: "wh_1", Enabled: true}
	disabled := activities.WebhookHealth{ID: "wh_2", Interrupted: true}
	up, down := activities.APIHealth{Healthy: true}, activities.APIHealth{Detail: "http://api/readyz answered 503"}
	cases := []struct {
		name        string
		health      activities.QueueHealth
		checkErr    error
		api         activities.APIHealth
		delay       time.Duration
		askedHealth bool
		reactivated []string
		sweep       string // reason, "" for none
		want        QueueWatchResult
	}{
		{name: "healthy queue, swept lately", health: activities.QueueHealth{Webhooks: []activities.WebhookHealth{healthy}},
			want: QueueWatchResult{Webhooks: 1}},
		{name: "healthy queue, sweep due", health: activities.QueueHealth{Webhooks: []activities.WebhookHealth{healthy}, SweepDue: true},
			sweep: sweepDue, want: QueueWatchResult{Webhooks: 1}},
		{name: "interrupted, our endpoint healthy: reactivated, then swept after the delay",
			health: activities.QueueHealth{Webhooks: []activities.WebhookHealth{interrupted}}, api: up, delay: time.Minute,
			askedHealth: true, reactivated: []string{"wh_1"}, sweep: sweepReactivated,
			want: QueueWatchResult{Webhooks: 1, Interrupted: []string{"wh_1"}, Reactivated: []string{"wh_1"}}},
		{name: "interrupted, our endpoint down: left as it is",
			health: activities.QueueHealth{Webhooks: []activities.WebhookHealth{interrupted}}, api: down, askedHealth: true,
			want: QueueWatchResult{Webhooks: 1, Interrupted: []string{"wh_1"}, NotReactivated: "our endpoint is not healthy: http://api/readyz answered 503"}},
		{name: "interrupted and disabled at Asaas: someone's choice, not reactivated",
			health: activities.QueueHealth{Webhooks: []activities.WebhookHealth{disabled}}, api: up,
			want: QueueWatchResult{Webhooks: 1, Interrupted: []string{"wh_2"}}},
		{name: "no Asaas settings", checkErr: temporal.NewNonRetryableApplicationError("asaas not configured", ErrTypeNotConfigured, nil),
			want: QueueWatchResult{Skipped: "asaas not configured"}},
		{name: "Asaas refuses the key", checkErr: temporal.NewNonRetryableApplicationError("A chave de API informada não pertence a este ambiente", ErrTypeAsaasRejected, nil),
			want: QueueWatchResult{Skipped: "A chave de API informada não pertence a este ambiente"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeWatch{health: tc.health, checkErr: tc.checkErr, api: tc.api}
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestWorkflowEnvironment()
			begin := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
			env.SetStartTime(begin)
			env.RegisterWorkflow(QueueWatchWorkflow)
			env.RegisterWorkflow(ReconciliationWorkflow)
			env.RegisterActivity(f)
			env.RegisterActivity(newFakeRun(0)) // the sweep: an account without open contracts
			env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				switch info.ActivityType.Name {
				case "StartQueueSweep":
					f.sweepStartedAt = env.Now()
				case "PlanReconciliation":
					f.sweptAt = env.Now()
				}
			})
			env.ExecuteWorkflow(QueueWatchWorkflow, QueueWatchInput{AccountID: "acct-1", SweepDelay: tc.delay})
			require.True(t, env.IsWorkflowCompleted())
			require.NoError(t, env.GetWorkflowError())
			var got QueueWatchResult
			require.NoError(t, env.GetWorkflowResult(&got))

			assert.Equal(t, tc.askedHealth, f.healthAsked, "our endpoint is asked only for a queue to reactivate")
			var ids []string
			for _, r := range f.reactivated {
				ids = append(ids, r.WebhookIDs...)
				assert.NotEmpty(t, r.Key, "keyed by the run")
			}
			assert.Equal(t, tc.reactivated, ids)
			if tc.sweep == "" {
				assert.Empty(t, f.sweeps)
				assert.Equal(t, tc.want, got)
				return
			}
			require.Len(t, f.sweeps, 1)
			s := f.sweeps[0]
			assert.Equal(t, tc.sweep, s.Reason)
			assert.Equal(t, ReconciliationWorkflowID(s.ReconciliationID), s.WorkflowID)
			assert.Equal(t, s.ReconciliationID, got.SweepID)
			assert.True(t, begin.Equal(f.sweepStartedAt), "the watch does not wait: the schedule would skip the next watches")
			assert.False(t, f.sweptAt.Before(begin.Add(tc.delay)), "the sweep waits SweepDelay after a reactivation")
			tc.want.SweepID = s.ReconciliationID
			assert.Equal(t, tc.want, got)
		})
	}
}

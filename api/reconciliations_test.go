package api

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"billing/temporaldev"
	"billing/testenv"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// The reconciliation routes and the queue watch's schedule, against the real
// PostgreSQL and a real Temporal dev server (no worker: the runs these tests
// start stay running; e2e/reconciliation_test.go runs them to the end).

// withTemporal rebuilds the env's server with a Temporal client and the queue
// watch scheduled every `every`.
func (e *apiEnv) withTemporal(t *testing.T, tc client.Client, every time.Duration) {
	t.Helper()
	e.srv = NewServer(Deps{Pool: e.pool, Temporal: tc, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey,
		Asaas: e.tester, Contracts: e.engine, QueueWatch: TemporalQueueWatch{Client: tc, Every: every}})
}

func deadTemporal(t *testing.T) client.Client {
	t.Helper()
	dead, err := temporaldev.FreeAddress() // nothing listens there
	require.NoError(t, err)
	tc, err := client.NewLazyClient(client.Options{HostPort: dead})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	return tc
}

func (e *apiEnv) configureAsaas(t *testing.T, u tenantUser) {
	t.Helper()
	e.must(t, http.StatusOK, u.Token, "PUT", "/v1/settings/asaas", map[string]any{
		"api_key": sandboxKey, "environment": "sandbox", "webhook_secret": webhookSecret + u.AccountID.String()[:8]})
}

// cleanUpTemporal terminates the workflows and deletes the schedules a test
// left on the package's dev server.
func cleanUpTemporal(t *testing.T, tc client.Client, workflowIDs, scheduleIDs *[]string) {
	t.Cleanup(func() {
		ctx := context.Background()
		for _, id := range *workflowIDs {
			_ = tc.TerminateWorkflow(ctx, id, "", "test over")
		}
		for _, id := range *scheduleIDs {
			_ = tc.ScheduleClient().GetHandle(ctx, id).Delete(ctx)
		}
	})
}

func TestCreateReconciliationStartsARunOfTheAccount(t *testing.T) {
	e := newAPIEnv(t)
	tc := testenv.Temporal(t)
	e.withTemporal(t, tc, 7*time.Minute)
	u := e.account(t, "Acme", true)
	e.configureAsaas(t, u)
	var started, schedules []string
	cleanUpTemporal(t, tc, &started, &schedules)
	schedules = append(schedules, workflows.QueueWatchScheduleID(u.AccountID.String()))

	first := e.call(t, u.Token, "POST", "/v1/reconciliations", nil, "Idempotency-Key", "recon-1")
	require.Equal(t, http.StatusAccepted, first.Code, "%s", first)
	run := first.obj(t)
	id := run["id"].(string)
	started = append(started, workflows.ReconciliationWorkflowID(id))
	assert.Equal(t, "running", run["status"])
	assert.Equal(t, "on-demand", run["source"])
	assert.Equal(t, u.UserID.String(), run["requested_by"])
	assert.Equal(t, "reconciliation/"+id, run["workflow_id"])
	assert.Nil(t, run["contracts_total"], "not listed yet")
	assert.Equal(t, []any{}, run["repairs"])
	assert.Equal(t, []any{}, run["mismatches"])

	desc, err := tc.DescribeWorkflowExecution(context.Background(), "reconciliation/"+id, "")
	require.NoError(t, err)
	assert.Equal(t, "ReconciliationWorkflow", desc.WorkflowExecutionInfo.Type.Name)
	assert.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.WorkflowExecutionInfo.Status)
	assert.Contains(t, desc.WorkflowExecutionInfo.SearchAttributes.String(), u.AccountID.String(), "findable by AccountId")

	again := e.call(t, u.Token, "POST", "/v1/reconciliations", nil, "Idempotency-Key", "recon-1")
	require.Equal(t, http.StatusAccepted, again.Code, "%s", again)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, id, again.obj(t)["id"], "the same run, not a second one")

	other := e.must(t, http.StatusAccepted, u.Token, "POST", "/v1/reconciliations", map[string]any{})
	started = append(started, other["workflow_id"].(string))
	assert.NotEqual(t, id, other["id"], "without a key, another run")

	got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/reconciliations/"+id, nil)
	assert.Equal(t, "running", got["status"])
	assert.Equal(t, float64(0), got["contracts_done"])
	var runs, audits int
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM reconciliations WHERE account_id = $1`, u.AccountID).Scan(&runs))
	require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE account_id = $1
		AND action = 'reconciliation.started' AND actor_type = 'user' AND actor_id = $2`, u.AccountID, u.UserID).Scan(&audits))
	assert.Equal(t, 2, runs)
	assert.Equal(t, 2, audits)
}

func TestCreateReconciliationRefusals(t *testing.T) {
	tc := testenv.Temporal(t)
	cases := []struct {
		name     string
		temporal client.Client
		settings bool
		body     any
		status   int
	}{
		{"no Asaas settings", tc, false, nil, http.StatusConflict},
		{"an unknown field", tc, true, map[string]any{"contract_id": uuid.NewString()}, http.StatusUnprocessableEntity},
		{"not an object", tc, true, "[]", http.StatusUnprocessableEntity},
		{"not JSON", tc, true, "{", http.StatusBadRequest},
		{"Temporal does not answer", deadTemporal(t), true, nil, http.StatusServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newAPIEnv(t)
			u := e.account(t, "Acme", true)
			if tc.settings {
				e.configureAsaas(t, u) // before the server below, which has no queue watch
			}
			e.srv = NewServer(Deps{Pool: e.pool, Temporal: tc.temporal, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey})
			before := e.counts(t)
			r := e.call(t, u.Token, "POST", "/v1/reconciliations", tc.body, "Idempotency-Key", "k-"+tc.name)
			require.Equal(t, tc.status, r.Code, "%s", r)
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
			if tc.status == http.StatusServiceUnavailable {
				assert.NotEmpty(t, r.Header.Get("Retry-After"))
			}
			assert.Equal(t, before, e.counts(t), "nothing written (no run, no audit event, no stored answer)")
			var runs int
			require.NoError(t, e.pool.QueryRow(context.Background(), `SELECT count(*) FROM reconciliations`).Scan(&runs))
			assert.Zero(t, runs)
		})
	}
}

func TestReconciliationReportAndList(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	b := e.setUpBusiness(t, u)
	contract := mustUUID(t, b.contract)
	older := e.storeReconciliation(t, u.AccountID, time.Now().Add(-time.Hour), nil)
	newer := e.storeReconciliation(t, u.AccountID, time.Now().Add(-time.Minute), []storedFinding{
		{contract: contract, kind: "repair", installment: 1, payment: "pay_1", event: "PAYMENT_RECEIVED", before: "open", after: "paid"},
		{contract: contract, kind: "repair", installment: 2, payment: "pay_2", event: "PAYMENT_DELETED", before: "open", after: "open"},
		{contract: contract, kind: "mismatch", detail: "no running workflow"},
		{contract: contract, kind: "mismatch", installment: 3, payment: "pay_3b", event: "PAYMENT_RECEIVED", detail: "a second payment of installment 3: it needs a refund"},
	})

	got := e.must(t, http.StatusOK, u.Token, "GET", "/v1/reconciliations/"+newer.String(), nil)
	assert.Equal(t, "completed", got["status"])
	assert.Equal(t, "queue-sweep", got["source"])
	assert.Nil(t, got["requested_by"], "the system")
	assert.Equal(t, float64(1), got["contracts_total"])
	assert.Equal(t, float64(1), got["contracts_done"])
	assert.Equal(t, float64(3), got["installments_checked"])
	assert.Equal(t, float64(2), got["repair_count"])
	assert.Equal(t, float64(2), got["mismatch_count"])
	assert.Equal(t, []any{
		map[string]any{"contract_id": b.contract, "installment": float64(1), "asaas_payment_id": "pay_1", "event": "PAYMENT_RECEIVED", "before": "open", "after": "paid"},
		map[string]any{"contract_id": b.contract, "installment": float64(2), "asaas_payment_id": "pay_2", "event": "PAYMENT_DELETED", "before": "open", "after": "open"},
	}, got["repairs"])
	assert.Equal(t, []any{
		map[string]any{"contract_id": b.contract, "installment": nil, "asaas_payment_id": nil, "event": nil, "detail": "no running workflow"},
		map[string]any{"contract_id": b.contract, "installment": float64(3), "asaas_payment_id": "pay_3b", "event": "PAYMENT_RECEIVED",
			"detail": "a second payment of installment 3: it needs a refund"},
	}, got["mismatches"])

	page := e.must(t, http.StatusOK, u.Token, "GET", "/v1/reconciliations?limit=1", nil)
	require.Len(t, page["data"], 1)
	first := page["data"].([]any)[0].(map[string]any)
	assert.Equal(t, newer.String(), first["id"], "newest first")
	assert.NotContains(t, first, "repairs", "the list carries counts, not findings")
	next := e.must(t, http.StatusOK, u.Token, "GET", "/v1/reconciliations?limit=1&cursor="+page["next_cursor"].(string), nil)
	require.Len(t, next["data"], 1)
	assert.Equal(t, older.String(), next["data"].([]any)[0].(map[string]any)["id"])
	assert.Nil(t, next["next_cursor"])

	for _, bad := range []struct {
		path   string
		status int
	}{
		{"/v1/reconciliations/" + uuid.NewString(), http.StatusNotFound},
		{"/v1/reconciliations/not-an-id", http.StatusNotFound},
		{"/v1/reconciliations?limit=0", http.StatusUnprocessableEntity},
		{"/v1/reconciliations?cursor=nonsense", http.StatusUnprocessableEntity},
	} {
		r := e.call(t, u.Token, "GET", bad.path, nil)
		assert.Equal(t, bad.status, r.Code, "%s: %s", bad.path, r)
	}
}

func TestSavingAsaasSettingsSchedulesTheQueueWatch(t *testing.T) {
	e := newAPIEnv(t)
	tc := testenv.Temporal(t)
	u := e.account(t, "Acme", true)
	scheduleID := workflows.QueueWatchScheduleID(u.AccountID.String())
	var none []string
	cleanUpTemporal(t, tc, &none, &[]string{scheduleID})
	ctx := context.Background()
	describe := func() *client.ScheduleDescription {
		d, err := tc.ScheduleClient().GetHandle(ctx, scheduleID).Describe(ctx)
		require.NoError(t, err)
		return d
	}

	e.withTemporal(t, deadTemporal(t), 7*time.Minute)
	r := e.call(t, u.Token, "PUT", "/v1/settings/asaas", map[string]any{"api_key": sandboxKey, "environment": "sandbox"})
	require.Equal(t, http.StatusServiceUnavailable, r.Code, "%s", r)
	assert.Equal(t, false, e.must(t, http.StatusOK, u.Token, "GET", "/v1/settings/asaas", nil)["configured"], "nothing saved without the schedule")

	e.withTemporal(t, tc, 7*time.Minute)
	saved := e.must(t, http.StatusOK, u.Token, "PUT", "/v1/settings/asaas", map[string]any{"api_key": sandboxKey, "environment": "sandbox"})
	assert.Nil(t, saved["webhook_queue"], "never checked")
	d := describe()
	require.Len(t, d.Schedule.Spec.Intervals, 1)
	assert.Equal(t, 7*time.Minute, d.Schedule.Spec.Intervals[0].Every)
	action, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok)
	assert.Equal(t, "QueueWatchWorkflow", action.Workflow)
	assert.Equal(t, workflows.TaskQueue, action.TaskQueue)
	assert.Equal(t, scheduleID, action.ID)
	assert.Equal(t, enums.SCHEDULE_OVERLAP_POLICY_SKIP, d.Schedule.Policy.Overlap)

	e.withTemporal(t, tc, 9*time.Minute) // QUEUE_WATCH_EVERY changed
	e.must(t, http.StatusOK, u.Token, "PUT", "/v1/settings/asaas", map[string]any{"environment": "sandbox"})
	assert.Equal(t, 9*time.Minute, describe().Schedule.Spec.Intervals[0].Every, "the interval follows the configuration")

	// What the watch records is shown with the settings.
	_, err := e.pool.Exec(ctx, `INSERT INTO webhook_queue_health (account_id, webhook_ids, enabled, interrupted, penalized_requests_count, checked_at, reactivated_at)
		VALUES ($1, '{wh_1}', true, true, 15, '2026-07-01T12:00:00Z', '2026-06-30T12:00:00Z')`, u.AccountID)
	require.NoError(t, err)
	e.storeReconciliation(t, u.AccountID, time.Date(2026, 6, 30, 12, 5, 0, 0, time.UTC), nil)
	queue := e.must(t, http.StatusOK, u.Token, "GET", "/v1/settings/asaas", nil)["webhook_queue"]
	assert.Equal(t, map[string]any{"enabled": true, "interrupted": true, "penalized_requests_count": float64(15),
		"checked_at": "2026-07-01T12:00:00Z", "reactivated_at": "2026-06-30T12:00:00Z", "last_sweep_at": "2026-06-30T12:05:00Z"}, queue)
	other := e.account(t, "Rival", true)
	e.configureAsaas(t, other)
	assert.Nil(t, e.must(t, http.StatusOK, other.Token, "GET", "/v1/settings/asaas", nil)["webhook_queue"], "another account's queue is not shown")
	cleanUpTemporal(t, tc, &none, &[]string{workflows.QueueWatchScheduleID(other.AccountID.String())})
}

// storedFinding is one repair or mismatch of a stored run.
type storedFinding struct {
	contract                              uuid.UUID
	kind                                  string
	installment                           int
	payment, event, before, after, detail string
}

// storeReconciliation records a queue sweep of the account started at `at`, as
// its workflow would: running without findings; with findings, completed, each
// contract done with 3 installments checked.
func (e *apiEnv) storeReconciliation(t *testing.T, accountID uuid.UUID, at time.Time, findings []storedFinding) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id := uuid.New()
	_, err := e.pool.Exec(ctx, `INSERT INTO reconciliations (id, account_id, source, workflow_id, started_at) VALUES ($1, $2, 'queue-sweep', $3, $4)`,
		id, accountID, workflows.ReconciliationWorkflowID(id.String()), at)
	require.NoError(t, err)
	if len(findings) == 0 {
		return id
	}
	positions := map[string]int{}
	for _, f := range findings {
		_, err := e.pool.Exec(ctx, `INSERT INTO reconciliation_contracts (account_id, reconciliation_id, contract_id, status, checked, finished_at)
			VALUES ($1, $2, $3, 'done', 3, now()) ON CONFLICT DO NOTHING`, accountID, id, f.contract)
		require.NoError(t, err)
		key := f.contract.String() + f.kind
		_, err = e.pool.Exec(ctx, `INSERT INTO reconciliation_findings (account_id, reconciliation_id, contract_id, kind, position, installment,
			asaas_payment_id, event, before_status, after_status, detail)
			VALUES ($1, $2, $3, $4, $5, nullif($6, 0), nullif($7, ''), nullif($8, ''), nullif($9, ''), nullif($10, ''), nullif($11, ''))`,
			accountID, id, f.contract, f.kind, positions[key], f.installment, f.payment, f.event, f.before, f.after, f.detail)
		require.NoError(t, err)
		positions[key]++
	}
	_, err = e.pool.Exec(ctx, `UPDATE reconciliations SET status = 'completed', finished_at = started_at + interval '1 minute',
		contracts_total = (SELECT count(*) FROM reconciliation_contracts WHERE reconciliation_id = $1) WHERE id = $1`, id)
	require.NoError(t, err)
	return id
}

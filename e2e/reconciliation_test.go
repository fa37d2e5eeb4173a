package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/asaassim"
	"billing/gateway"
	"billing/workflows"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// heldCharges holds the simulator's answers to the payment listings of one
// contract (its charges' externalReference) until released: the contract's
// reconciliation waits on Asaas meanwhile, so a run's progress can be read
// while it runs.
type heldCharges struct {
	mu      sync.Mutex
	ref     string // "billing:<contract>:" ("" holds nothing)
	release chan struct{}
}

func newHeldCharges() *heldCharges { return &heldCharges{release: make(chan struct{})} }

func (h *heldCharges) hold(contract string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ref = "billing:" + contract + ":"
}

func (h *heldCharges) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		ref := h.ref
		h.mu.Unlock()
		if ref != "" && r.Method == http.MethodGet && strings.HasPrefix(r.URL.Query().Get("externalReference"), ref) {
			select {
			case <-h.release:
			case <-r.Context().Done():
			}
		}
		next.ServeHTTP(w, r)
	})
}

// An on-demand reconciliation: one contract's payment webhook was lost for good
// (the simulator's loss control), another's charge was deleted at Asaas without
// the event, a third has nothing to repair (and is held at Asaas to show the
// run's progress), a fourth is active in the database without a running
// workflow. POST /v1/reconciliations, then GET: progress while it runs, then the
// repairs with before → after, the installment paid with origin reconciled, the
// charge deleted, the missing workflow as a mismatch; another account's id is 404.
func TestOnDemandReconciliationRepairsWhatNoWebhookTold(t *testing.T) {
	held := newHeldCharges()
	s := newStackOf(t, stackOptions{sim: asaassim.Options{RetryBase: 20 * time.Millisecond}, simGate: held.gate})
	s.configure()
	paid, paidCharges := s.activeContract(2, "200.00")
	deleted, deletedCharges := s.activeContract(2, "200.00")
	slow, _ := s.activeContract(1, "50.00")
	orphan, _ := s.activeContract(1, "50.00")
	ctx := context.Background()
	require.NoError(t, s.tc.TerminateWorkflow(ctx, workflows.ContractWorkflowID(orphan), "", "lost in a Temporal migration"))

	// Asaas moves on; its webhooks are lost for good.
	lost := 1.0
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, &lost))
	require.NoError(t, s.sim.Pay(paidCharges[0], asaassim.PayOptions{BillingType: "PIX"}))
	merchant, err := gateway.NewConnector(secretKey, s.simURL).ClientWithKey("sandbox", s.merchant.APIKey)
	require.NoError(t, err)
	_, err = merchant.DeletePayment(ctx, deletedCharges[1])
	require.NoError(t, err)
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, nil))
	deliveries, err := s.sim.Deliveries(s.merchant.ID)
	require.NoError(t, err)
	lostEvents := map[string]string{}
	for _, d := range deliveries {
		if d.Status == "lost" {
			lostEvents[d.PaymentID] = d.Event
		}
	}
	assert.Equal(t, map[string]string{paidCharges[0]: "PAYMENT_RECEIVED", deletedCharges[1]: "PAYMENT_DELETED"}, lostEvents)
	assert.Equal(t, "open", field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+paid, nil), 1), "status"), "no webhook told us")

	held.hold(slow)
	run := s.must(http.StatusAccepted, "POST", "/v1/reconciliations", nil, "Idempotency-Key", "reconcile-now")
	id := run["id"].(string)
	assert.Equal(t, "running", run["status"])
	path := "/v1/reconciliations/" + id

	// Progress: three contracts answered, the held one has not; what they found is
	// there already.
	var progress map[string]any
	s.eventually("three of four contracts have answered", func() bool {
		progress = s.must(http.StatusOK, "GET", path, nil)
		return progress["contracts_done"] == float64(3)
	})
	assert.Equal(t, "running", progress["status"])
	assert.Equal(t, float64(4), progress["contracts_total"])
	assert.Nil(t, progress["finished_at"])
	assert.Equal(t, float64(2), progress["repair_count"])
	close(held.release)

	var report map[string]any
	s.eventually("the reconciliation completes", func() bool {
		report = s.must(http.StatusOK, "GET", path, nil)
		return report["status"] == "completed"
	})
	assert.Equal(t, "on-demand", report["source"])
	assert.NotNil(t, report["finished_at"])
	assert.Equal(t, float64(4), report["contracts_total"])
	assert.Equal(t, float64(4), report["contracts_done"])
	assert.Equal(t, float64(5), report["installments_checked"], "2 + 2 + 1 asked at Asaas; none for the orphan")
	assert.ElementsMatch(t, []any{
		map[string]any{"contract_id": paid, "installment": float64(1), "asaas_payment_id": paidCharges[0], "event": "PAYMENT_RECEIVED", "before": "open", "after": "paid"},
		map[string]any{"contract_id": deleted, "installment": float64(2), "asaas_payment_id": deletedCharges[1], "event": "PAYMENT_DELETED", "before": "open", "after": "open"},
	}, report["repairs"])
	assert.Equal(t, []any{map[string]any{"contract_id": orphan, "installment": nil, "asaas_payment_id": nil, "event": nil, "detail": "no running workflow"}}, report["mismatches"])

	// The repairs are real: the installment is paid (origin reconciled) with its
	// splits, the charge is recorded deleted.
	view := s.must(http.StatusOK, "GET", "/v1/contracts/"+paid, nil)
	assert.Equal(t, "paid", field(installment(view, 1), "status"))
	assert.Equal(t, "reconciled", field(installment(view, 1), "payment", "origin"))
	assert.Equal(t, "100.00", s.ledgerTotal(paid), "its payment allocated, to the cent")
	view = s.must(http.StatusOK, "GET", "/v1/contracts/"+deleted, nil)
	assert.NotNil(t, field(installment(view, 2), "charge", "deleted_at"))
	assert.Nil(t, field(installment(view, 1), "charge", "deleted_at"))

	// The trail, the list, the replay of the same key.
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE entity_id = $1 AND action = 'reconciliation.started' AND actor_type = 'user'`, id))
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM audit_events WHERE entity_id = $1 AND action = 'reconciliation.completed' AND actor_type = 'system'
		AND data->>'repairs' = '2' AND data->>'mismatches' = '1'`, id))
	list := s.must(http.StatusOK, "GET", "/v1/reconciliations", nil)["data"].([]any)
	require.Len(t, list, 1)
	assert.Equal(t, float64(2), list[0].(map[string]any)["repair_count"])
	code, again := s.call("POST", "/v1/reconciliations", nil, "Idempotency-Key", "reconcile-now")
	assert.Equal(t, http.StatusAccepted, code)
	assert.Equal(t, id, again["id"], "the same run, not another")

	// Another account sees none of it.
	other := s.otherAccount("Rival")
	t.Cleanup(func() {
		_ = s.tc.ScheduleClient().GetHandle(ctx, workflows.QueueWatchScheduleID(other.id.String())).Delete(ctx)
	})
	rival := *s
	rival.token = other.token
	code, problem := rival.call("GET", path, nil)
	assert.Equal(t, http.StatusNotFound, code, "%v", problem)
	assert.Empty(t, rival.must(http.StatusOK, "GET", "/v1/reconciliations", nil)["data"])

	recordHistories(t, s, "on-demand-reconciliation-"+generation, workflows.ReconciliationWorkflowID(id))
}

// ledgerTotal is the sum of a contract's split entries: what its payments allocated.
func (s *stack) ledgerTotal(contract string) string {
	s.t.Helper()
	var total string
	require.NoError(s.t, s.pool.QueryRow(context.Background(), `SELECT coalesce(sum(amount), 0)::text FROM split_entries WHERE contract_id = $1`, contract).Scan(&total))
	return total
}

// A run over more contracts than it keeps in one history continues as new,
// carrying its cursor, and asks every contract once.
func TestReconciliationOfALargeAccountContinuesAsNew(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	for i := 0; i < 3; i++ {
		s.activeContract(1, "50.00")
	}
	ctx := context.Background()
	id := uuid.NewString()
	wfID := workflows.ReconciliationWorkflowID(id)
	_, err := s.pool.Exec(ctx, `INSERT INTO reconciliations (id, account_id, source, workflow_id) VALUES ($1, $2, 'queue-sweep', $3)`, id, s.account, wfID)
	require.NoError(t, err)
	run, err := s.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: wfID, TaskQueue: workflows.TaskQueue}, workflows.ReconciliationWorkflow,
		workflows.ReconciliationInput{AccountID: s.account.String(), ReconciliationID: id, Source: workflows.SourceQueueSweep,
			Options: workflows.ReconciliationOptions{PageSize: 1, MaxPerRun: 2}})
	require.NoError(t, err)
	var sum workflows.ReconciliationResult
	require.NoError(t, s.tc.GetWorkflow(ctx, wfID, "").Get(ctx, &sum), "the last run's result")
	assert.Equal(t, workflows.ReconciliationResult{Status: "completed", ContractsTotal: 3, ContractsDone: 3, InstallmentsChecked: 3}, sum)
	runs := histories(t, s, run.GetID())
	assert.Len(t, runs, 2, "2 contracts in the first run, the third in the next")
	assert.Equal(t, 3, s.count(`SELECT count(*) FROM reconciliation_contracts WHERE reconciliation_id = $1 AND status = 'done'`, id))
	recordHistories(t, s, "continue-as-new-reconciliation-"+generation, wfID)
}

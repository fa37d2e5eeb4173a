package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"billing/asaassim"
	"billing/metrics"
	"billing/metrics/metricstest"
	"billing/workflows"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// After a real flow — a payment by webhook, a forged event the contract rejects
// after asking Asaas, a payment only the contract's reconciliation finds, and a
// manual payment — /metrics (this process holds the API and the worker, as
// `make run` does) shows each counted.
func TestMetricsAfterAFlow(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	scrape := func() metricstest.Scrape { return metricstest.Get(t, metrics.Handler(), "/metrics") }
	before := scrape()
	contract, charges := s.activeContract(3, "300.00")

	require.NoError(t, s.sim.Pay(charges[0], asaassim.PayOptions{BillingType: "PIX"}))
	forged := s.paymentEvent("evt_metrics_forged", "PAYMENT_RECEIVED", charges[1], map[string]any{"value": 0.01, "status": "RECEIVED"})
	code, answer := s.postWebhook(s.secret, forged)
	require.Equal(t, http.StatusOK, code, answer)
	s.waitOutcome(s.account, "evt_metrics_forged")
	zero := 0.0
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, ptrTo(1.0))) // installment 2's payment webhook never comes
	require.NoError(t, s.sim.Pay(charges[1], asaassim.PayOptions{BillingType: "PIX"}))
	require.NoError(t, s.sim.SetLossRate(s.merchant.ID, &zero))
	s.reconcileContract(contract)
	s.must(http.StatusOK, "POST", "/v1/contracts/"+contract+"/installments/3/mark-paid", map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)})
	s.eventually("the contract completes", func() bool {
		return s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil)["status"] == "completed"
	})

	after := scrape()
	delta := func(name string, labels ...string) float64 {
		return after.Value(name, labels...) - before.Value(name, labels...)
	}
	assert.GreaterOrEqual(t, delta("billing_webhook_deliveries_total", "outcome", "accepted"), 4.0, "3 charges created and a payment")
	assert.Equal(t, 1.0, delta("billing_webhook_deliveries_total", "outcome", "rejected"), "the forged event, rejected by the contract")
	assert.Equal(t, 1.0, delta("billing_payments_applied_total", "origin", "gateway"))
	assert.Equal(t, 1.0, delta("billing_payments_applied_total", "origin", "reconciled"))
	assert.Equal(t, 1.0, delta("billing_payments_applied_total", "origin", "manual"))
	assert.Equal(t, 1.0, delta("billing_reconciliation_repairs_total", "kind", "paid"))
	assert.GreaterOrEqual(t, delta("billing_webhook_event_lag_seconds"), 2.0, "decided events measure their lag")
	assert.Positive(t, delta("billing_http_request_duration_seconds", "route", "/v1/contracts/:id/installments/:n/mark-paid"))
	assert.Positive(t, delta("temporal_request_total", "operation", "SignalWorkflowExecution"), "the SDK's own metrics")
}

func ptrTo[T any](v T) *T { return &v }

// reconcileContract runs the contract's reconcile Update (what an account
// reconciliation does for each contract) and waits for its answer.
func (s *stack) reconcileContract(contract string) workflows.ReconcileResult {
	s.t.Helper()
	h, err := s.tc.UpdateWorkflow(context.Background(), client.UpdateWorkflowOptions{WorkflowID: workflows.ContractWorkflowID(contract),
		UpdateName: workflows.ReconcileUpdate, Args: []any{workflows.ReconcileRequest{Source: "on-demand"}},
		WaitForStage: client.WorkflowUpdateStageCompleted})
	require.NoError(s.t, err)
	var res workflows.ReconcileResult
	require.NoError(s.t, h.Get(context.Background(), &res))
	return res
}

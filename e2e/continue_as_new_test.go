package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"billing/asaassim"
	"billing/workflows"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// TestPaymentsAcrossContinueAsNew pays a 12-installment contract through the
// simulator with duplicated and reordered webhooks while its workflow continues as
// new several times (a tiny history limit): every payment is applied exactly once
// and the contract completes.
func TestPaymentsAcrossContinueAsNew(t *testing.T) {
	s := newStack(t, asaassim.Options{DuplicateRate: 0.5, ReorderRate: 0.3, RetryBase: 20 * time.Millisecond, Seed: 7})
	s.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox", "webhook_secret": s.secret})
	agent := s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"asaas_wallet_id": s.wallet.WalletID})["id"].(string)
	clientID := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"})["id"].(string)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"client_id": clientID, "billing_type": "PIX",
		"total_amount": "350.00", "installment_count": 12, "first_due_date": time.Now().AddDate(0, 0, 5).Format(time.DateOnly),
		"split_rules": []any{map[string]any{"kind": "percentage", "payee_id": agent, "percent": "12.5"}}})["id"].(string)

	// Started directly (as the API would) but with a history limit small enough to
	// continue as new every few payments.
	wfID := workflows.ContractWorkflowID(contract)
	_, err := s.tc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: wfID, TaskQueue: workflows.TaskQueue},
		workflows.ContractWorkflow, workflows.ContractInput{AccountID: s.account.String(), ContractID: contract,
			Options: workflows.ContractOptions{MaxHistoryLength: 120}})
	require.NoError(t, err)
	path := "/v1/contracts/" + contract
	var view map[string]any
	s.eventually("twelve charges are issued", func() bool {
		view = s.must(http.StatusOK, "GET", path, nil)
		for n := 1; n <= 12; n++ {
			if field(installment(view, n), "status") != "open" {
				return false
			}
		}
		return true
	})
	// One payment at a time, each applied before the next: the workflow takes
	// pending events in batches, and twelve at once could fit in one short run.
	for n := 1; n <= 12; n++ {
		require.NoError(t, s.sim.Pay(field(installment(view, n), "charge", "asaas_payment_id").(string), asaassim.PayOptions{BillingType: "PIX"}))
		s.eventually("installment paid", func() bool {
			return field(installment(s.must(http.StatusOK, "GET", path, nil), n), "status") == "paid"
		})
	}
	s.eventually("the contract completes", func() bool {
		return s.must(http.StatusOK, "GET", path, nil)["status"] == "completed"
	})

	assert.Equal(t, 12, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
	assert.Equal(t, 0, s.count(`SELECT count(*) FROM payments p WHERE contract_id = $1 AND amount <> (SELECT sum(amount) FROM split_entries e WHERE e.payment_id = p.id)`, contract))
	assert.Equal(t, 12, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'payment.recorded'`, contract))
	runs := histories(t, s, wfID)
	assert.Greater(t, len(runs), 1, "the workflow continued as new")
	for i, run := range runs[:len(runs)-1] {
		// A run ends at the first loop turn past the limit: one payment's events at most.
		assert.LessOrEqual(t, len(run.Events), 120+40, "run %d stayed near the history limit", i+1)
	}
	var v workflows.ContractView
	q, err := s.tc.QueryWorkflow(context.Background(), wfID, "", workflows.StateQuery)
	require.NoError(t, err)
	require.NoError(t, q.Get(&v))
	assert.Equal(t, 12, v.PaidInstallments, "the state carried through every run")
	assert.Equal(t, len(runs)-1, v.Runs)
	assert.Equal(t, "350", v.TotalPaid.String())

	replayAndRecord(t, s, "continue-as-new", wfID)
}

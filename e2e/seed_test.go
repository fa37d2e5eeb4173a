package e2e

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"testing"
	"time"

	"billing/asaassim"
	"billing/workflows"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
)

var updateHistories = flag.Bool("update-histories", false, "write the workflow histories of this run to workflows/testdata/histories (replay tests)")

func installment(contract map[string]any, n int) map[string]any {
	return contract["installments"].([]any)[n-1].(map[string]any)
}

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

// TestSeedStepsFiveToSeven walks the release notes' "How to use" 5–7 through the
// real parts: activate a 3-installment contract generated from a template, pay #1 by
// PIX at the simulator (webhook with the token, every delivery sent twice), pay #2
// manually, cancel (#3's charge deleted at Asaas); then check the money and the trail.
func TestSeedStepsFiveToSeven(t *testing.T) {
	s := newStack(t, asaassim.Options{DuplicateRate: 1, RetryBase: 20 * time.Millisecond})

	// Steps 1–4 (covered in depth by the API tests): settings, payees, template, contract.
	s.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox", "webhook_secret": s.secret})
	agent := s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Agente", "person_type": "person", "cpf_cnpj": "52998224725",
		"asaas_wallet_id": s.wallet.WalletID, "pix_key": "52998224725", "pix_key_type": "CPF"})["id"].(string)
	partner := s.must(http.StatusCreated, "POST", "/v1/payees", map[string]any{"name": "Franquia", "person_type": "company", "cpf_cnpj": "11222333000181",
		"bank_code": "001", "agency": "1234", "account": "56789", "account_digit": "0", "account_type": "CHECKING"})["id"].(string)
	client := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792", "email": "c@example.com"})["id"].(string)
	template := s.must(http.StatusCreated, "POST", "/v1/templates", map[string]any{"name": "Padrão", "installment_count": 3, "billing_type": "PIX",
		"split_rules": []any{
			map[string]any{"kind": "fee"},
			map[string]any{"kind": "percentage", "payee_id": agent, "percent": "10"},
			map[string]any{"kind": "fixed", "payee_id": partner, "amount": "5.00"},
			map[string]any{"kind": "remainder", "payee_id": partner},
		}})["id"].(string)
	firstDue := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"template_id": template, "client_id": client,
		"total_amount": "300.00", "first_due_date": firstDue})["id"].(string)
	path := "/v1/contracts/" + contract

	// Step 5: activate; a second call answers with the same workflow.
	first := s.must(http.StatusOK, "POST", path+"/activate", nil)
	again := s.must(http.StatusOK, "POST", path+"/activate", nil)
	assert.Equal(t, workflows.ContractWorkflowID(contract), first["workflow_id"])
	assert.Equal(t, first["workflow_id"], again["workflow_id"])
	var view map[string]any
	s.eventually("three charges are issued", func() bool {
		view = s.must(http.StatusOK, "GET", path, nil)
		for n := 1; n <= 3; n++ {
			if field(installment(view, n), "status") != "open" {
				return false
			}
		}
		return true
	})
	charge := func(n int) string { return field(installment(view, n), "charge", "asaas_payment_id").(string) }
	for n := 1; n <= 3; n++ {
		assert.NotEmpty(t, field(installment(view, n), "charge", "invoice_url"), "the contract view shows each charge's invoice URL")
		raw, err := s.sim.Payment(charge(n))
		require.NoError(t, err)
		assert.Contains(t, string(raw), s.wallet.WalletID, "the gateway split rule went to Asaas in split[]")
		assert.Contains(t, string(raw), fmt.Sprintf(`"externalReference":"billing:%s:%d"`, contract, n))
	}

	// Step 6: #1 paid by PIX at Asaas; the webhook comes back with the token, twice.
	require.NoError(t, s.sim.Pay(charge(1), asaassim.PayOptions{BillingType: "PIX"}))
	s.eventually("installment 1 is paid through the webhook", func() bool {
		return field(installment(s.must(http.StatusOK, "GET", path, nil), 1), "status") == "paid"
	})
	// #2 paid by hand (receiveInCash at Asaas first); the retried request is the same update.
	mark := map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)}
	s.must(http.StatusOK, "POST", path+"/installments/2/mark-paid", mark, "Idempotency-Key", "mark-2")
	s.must(http.StatusOK, "POST", path+"/installments/2/mark-paid", mark, "Idempotency-Key", "mark-2")
	code, problem := s.call("POST", path+"/installments/2/mark-paid", mark, "Idempotency-Key", "mark-2-again")
	assert.Equal(t, http.StatusConflict, code, "a paid installment cannot be paid again: %v", problem)

	// Cancel: #3's open charge is deleted at Asaas; paid ones are kept.
	s.must(http.StatusOK, "POST", path+"/cancel", map[string]any{"reason": "cliente desistiu"})
	view = s.must(http.StatusOK, "GET", path, nil)
	assert.Equal(t, "cancelled", view["status"])
	assert.Equal(t, []any{"paid", "paid", "cancelled"}, []any{field(installment(view, 1), "status"), field(installment(view, 2), "status"), field(installment(view, 3), "status")})
	assert.Equal(t, "gateway", field(installment(view, 1), "payment", "origin"))
	assert.Equal(t, "manual", field(installment(view, 2), "payment", "origin"))
	raw, err := s.sim.Payment(charge(3))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"deleted":true`)
	raw, err = s.sim.Payment(charge(2))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"status":"RECEIVED_IN_CASH"`)

	// Every payment's split entries sum to the amount paid, to the cent.
	ctx := context.Background()
	rows, err := s.pool.Query(ctx, `SELECT p.amount::text, coalesce(sum(e.amount), 0)::text FROM payments p
		JOIN split_entries e ON e.payment_id = p.id WHERE p.contract_id = $1 GROUP BY p.id, p.amount`, contract)
	require.NoError(t, err)
	payments := 0
	for rows.Next() {
		var amount, sum string
		require.NoError(t, rows.Scan(&amount, &sum))
		assert.Equal(t, amount, sum)
		payments++
	}
	assert.Equal(t, 2, payments, "two payments, each applied once despite duplicate webhooks")

	// The payout report adds up: #1 gateway (fee 1.99, agent 9.80 via Asaas, partner 5.00 + 83.21),
	// #2 manual (agent 10.00 now a manual payout, partner 5.00 + 85.00).
	report := s.must(http.StatusOK, "GET", "/v1/payouts/report", nil)
	totals := map[string]map[string]any{}
	for _, p := range report["payees"].([]any) {
		pm := p.(map[string]any)
		key := "account"
		if id, ok := pm["payee_id"].(string); ok {
			key = id
		}
		totals[key] = pm["totals"].(map[string]any)
	}
	money := func(v any) string { return decimal.RequireFromString(v.(string)).StringFixed(2) }
	assert.Equal(t, "9.80", money(totals[agent]["sent_to_gateway"]))
	assert.Equal(t, "10.00", money(totals[agent]["pending"]))
	assert.Equal(t, "178.21", money(totals[partner]["pending"]))
	assert.Equal(t, "1.99", money(totals["account"]["paid"]))
	assert.Equal(t, "200.00", money(field(report, "totals", "total")))

	// Every step is in the audit trail.
	audit := map[string]int{}
	trail := s.must(http.StatusOK, "GET", path+"/audit-events?limit=200", nil)
	for _, e := range trail["data"].([]any) {
		audit[e.(map[string]any)["action"].(string)]++
	}
	for action, n := range map[string]int{"contract.created": 1, "contract.activated": 1, "charge.issued": 3, "payment.recorded": 2,
		"split.processed": 2, "charge.deleted": 1, "contract.cancelled": 1} {
		assert.Equal(t, n, audit[action], "audit %s", action)
	}

	// Duplicate deliveries: each Asaas event is stored once, and the contract workflow is closed.
	assert.Zero(t, s.count(`SELECT count(*) FROM (SELECT event_key FROM webhook_events WHERE account_id=$1 GROUP BY event_key HAVING count(*) > 1) d`, s.account))
	deliveries, err := s.sim.Deliveries(s.merchant.ID)
	require.NoError(t, err)
	dups := 0
	for _, d := range deliveries {
		if d.Duplicate && d.Delivered {
			dups++
		}
	}
	assert.Positive(t, dups, "the simulator did deliver duplicates")
	// The cancelled contract's workflow listens for late events (refunds of the kept
	// payments, stray charges) until its late-event window ends.
	desc, err := s.tc.DescribeWorkflowExecution(ctx, workflows.ContractWorkflowID(contract), "")
	require.NoError(t, err)
	assert.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.WorkflowExecutionInfo.Status)

	// The contract is findable in the Temporal UI by its search attributes.
	query := fmt.Sprintf(`AccountId = %q AND ContractStatus = "cancelled" AND PaidInstallments = 2`, s.account)
	s.eventually("the contract is listed by its search attributes", func() bool {
		list, err := s.tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		require.NoError(t, err)
		return len(list.Executions) == 1 && list.Executions[0].Execution.WorkflowId == workflows.ContractWorkflowID(contract)
	})

	replayAndRecord(t, s, "seed-5-7", workflows.ContractWorkflowID(contract))
}

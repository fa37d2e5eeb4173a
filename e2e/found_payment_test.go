package e2e

import (
	"net/http"
	"testing"
	"time"

	"billing/asaassim"
	"billing/workflows"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The customer pays three charges at Asaas, each with the agent's split refused
// there, while the account's webhooks are held (its queue paused); the contract
// then finds each payment itself, racing the webhook: mark-paid of #1 (Asaas
// refuses receiveInCash: 409), a change of #2 (Asaas refuses the PUT of a paid
// charge: 409), the cancellation deleting #3 (kept as paid; #4 cancelled). Each
// payment found is read back like a webhook's: the refused split becomes a
// pending manual payout, audited. The webhooks delivered afterwards find the
// payments applied.
func TestPaymentsFoundAtAsaasHaveTheirSplitsReadBack(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	agent := s.agent()
	contract, charges := s.lifeContract(agent, 4, "400.00", "PIX")
	path := "/v1/contracts/" + contract
	s.quiet()

	require.NoError(t, s.sim.PauseWebhooks(s.merchant.ID))
	for _, ch := range charges[:3] {
		require.NoError(t, s.sim.SetSplitStatus(ch, s.wallet.WalletID, "REFUSED", "Carteira de destino bloqueada"))
		require.NoError(t, s.sim.Pay(ch, asaassim.PayOptions{}))
	}
	code, problem := s.call("POST", path+"/installments/1/mark-paid", map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)},
		"Idempotency-Key", "found-mark-1")
	assert.Equal(t, http.StatusConflict, code, "paid through Asaas first: %v", problem)
	code, problem = s.call("PATCH", path+"/installments/2", map[string]any{"value": "90.00"}, "Idempotency-Key", "found-change-2")
	assert.Equal(t, http.StatusConflict, code, "paid meanwhile: %v", problem)
	s.must(http.StatusOK, "POST", path+"/cancel", map[string]any{"reason": "cliente desistiu"}, "Idempotency-Key", "found-cancel")

	view := s.must(http.StatusOK, "GET", path, nil)
	assert.Equal(t, "cancelled", view["status"])
	for n, want := range []string{"paid", "paid", "paid", "cancelled"} {
		assert.Equal(t, want, field(installment(view, n+1), "status"), "installment %d", n+1)
	}
	for n := 1; n <= 3; n++ {
		assert.Equal(t, "gateway", field(installment(view, n), "payment", "origin"), "installment %d: the payment Asaas holds", n)
	}
	s.eventually("each found payment's refused split is a pending payout", func() bool {
		return s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'split.not_paid'`, contract) == 3
	})
	for n := 1; n <= 3; n++ {
		assert.Equal(t, "pending", s.entryStatuses(contract, n)["percentage"], "installment %d: the agent is paid by hand", n)
	}

	require.NoError(t, s.sim.ResumeWebhooks(s.merchant.ID))
	s.quiet()
	assert.Equal(t, 3, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract), "the late webhooks find them applied")
	assert.Equal(t, 3, s.count(`SELECT count(*) FROM audit_events WHERE contract_id = $1 AND action = 'split.not_paid'`, contract), "once each")
	s.assertLedgerExact(contract)

	replayAndRecord(t, s, "found-payments", workflows.ContractWorkflowID(contract))
}

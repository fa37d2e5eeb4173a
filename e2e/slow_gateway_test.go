package e2e

import (
	"net/http"
	"testing"
	"time"

	"billing/asaassim"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlowGatewayAnswers202ThenFinishes: while Asaas is slow, a cancellation is
// accepted (validated) and answered 202 instead of holding the request; it
// finishes on its own, and repeating the request then gets the final answer.
func TestSlowGatewayAnswers202ThenFinishes(t *testing.T) {
	s := newStackWith(t, asaassim.Options{RetryBase: 20 * time.Millisecond}, time.Second)
	s.must(http.StatusOK, "PUT", "/v1/settings/asaas", map[string]any{"api_key": s.merchant.APIKey, "environment": "sandbox", "webhook_secret": s.secret})
	clientID := s.must(http.StatusCreated, "POST", "/v1/clients", map[string]any{"name": "Cliente", "cpf_cnpj": "24971563792"})["id"].(string)
	contract := s.must(http.StatusCreated, "POST", "/v1/contracts", map[string]any{"client_id": clientID, "billing_type": "BOLETO",
		"total_amount": "90.00", "installment_count": 2, "first_due_date": time.Now().AddDate(0, 0, 3).Format(time.DateOnly)})["id"].(string)
	path := "/v1/contracts/" + contract
	s.must(http.StatusOK, "POST", path+"/activate", nil)
	s.eventually("charges are issued", func() bool {
		v := s.must(http.StatusOK, "GET", path, nil)
		return field(installment(v, 1), "status") == "open" && field(installment(v, 2), "status") == "open"
	})

	s.sim.SetFaults(asaassim.Faults{TimeoutRate: 1, TimeoutDelay: 2 * time.Second})
	accepted := s.must(http.StatusAccepted, "POST", path+"/cancel", map[string]any{"reason": "slow day"}, "Idempotency-Key", "cancel-1")
	assert.Equal(t, true, accepted["in_progress"])
	code, problem := s.call("POST", path+"/installments/1/mark-paid", map[string]any{"amount": "45.00", "paid_on": time.Now().Format(time.DateOnly)})
	assert.Equal(t, http.StatusConflict, code, "the contract is being cancelled: %v", problem)

	s.sim.SetFaults(asaassim.Faults{})
	s.eventually("the cancellation finishes", func() bool {
		return s.must(http.StatusOK, "GET", path, nil)["status"] == "cancelled"
	})
	final := s.must(http.StatusOK, "POST", path+"/cancel", map[string]any{"reason": "slow day"}, "Idempotency-Key", "cancel-1")
	assert.Equal(t, "cancelled", final["status"], "the same key now gets the finished action's answer")
	assert.Nil(t, final["in_progress"])
	require.Equal(t, 2, s.count(`SELECT count(*) FROM charges WHERE contract_id = $1 AND deleted_at IS NOT NULL`, contract))
}

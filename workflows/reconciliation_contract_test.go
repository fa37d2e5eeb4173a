package workflows

import (
	"bytes"
	"encoding/json"
	"testing"

	"billing/activities"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The activities package mirrors the contract's ReconcileUpdate (it cannot import
// this package): the names and payloads must agree, field for field.
func TestReconcileContractMirrorsTheContractWorkflow(t *testing.T) {
	assert.Equal(t, ReconcileUpdate, activities.ReconcileUpdateName)
	assert.Equal(t, ContractWorkflowID("c-1"), activities.ContractWorkflowIDPrefix+"c-1")
	assert.Equal(t, SourceOnDemand, activities.SourceOnDemand)
	assert.Equal(t, SourceQueueSweep, activities.SourceQueueSweep)

	strict := func(raw []byte, dst any) {
		t.Helper()
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(dst))
	}
	answer := ReconcileResult{Checked: 3,
		Repairs:    []Repair{{Number: 1, AsaasPaymentID: "pay_1", Event: "PAYMENT_RECEIVED", Before: "open", After: "paid"}},
		Mismatches: []Mismatch{{Number: 2, AsaasPaymentID: "pay_2", Event: "PAYMENT_RECEIVED", Detail: "money for a cancelled installment"}}}
	raw, err := json.Marshal(answer)
	require.NoError(t, err)
	var read activities.ContractReconcileAnswer
	strict(raw, &read)
	assert.Equal(t, activities.ContractReconcileAnswer{Checked: 3,
		Repairs:    []activities.ContractRepair{{Number: 1, AsaasPaymentID: "pay_1", Event: "PAYMENT_RECEIVED", Before: "open", After: "paid"}},
		Mismatches: []activities.ContractMismatch{{Number: 2, AsaasPaymentID: "pay_2", Event: "PAYMENT_RECEIVED", Detail: "money for a cancelled installment"}}}, read)
	back, err := json.Marshal(read)
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), string(back))

	raw, err = json.Marshal(activities.ContractReconcileRequest{Source: SourceQueueSweep})
	require.NoError(t, err)
	var req ReconcileRequest
	strict(raw, &req)
	assert.Equal(t, ReconcileRequest{Source: SourceQueueSweep}, req)
}

package activities_test

import (
	"context"
	"testing"
	"time"

	"billing/activities"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run over the fixture's account: what it lists, how it pages, and that every
// write is made once however often an activity is retried.
func TestReconciliationRunWritesEachAnswerOnce(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate() // active: listed
	draft := f.draftContract()
	run := f.storeRun(time.Now(), activities.ReconciliationRunning)
	ref := activities.ReconciliationRef{AccountID: f.account.String(), ReconciliationID: run.String()}

	var total int
	require.NoError(t, f.run(f.acts.PlanReconciliation, ref, &total))
	require.NoError(t, f.run(f.acts.PlanReconciliation, ref, &total), "a retry")
	assert.Equal(t, 1, total, "the active contract; not the draft")
	assert.Zero(t, f.count(`SELECT count(*) FROM reconciliation_contracts WHERE contract_id = $1`, draft))

	var ids []string
	require.NoError(t, f.run(f.acts.NextReconciliationContracts, activities.NextContractsInput{ReconciliationRef: ref, Limit: 10}, &ids))
	assert.Equal(t, []string{f.contract.String()}, ids)
	require.NoError(t, f.run(f.acts.NextReconciliationContracts, activities.NextContractsInput{ReconciliationRef: ref, After: f.contract.String(), Limit: 10}, &ids))
	assert.Empty(t, ids, "nothing after the cursor")

	in := activities.UnreconciledInput{ReconciliationRef: ref, ContractID: f.contract.String(), Detail: "the contract did not answer: timeout"}
	var out activities.ContractReconciled
	require.NoError(t, f.run(f.acts.RecordContractUnreconciled, in, &out))
	require.NoError(t, f.run(f.acts.RecordContractUnreconciled, in, &out), "a retry")
	assert.Equal(t, activities.ContractReconciled{Mismatches: 1}, out, "the retry answers what was recorded")
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM reconciliation_findings WHERE reconciliation_id = $1 AND kind = 'mismatch'`, run))
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM reconciliation_contracts WHERE reconciliation_id = $1 AND status = 'failed'`, run))

	// Recorded: asking again never reaches Temporal (this worker has no client).
	require.NoError(t, f.run(f.acts.ReconcileContract, activities.ReconcileContractInput{ReconciliationRef: ref, ContractID: f.contract.String(),
		Source: activities.SourceOnDemand}, &out))
	assert.Equal(t, activities.ContractReconciled{Mismatches: 1}, out)
	require.NoError(t, f.run(f.acts.NextReconciliationContracts, activities.NextContractsInput{ReconciliationRef: ref, Limit: 10}, &ids))
	assert.Empty(t, ids, "no contract left to ask")

	var sum activities.ReconciliationSummary
	require.NoError(t, f.run(f.acts.FinishReconciliation, activities.FinishReconciliationInput{ReconciliationRef: ref}, &sum))
	require.NoError(t, f.run(f.acts.FinishReconciliation, activities.FinishReconciliationInput{ReconciliationRef: ref}, &sum), "a retry")
	assert.Equal(t, activities.ReconciliationSummary{Status: "completed", ContractsTotal: 1, ContractsDone: 1, Mismatches: 1}, sum)
	assert.Equal(t, 1, f.count(`SELECT count(*) FROM audit_events WHERE action = 'reconciliation.completed' AND entity_id = $1
		AND data->>'mismatches' = '1' AND data->>'contracts_done' = '1'`, run))

	// A run that ended does not start over.
	err := f.run(f.acts.PlanReconciliation, ref, &total)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is completed")
}

// A run of another account, or one that does not exist, is not found: nothing
// of one account is reached through another's ids.
func TestReconciliationOfAnotherAccountIsNotFound(t *testing.T) {
	f := newFixture(t, "100.00")
	f.activate()
	run := f.storeRun(time.Now(), activities.ReconciliationRunning)
	other := newFixture(t, "100.00")
	for name, ref := range map[string]activities.ReconciliationRef{
		"another account's run": {AccountID: other.account.String(), ReconciliationID: run.String()},
		"no such run":           {AccountID: f.account.String(), ReconciliationID: uuid.NewString()},
	} {
		t.Run(name, func(t *testing.T) {
			err := f.run(f.acts.PlanReconciliation, ref, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "not found")
			err = f.run(f.acts.ReconcileContract, activities.ReconcileContractInput{ReconciliationRef: ref, ContractID: f.contract.String()}, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "not found")
		})
	}
	assert.Zero(t, f.count(`SELECT count(*) FROM reconciliation_contracts`))
}

// draftContract adds a second contract of the fixture's client, left a draft.
func (f *fixture) draftContract() uuid.UUID {
	f.t.Helper()
	var id uuid.UUID
	require.NoError(f.t, f.pool.QueryRow(context.Background(), `INSERT INTO contracts (account_id, client_id, billing_type, total_amount,
		installment_count, first_due_date, created_by) SELECT account_id, client_id, 'PIX', 10, 1, '2030-01-10', created_by
		FROM contracts WHERE id = $1 RETURNING id`, f.contract).Scan(&id))
	return id
}

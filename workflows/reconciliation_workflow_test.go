package workflows

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"billing/activities"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// fakeRun stands in for PostgreSQL and the contracts in the reconciliation
// workflow's unit tests: its methods have the real activities' names. The run
// itself against the real parts is e2e/reconciliation_test.go.
type fakeRun struct {
	mu           sync.Mutex
	contracts    []string
	pending      map[string]bool
	planMissing  int              // PlanReconciliation answers NotFound this many times first
	fail         map[string]error // ReconcileContract's error per contract
	inFlight     int
	maxInFlight  int
	asked        []string
	unreconciled map[string]string
	finished     *activities.FinishReconciliationInput
}

func newFakeRun(n int) *fakeRun {
	f := &fakeRun{pending: map[string]bool{}, fail: map[string]error{}, unreconciled: map[string]string{}}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("c-%03d", i)
		f.contracts = append(f.contracts, id)
		f.pending[id] = true
	}
	return f
}

func (f *fakeRun) PlanReconciliation(_ context.Context, _ activities.ReconciliationRef) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.planMissing > 0 {
		f.planMissing--
		return 0, temporal.NewNonRetryableApplicationError("reconciliation not found", ErrTypeNotFound, nil)
	}
	return len(f.contracts), nil
}

func (f *fakeRun) NextReconciliationContracts(_ context.Context, in activities.NextContractsInput) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, id := range f.contracts {
		if f.pending[id] && id > in.After && len(out) < in.Limit {
			out = append(out, id)
		}
	}
	return out, nil
}

func (f *fakeRun) ReconcileContract(_ context.Context, in activities.ReconcileContractInput) (activities.ContractReconciled, error) {
	f.mu.Lock()
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.asked = append(f.asked, in.ContractID)
	err := f.fail[in.ContractID]
	f.mu.Unlock()
	time.Sleep(20 * time.Millisecond) // overlap with the others in flight
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
	if err != nil {
		return activities.ContractReconciled{}, err
	}
	delete(f.pending, in.ContractID)
	return activities.ContractReconciled{Checked: 2}, nil
}

func (f *fakeRun) RecordContractUnreconciled(_ context.Context, in activities.UnreconciledInput) (activities.ContractReconciled, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unreconciled[in.ContractID] = in.Detail
	delete(f.pending, in.ContractID)
	return activities.ContractReconciled{Mismatches: 1}, nil
}

func (f *fakeRun) FinishReconciliation(_ context.Context, in activities.FinishReconciliationInput) (activities.ReconciliationSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finished = &in
	status := activities.ReconciliationCompleted
	if in.Failed {
		status = activities.ReconciliationFailed
	}
	return activities.ReconciliationSummary{Status: status, ContractsTotal: len(f.contracts)}, nil
}

func runReconciliation(t *testing.T, f *fakeRun, in ReconciliationInput) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(ReconciliationWorkflow)
	env.RegisterActivity(f)
	in.AccountID, in.ReconciliationID, in.Source = "acct-1", "run-1", SourceOnDemand
	env.ExecuteWorkflow(ReconciliationWorkflow, in)
	require.True(t, env.IsWorkflowCompleted())
	return env
}

func TestReconciliationAsksEveryContractFourAtATime(t *testing.T) {
	f := newFakeRun(10)
	env := runReconciliation(t, f, ReconciliationInput{})
	require.NoError(t, env.GetWorkflowError())
	var res ReconciliationResult
	require.NoError(t, env.GetWorkflowResult(&res))
	assert.Equal(t, activities.ReconciliationCompleted, res.Status)
	sort.Strings(f.asked)
	assert.Equal(t, f.contracts, f.asked, "each contract once")
	assert.LessOrEqual(t, f.maxInFlight, DefaultReconcileConcurrency, "never more than 4 at once towards Asaas")
	assert.Greater(t, f.maxInFlight, 1, "several at once")
	require.NotNil(t, f.finished)
	assert.False(t, f.finished.Failed)
}

func TestReconciliationRecordsAContractThatCannotAnswer(t *testing.T) {
	f := newFakeRun(3)
	f.fail["c-001"] = temporal.NewNonRetryableApplicationError("the contract could not reconcile: boom", activities.ErrTypeContractUnreconciled, nil)
	f.fail["c-002"] = errors.New("context deadline exceeded") // retried, then given up
	env := runReconciliation(t, f, ReconciliationInput{})
	require.NoError(t, env.GetWorkflowError(), "one contract does not fail the run")
	assert.Equal(t, map[string]string{
		"c-001": "the contract could not reconcile: boom",
		"c-002": "the contract did not answer: context deadline exceeded",
	}, f.unreconciled)
	asked := map[string]int{}
	for _, id := range f.asked {
		asked[id]++
	}
	assert.Equal(t, map[string]int{"c-001": 1, "c-002": 5, "c-003": 1}, asked, "a final failure is not retried; others are, five attempts")
	assert.False(t, f.finished.Failed)
}

func TestReconciliationContinuesAsNewOnALargeAccount(t *testing.T) {
	f := newFakeRun(8)
	env := runReconciliation(t, f, ReconciliationInput{Options: ReconciliationOptions{PageSize: 3, MaxPerRun: 5}})
	var next *workflow.ContinueAsNewError
	require.ErrorAs(t, env.GetWorkflowError(), &next)
	var in ReconciliationInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(next.Input, &in))
	assert.True(t, in.Planned, "the contracts are listed once")
	assert.Equal(t, "c-006", in.After, "two pages asked")
	assert.Len(t, f.asked, 6)
	assert.Nil(t, f.finished, "the run goes on in the next run")

	env = runReconciliation(t, f, in)
	require.NoError(t, env.GetWorkflowError())
	assert.Len(t, f.asked, 8, "the rest, nothing twice")
	require.NotNil(t, f.finished)
}

func TestReconciliationWaitsForItsRowThenGivesUp(t *testing.T) {
	f := newFakeRun(1)
	f.planMissing = 3 // the API commits the row just after starting the workflow
	env := runReconciliation(t, f, ReconciliationInput{})
	require.NoError(t, env.GetWorkflowError())
	assert.Len(t, f.asked, 1)

	f = newFakeRun(1)
	f.planMissing = planAttempts // the row never came (its transaction rolled back)
	env = runReconciliation(t, f, ReconciliationInput{})
	require.Error(t, env.GetWorkflowError())
	assert.Empty(t, f.asked)
	require.NotNil(t, f.finished)
	assert.True(t, f.finished.Failed)
	assert.Contains(t, f.finished.Error, "not found")
}

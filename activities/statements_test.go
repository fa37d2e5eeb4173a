package activities_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"billing/activities"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

// statementCounter is a pgx tracer that records every statement sent (BEGIN and
// COMMIT included).
type statementCounter struct {
	mu  sync.Mutex
	sql []string
}

func (s *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sql = append(s.sql, strings.Join(strings.Fields(data.SQL), " "))
	return ctx
}

func (s *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (s *statementCounter) reset() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.sql
	s.sql = nil
	return out
}

// counted runs the fixture's activities on a pool that counts statements.
func (f *fixture) counted() (*statementCounter, *activities.Activities, *testsuite.TestActivityEnvironment) {
	f.t.Helper()
	cfg := f.pool.Config()
	counter := &statementCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(f.t, err)
	f.t.Cleanup(pool.Close)
	acts := activities.New(activities.Deps{Pool: pool})
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	return counter, acts, env
}

// The statements one gateway payment with four split entries costs, in its one
// transaction (BEGIN and COMMIT counted): the figure the bench's PostgreSQL CPU
// per payment follows. It was 16 with a statement per read, per split entry and
// per audit line; 9 since: the installment with its payment and charge, the
// split rules, the payment, its entries, the installment paid with its charge,
// its audit lines, the event's outcome.
func TestApplyPaymentStatements(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	f.storeEvent("evt_1", "PAYMENT_RECEIVED")
	counter, acts, env := f.counted()
	counter.reset()
	_, err := env.ExecuteActivity(acts.ApplyContractEvent, activities.ContractEventInput{ContractRef: f.ref(), Action: activities.ActionApply,
		EventKey: "evt_1", Number: 1, AsaasPaymentID: "pay_evt_1", Payment: ptrTo(gatewayPayment(f, 1, "100.00", "98.01", "evt_1"))})
	require.NoError(t, err)
	sent := counter.reset()
	t.Logf("%d statements for one payment with 4 split entries:\n  %s", len(sent), strings.Join(sent, "\n  "))
	assert.Equal(t, 4, f.count(`SELECT count(*) FROM split_entries WHERE contract_id=$1`, f.contract))
	assert.Len(t, sent, 9)

	// A retry finds the payment: reads only, then the (already decided) outcome.
	_, err = env.ExecuteActivity(acts.ApplyContractEvent, activities.ContractEventInput{ContractRef: f.ref(), Action: activities.ActionApply,
		EventKey: "evt_1", Number: 1, AsaasPaymentID: "pay_evt_1", Payment: ptrTo(gatewayPayment(f, 1, "100.00", "98.01", "evt_1"))})
	require.NoError(t, err)
	again := counter.reset()
	t.Logf("%d statements for its retry:\n  %s", len(again), strings.Join(again, "\n  "))
	for _, sql := range again {
		assert.NotContains(t, sql, "INSERT", "a retry writes nothing")
	}
}

func ptrTo[T any](v T) *T { return &v }

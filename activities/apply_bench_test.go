package activities_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"billing/activities"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

// BenchmarkApplyPayment records b.N gateway payments (4 split entries each),
// one at a time on one connection, as the contract's local activity does, and
// reports what one costs: the PostgreSQL backend's CPU (from its schedstat, so
// other load on the machine does not count), this process's CPU and the
// statements sent.
//
//	go test ./activities -run '^$' -bench ApplyPayment -benchtime 300x
func BenchmarkApplyPayment(b *testing.B) {
	values := make([]string, b.N)
	for i := range values {
		values[i] = "100.00"
	}
	f := newFixture(b, values...)
	f.activate()
	for i := range values {
		f.storeEvent(fmt.Sprintf("evt_%d", i+1), "PAYMENT_RECEIVED")
	}
	cfg := f.pool.Config()
	cfg.MaxConns, cfg.MinConns = 1, 1
	counter := &statementCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(b, err)
	defer pool.Close()
	var backend int
	require.NoError(b, pool.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&backend))
	acts := activities.New(activities.Deps{Pool: pool})
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	counter.reset()

	pgBefore, selfBefore := schedstatNs(b, backend), processCPUNs(b)
	b.ResetTimer()
	for i := range b.N {
		key := fmt.Sprintf("evt_%d", i+1)
		in := gatewayPayment(f, i+1, "100.00", "98.01", key)
		if _, err := env.ExecuteActivity(acts.ApplyContractEvent, activities.ContractEventInput{ContractRef: f.ref(),
			Action: activities.ActionApply, EventKey: key, Number: i + 1, AsaasPaymentID: in.AsaasPaymentID, Payment: &in}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	pg, self := schedstatNs(b, backend)-pgBefore, processCPUNs(b)-selfBefore
	b.ReportMetric(float64(pg)/float64(b.N)/1e3, "pg-µs/op")
	b.ReportMetric(float64(self)/float64(b.N)/1e3, "client-µs/op")
	b.ReportMetric(float64(len(counter.reset()))/float64(b.N), "statements/op")
}

// schedstatNs is the CPU time a process (or thread) has run, in nanoseconds.
func schedstatNs(b *testing.B, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid))
	require.NoError(b, err)
	ns, err := strconv.ParseInt(strings.Fields(string(raw))[0], 10, 64)
	require.NoError(b, err)
	return ns
}

func processCPUNs(b *testing.B) int64 {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return ru.Utime.Nano() + ru.Stime.Nano()
}

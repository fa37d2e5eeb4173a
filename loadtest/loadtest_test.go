package loadtest_test

import (
	"context"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"billing/config"
	"billing/loadtest"
	"billing/testenv"
	"billing/worker"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain doubles as `billing worker` when the harness starts this test binary
// as its worker child process.
func TestMain(m *testing.M) {
	if os.Getenv(loadtest.WorkerChildEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
		defer stop()
		cfg, err := config.FromEnv()
		if err == nil {
			err = worker.RunProcess(ctx, cfg, cfg.NewLogger(os.Stderr))
		}
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(testenv.Run(m))
}

// TestSmallRunOfEveryPhase runs the whole harness at toy sizes on the real parts:
// every phase measures something, the chaos run kills the worker once under
// gateway faults, loses a tenth of its webhooks and has its queue paused, and
// its audit passes.
func TestSmallRunOfEveryPhase(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	out := t.TempDir()
	var progress strings.Builder
	o := loadtest.Options{
		DatabaseURL: testenv.DatabaseURL(t), TemporalAddress: testenv.TemporalAddress(t),
		WorkerCommand: []string{exe}, OutDir: out, Progress: &progress,
		Concurrency: 8, BaselineOps: 50, IngestSequential: 20, IngestConcurrent: 40, ActivationContracts: 6,
		E2EPayments: 30, ScaleContracts: 20, LongInstallments: 12, ChaosContracts: 20, ChaosKills: 1,
		ChaosTimeoutDelay: 2 * time.Second, ChaosLossRate: 0.1, ChaosWatchEvery: time.Second, ChaosSweepEvery: 5 * time.Second,
		Seed: 7, PhaseTimeout: 3 * time.Minute,
	}
	r, err := loadtest.Run(context.Background(), o)
	require.NoError(t, err, progress.String())

	assert.Positive(t, r.Baselines.StartConcurrent.Throughput.PerSec)
	assert.Positive(t, r.Baselines.SignalConcurrent.Throughput.PerSec)
	assert.Positive(t, r.Baselines.InsertSequential.Throughput.PerSec)
	assert.Equal(t, 20, r.Ingestion.Sequential.Latency.Count)
	assert.Equal(t, 40, r.Ingestion.Concurrent.Latency.Count)
	assert.Positive(t, r.Ingestion.RatioConcurrent)
	assert.Equal(t, 30, r.EndToEnd.Lag.Count)
	assert.Positive(t, r.EndToEnd.RatioSignal)
	assert.Equal(t, 6, r.Activation.Latency.Count)
	assert.Equal(t, 20, r.Scale.OpenContracts)
	assert.Positive(t, r.Scale.Worker.RSSMiB)
	assert.Positive(t, r.Scale.HistoryLengthMean)
	assert.GreaterOrEqual(t, r.Long.Runs, 1)
	assert.Positive(t, r.Long.EventsPerInstallment)

	c := r.Chaos
	assert.Equal(t, 1, c.WorkerKills)
	assert.Positive(t, c.GatewayEvents)
	assert.GreaterOrEqual(t, c.Deliveries, int64(2*c.GatewayEvents), "every event delivered at least twice")
	assert.True(t, c.Audit.Passed(), "%+v", c.Audit.Violations)
	assert.Equal(t, 20, c.Audit.Checked.Contracts)
	assert.Positive(t, c.Audit.Checked.Payments)
	q := c.Queue
	assert.Positive(t, q.EventsLost, "a tenth of the events lost for good")
	assert.Equal(t, q.PaymentsLost, q.PaymentsRepaired, "every payment whose webhooks were lost found by a check with Asaas")
	assert.Equal(t, q.PaymentsLost, q.TimeToRepair.Count)
	assert.GreaterOrEqual(t, q.QueueInterruptedSeconds, 0.0, "the paused queue reactivated by the queue watch")
	assert.Positive(t, q.Sweeps)

	raw, err := os.ReadFile(filepath.Join(out, "latest.json"))
	require.NoError(t, err)
	var stored loadtest.Report
	require.NoError(t, json.Unmarshal(raw, &stored))
	assert.Equal(t, len(r.Targets), len(stored.Targets))
	assert.Contains(t, progress.String(), "| Target | Want | Got | Met |")
}

package worker

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/config"
	"billing/metrics/metricstest"
	"billing/testenv"
	"billing/workflows"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func processConfig(t *testing.T, metricsAddr string) config.Config {
	env := map[string]string{
		"DATABASE_URL":        testenv.DatabaseURL(t),
		"TEMPORAL_ADDRESS":    testenv.TemporalAddress(t),
		"BILLING_SECRET_KEY":  hex.EncodeToString(make([]byte, 32)),
		"WORKER_METRICS_ADDR": metricsAddr,
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	require.NoError(t, err)
	return cfg
}

// metricsBody is what GET url answers, "" until it answers 200.
func metricsBody(url string) string {
	res, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return ""
	}
	return string(b)
}

// `billing worker` serves its metrics on WORKER_METRICS_ADDR while it runs: the
// Temporal SDK's (its requests, its polls of the billing task queue, its workers'
// start) beside billing's own and the Go runtime's; the port closes when it stops.
func TestRunProcessServesItsMetrics(t *testing.T) {
	addr := freeAddr(t)
	cfg := processConfig(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- RunProcess(ctx, cfg, slog.New(slog.DiscardHandler)) }()

	url := "http://" + addr + "/metrics"
	require.Eventually(t, func() bool {
		return strings.Contains(metricsBody(url), `operation="PollWorkflowTaskQueue"`)
	}, time.Minute, 100*time.Millisecond, "the worker's metrics show its polls")
	s := metricstest.Fetch(t, url)
	cases := []struct {
		family string
		labels []string
	}{
		{"temporal_request_total", []string{"operation", "ListSearchAttributes", "namespace", "default"}},
		{"temporal_long_request_total", []string{"operation", "PollWorkflowTaskQueue", "namespace", "default"}},
		{"temporal_worker_start_total", []string{"worker_type", "WorkflowWorker", "task_queue", workflows.TaskQueue}},
		{"temporal_worker_start_total", []string{"worker_type", "ActivityWorker", "task_queue", workflows.TaskQueue}},
		{"temporal_request_latency_seconds", []string{"operation", "ListSearchAttributes"}},
	}
	for _, tc := range cases {
		t.Run(tc.family+" "+strings.Join(tc.labels, " "), func(t *testing.T) {
			assert.Positive(t, s.Value(tc.family, tc.labels...))
		})
	}
	for _, family := range []string{"billing_webhook_deliveries_total", "go_goroutines", "process_resident_memory_bytes"} {
		assert.Contains(t, s, family)
	}

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(time.Minute):
		t.Fatal("the worker did not stop")
	}
	_, err := http.Get(url)
	assert.Error(t, err, "the metrics port closes with the worker")
}

// A WORKER_METRICS_ADDR that cannot be listened on fails the start at once, saying
// which variable to fix.
func TestRunProcessFailsWhenItsMetricsAddressIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	cfg := processConfig(t, taken.Addr().String())
	err = RunProcess(context.Background(), cfg, slog.New(slog.DiscardHandler))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WORKER_METRICS_ADDR")
}

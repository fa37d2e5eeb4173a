package metrics_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"billing/metrics"
	"billing/temporalclient"
	"billing/testenv"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// The SDK's counters, gauges and timers become Prometheus series named by
// Prometheus's conventions, with the SDK's tags as labels; one name may carry
// different tag sets.
func TestTemporalHandlerRecordsTheSDKMetrics(t *testing.T) {
	h := metrics.TemporalHandler().WithTags(map[string]string{"namespace": "ns", "task-queue": "q"})
	before := scrape(t)
	h.Counter("temporal_test_request").Inc(2)
	h.Counter("temporal_test_request").Inc(-5) // a counter never goes down
	h.WithTags(map[string]string{"status_code": "UNAVAILABLE"}).Counter("temporal_test_request").Inc(1)
	h.WithTags(map[string]string{"namespace": "other"}).Counter("temporal_test_request").Inc(1)
	h.Gauge("temporal_test_slots").Update(4)
	h.Gauge("temporal_test_slots").Update(3)
	h.Timer("temporal_test_latency").Record(20 * time.Millisecond)
	h.Timer("temporal_test_latency").Record(3 * time.Second)
	s := scrape(t)

	cases := []struct {
		name   string
		family string
		labels []string
		want   float64
	}{
		{"a counter is <name>_total", "temporal_test_request_total", []string{"namespace", "ns", "task_queue", "q"}, 3},
		{"extra tags are their own series", "temporal_test_request_total", []string{"status_code", "UNAVAILABLE", "namespace", "ns"}, 1},
		{"a later tag overrides an earlier one", "temporal_test_request_total", []string{"namespace", "other", "task_queue", "q"}, 1},
		{"a gauge keeps its name and last value", "temporal_test_slots", []string{"namespace", "ns"}, 3},
		{"a timer is a histogram in seconds", "temporal_test_latency_seconds", []string{"namespace", "ns"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, s.Value(tc.family, tc.labels...)-before.Value(tc.family, tc.labels...))
		})
	}
	require.Len(t, s.Series("temporal_test_request_total"), 3)
	assert.Len(t, s.Series("temporal_test_request_total", "status_code", "UNAVAILABLE")[0].GetLabel(), 3, "namespace, status_code, task_queue")
	assert.InDelta(t, 3.02, s.Series("temporal_test_latency_seconds")[0].GetHistogram().GetSampleSum(), 1e-9)
}

// A client dialled by temporalclient.Dial reports through the handler: its calls
// to a real Temporal server show in /metrics.
func TestDialledClientReportsItsRequests(t *testing.T) {
	c, err := temporalclient.Dial(context.Background(), testenv.TemporalAddress(t), "default", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer c.Close()
	const family = "temporal_request_total"
	labels := []string{"operation", "DescribeNamespace", "namespace", "default"}
	before := scrape(t)
	_, err = c.WorkflowService().DescribeNamespace(context.Background(), &workflowservice.DescribeNamespaceRequest{Namespace: "default"})
	require.NoError(t, err)
	_, err = c.CheckHealth(context.Background(), &client.CheckHealthRequest{})
	require.NoError(t, err)
	after := scrape(t)
	assert.Equal(t, 1.0, after.Value(family, labels...)-before.Value(family, labels...))
	assert.Positive(t, after.Value("temporal_request_latency_seconds", labels...))
}

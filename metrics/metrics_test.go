package metrics_test

import (
	"math"
	"testing"
	"time"

	"billing/metrics"
	"billing/metrics/metricstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scrape(t *testing.T) metricstest.Scrape {
	t.Helper()
	return metricstest.Get(t, metrics.Handler(), "/metrics")
}

// Each counting function moves its own series by one, with the documented name
// and label, and no other series of its family.
func TestEachCounterMovesItsSeries(t *testing.T) {
	type counted struct {
		name, family, label, value string
		count                      func()
	}
	var cases []counted
	for _, o := range []string{"accepted", "processed", "duplicate", "ignored", "rejected", "unauthorized", "invalid", "unavailable"} {
		cases = append(cases, counted{"delivery " + o, "billing_webhook_deliveries_total", "outcome", o, func() { metrics.WebhookDelivery(o) }})
	}
	for _, o := range []string{"gateway", "manual", "reconciled"} {
		cases = append(cases, counted{"payment " + o, "billing_payments_applied_total", "origin", o, func() { metrics.PaymentApplied(o) }})
	}
	for _, k := range []string{"paid", "deleted", "restored", "refunded", "overdue"} {
		cases = append(cases,
			counted{"repair " + k, "billing_reconciliation_repairs_total", "kind", k, func() { metrics.ReconciliationRepair(k) }},
			counted{"mismatch " + k, "billing_reconciliation_mismatches_total", "kind", k, func() { metrics.ReconciliationMismatch(k) }})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := scrape(t)
			tc.count()
			after := scrape(t)
			assert.Equal(t, 1.0, after.Value(tc.family, tc.label, tc.value)-before.Value(tc.family, tc.label, tc.value))
			assert.Equal(t, 1.0, after.Value(tc.family)-before.Value(tc.family), "only its own series moves")
		})
	}
}

// Every documented label value has its series from the start (at 0 until
// counted), so an alert on an increase sees the first event.
func TestDocumentedSeriesExistBeforeTheFirstEvent(t *testing.T) {
	s := scrape(t)
	cases := []struct {
		family, label string
		values        []string
	}{
		{"billing_webhook_deliveries_total", "outcome", metrics.WebhookOutcomes},
		{"billing_payments_applied_total", "origin", metrics.PaymentOrigins},
		{"billing_reconciliation_repairs_total", "kind", metrics.ReconciliationKinds},
		{"billing_reconciliation_mismatches_total", "kind", metrics.ReconciliationKinds},
	}
	for _, tc := range cases {
		t.Run(tc.family, func(t *testing.T) {
			assert.Subset(t, s.LabelValues(tc.family, tc.label), tc.values)
		})
	}
	assert.ElementsMatch(t, []string{"accepted", "processed", "duplicate", "ignored", "rejected", "unauthorized", "invalid", "unavailable"}, metrics.WebhookOutcomes)
	assert.ElementsMatch(t, []string{"gateway", "manual", "reconciled"}, metrics.PaymentOrigins)
	assert.ElementsMatch(t, []string{"paid", "deleted", "restored", "refunded", "overdue"}, metrics.ReconciliationKinds)
}

// The lag histogram has buckets from 50 ms to 1 h; a negative lag (two machines'
// clocks) counts as 0.
func TestEventLagHistogram(t *testing.T) {
	const family = "billing_webhook_event_lag_seconds"
	before := scrape(t)
	for _, d := range []time.Duration{30 * time.Millisecond, 2 * time.Minute, 2 * time.Hour, -time.Second} {
		metrics.EventLag(d)
	}
	after := scrape(t)
	assert.Equal(t, 4.0, after.Value(family)-before.Value(family))
	h := func(s metricstest.Scrape) map[float64]uint64 {
		series := s.Series(family)
		require.Len(t, series, 1)
		out := map[float64]uint64{}
		for _, b := range series[0].GetHistogram().GetBucket() {
			out[b.GetUpperBound()] = b.GetCumulativeCount()
		}
		return out
	}
	b0, b1 := h(before), h(after)
	assert.Equal(t, uint64(2), b1[0.05]-b0[0.05], "30 ms and the negative lag")
	assert.Equal(t, uint64(3), b1[120]-b0[120], "and 2 min (buckets are cumulative)")
	assert.Equal(t, uint64(3), b1[3600]-b0[3600], "2 h is past the last bucket")
	assert.Equal(t, uint64(4), b1[math.Inf(1)]-b0[math.Inf(1)])
	lowest, highest := math.Inf(1), 0.0
	for le := range b1 {
		if !math.IsInf(le, 1) {
			lowest, highest = min(lowest, le), max(highest, le)
		}
	}
	assert.Equal(t, 0.05, lowest)
	assert.Equal(t, 3600.0, highest)
	sum := func(s metricstest.Scrape) float64 { return s.Series(family)[0].GetHistogram().GetSampleSum() }
	assert.InDelta(t, 0.03+120+7200, sum(after)-sum(before), 1e-6)
}

// The queue gauges follow the last reading of each account's queue.
func TestQueueHealthGauges(t *testing.T) {
	cases := []struct {
		name                            string
		enabled, interrupted            bool
		penalized                       int
		wantEnabled, wantInterr, wantPn float64
	}{
		{"healthy", true, false, 0, 1, 0, 0},
		{"failing", true, false, 7, 1, 0, 7},
		{"interrupted", false, true, 15, 0, 1, 15},
		{"back", true, false, 0, 1, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			metrics.QueueHealth("acct-queue-test", tc.enabled, tc.interrupted, tc.penalized)
			metrics.QueueHealth("acct-other", true, false, 1)
			s := scrape(t)
			assert.Equal(t, tc.wantEnabled, s.Value("billing_asaas_webhook_queue_enabled", "account", "acct-queue-test"))
			assert.Equal(t, tc.wantInterr, s.Value("billing_asaas_webhook_queue_interrupted", "account", "acct-queue-test"))
			assert.Equal(t, tc.wantPn, s.Value("billing_asaas_webhook_queue_penalized_requests", "account", "acct-queue-test"))
			assert.Equal(t, 1.0, s.Value("billing_asaas_webhook_queue_penalized_requests", "account", "acct-other"), "each account its own series")
		})
	}
}

// The handler serves the Prometheus text format with the Go runtime's and the
// process's metrics beside billing's, each with its HELP.
func TestHandlerServesPrometheusText(t *testing.T) {
	s := scrape(t)
	for _, family := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes",
		"billing_webhook_deliveries_total", "billing_payments_applied_total", "billing_reconciliation_repairs_total",
		"billing_reconciliation_mismatches_total", "billing_webhook_event_lag_seconds"} {
		if assert.Contains(t, s, family) {
			assert.NotEmpty(t, s[family].GetHelp(), family)
		}
	}
}

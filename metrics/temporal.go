package metrics

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// The Temporal SDK reports its metrics (requests to the server, polls, workflow and
// activity task latencies, worker slots...) through a client.MetricsHandler; this
// one records them in the process registry, so GET /metrics serves them beside
// billing's own. It is written on client_golang directly rather than through the
// SDK's contrib/tally module and tally's Prometheus reporter (two modules fewer). A
// series is created when the SDK first uses it, with the tags it carries then, so a
// name need not carry the same tags on every use (a registered vector would refuse
// that).
//
// Names follow Prometheus's conventions: a counter is <name>_total
// (temporal_request_total), a timer a histogram in seconds <name>_seconds
// (temporal_request_latency_seconds), a gauge keeps its name
// (temporal_worker_task_slots_available). The SDK's tags are the labels.

// TemporalHandler is the Temporal SDK's metrics handler backed by this process's
// registry (client.Options.MetricsHandler).
func TemporalHandler() client.MetricsHandler { return sdkHandler{c: sdkSeries} }

// sdkBuckets run from 1 ms (a local activity) to 2 min (past a long poll's 70 s).
var sdkBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

// maxSDKSeries bounds the SDK's series: its tags are workflow and activity types,
// task queues, operations and status codes, all bounded by this code; the cap is a
// safety net, counted when it drops one.
const maxSDKSeries = 10_000

var (
	sdkSeries  = newSDKCollector()
	sdkDropped = counterVec("billing_temporal_sdk_series_dropped_total",
		"Temporal SDK metric series not recorded because the process already holds the maximum number of them.").WithLabelValues()
)

type sdkKind byte

const (
	sdkCounter sdkKind = 'c'
	sdkGauge   sdkKind = 'g'
	sdkTimer   sdkKind = 't'
)

// sdkCollector holds every series the SDK asked for. It describes nothing up
// front (an unchecked collector): a series' labels are known only when the SDK
// uses it.
type sdkCollector struct {
	mu     sync.RWMutex
	series map[string]prometheus.Metric
}

func newSDKCollector() *sdkCollector {
	c := &sdkCollector{series: map[string]prometheus.Metric{}}
	registry.MustRegister(c)
	return c
}

func (c *sdkCollector) Describe(chan<- *prometheus.Desc) {}

func (c *sdkCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, m := range c.series {
		ch <- m
	}
}

// get returns the series of name and labels, created on first use (nil past
// maxSDKSeries).
func (c *sdkCollector) get(kind sdkKind, name string, h sdkHandler) prometheus.Metric {
	key := string(kind) + "\x00" + name + "\x00" + h.key
	c.mu.RLock()
	m, ok := c.series[key]
	c.mu.RUnlock()
	if ok {
		return m
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.series[key]; ok {
		return m
	}
	if len(c.series) >= maxSDKSeries {
		sdkDropped.Inc()
		return nil
	}
	help := "Temporal Go SDK metric " + name + "."
	name = sanitizeName(name)
	switch kind {
	case sdkCounter:
		m = prometheus.NewCounter(prometheus.CounterOpts{Name: name + "_total", Help: help, ConstLabels: h.tags})
	case sdkGauge:
		m = prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: h.tags})
	default:
		m = prometheus.NewHistogram(prometheus.HistogramOpts{Name: name + "_seconds", Help: help, ConstLabels: h.tags, Buckets: sdkBuckets})
	}
	c.series[key] = m
	return m
}

// sdkHandler is a client.MetricsHandler with its tags.
type sdkHandler struct {
	c    *sdkCollector
	tags prometheus.Labels
	key  string // the tags, sorted: part of a series' key
}

func (h sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := maps.Clone(h.tags)
	if merged == nil {
		merged = prometheus.Labels{}
	}
	for k, v := range tags {
		merged[sanitizeLabel(k)] = strings.ToValidUTF8(v, "\uFFFD")
	}
	var key strings.Builder
	for _, k := range slices.Sorted(maps.Keys(merged)) {
		key.WriteString(k + "=" + merged[k] + "\x00")
	}
	return sdkHandler{c: h.c, tags: merged, key: key.String()}
}

func (h sdkHandler) Counter(name string) client.MetricsCounter {
	m, _ := h.c.get(sdkCounter, name, h).(prometheus.Counter)
	return sdkCounterOf{m}
}

func (h sdkHandler) Gauge(name string) client.MetricsGauge {
	m, _ := h.c.get(sdkGauge, name, h).(prometheus.Gauge)
	return sdkGaugeOf{m}
}

func (h sdkHandler) Timer(name string) client.MetricsTimer {
	m, _ := h.c.get(sdkTimer, name, h).(prometheus.Histogram)
	return sdkTimerOf{m}
}

type sdkCounterOf struct{ m prometheus.Counter }

// Inc adds d (a counter never goes down: a negative d is dropped).
func (c sdkCounterOf) Inc(d int64) {
	if c.m != nil && d > 0 {
		c.m.Add(float64(d))
	}
}

type sdkGaugeOf struct{ m prometheus.Gauge }

func (g sdkGaugeOf) Update(v float64) {
	if g.m != nil {
		g.m.Set(v)
	}
}

type sdkTimerOf struct{ m prometheus.Histogram }

func (t sdkTimerOf) Record(d time.Duration) {
	if t.m != nil {
		t.m.Observe(max(d, 0).Seconds())
	}
}

// sanitizeName makes a metric name of the SDK's: letters, digits, _ and :, not
// starting with a digit.
func sanitizeName(s string) string { return sanitize(s, true) }

// sanitizeLabel is sanitizeName for a label name (no :).
func sanitizeLabel(s string) string { return sanitize(s, false) }

func sanitize(s string, colon bool) string {
	if s == "" {
		return "_"
	}
	b := []byte(s)
	for i, r := range b {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9' || colon && r == ':'
		if !ok {
			b[i] = '_'
		}
	}
	return string(b)
}

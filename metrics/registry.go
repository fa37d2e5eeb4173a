// Package metrics owns every Prometheus metric of the service: the definitions,
// one small function per thing to count (the rest of the code calls
// metrics.WebhookDelivery("accepted") and never touches a Prometheus type), the
// gin middleware that times HTTP requests, the Temporal SDK's metrics handler, and
// the handler that serves them all as Prometheus text (GET /metrics).
//
// One registry per process: the API and the worker each serve their own; a process
// that runs both (`billing-dev dev`) serves both on one /metrics. The README's
// "Metrics" section says what each metric means and which alert to set on it.
package metrics

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// registry holds this process's metrics, with the Go runtime's and the process's
// own (memory, goroutines, CPU, open files).
var registry = func() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}()

// Handler serves the process's metrics in the Prometheus text format. A metric
// that cannot be gathered is logged and left out; the others are still served.
func Handler() http.Handler {
	return promhttp.HandlerFor(registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(slog.Default().Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// counterVec and the others define a metric in the process registry.
func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	registry.MustRegister(v)
	return v
}

func gaugeVec(name, help string, labels ...string) *prometheus.GaugeVec {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	registry.MustRegister(v)
	return v
}

func histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	registry.MustRegister(v)
	return v
}

// zeroed creates the series of every documented label value at 0, so a rate or an
// increase is defined from the first scrape on (an alert on a series that appears
// with its first event misses that event).
func zeroed(v *prometheus.CounterVec, values ...string) *prometheus.CounterVec {
	for _, value := range values {
		v.WithLabelValues(value)
	}
	return v
}

// Package metricstest reads what a /metrics endpoint serves, for tests: the
// Prometheus text is parsed with Prometheus's own parser (so a test also proves the
// answer is valid exposition text) and a series is found by name and labels.
//
// Only tests import it.
package metricstest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// Scrape is one answer of a /metrics endpoint: its metric families by name.
type Scrape map[string]*dto.MetricFamily

// Get scrapes h at path in process (GET, 200, Prometheus text required).
func Get(t testing.TB, h http.Handler, path string) Scrape {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return parse(t, rec.Result())
}

// Fetch scrapes the endpoint at url over the network.
func Fetch(t testing.TB, url string) Scrape {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	return parse(t, res)
}

func parse(t testing.TB, res *http.Response) Scrape {
	t.Helper()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4"),
		"Prometheus text format, not %q", res.Header.Get("Content-Type"))
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(res.Body)
	require.NoError(t, err)
	return families
}

// Value sums the series of the family name whose labels include labels (name,
// value pairs): a counter's or a gauge's value, a histogram's number of
// observations. 0 when none matches.
func (s Scrape) Value(name string, labels ...string) float64 {
	var sum float64
	for _, m := range s.Series(name, labels...) {
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		case m.Untyped != nil:
			sum += m.Untyped.GetValue()
		}
	}
	return sum
}

// Series are the series of the family name whose labels include labels (name,
// value pairs).
func (s Scrape) Series(name string, labels ...string) []*dto.Metric {
	f, ok := s[name]
	if !ok {
		return nil
	}
	var out []*dto.Metric
	for _, m := range f.GetMetric() {
		if hasLabels(m, labels) {
			out = append(out, m)
		}
	}
	return out
}

// LabelValues lists the values the label takes in the family's series.
func (s Scrape) LabelValues(name, label string) []string {
	var out []string
	for _, m := range s.Series(name) {
		for _, l := range m.GetLabel() {
			if l.GetName() == label {
				out = append(out, l.GetValue())
			}
		}
	}
	return out
}

func hasLabels(m *dto.Metric, labels []string) bool {
	have := map[string]string{}
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for i := 0; i+1 < len(labels); i += 2 {
		if v, ok := have[labels[i]]; !ok || v != labels[i+1] {
			return false
		}
	}
	return true
}

package loadtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSummarizeNearestRank(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Millisecond // 100 ms .. 1 ms, unsorted
	}
	l := summarize(ds)
	assert.Equal(t, 100, l.Count)
	assert.Equal(t, 50.0, l.P50)
	assert.Equal(t, 99.0, l.P99)
	assert.Equal(t, 100.0, l.Max)
	assert.Equal(t, 50.5, l.Mean)
	assert.Equal(t, Latency{}, summarize(nil))
}

func TestMeasureCountsErrorsApart(t *testing.T) {
	m := measure(context.Background(), 10, 3, func(_ context.Context, i int) error {
		if i%5 == 0 {
			return errors.New("boom")
		}
		return nil
	})
	assert.Equal(t, 8, m.Throughput.Ops)
	assert.Equal(t, 2, m.Throughput.Errors)
	assert.Equal(t, 8, m.Latency.Count)
	assert.Equal(t, "boom", m.FirstError)
}

func TestRatio(t *testing.T) {
	assert.Equal(t, 0.5, ratio(1, 2))
	assert.Equal(t, 0.0, ratio(1, 0))
}

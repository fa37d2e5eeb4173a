package loadtest

import (
	"context"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Latency summarises a set of durations in milliseconds.
type Latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	Max   float64 `json:"max_ms"`
	Mean  float64 `json:"mean_ms"`
}

func summarize(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*100) / 100 }
	return Latency{Count: len(s), P50: ms(quantile(s, 0.50)), P99: ms(quantile(s, 0.99)), Max: ms(s[len(s)-1]),
		Mean: ms(sum / time.Duration(len(s)))}
}

// quantile of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}

// Throughput is operations over a wall-clock window.
type Throughput struct {
	Ops     int     `json:"ops"`
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"per_sec"`
	Errors  int     `json:"errors,omitempty"`
}

func throughput(ops int, d time.Duration, errors int) Throughput {
	t := Throughput{Ops: ops, Seconds: round2(d.Seconds()), Errors: errors}
	if d > 0 {
		t.PerSec = round2(float64(ops) / d.Seconds())
	}
	return t
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(a/b*1000) / 1000
}

// Measured is one closed-loop measurement: throughput and per-operation latency.
type Measured struct {
	Concurrency int        `json:"concurrency"`
	Throughput  Throughput `json:"throughput"`
	Latency     Latency    `json:"latency"`
	FirstError  string     `json:"first_error,omitempty"`
}

// measure runs op(i) for i in [0,n) on conc goroutines and times each call. A
// failed call counts as an error and is left out of the latencies.
func measure(ctx context.Context, n, conc int, op func(ctx context.Context, i int) error) Measured {
	if conc < 1 {
		conc = 1
	}
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, n)
	errs := 0
	var first error
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				err := op(ctx, i)
				d := time.Since(t0)
				mu.Lock()
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	m := Measured{Concurrency: conc, Throughput: throughput(n-errs, time.Since(start), errs), Latency: summarize(lat)}
	if first != nil {
		m.FirstError = first.Error()
	}
	return m
}

// parallel runs fn(i) for i in [0,n) on conc goroutines and returns the first error.
func parallel(ctx context.Context, n, conc int, fn func(ctx context.Context, i int) error) error {
	var next atomic.Int64
	var once sync.Once
	var first error
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return first
}

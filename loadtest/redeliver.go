package loadtest

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// redeliverer plays a bad day's Asaas: every event the simulator emits reaches
// the API 2 or 3 times, each copy after its own random delay (so copies of
// different events interleave in shuffled order), from several senders at once,
// and a copy not answered 200 is sent again until it is.
type redeliverer struct {
	api     *apiClient
	maxWait time.Duration
	queue   chan []byte
	pending sync.WaitGroup
	rndMu   sync.Mutex
	rnd     *rand.Rand

	Deliveries atomic.Int64 // POSTs answered 200
	Retries    atomic.Int64 // POSTs not answered 200 (sent again)
}

func newRedeliverer(ctx context.Context, api *apiClient, seed int64, senders int, maxWait time.Duration) *redeliverer {
	r := &redeliverer{api: api, maxWait: maxWait, queue: make(chan []byte, 4096), rnd: rand.New(rand.NewPCG(uint64(seed), 99))}
	for i := 0; i < senders; i++ {
		go r.send(ctx)
	}
	return r
}

func (r *redeliverer) accept(ev collected) {
	r.rndMu.Lock()
	copies := 2 + r.rnd.IntN(2)
	delays := make([]time.Duration, copies)
	for i := range delays {
		delays[i] = time.Duration(r.rnd.Int64N(int64(r.maxWait)))
	}
	r.rndMu.Unlock()
	for _, d := range delays {
		r.pending.Add(1)
		time.AfterFunc(d, func() { r.queue <- ev.Raw })
	}
}

func (r *redeliverer) send(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case raw := <-r.queue:
			for backoff := 100 * time.Millisecond; ; backoff = min(2*backoff, 2*time.Second) {
				if err := r.api.deliver(ctx, raw); err == nil {
					r.Deliveries.Add(1)
					break
				}
				r.Retries.Add(1)
				select {
				case <-ctx.Done():
					r.pending.Done()
					return
				case <-time.After(backoff):
				}
			}
			r.pending.Done()
		}
	}
}

// wait blocks until every scheduled copy is delivered.
func (r *redeliverer) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { r.pending.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

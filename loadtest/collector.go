package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// collected is one webhook the simulator delivered to the harness.
type collected struct {
	ID        string
	Event     string
	PaymentID string
	Raw       []byte
}

// collector stands where the simulator delivers webhooks: it answers 200 at once
// and keeps every body, so each phase decides when, how often and in which order
// the API receives them (and the simulator's own pace stays out of the figures).
type collector struct {
	mu     sync.Mutex
	events []collected
	seen   map[string]bool
	// sink, when set, also receives every new event (the chaos redeliverer).
	sink func(collected)
	url  string // where the simulator delivers
}

func newCollector() *collector { return &collector{seen: map[string]bool{}} }

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var env struct {
		ID      string `json:"id"`
		Event   string `json:"event"`
		Payment *struct {
			ID string `json:"id"`
		} `json:"payment"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ev := collected{ID: env.ID, Event: env.Event, Raw: raw}
	if env.Payment != nil {
		ev.PaymentID = env.Payment.ID
	}
	c.mu.Lock()
	fresh := !c.seen[ev.ID]
	if fresh {
		c.seen[ev.ID] = true
		c.events = append(c.events, ev)
	}
	sink := c.sink
	c.mu.Unlock()
	if fresh && sink != nil {
		sink(ev)
	}
	w.WriteHeader(http.StatusOK)
}

func (c *collector) setSink(fn func(collected)) {
	c.mu.Lock()
	c.sink = fn
	c.mu.Unlock()
}

// ofType returns the collected events of one type, in arrival order.
func (c *collector) ofType(event string) []collected {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []collected
	for _, e := range c.events {
		if e.Event == event {
			out = append(out, e)
		}
	}
	return out
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events)
}

// waitFor waits until an event of the type has arrived for every payment id and
// returns the first of each, by payment id.
func (c *collector) waitFor(ctx context.Context, event string, paymentIDs []string) (map[string]collected, error) {
	for {
		got := map[string]collected{}
		for _, e := range c.ofType(event) {
			if _, ok := got[e.PaymentID]; !ok {
				got[e.PaymentID] = e
			}
		}
		missing := 0
		for _, id := range paymentIDs {
			if _, ok := got[id]; !ok {
				missing++
			}
		}
		if missing == 0 {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s webhooks from the simulator: %d of %d missing: %w", event, missing, len(paymentIDs), ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// since returns the events collected after the first n.
func (c *collector) since(n int) []collected {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]collected(nil), c.events[n:]...)
}

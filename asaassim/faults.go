package asaassim

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// Faults are the injected failure rates of /v3 calls, and the share of webhook
// events lost for good.
type Faults struct {
	FailRate     float64       `json:"failRate"`     // answer 500 (half before, half after applying the call)
	TimeoutRate  float64       `json:"timeoutRate"`  // hang for TimeoutDelay, then serve the call
	TimeoutDelay time.Duration `json:"timeoutDelay"` // default 30s
	LossRate     float64       `json:"lossRate"`     // webhook events never delivered (an account's own rate wins)
}

type faultInjector struct {
	rnd *randSource
	mu  sync.Mutex
	f   Faults
}

func newFaultInjector(rnd *randSource, f Faults) *faultInjector {
	fi := &faultInjector{rnd: rnd}
	fi.set(f)
	return fi
}

func (fi *faultInjector) set(f Faults) {
	if f.TimeoutDelay <= 0 {
		f.TimeoutDelay = 30 * time.Second
	}
	fi.mu.Lock()
	fi.f = f
	fi.mu.Unlock()
}

func (fi *faultInjector) get() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f
}

type faultKind int

const (
	faultNone faultKind = iota
	faultFailBefore
	faultFailAfter
	faultTimeout
)

// decide draws the fate of one call: one draw picks the fault, a second (only
// for 500s) whether the change is applied first. Same Seed, same sequence.
func (fi *faultInjector) decide() (faultKind, time.Duration) {
	f := fi.get()
	if f.FailRate <= 0 && f.TimeoutRate <= 0 {
		return faultNone, 0
	}
	x := fi.rnd.float()
	switch {
	case x < f.FailRate:
		if fi.rnd.float() < 0.5 {
			return faultFailBefore, 0
		}
		return faultFailAfter, 0
	case x < f.FailRate+f.TimeoutRate:
		return faultTimeout, f.TimeoutDelay
	}
	return faultNone, 0
}

// wrap injects faults around a /v3 handler. A 500 "after" runs the call and
// throws its answer away — the gateway committed and then failed to answer. A
// timeout hangs, then serves the call whether or not the client is still there.
func (fi *faultInjector) wrap(ctx context.Context, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, delay := fi.decide()
		switch kind {
		case faultFailBefore:
			writeError(w, errInjected)
		case faultFailAfter:
			h.ServeHTTP(discardWriter{header: http.Header{}}, r)
			writeError(w, errInjected)
		case faultTimeout:
			// Read the body now: the client may be gone when the hang ends.
			raw, _ := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			r.Body = io.NopCloser(bytes.NewReader(raw))
			select {
			case <-time.After(delay):
			case <-ctx.Done():
			}
			h.ServeHTTP(w, r)
		default:
			h.ServeHTTP(w, r)
		}
	})
}

type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

// SetFaults changes the fault rates at runtime.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// CurrentFaults returns the fault rates in force.
func (s *Server) CurrentFaults() Faults { return s.faults.get() }

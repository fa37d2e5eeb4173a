package asaassim

import (
	"encoding/json"
	"math"
	"net/http"
)

// Webhook faults beyond failed attempts: a share of events lost for good, a
// queue paused on demand (as if Asaas had interrupted it), and the 14-day
// retention of events waiting in a paused queue.

// takes reports whether the webhook subscribes to event (no list: every event).
func (c WebhookConfig) takes(event string) bool {
	if len(c.Events) == 0 {
		return true
	}
	for _, e := range c.Events {
		if e == event {
			return true
		}
	}
	return false
}

// drawLoss decides whether the event being queued is lost. Caller holds q.mu.
// The loss stream is drawn only when a rate is set, so turning loss on does not
// change the duplicate and reorder decisions of a seeded run.
func (q *hookQueue) drawLoss() bool {
	rate := q.s.faults.get().LossRate
	if q.lossRate != nil {
		rate = *q.lossRate
	}
	return rate > 0 && q.s.loss.float() < rate
}

// dropExpired drops head events older than the retention: Asaas deletes events
// that waited more than 14 days. Events are queued in the order they happened,
// so only the head needs a look. Caller holds q.mu.
func (q *hookQueue) dropExpired() {
	now := q.s.now()
	for len(q.pending) > 0 {
		d := q.pending[0]
		if d.EmittedAt.IsZero() || now.Sub(d.EmittedAt) <= eventRetention {
			return
		}
		d.Status = "expired"
		q.pending = q.pending[1:]
		q.s.touch()
		q.s.log.Warn("asaas-sim webhook event expired in the queue", "account", q.acctID, "event", d.Event, "eventId", d.EventID)
	}
}

func validRate(f float64) bool { return f >= 0 && f <= 1 && !math.IsNaN(f) }

// PauseWebhooks stops an account's deliveries as if Asaas had interrupted the
// queue: events keep queueing, interrupted reads true, and ResumeWebhooks (or
// PUT /v3/webhooks/{id} with interrupted false) starts delivery again.
func (s *Server) PauseWebhooks(accountID string) error {
	q, err := s.hooksOf(accountID)
	if err != nil {
		return err
	}
	q.pause()
	s.touch()
	return nil
}

// SetLossRate sets the share (0..1) of an account's webhook events lost for
// good; nil returns the account to the global rate (Faults.LossRate).
func (s *Server) SetLossRate(accountID string, rate *float64) error {
	if rate != nil && !validRate(*rate) {
		return controlError(http.StatusBadRequest, "invalid_lossRate", "lossRate must be between 0 and 1")
	}
	q, err := s.hooksOf(accountID)
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.lossRate = rate
	q.mu.Unlock()
	return nil
}

func (s *Server) webhookControlRoutes() {
	m := s.mux
	state := func(id string) (any, *Error) {
		st, err := s.Webhook(id)
		if err != nil {
			return nil, err.(*Error)
		}
		return st, nil
	}
	m.Handle("POST /_sim/accounts/{id}/webhook/pause", s.control(func(r *http.Request) (any, *Error) {
		if err := s.PauseWebhooks(r.PathValue("id")); err != nil {
			return nil, err.(*Error)
		}
		return state(r.PathValue("id"))
	}))
	m.Handle("GET /_sim/accounts/{id}/webhook/faults", s.control(func(r *http.Request) (any, *Error) {
		return state(r.PathValue("id"))
	}))
	m.Handle("PUT /_sim/accounts/{id}/webhook/faults", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			LossRate json.RawMessage `json:"lossRate"`
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		var rate *float64
		if len(in.LossRate) > 0 && string(in.LossRate) != "null" {
			var f float64
			if json.Unmarshal(in.LossRate, &f) != nil {
				return nil, controlError(http.StatusBadRequest, "invalid_lossRate", "lossRate must be a number between 0 and 1, or null")
			}
			rate = &f
		}
		if err := s.SetLossRate(r.PathValue("id"), rate); err != nil {
			return nil, err.(*Error)
		}
		return state(r.PathValue("id"))
	}))
}

package asaassim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// Webhook delivery, like Asaas's default (sequential) mode: one queue per
// account, delivered in order; the head event is retried with exponential
// backoff until it is answered HTTP 200 — only 200 counts (the lead's decision;
// seed 002 says "outside 2xx may trigger new attempts", so a 201 or 204 is a
// failure here); after 15 consecutive failures the queue pauses until resumed.
// A paused queue keeps its events for 14 days; older ones are dropped for good
// (docs.asaas.com/docs/fila-pausada). At-least-once: DuplicateRate delivers an
// event twice (same id); ReorderRate holds an event back until the next one has
// been queued behind it; LossRate drops an event for good (a fault Asaas does
// not admit to, for testing reconciliation).

const (
	maxConsecutiveFailures = 15
	eventRetention         = 14 * 24 * time.Hour
)

// Delivery is one queued webhook event and every attempt to deliver it.
type Delivery struct {
	EventID     string          `json:"eventId"`
	Event       string          `json:"event"`
	PaymentID   string          `json:"paymentId,omitempty"`
	BillID      string          `json:"billId,omitempty"`
	TransferID  string          `json:"transferId,omitempty"`
	Duplicate   bool            `json:"duplicate"`
	Reordered   bool            `json:"reordered"`
	Status      string          `json:"status"` // queued, held, delivered, skipped, lost, expired
	Delivered   bool            `json:"delivered"`
	CreatedAt   time.Time       `json:"createdAt"`
	EmittedAt   time.Time       `json:"emittedAt"` // the simulator's clock: what the 14-day retention counts from
	DeliveredAt *time.Time      `json:"deliveredAt"`
	Attempts    []Attempt       `json:"attempts"`
	Payload     json.RawMessage `json:"payload"`
}

// Attempt is one POST of a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	URL        string    `json:"url"`
	StatusCode int       `json:"statusCode"` // 0 when no HTTP answer came
	Error      string    `json:"error,omitempty"`
	DurationMs int64     `json:"durationMs"`
}

// WebhookState is a queue's configuration and health.
type WebhookState struct {
	ID                  string   `json:"id"`
	URL                 string   `json:"url"`
	Enabled             bool     `json:"enabled"`
	HasAuthToken        bool     `json:"hasAuthToken"`
	Paused              bool     `json:"paused"`
	ConsecutiveFailures int      `json:"consecutiveFailures"`
	Queued              int      `json:"queued"`
	LossRate            *float64 `json:"lossRate"` // this account's own rate; null: the global one
}

type hookQueue struct {
	s      *Server
	acctID string
	id     string // the webhook's id in /v3/webhooks

	mu       sync.Mutex
	cfg      WebhookConfig
	lossRate *float64    // overrides the global LossRate for this account
	pending  []*Delivery // head is being delivered
	held     *Delivery   // reordered: waits for the next event
	heldAt   time.Time
	paused   bool
	failures int
	history  []*Delivery
	closed   bool

	wake chan struct{} // new work or configuration change
}

func newHookQueue(s *Server, acctID string, cfg WebhookConfig) *hookQueue {
	return &hookQueue{s: s, acctID: acctID, id: webhookID(acctID), cfg: cfg, wake: make(chan struct{}, 1)}
}

func (s *Server) startHooks(q *hookQueue) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		q.run(s.ctx)
	}()
}

func (q *hookQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *hookQueue) configure(cfg WebhookConfig) {
	q.mu.Lock()
	q.cfg = cfg
	q.mu.Unlock()
	q.signal()
}

func (q *hookQueue) resume() {
	q.mu.Lock()
	q.paused, q.failures = false, 0
	q.mu.Unlock()
	q.signal()
}

// pause stops delivery as if the queue had been interrupted; events keep
// queueing until resume.
func (q *hookQueue) pause() {
	q.mu.Lock()
	q.paused = true
	q.mu.Unlock()
	q.signal()
}

func (q *hookQueue) state() WebhookState {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := len(q.pending)
	if q.held != nil {
		n++
	}
	return WebhookState{
		ID: q.id, URL: q.cfg.URL, Enabled: q.cfg.Enabled, HasAuthToken: q.cfg.AuthToken != "",
		Paused: q.paused, ConsecutiveFailures: q.failures, Queued: n, LossRate: q.lossRate,
	}
}

// enqueue queues an event (called under the server lock, so events keep the
// order in which they happened). With no enabled webhook, or one that does not
// take this event, the event is recorded as skipped: Asaas only notifies
// configured webhooks. A lost event is recorded and never sent.
func (q *hookQueue) enqueue(d *Delivery) {
	dup := q.s.opts.DuplicateRate > 0 && q.s.chaos.float() < q.s.opts.DuplicateRate
	reorder := q.s.opts.ReorderRate > 0 && q.s.chaos.float() < q.s.opts.ReorderRate
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.history = append(q.history, d)
	if !q.cfg.Enabled || q.cfg.URL == "" || !q.cfg.takes(d.Event) {
		d.Status = "skipped"
		d.Payload = nil // nobody will receive it; keeps a webhook-less load run small
		return
	}
	if q.drawLoss() {
		d.Status = "lost"
		return
	}
	batch := []*Delivery{d}
	if dup {
		twin := *d
		twin.Duplicate = true
		twin.Attempts = nil
		q.history = append(q.history, &twin)
		batch = append(batch, &twin)
	}
	switch {
	case q.held != nil:
		// The held event goes right behind this one: the pair arrives swapped.
		batch = append(batch, q.held)
		q.held.Status = "queued"
		q.held = nil
	case reorder:
		d.Status, d.Reordered = "held", true
		q.held, q.heldAt = d, time.Now()
		batch = batch[1:]
	}
	for _, b := range batch {
		if b.Status == "" {
			b.Status = "queued"
		}
	}
	q.pending = append(q.pending, batch...)
	q.signal()
}

// holdWindow: a held event with no successor is released after this long, so a
// quiet account never keeps an event forever (invented).
func (q *hookQueue) holdWindow() time.Duration { return q.s.opts.RetryBase }

// next picks the head to deliver, or how long to wait.
func (q *hookQueue) next() (d *Delivery, cfg WebhookConfig, wait time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.paused || !q.cfg.Enabled || q.cfg.URL == "" {
		return nil, q.cfg, 0
	}
	q.dropExpired()
	if len(q.pending) == 0 && q.held != nil {
		if left := q.holdWindow() - time.Since(q.heldAt); left > 0 {
			return nil, q.cfg, left
		}
		q.held.Status = "queued"
		q.pending = append(q.pending, q.held)
		q.held = nil
	}
	if len(q.pending) == 0 {
		return nil, q.cfg, 0
	}
	return q.pending[0], q.cfg, 0
}

func (q *hookQueue) run(ctx context.Context) {
	defer func() {
		q.mu.Lock()
		q.closed = true
		q.mu.Unlock()
	}()
	for {
		d, cfg, wait := q.next()
		if d == nil {
			var timer <-chan time.Time
			if wait > 0 {
				timer = time.After(wait)
			}
			select {
			case <-ctx.Done():
				return
			case <-q.wake:
			case <-timer:
			}
			continue
		}
		att := q.post(ctx, cfg, d.Payload)
		if ctx.Err() != nil {
			return
		}
		delay, ok := q.record(d, att)
		if ok {
			continue
		}
		if delay > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
		}
	}
}

// record stores an attempt and moves the queue: on 200 the head is done; on a
// failure it returns the backoff delay (0 when the queue just paused).
func (q *hookQueue) record(d *Delivery, att Attempt) (time.Duration, bool) {
	defer q.s.touch() // the queue's head, failure count or pause changed
	q.mu.Lock()
	defer q.mu.Unlock()
	d.Attempts = append(d.Attempts, att)
	if att.StatusCode == http.StatusOK {
		now := att.At.Add(time.Duration(att.DurationMs) * time.Millisecond)
		d.Delivered, d.DeliveredAt, d.Status = true, &now, "delivered"
		q.pending = q.pending[1:]
		q.failures = 0
		return 0, true
	}
	q.failures++
	log := q.s.log.With("account", q.acctID, "event", d.Event, "eventId", d.EventID, "status", att.StatusCode, "error", att.Error)
	if q.failures >= maxConsecutiveFailures {
		q.paused = true
		log.Warn("asaas-sim webhook queue paused after consecutive failures", "failures", q.failures)
		return 0, false
	}
	delay := q.s.opts.RetryBase << (q.failures - 1)
	if delay > MaxRetryDelay || delay <= 0 {
		delay = MaxRetryDelay
	}
	log.Info("asaas-sim webhook attempt failed", "retryIn", delay)
	return delay, false
}

func (q *hookQueue) post(ctx context.Context, cfg WebhookConfig, payload []byte) Attempt {
	att := Attempt{At: time.Now(), URL: cfg.URL}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, bytes.NewReader(payload))
	if err != nil {
		att.Error = err.Error()
		return att
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "asaas-sim")
	if cfg.AuthToken != "" {
		req.Header.Set("asaas-access-token", cfg.AuthToken)
	}
	resp, err := q.s.opts.HTTPClient.Do(req)
	att.DurationMs = time.Since(att.At).Milliseconds()
	if err != nil {
		att.Error = err.Error()
		return att
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	att.StatusCode = resp.StatusCode
	return att
}

func (q *hookQueue) deliveries() []Delivery {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Delivery, len(q.history))
	for i, d := range q.history {
		out[i] = *d
		out[i].Attempts = append([]Attempt(nil), d.Attempts...)
	}
	return out
}

// emit builds the event envelope {id, event, dateCreated, account, <key>} and
// queues it on the account. Caller holds s.mu, so the payload is the entity as
// GET shows it at the time of the event.
func (s *Server) emit(a *account, event, key string, entity obj, d Delivery) {
	env := obj{
		{"id", s.nextEventID()},
		{"event", event},
		{"dateCreated", s.now().Format("2006-01-02 15:04:05")},
		{"account", obj{{"id", a.ID}, {"ownerId", nil}}},
		{key, entity},
	}
	d.EventID = env[0].v.(string)
	d.Event = event
	d.CreatedAt = time.Now()
	d.EmittedAt = s.now()
	d.Payload = encodeJSON(env)
	a.hooks.enqueue(&d)
}

func (s *Server) emitPayment(p *payment, event string) {
	s.emit(p.acct, event, "payment", p.render(s.today()), Delivery{PaymentID: p.id})
}

// Deliveries lists every webhook event of the account, oldest first, with its
// attempts.
func (s *Server) Deliveries(accountID string) ([]Delivery, error) {
	q, err := s.hooksOf(accountID)
	if err != nil {
		return nil, err
	}
	return q.deliveries(), nil
}

// ResumeWebhooks resumes a paused queue (and resets its failure count).
func (s *Server) ResumeWebhooks(accountID string) error {
	q, err := s.hooksOf(accountID)
	if err != nil {
		return err
	}
	q.resume()
	s.touch()
	return nil
}

// Webhook returns an account's webhook configuration and queue health.
func (s *Server) Webhook(accountID string) (WebhookState, error) {
	q, err := s.hooksOf(accountID)
	if err != nil {
		return WebhookState{}, err
	}
	return q.state(), nil
}

func (s *Server) hooksOf(accountID string) (*hookQueue, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[accountID]
	if a == nil {
		return nil, controlError(404, "not_found", "account not found")
	}
	return a.hooks, nil
}

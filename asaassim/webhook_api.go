package asaassim

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
)

// The webhook configuration resource: GET /v3/webhooks, GET and PUT
// /v3/webhooks/{id}, backed by the account's delivery queue. Shape from the
// public Asaas OpenAPI spec (WebhookConfigGetResponse: id, name, url, email,
// enabled, interrupted, apiVersion, hasAuthToken, sendType,
// penalizedRequestsCount, events; WebhookConfigUpdateRequest: name, url,
// sendType, enabled, interrupted, authToken, events) and the guides
// docs.asaas.com/docs/como-reativar-fila-interrompida (PUT with "interrupted":
// false reactivates a paused queue), /docs/fila-pausada (15 consecutive
// failures pause it; events kept 14 days) and /docs/penalização-de-filas. No
// capture shows these responses: the token is never shown back (hasAuthToken
// only), and error codes and texts are invented.
//
// Asaas allows up to 10 webhooks per account; the simulator has one, listed
// once it has a URL. interrupted is the queue's pause (after 15 consecutive
// failures, or on demand) and penalizedRequestsCount its consecutive failures.

// simEvents is every event the simulator emits: the events list of a webhook
// configured without one.
var simEvents = []string{
	"PAYMENT_CREATED", "PAYMENT_CONFIRMED", "PAYMENT_RECEIVED", "PAYMENT_OVERDUE", "PAYMENT_DELETED",
	"PAYMENT_RESTORED", "PAYMENT_REFUNDED", "PAYMENT_RECEIVED_IN_CASH_UNDONE",
	"PAYMENT_CHARGEBACK_REQUESTED", "PAYMENT_CHARGEBACK_DISPUTE", "PAYMENT_AWAITING_CHARGEBACK_REVERSAL",
	"TRANSFER_CREATED", "TRANSFER_DONE", "TRANSFER_FAILED", "TRANSFER_CANCELLED",
	"BILL_CREATED", "BILL_PENDING", "BILL_BANK_PROCESSING", "BILL_PAID", "BILL_FAILED", "BILL_CANCELLED", "BILL_REFUNDED",
}

const (
	sendSequentially    = "SEQUENTIALLY"
	sendNonSequentially = "NON_SEQUENTIALLY"
)

var eventNamePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{2,79}$`)

// webhookID derives the account's webhook id from the account id, so it is the
// same after a restart and draws nothing from the id stream (seeded runs keep
// their ids).
func webhookID(accountID string) string {
	b := sha256.Sum256([]byte("webhook:" + accountID))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// configured: Asaas lists a webhook once it exists, i.e. has a URL.
func (q *hookQueue) configured() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.cfg.URL != ""
}

// render is the webhook as GET /v3/webhooks/{id} shows it, keys in the
// OpenAPI schema's order.
func (q *hookQueue) render() obj {
	q.mu.Lock()
	defer q.mu.Unlock()
	c := q.cfg
	name, sendType, events := c.Name, c.SendType, c.Events
	if name == "" {
		name = "Webhook do simulador"
	}
	if sendType == "" {
		sendType = sendSequentially
	}
	if len(events) == 0 {
		events = simEvents
	}
	return obj{
		{"id", q.id},
		{"name", name},
		{"url", c.URL},
		{"email", strOrNil(c.Email)},
		{"enabled", c.Enabled},
		{"interrupted", q.paused},
		{"apiVersion", 3},
		{"hasAuthToken", c.AuthToken != ""},
		{"sendType", sendType},
		{"penalizedRequestsCount", q.failures},
		{"events", append([]string(nil), events...)},
	}
}

// listWebhooks: GET /v3/webhooks, in the list envelope.
func (s *Server) listWebhooks(a *account, r *http.Request) (any, *Error) {
	var items []*hookQueue
	if a.hooks.configured() {
		items = append(items, a.hooks)
	}
	all := func(*hookQueue) bool { return true }
	return listPage(items, all, parsePage(r.URL.Query()), (*hookQueue).render), nil
}

func (s *Server) ownWebhook(a *account, id string) (*hookQueue, *Error) {
	if id != a.hooks.id || !a.hooks.configured() {
		return nil, notFound("Webhook")
	}
	return a.hooks, nil
}

// getWebhook: GET /v3/webhooks/{id}.
func (s *Server) getWebhook(a *account, r *http.Request) (any, *Error) {
	q, err := s.ownWebhook(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return q.render(), nil
}

// webhookUpdate is a validated PUT body: nil fields are left as they are.
type webhookUpdate struct {
	name, url, email, sendType, authToken *string
	enabled, interrupted                  *bool
	events                                []string
}

// updateWebhook: PUT /v3/webhooks/{id}. Fields not sent keep their value;
// "interrupted": false resumes a paused queue (and clears its failure count),
// true pauses it.
func (s *Server) updateWebhook(a *account, r *http.Request) (any, *Error) {
	q, err := s.ownWebhook(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	u, err := parseWebhookUpdate(b)
	if err != nil {
		return nil, err
	}
	q.update(u) // the api wrapper notes the change for the state file
	return q.render(), nil
}

func parseWebhookUpdate(b body) (webhookUpdate, *Error) {
	var u webhookUpdate
	str := func(key string, dst **string, valid func(string) bool, e *Error) *Error {
		v, present, ok := b.str(key)
		if !ok || (present && !valid(v)) {
			return e
		}
		if present {
			*dst = &v
		}
		return nil
	}
	boolean := func(key string, dst **bool) *Error {
		v, present, ok := b.boolean(key)
		if !ok {
			return badRequest("invalid_"+key, "O campo "+key+" deve ser true ou false.")
		}
		if present {
			*dst = &v
		}
		return nil
	}
	checks := []func() *Error{
		func() *Error {
			return str("name", &u.name, func(v string) bool { return v != "" && len(v) <= 255 },
				badRequest("invalid_name", "Informe o nome do Webhook."))
		},
		func() *Error {
			return str("url", &u.url, validWebhookURL, badRequest("invalid_url", "A URL informada é inválida."))
		},
		func() *Error {
			return str("email", &u.email, func(v string) bool { _, err := mail.ParseAddress(v); return err == nil },
				badRequest("invalid_email", "O email informado é inválido."))
		},
		func() *Error {
			return str("sendType", &u.sendType, func(v string) bool { return v == sendSequentially || v == sendNonSequentially },
				badRequest("invalid_sendType", "Informe o tipo de envio: SEQUENTIALLY ou NON_SEQUENTIALLY."))
		},
		func() *Error { return boolean("enabled", &u.enabled) },
		func() *Error { return boolean("interrupted", &u.interrupted) },
		func() *Error {
			return str("authToken", &u.authToken, func(v string) bool { return len(v) <= 255 },
				badRequest("invalid_authToken", "O token de autenticação informado é inválido."))
		},
		func() *Error {
			events, present, ok := b.strings("events")
			bad := badRequest("invalid_events", "Informe ao menos um evento válido.")
			if !ok || (present && len(events) == 0) {
				return bad
			}
			for _, e := range events {
				if !eventNamePattern.MatchString(e) {
					return bad
				}
			}
			u.events = events
			return nil
		},
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return webhookUpdate{}, err // Asaas answers the first failing field only
		}
	}
	return u, nil
}

func validWebhookURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// update applies a PUT body to the queue's configuration and pause state.
func (q *hookQueue) update(u webhookUpdate) {
	q.mu.Lock()
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&q.cfg.Name, u.name)
	set(&q.cfg.URL, u.url)
	set(&q.cfg.Email, u.email)
	set(&q.cfg.SendType, u.sendType)
	set(&q.cfg.AuthToken, u.authToken)
	if u.enabled != nil {
		q.cfg.Enabled = *u.enabled
	}
	if u.events != nil {
		q.cfg.Events = append([]string(nil), u.events...)
	}
	if u.interrupted != nil {
		q.paused = *u.interrupted
		if !q.paused {
			q.failures = 0
		}
	}
	q.mu.Unlock()
	q.signal()
}

package api

import (
	"encoding/json"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// webhookEventView is one stored Asaas delivery (GET /v1/webhook-events): what the
// receiver stored and what the event workflow made of it, with the raw body.
type webhookEventView struct {
	ID           uuid.UUID       `json:"id"`
	EventKey     string          `json:"event_key"`
	AsaasEventID *string         `json:"asaas_event_id"`
	EventType    string          `json:"event_type"`
	PaymentID    *string         `json:"payment_id"`
	Status       string          `json:"status"`
	Reason       *string         `json:"reason"`
	ReceivedAt   time.Time       `json:"received_at"`
	ProcessedAt  *time.Time      `json:"processed_at"`
	Raw          json.RawMessage `json:"raw"`
}

func viewWebhookEvent(e dbgen.WebhookEvent) webhookEventView {
	return webhookEventView{e.ID, e.EventKey, e.AsaasEventID, e.EventType, e.PaymentID, e.Status, e.Reason,
		e.ReceivedAt, e.ProcessedAt, e.Raw}
}

var webhookEventStatuses = []string{"received", "processed", "ignored", "failed"}

// listWebhookEvents: newest delivery first; ?type= is the exact Asaas event
// (PAYMENT_RECEIVED), ?status= the processing outcome.
func (s *Server) listWebhookEvents(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	params := dbgen.ListWebhookEventsParams{
		AccountID: actor(c).AccountID, EventType: optQuery(c, "type"), Status: optQuery(c, "status"),
		AfterReceivedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	}
	if params.Status != nil {
		f.oneOf("status", *params.Status, webhookEventStatuses...)
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListWebhookEvents(c.Request.Context(), params)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.WebhookEvent) (time.Time, uuid.UUID) { return r.ReceivedAt, r.ID }, viewWebhookEvent)), err)
}

func (s *Server) getWebhookEvent(c *gin.Context) {
	id, err := pathID(c, "id", "webhook event")
	if err != nil {
		s.writeError(c, err)
		return
	}
	row, err := dbgen.New(s.deps.Pool).GetWebhookEvent(c.Request.Context(), dbgen.GetWebhookEventParams{AccountID: actor(c).AccountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "webhook event"))
		return
	}
	s.reply(c, ok(viewWebhookEvent(row)), nil)
}

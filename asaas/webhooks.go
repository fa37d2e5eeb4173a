package asaas

import (
	"context"
	"net/http"
	"net/url"
)

// Webhook is one of an account's webhook configurations (GET /v3/webhooks).
// Shape from the public OpenAPI spec (WebhookConfigGetResponse); no sandbox
// capture shows it. Interrupted is Asaas's pause of the delivery queue after 15
// consecutive failures (docs.asaas.com/docs/fila-pausada): nothing is delivered
// until it is reactivated, and queued events older than 14 days are deleted.
// PenalizedRequestsCount counts the failures that lead there. The
// authentication token is never shown back, only whether one is set.
type Webhook struct {
	ID                     string   `json:"id"`
	Name                   string   `json:"name"`
	URL                    string   `json:"url"`
	Email                  *string  `json:"email"`
	Enabled                bool     `json:"enabled"`
	Interrupted            bool     `json:"interrupted"`
	APIVersion             int      `json:"apiVersion"`
	HasAuthToken           bool     `json:"hasAuthToken"`
	SendType               string   `json:"sendType"` // WebhookSequential or WebhookNonSequential
	PenalizedRequestsCount int      `json:"penalizedRequestsCount"`
	Events                 []string `json:"events"`
}

// Webhook send types: SEQUENTIALLY delivers in order and holds every later
// event behind a failing one.
const (
	WebhookSequential    = "SEQUENTIALLY"
	WebhookNonSequential = "NON_SEQUENTIALLY"
)

// WebhookUpdate changes a webhook (PUT /v3/webhooks/{id}). Nil fields are not
// sent and keep their value at Asaas; Events is sent when not nil.
type WebhookUpdate struct {
	Name        *string  `json:"name,omitempty"`
	URL         *string  `json:"url,omitempty"`
	Email       *string  `json:"email,omitempty"`
	SendType    *string  `json:"sendType,omitempty"`
	Enabled     *bool    `json:"enabled,omitempty"`
	Interrupted *bool    `json:"interrupted,omitempty"`
	AuthToken   *string  `json:"authToken,omitempty"`
	Events      []string `json:"events,omitempty"`
}

// ListWebhooks returns every webhook of the account (Asaas allows ten).
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	return listAll(ctx, 0, func(ctx context.Context, offset int) (List[Webhook], error) {
		q := url.Values{}
		setPage(q, offset, MaxLimit)
		var l List[Webhook]
		err := c.do(ctx, "list webhooks", http.MethodGet, "/v3/webhooks", q, nil, &l)
		return l, err
	})
}

// GetWebhook returns one webhook; IsNotFound(err) when the account has no such id.
func (c *Client) GetWebhook(ctx context.Context, id string) (Webhook, error) {
	return c.webhookCall(ctx, "get webhook", http.MethodGet, id, nil)
}

// UpdateWebhook changes the fields set in u and returns the webhook as Asaas
// has it afterwards.
func (c *Client) UpdateWebhook(ctx context.Context, id string, u WebhookUpdate) (Webhook, error) {
	return c.webhookCall(ctx, "update webhook", http.MethodPut, id, u)
}

// ReactivateWebhook resumes an interrupted delivery queue (PUT with
// "interrupted": false, as docs.asaas.com/docs/como-reativar-fila-interrompida
// says); the events it kept are then delivered in order.
func (c *Client) ReactivateWebhook(ctx context.Context, id string) (Webhook, error) {
	no := false
	return c.UpdateWebhook(ctx, id, WebhookUpdate{Interrupted: &no})
}

func (c *Client) webhookCall(ctx context.Context, op, method, id string, body any) (Webhook, error) {
	var w Webhook
	seg, err := pathID(op, "webhook", id)
	if err != nil {
		return w, err
	}
	err = c.do(ctx, op, method, "/v3/webhooks/"+seg, nil, body, &w)
	return w, err
}

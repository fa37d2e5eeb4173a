package api

import (
	"net/http"

	"billing/metrics"

	"github.com/gin-gonic/gin"
)

const webhookOutcomeKey = "billing.webhook-outcome"

// setWebhookOutcome names what became of a delivery when its status alone does not
// say it: the outcome of a 200 (accepted, processed, duplicate, ignored) and the
// 400 of a body stored as rejected.
func setWebhookOutcome(c *gin.Context, outcome string) { c.Set(webhookOutcomeKey, outcome) }

// countWebhook counts every answer of the webhook route by outcome
// (metrics.WebhookDelivery), the ones its other middlewares give included (401 of
// authenticateWebhook, 413 of readBody). A 429 of the throttle is not a delivery
// whose credential was checked: it shows in the HTTP metrics (status 429) only.
func countWebhook(c *gin.Context) {
	c.Next()
	if outcome := webhookOutcome(c); outcome != "" {
		metrics.WebhookDelivery(outcome)
	}
}

func webhookOutcome(c *gin.Context) string {
	if outcome := c.GetString(webhookOutcomeKey); outcome != "" {
		return outcome
	}
	switch status := c.Writer.Status(); {
	case status == http.StatusUnauthorized:
		return "unauthorized"
	case status == http.StatusTooManyRequests:
		return ""
	case status >= 500:
		return "unavailable"
	case status >= 400:
		return "invalid"
	}
	return ""
}

package api

import (
	"fmt"

	"billing/asaas"
)

// webhookBodyProblem says why a parsed delivery cannot be stored and started as
// sent, or "" when it can. Such a delivery gets a 400 (a retry cannot fix it)
// instead of failing in PostgreSQL or Temporal with a 503 that Asaas would retry
// until it pauses the account's whole queue.
func webhookBodyProblem(raw []byte, _ asaas.WebhookEvent) string {
	if field, why := badJSONText(raw); why != "" {
		return fmt.Sprintf("%s %s.", field, why)
	}
	return ""
}

package workflows

import (
	"crypto/sha256"
	"encoding/hex"

	"billing/activities"
)

// The public contract of the webhook-event workflow: one short workflow per Asaas
// delivery, whose ID is the dedupe key (a duplicate delivery hits the same ID).

// AsaasEventWorkflowID is "asaas-event/<accountId>/<eventKey>".
func AsaasEventWorkflowID(accountID, eventKey string) string {
	return "asaas-event/" + accountID + "/" + eventKey
}

// EventKey is the event's own id, or the SHA-256 of the raw body when it has none
// (the seed's example payload has no id): a redelivery of the same bytes dedupes.
func EventKey(eventID string, rawBody []byte) string {
	if eventID != "" {
		return eventID
	}
	sum := sha256.Sum256(rawBody)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// AsaasEventInput is the event, reduced to ids, amounts, dates and statuses.
type AsaasEventInput = activities.WebhookEvent

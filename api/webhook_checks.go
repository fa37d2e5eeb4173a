package api

import (
	"fmt"

	"billing/asaas"
)

// maxWebhookIDLength bounds the identifiers of a delivery (event id and name,
// payment and bill ids). Asaas's are a few dozen characters; the event id travels
// in a Temporal signal and the ids are indexed in PostgreSQL (an index row holds
// at most about 2.7 kB).
const maxWebhookIDLength = 255

// webhookBodyProblem says why a parsed delivery cannot be stored and started as
// sent (checks: checkWebhookJSON of its body), or "" when it can. Such a delivery
// gets a 400 (a retry cannot fix it) instead of failing in PostgreSQL or
// Temporal with a 503 that Asaas would retry until it pauses the account's
// whole queue.
func webhookBodyProblem(checks jsonChecks, ev asaas.WebhookEvent) string {
	if checks.why != "" {
		return fmt.Sprintf("%s %s.", checks.field, checks.why)
	}
	ids := map[string]string{"id": ev.ID, "event": ev.Event}
	if ev.Payment != nil {
		ids["payment.id"] = ev.Payment.ID
	}
	if ev.Bill != nil {
		ids["bill.id"] = ev.Bill.ID
	}
	for _, name := range []string{"id", "event", "payment.id", "bill.id"} {
		if len(ids[name]) > maxWebhookIDLength {
			return fmt.Sprintf("%s is longer than %d characters.", name, maxWebhookIDLength)
		}
	}
	// The SDK sends the workflow ID (which holds the event id) in a gRPC header,
	// which takes printable ASCII only.
	for i := 0; i < len(ev.ID); i++ {
		if ev.ID[i] < '!' || ev.ID[i] > '~' {
			return "id must be printable ASCII without spaces."
		}
	}
	return ""
}

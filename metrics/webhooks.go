package metrics

import "time"

// WebhookOutcomes are the outcomes of an Asaas webhook delivery, as
// WebhookDelivery counts them.
var WebhookOutcomes = []string{
	"accepted",     // stored and handed to its contract's workflow (200)
	"processed",    // a bill event applied in the handler's transaction (200)
	"duplicate",    // a redelivery of an event already stored (200)
	"ignored",      // recorded, nothing to do: not our charge, billing disabled, an event nobody acts on (200)
	"rejected",     // refused as sent (a key twice: 400), or rejected by its contract after checking with Asaas
	"unauthorized", // the asaas-access-token is missing or no account's webhook secret (401)
	"invalid",      // any other refused body: not an Asaas event, not storable, over 1 MiB (400, 413)
	"unavailable",  // PostgreSQL (or the secret key) missing: nothing acknowledged, Asaas delivers again (503)
}

var webhookDeliveries = zeroed(counterVec("billing_webhook_deliveries_total",
	"Asaas webhook deliveries, by what became of them (accepted, processed, duplicate, ignored, rejected, unauthorized, invalid, unavailable).",
	"outcome"), WebhookOutcomes...)

// WebhookDelivery counts one Asaas webhook delivery with its outcome (one of
// WebhookOutcomes).
func WebhookDelivery(outcome string) { webhookDeliveries.WithLabelValues(outcome).Inc() }

// eventLagBuckets run from 50 ms (the handler's own signal) to 1 h (the relay's
// longest pause between attempts).
var eventLagBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600}

var eventLag = histogramVec("billing_webhook_event_lag_seconds",
	"Time from a webhook delivery's arrival (received_at) to the commit of what its contract decided (payment applied or outcome recorded).",
	eventLagBuckets).WithLabelValues()

// EventLag records how long an event took from its delivery's arrival to the
// commit of its payment or decision. A negative lag (clocks of two machines) counts
// as 0.
func EventLag(d time.Duration) { eventLag.Observe(max(d, 0).Seconds()) }

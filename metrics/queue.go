package metrics

var (
	queueEnabled = gaugeVec("billing_asaas_webhook_queue_enabled",
		"1 when the account's Asaas webhook is enabled, 0 when it is not (as last read from Asaas).", "account")
	queueInterrupted = gaugeVec("billing_asaas_webhook_queue_interrupted",
		"1 when Asaas has interrupted (paused) the account's webhook queue after repeated failures, 0 otherwise.", "account")
	queuePenalized = gaugeVec("billing_asaas_webhook_queue_penalized_requests",
		"Deliveries of the account's webhook queue that Asaas counts as failed (penalized) in a row.", "account")
)

// QueueHealth records the health of an account's Asaas webhook queue as last read
// from Asaas (account: the account's id).
func QueueHealth(account string, enabled, interrupted bool, penalized int) {
	queueEnabled.WithLabelValues(account).Set(one(enabled))
	queueInterrupted.WithLabelValues(account).Set(one(interrupted))
	queuePenalized.WithLabelValues(account).Set(float64(penalized))
}

func one(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

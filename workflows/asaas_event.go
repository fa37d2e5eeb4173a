package workflows

import "billing/activities"

// The public contract of the retired webhook-event workflow (see AsaasEventWorkflow
// for when it goes): one short workflow per Asaas delivery, whose ID was the dedupe key.

// AsaasEventWorkflowID is "asaas-event/<accountId>/<eventKey>".
func AsaasEventWorkflowID(accountID, eventKey string) string {
	return "asaas-event/" + accountID + "/" + eventKey
}

// AsaasEventInput is the event, reduced to ids, amounts, dates and statuses.
type AsaasEventInput = activities.WebhookEvent

package workflows

import (
	"errors"
	"fmt"

	"billing/activities"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// AsaasEventWorkflow records one webhook delivery and routes it: bill events are
// tracked by the routing activity itself, payment events of our charges go to
// their contract workflow as a signal, anything else is recorded as ignored.
//
// Retired: the webhook handler now signals the contract itself (package
// webhooks), and starts none of these. It stays registered, with its activities
// (RouteWebhookEvent, RecordEventOutcome) and the histories
// workflows/testdata/histories/*-event-*.json, only for runs started before that
// change; each lives a few seconds, so it can go with the release after, once
//
//	temporal workflow list --query 'WorkflowType="AsaasEventWorkflow" AND ExecutionStatus="Running"'
//
// answers nothing.
func AsaasEventWorkflow(ctx workflow.Context, ev AsaasEventInput) (activities.EventRoute, error) {
	var route activities.EventRoute
	if err := workflow.ExecuteActivity(dbActivity(ctx), a.RouteWebhookEvent, ev).Get(ctx, &route); err != nil {
		return route, err
	}
	if route.Route != activities.RouteContract || ev.Payment == nil {
		return route, nil
	}
	p := ev.Payment
	signal := PaymentEvent{
		EventKey:          ev.EventKey,
		Event:             ev.Event,
		InstallmentNumber: route.InstallmentNumber,
		Payment: GatewayPayment{
			ID: p.ID, Status: p.Status, BillingType: p.BillingType, Value: p.Value, NetValue: p.NetValue,
			PaymentDate: p.PaymentDate, ClientPaymentDate: p.ClientPaymentDate, ConfirmedDate: p.ConfirmedDate, Deleted: p.Deleted,
			FromLink: p.FromLink,
		},
	}
	err := workflow.SignalExternalWorkflow(ctx, ContractWorkflowID(route.ContractID), "", PaymentEventSignal, signal).Get(ctx, nil)
	if err == nil {
		return route, nil
	}
	// The contract workflow is closed (or was never started): nothing can apply the
	// event any more, so it is recorded as ignored with the reason.
	if !isUnknownExternalWorkflow(err) {
		return route, err
	}
	route = activities.EventRoute{Route: activities.RouteDone, ContractID: route.ContractID,
		Reason: fmt.Sprintf("the workflow of contract %s is closed", route.ContractID)}
	return route, workflow.ExecuteActivity(dbActivity(ctx), a.RecordEventOutcome, activities.EventOutcomeInput{
		AccountID: ev.AccountID, EventKey: ev.EventKey, Status: activities.EventIgnored, Reason: route.Reason, ContractID: route.ContractID,
		Notable: moneyEvent(ev.Event),
	}).Get(ctx, nil)
}

// isUnknownExternalWorkflow: SignalExternalWorkflow fails with this when the target
// is not running.
func isUnknownExternalWorkflow(err error) bool {
	var unknown *temporal.UnknownExternalWorkflowExecutionError
	return errors.As(err, &unknown)
}

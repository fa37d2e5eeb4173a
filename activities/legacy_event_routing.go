package activities

import (
	"context"
	"errors"
	"fmt"

	"billing/asaas"
	"billing/bills"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Retired: the routing activity of AsaasEventWorkflow (workflows/asaas_event_workflow.go).
// The webhook handler now routes and signals itself (package webhooks); this stays
// registered only for event workflows started before that change, and goes with
// AsaasEventWorkflow (see there for when).

// RouteWebhookEvent decides what a stored webhook event is for. Bill events are
// tracked right here; payment events of our charges go to their contract;
// everything else (a disabled account, a payment not created by us, an unknown
// event) is recorded as ignored with the reason. Recording is idempotent.
func (a *Activities) RouteWebhookEvent(ctx context.Context, ev WebhookEvent) (EventRoute, error) {
	acct, err := uuid.Parse(ev.AccountID)
	if err != nil {
		return EventRoute{}, notFound("account %q", ev.AccountID)
	}
	var route EventRoute
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		done := func(status, reason string) error {
			route = EventRoute{Route: RouteDone, Reason: reason}
			return setOutcome(ctx, q, acct, ev.EventKey, status, reason)
		}
		account, err := q.GetAccount(ctx, acct)
		if err != nil {
			return missing(err, "account %s", acct)
		}
		if !account.BillingEnabled {
			return done(EventIgnored, "the billing module is disabled for this account")
		}
		switch {
		case asaas.IsBillEvent(ev.Event):
			if ev.Bill == nil || ev.Bill.ID == "" {
				return done(EventIgnored, "bill event without a readable bill object")
			}
			b := ev.Bill
			reason, err := bills.Track(ctx, q, acct, bills.Event{Key: ev.EventKey, Event: ev.Event, DateCreated: ev.DateCreated,
				BillID: b.ID, Status: b.Status, Value: b.Value, DueDate: b.DueDate, PaymentDate: b.PaymentDate,
				ReceiptURL: b.TransactionReceiptURL, FailReasons: b.FailReasons, CanBeCancelled: b.CanBeCancelled})
			if err != nil {
				return err
			}
			return done(EventProcessed, reason)
		case asaas.IsPaymentEvent(ev.Event):
			if ev.Payment == nil {
				return done(EventIgnored, "payment event without a readable payment object")
			}
			contractID, n, ours := domain.ParseChargeReference(ev.Payment.ExternalReference)
			if !ours {
				return done(EventIgnored, "payment not created by billing (no externalReference of ours); recorded only")
			}
			cid := uuid.MustParse(contractID)
			c, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: cid})
			if errors.Is(err, pgx.ErrNoRows) {
				return done(EventIgnored, fmt.Sprintf("contract %s does not exist in this account", cid))
			}
			if err != nil {
				return err
			}
			if c.Status != string(domain.ContractActive) && c.Status != string(domain.ContractCompleted) {
				return done(EventIgnored, fmt.Sprintf("contract %s is %s", cid, c.Status))
			}
			route = EventRoute{Route: RouteContract, ContractID: contractID, InstallmentNumber: n}
			return nil
		}
		return done(EventIgnored, fmt.Sprintf("event %s is not handled by billing; recorded only", ev.Event))
	})
	return route, err
}

// RecordEventOutcome records what became of a webhook event, with an audit line
// when it concerned a contract. Kept for contract runs on the first event path
// (workflows/contract_events_v0.go) and for AsaasEventWorkflow.
func (a *Activities) RecordEventOutcome(ctx context.Context, in EventOutcomeInput) error {
	acct, err := uuid.Parse(in.AccountID)
	if err != nil {
		return notFound("account %q", in.AccountID)
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		if err := setOutcome(ctx, q, acct, in.EventKey, in.Status, in.Reason); err != nil {
			return err
		}
		cid, err := uuid.Parse(in.ContractID)
		if err != nil || !in.Notable {
			return nil
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "webhook.ignored", entityType: "contract",
			entityID: &cid, contractID: &cid, data: map[string]any{"event_key": in.EventKey, "reason": in.Reason}})
	})
}

package activities

import (
	"context"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/metrics"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// What the contract workflow decided about one webhook event (or a state it
// found at Asaas); ApplyContractEvent writes it with the event's outcome.
const (
	ActionApply          = "apply"           // record a payment and its split entries
	ActionSettle         = "settle"          // a confirmed (card) payment was credited
	ActionOverdue        = "overdue"         // open installments are overdue
	ActionReverse        = "reverse"         // a refunded payment's entries are reversed
	ActionChargeDeleted  = "charge_deleted"  // Asaas deleted the installment's charge
	ActionChargeRestored = "charge_restored" // Asaas restored it
	ActionRecord         = "record"          // nothing changes: only the outcome (and, when notable, an audit line)
	ActionHold           = "hold"            // a chargeback or a refund in progress: the payment's entries are held
	ActionRelease        = "release"         // the hold ends (chargeback won, refund denied): entries back
	ActionUndoCash       = "undo_cash"       // a cash receipt undone at Asaas: entries reversed, installment open again
	ActionChargeUpdated  = "charge_updated"  // the charge's value or due date changed at Asaas (PAYMENT_UPDATED): copied
)

// ContractEventInput is one decision of the contract workflow.
type ContractEventInput struct {
	ContractRef
	Action string
	// EventKey is the webhook event the decision is about ("" for none: a manual
	// payment, the overdue timer): its row gets the outcome, once.
	EventKey string `json:",omitempty"`
	// EventAccountID is the account that delivered the event when it is not the
	// contract's: only that account's row is touched, nothing of the contract.
	EventAccountID string `json:",omitempty"`
	Event          string `json:",omitempty"` // PAYMENT_REFUNDED, ... (for the audit trail)
	Number         int    `json:",omitempty"`
	Numbers        []int  `json:",omitempty"` // ActionOverdue from the timer: several at once
	Source         string `json:",omitempty"` // ActionOverdue: gateway | timer
	AsaasPaymentID string `json:",omitempty"`
	// Payment is the payment to record (ActionApply).
	Payment   *ApplyPaymentInput `json:",omitempty"`
	SettledOn string             `json:",omitempty"` // ActionSettle (and ActionRelease of a card payment credited meanwhile)
	// RefundedTotal (ActionReverse) is what Asaas has refunded of the payment so
	// far when that is less than its amount (a partial refund); zero: all of it.
	RefundedTotal decimal.Decimal `json:",omitzero"`
	// Hold (ActionHold) is chargeback | refund.
	Hold string `json:",omitempty"`
	// ChargeStatus is the charge's status at Asaas after the event (to keep our
	// copy of it): ActionHold, ActionRelease, ActionUndoCash, ActionChargeUpdated.
	ChargeStatus string `json:",omitempty"`
	// Value and DueDate (ActionChargeUpdated) are the charge's as Asaas holds them.
	Value   decimal.Decimal `json:",omitzero"`
	DueDate string          `json:",omitempty"`
	// ReopenContract (ActionUndoCash): the contract was completed; with an
	// installment owed again it is active again.
	ReopenContract bool `json:",omitempty"`
	// Status and Reason are the outcome of ActionRecord (ignored | processed | failed).
	Status string `json:",omitempty"`
	Reason string `json:",omitempty"`
	// Notable: money that could not be applied, audited for a person to look at.
	Notable bool `json:",omitempty"`
	// Reconciled: the contract found this state by asking Asaas (no webhook told
	// it); Before and After are the installment's status around the repair, for
	// the audit trail.
	Reconciled bool   `json:",omitempty"`
	Before     string `json:",omitempty"`
	After      string `json:",omitempty"`
}

// ContractEventResult is what became of the decision: the outcome written on the
// event, and the payment for ActionApply.
type ContractEventResult struct {
	Status  string
	Reason  string
	Payment *PaymentApplied `json:",omitempty"`
	// GatewayEntries: the payment is received (ActionApply, ActionSettle,
	// ActionRelease that settles) and this many of its entries are paid by Asaas
	// through the charge's split: the contract reads the split's outcome back.
	GatewayEntries int `json:",omitempty"`
}

// ApplyContractEvent writes one decision of the contract workflow and the
// event's outcome in one transaction: the one place a contract's event outcome
// is written. Every write is keyed (one payment per installment, one reversal
// per entry, status changes from a given state), so a retry, or a local
// activity re-run after a crash, finds its work done and answers the same.
func (a *Activities) ApplyContractEvent(ctx context.Context, in ContractEventInput) (ContractEventResult, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return ContractEventResult{}, err
	}
	var out ContractEventResult
	var metricsAfter []func()
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		metricsAfter = metricsAfter[:0] // a retried transaction counts once
		if in.EventAccountID != "" && in.EventAccountID != in.AccountID {
			// Another account's event naming this contract: as if it did not exist.
			other, err := uuid.Parse(in.EventAccountID)
			if err != nil {
				return notFound("account %q", in.EventAccountID)
			}
			out = ContractEventResult{Status: EventIgnored, Reason: in.Reason}
			return setOutcome(ctx, q, other, in.EventKey, out.Status, out.Reason)
		}
		var err error
		if out, err = contractEventEffect(ctx, q, acct, cid, in); err != nil {
			return err
		}
		if in.Action == ActionRecord && in.Notable {
			if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "webhook." + out.Status,
				entityType: "contract", entityID: &cid, contractID: &cid,
				data: map[string]any{"event_key": in.EventKey, "reason": out.Reason}}); err != nil {
				return err
			}
		}
		if in.Reconciled && in.Action == ActionRecord && in.Notable {
			metricsAfter = append(metricsAfter, func() { metrics.ReconciliationMismatch(reconciledKind(in.Event)) })
		}
		if in.Reconciled && out.Status == EventProcessed {
			metricsAfter = append(metricsAfter, func() { metrics.ReconciliationRepair(reconciledKind(in.Event)) })
			if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "reconciliation.repaired",
				entityType: "contract", entityID: &cid, contractID: &cid,
				data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID, "event": in.Event,
					"before": in.Before, "after": in.After}}); err != nil {
				return err
			}
		}
		arrived, err := decideEvent(ctx, q, acct, in.EventKey, out.Status, out.Reason)
		if !arrived.IsZero() {
			metricsAfter = append(metricsAfter, func() { metrics.EventLag(time.Since(arrived)) })
		}
		if out.Status == EventRejected {
			metricsAfter = append(metricsAfter, func() { metrics.WebhookDelivery("rejected") })
		}
		if out.Payment != nil && out.Payment.Created && in.Payment != nil {
			metricsAfter = append(metricsAfter, func() { metrics.PaymentApplied(in.Payment.Origin) })
		}
		return err
	})
	if err == nil {
		for _, count := range metricsAfter { // only what committed is counted
			count()
		}
	}
	return out, err
}

// reconciledKind names what reconciliation found, for its metrics.
func reconciledKind(event string) string {
	switch event {
	case asaas.EventPaymentDeleted:
		return "deleted"
	case asaas.EventPaymentRestored:
		return "restored"
	case asaas.EventPaymentRefunded:
		return "refunded"
	case asaas.EventPaymentOverdue:
		return "overdue"
	}
	return "paid"
}

func contractEventEffect(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	switch in.Action {
	case ActionApply:
		if in.Payment == nil {
			return ContractEventResult{}, invalidInput("apply without a payment")
		}
		return applyPayment(ctx, q, acct, cid, *in.Payment)
	case ActionSettle:
		return settlePayment(ctx, q, acct, cid, in)
	case ActionOverdue:
		numbers := in.Numbers
		if len(numbers) == 0 {
			numbers = []int{in.Number}
		}
		return markOverdue(ctx, q, acct, cid, numbers, in.Source)
	case ActionReverse:
		return reversePayment(ctx, q, acct, cid, in)
	case ActionChargeDeleted, ActionChargeRestored:
		return recordChargeDeleted(ctx, q, acct, cid, in.Number, in.AsaasPaymentID, in.Action == ActionChargeDeleted)
	case ActionRecord:
		return ContractEventResult{Status: in.Status, Reason: in.Reason}, nil
	case ActionHold:
		return holdPayment(ctx, q, acct, cid, in)
	case ActionRelease:
		return releasePayment(ctx, q, acct, cid, in)
	case ActionUndoCash:
		return undoCashReceipt(ctx, q, acct, cid, in)
	case ActionChargeUpdated:
		return changeInstallment(ctx, q, acct, cid, installmentChange{number: in.Number, asaasPaymentID: in.AsaasPaymentID,
			value: in.Value, dueDate: in.DueDate, after: in.After, chargeStatus: in.ChargeStatus, source: "asaas", how: "copied"})
	}
	return ContractEventResult{}, invalidInput("unknown action %q", in.Action)
}

// setOutcome records what became of a webhook event (no event: nothing to record).
func setOutcome(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, eventKey, status, reason string) error {
	_, err := decideEvent(ctx, q, acct, eventKey, status, reason)
	return err
}

// decideEvent is setOutcome, returning when the delivery arrived (zero when
// there is no row, or it was decided before).
func decideEvent(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, eventKey, status, reason string) (time.Time, error) {
	if eventKey == "" {
		return time.Time{}, nil
	}
	arrived, err := q.DecideWebhookEvent(ctx, dbgen.DecideWebhookEventParams{AccountID: acct, EventKey: eventKey, Status: status, Reason: &reason})
	if err != nil || len(arrived) == 0 {
		return time.Time{}, err
	}
	return arrived[0], nil
}

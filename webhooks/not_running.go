package webhooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// recordNotRunning records an event whose contract has no running workflow as
// ignored, with the reason read from the contract (the one place this reason is
// written): it does not exist in this account, it is a draft, or it closed.
// Money that arrives for a closed contract is also written to its audit trail,
// for a person to look at.
func (i *Ingestor) recordNotRunning(ctx context.Context, acct uuid.UUID, key, event string, contractID uuid.UUID) (string, error) {
	var reason string
	err := pgx.BeginFunc(ctx, i.pool, func(tx pgx.Tx) error {
		q := dbgen.New(tx)
		c, err := q.GetContract(ctx, dbgen.GetContractParams{AccountID: acct, ID: contractID})
		exists := err == nil
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			reason = fmt.Sprintf("contract %s does not exist in this account", contractID)
		case err != nil:
			return err
		case c.Status == "draft":
			reason = fmt.Sprintf("contract %s is a draft: it takes payments once activated", contractID)
		case c.Status == "active":
			reason = fmt.Sprintf("contract %s is active but its workflow is not running", contractID)
		default:
			reason = fmt.Sprintf("the workflow of contract %s is closed (the contract is %s and its late-event window is over)", contractID, c.Status)
		}
		if _, err := q.SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: acct, EventKey: key,
			Status: statusIgnored, Reason: &reason}); err != nil {
			return err
		}
		if !exists || !movesMoney(event) {
			return nil
		}
		data, err := json.Marshal(map[string]any{"event_key": key, "reason": reason})
		if err != nil {
			return err
		}
		return q.InsertAuditEvent(ctx, dbgen.InsertAuditEventParams{AccountID: acct, ActorType: "asaas", Action: "webhook.ignored",
			EntityType: "contract", EntityID: &contractID, ContractID: &contractID, Data: data})
	})
	return reason, err
}

// movesMoney: events whose money must never be dropped unnoticed.
func movesMoney(event string) bool {
	switch event {
	case asaas.EventPaymentConfirmed, asaas.EventPaymentReceived, asaas.EventPaymentDunningReceived, asaas.EventPaymentRefunded:
		return true
	}
	return false
}

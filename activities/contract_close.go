package activities

import (
	"context"

	"billing/db/dbgen"

	"github.com/google/uuid"
)

// FinishCancellation cancels the given installments and the contract in one
// transaction (the charges were deleted one by one before).
func (a *Activities) FinishCancellation(ctx context.Context, in FinishCancellationInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	numbers := make([]int32, len(in.Cancelled))
	for i, n := range in.Cancelled {
		numbers[i] = int32(n)
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		reason := in.Reason
		var noteID *uuid.UUID
		if in.ReasonID != "" {
			id, err := uuid.Parse(in.ReasonID)
			if err != nil {
				return notFound("cancel reason %q", in.ReasonID)
			}
			note, err := q.GetContractNote(ctx, dbgen.GetContractNoteParams{AccountID: acct, ContractID: cid, ID: id})
			if err != nil {
				return missing(err, "cancel reason %s of contract %s", id, cid)
			}
			reason, noteID = note.Body, &note.ID
		}
		cancelled, err := q.CancelInstallments(ctx, dbgen.CancelInstallmentsParams{AccountID: acct, ContractID: cid, Numbers: numbers})
		if err != nil {
			return err
		}
		n, err := q.CancelActiveContract(ctx, dbgen.CancelActiveContractParams{AccountID: acct, ID: cid, CancelReason: nonEmpty(reason)})
		if err != nil || n == 0 {
			return err // n == 0: an earlier attempt committed
		}
		data := map[string]any{"reason": reason, "cancelled_installments": cancelled, "deleted_charges": in.DeletedCharges}
		if noteID != nil {
			data["reason_note_id"] = noteID
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorUser, actorID: userID(in.RequestedBy),
			action: "contract.cancelled", entityType: "contract", entityID: &cid, contractID: &cid, data: data})
	})
}

// CompleteContract marks a fully paid contract completed.
func (a *Activities) CompleteContract(ctx context.Context, in CompleteContractInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.CompleteActiveContract(ctx, dbgen.CompleteActiveContractParams{AccountID: acct, ID: cid})
		if err != nil || n == 0 {
			return err
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorSystem, action: "contract.completed",
			entityType: "contract", entityID: &cid, contractID: &cid, data: map[string]any{}})
	})
}

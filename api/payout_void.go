package api

import (
	"context"
	"fmt"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// voidInput says why a payout is voided.
type voidInput struct {
	Reason string `json:"reason"`
}

// voidPayout: POST /v1/payouts/{id}/void. A payout recorded by mistake (wrong payee,
// amount never sent) is voided, never deleted: it is marked voided with who, when
// and why; its entries go back to pending, free for another payout (an entry whose
// payment was refunded meanwhile and whose reversal is still pending owes nothing
// either way: both become reversed); payout.voided is audited on each contract the
// entries come from. 404 for another account's payout, 409 when it is voided
// already, 422 without a reason; with an Idempotency-Key a retry replays the answer.
func (s *Server) voidPayout(c *gin.Context) {
	id, err := pathID(c, "id", "payout")
	if err != nil {
		s.writeError(c, err)
		return
	}
	var in voidInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	reason := f.text("reason", in.Reason, 500)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		account := t.actor.AccountID
		cur, err := t.GetPayoutForUpdate(ctx, dbgen.GetPayoutForUpdateParams{AccountID: account, ID: id})
		if err != nil {
			return result{}, notFoundIf(err, "payout")
		}
		if cur.VoidedAt != nil {
			return result{}, Conflict(fmt.Sprintf("Payout %s was voided on %s; it cannot be voided again.", cur.ID, cur.VoidedAt.Format(dateLayout)))
		}
		payout, err := t.VoidPayout(ctx, dbgen.VoidPayoutParams{AccountID: account, ID: id, VoidedBy: &t.actor.UserID, VoidReason: &reason})
		if err != nil {
			return result{}, err
		}
		reopened, err := t.ReopenPayoutEntries(ctx, dbgen.ReopenPayoutEntriesParams{AccountID: account, PayoutID: id})
		if err != nil {
			return result{}, err
		}
		ids := make([]uuid.UUID, len(reopened))
		for i, e := range reopened {
			ids[i] = e.ID
		}
		if _, err := t.SettleReversedPairs(ctx, dbgen.SettleReversedPairsParams{AccountID: account, EntryIds: ids}); err != nil {
			return result{}, err
		}
		if err := auditPayoutEntries(ctx, t, "payout.voided", payout, reopened, map[string]any{"reason": reason}); err != nil {
			return result{}, err
		}
		entries, err := payoutEntries(ctx, t.Queries, account, []dbgen.Payout{payout})
		return ok(viewPayout(payout, entries[id])), err
	})
}

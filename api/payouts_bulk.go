package api

import (
	"context"
	"fmt"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// bulkPayoutView answers POST /v1/payouts/bulk: one payout per payee, in the order
// the payees first appear in entry_ids.
type bulkPayoutView struct {
	Payouts []payoutView `json:"payouts"`
}

// createBulkPayout records pending entries of several payees as paid in one go (the
// payout report's "record payout" on a selection): one payout per payee, all with
// the same date, method and reference, all or nothing. The checks are those of
// POST /v1/payouts, except that entries may belong to different payees.
func (s *Server) createBulkPayout(c *gin.Context) {
	var in payoutInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	ids, paidOn, method, reference, err := in.check()
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
		locked, err := t.LockSplitEntries(ctx, dbgen.LockSplitEntriesParams{AccountID: t.actor.AccountID, Ids: ids})
		if err != nil {
			return result{}, err
		}
		groups, err := payableByPayee(ids, locked)
		if err != nil {
			return result{}, err
		}
		out := bulkPayoutView{Payouts: make([]payoutView, 0, len(groups))}
		for _, g := range groups {
			payout, err := t.CreatePayout(ctx, dbgen.CreatePayoutParams{
				AccountID: t.actor.AccountID, PayeeID: g.payee, PaidOn: paidOn, Method: method, Reference: reference,
				Amount: g.amount, RecordedBy: t.actor.UserID,
			})
			if err != nil {
				return result{}, err
			}
			n, err := t.PayPendingEntries(ctx, dbgen.PayPendingEntriesParams{AccountID: t.actor.AccountID, Ids: g.ids, PayeeID: &g.payee, PayoutID: &payout.ID})
			if err != nil {
				return result{}, err
			}
			if n != int64(len(g.ids)) { // cannot happen under the row locks; never record a partial payout
				return result{}, fmt.Errorf("payout %s: paid %d of %d entries", payout.ID, n, len(g.ids))
			}
			if err := auditPayoutEntries(ctx, t, "payout.recorded", payout, g.entries, nil); err != nil {
				return result{}, err
			}
			entries, err := payoutEntries(ctx, t.Queries, t.actor.AccountID, []dbgen.Payout{payout})
			if err != nil {
				return result{}, err
			}
			out.Payouts = append(out.Payouts, viewPayout(payout, entries[payout.ID]))
		}
		return created(out), nil
	})
}

// payeeGroup is the entries of one payee in a bulk payout.
type payeeGroup struct {
	payee   uuid.UUID
	ids     []uuid.UUID
	entries []dbgen.SplitEntry
	amount  decimal.Decimal
}

// payableByPayee checks the locked entries (every id exists: 422; each payable:
// 409, every offending entry listed) and groups them by payee; each payee's total
// must be greater than 0 (409).
func payableByPayee(ids []uuid.UUID, locked []dbgen.SplitEntry) ([]*payeeGroup, error) {
	byID := map[uuid.UUID]dbgen.SplitEntry{}
	for _, e := range locked {
		byID[e.ID] = e
	}
	var missing, conflicts fields
	for i, id := range ids {
		e, found := byID[id]
		switch {
		case !found:
			missing.add(fmt.Sprintf("entry_ids[%d]", i), "is not a split entry of this account")
		case unpayable(e) != "":
			conflicts.add(fmt.Sprintf("entry_ids[%d]", i), "%s", unpayable(e))
		}
	}
	if err := missing.err(); err != nil {
		return nil, err
	}
	if !conflicts.ok() {
		return nil, Conflict("Some entries cannot be paid out; nothing was recorded.", conflicts.errs...)
	}
	var groups []*payeeGroup
	byPayee := map[uuid.UUID]*payeeGroup{}
	for _, id := range ids {
		e := byID[id]
		g := byPayee[*e.PayeeID]
		if g == nil {
			g = &payeeGroup{payee: *e.PayeeID, amount: decimal.Zero}
			byPayee[*e.PayeeID] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, id)
		g.entries = append(g.entries, e)
		g.amount = g.amount.Add(e.Amount)
	}
	for _, g := range groups {
		if !g.amount.IsPositive() {
			conflicts.add("entry_ids", "the entries of payee %s add up to %s; a payout must be greater than 0", g.payee, formatMoney(g.amount))
		}
	}
	if !conflicts.ok() {
		return nil, Conflict("Some payouts would not be greater than 0; nothing was recorded.", conflicts.errs...)
	}
	return groups, nil
}

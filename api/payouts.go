package api

import (
	"context"
	"fmt"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

const maxPayoutEntries = 1000

// payoutView is a payout with the entries it paid; a voided payout lists the
// entries it had paid, as they are now (pending again, or paid by another payout).
type payoutView struct {
	ID         uuid.UUID         `json:"id"`
	PayeeID    uuid.UUID         `json:"payee_id"`
	PaidOn     string            `json:"paid_on"`
	Method     string            `json:"method"`
	Reference  *string           `json:"reference"`
	Amount     string            `json:"amount"`
	RecordedBy uuid.UUID         `json:"recorded_by"`
	CreatedAt  time.Time         `json:"created_at"`
	Status     string            `json:"status"` // recorded | voided
	VoidedAt   *time.Time        `json:"voided_at"`
	VoidedBy   *uuid.UUID        `json:"voided_by"`
	VoidReason *string           `json:"void_reason"`
	Entries    []payoutEntryView `json:"entries"`
}

// payoutEntryView is an entry a payout paid, with the contract and installment
// it came from (what a payee's statement lists).
type payoutEntryView struct {
	entryView
	ContractID        uuid.UUID `json:"contract_id"`
	InstallmentNumber int32     `json:"installment_number"`
}

// payoutEntry is an entry of a payout and the installment its payment paid.
type payoutEntry struct {
	dbgen.SplitEntry
	installment int32
}

func viewPayout(p dbgen.Payout, entries []payoutEntry) payoutView {
	status := "recorded"
	if p.VoidedAt != nil {
		status = "voided"
	}
	v := payoutView{p.ID, p.PayeeID, formatDate(p.PaidOn), p.Method, p.Reference, formatMoney(p.Amount), p.RecordedBy, p.CreatedAt,
		status, p.VoidedAt, p.VoidedBy, p.VoidReason, make([]payoutEntryView, len(entries))}
	for i, e := range entries {
		v.Entries[i] = payoutEntryView{viewEntry(e.SplitEntry), e.ContractID, e.installment}
	}
	return v
}

// payoutEntries are the entries of each payout, by payout id: those it paid, or
// for a voided payout those it had paid.
func payoutEntries(ctx context.Context, q *dbgen.Queries, accountID uuid.UUID, payouts []dbgen.Payout) (map[uuid.UUID][]payoutEntry, error) {
	var live, voided []uuid.UUID
	for _, p := range payouts {
		if p.VoidedAt != nil {
			voided = append(voided, p.ID)
		} else {
			live = append(live, p.ID)
		}
	}
	out := map[uuid.UUID][]payoutEntry{}
	if len(live) > 0 {
		rows, err := q.ListPayoutEntries(ctx, dbgen.ListPayoutEntriesParams{AccountID: accountID, PayoutIds: live})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[*r.SplitEntry.PayoutID] = append(out[*r.SplitEntry.PayoutID], payoutEntry{r.SplitEntry, r.InstallmentNumber})
		}
	}
	if len(voided) > 0 {
		rows, err := q.ListVoidedPayoutEntries(ctx, dbgen.ListVoidedPayoutEntriesParams{AccountID: accountID, PayoutIds: voided})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.VoidedPayoutID] = append(out[r.VoidedPayoutID], payoutEntry{r.SplitEntry, r.InstallmentNumber})
		}
	}
	return out, nil
}

// payoutInput records one payout for pending entries of one payee, all or nothing.
type payoutInput struct {
	EntryIDs  []string `json:"entry_ids"`
	PaidOn    string   `json:"paid_on"`
	Method    string   `json:"method"`
	Reference *string  `json:"reference"`
}

// check validates a payout request (one payee's or a bulk one): the entries, a
// payment date not in the future, the method and the reference.
func (in payoutInput) check() (ids []uuid.UUID, paidOn time.Time, method string, reference *string, err error) {
	var f fields
	ids = f.entryIDs(in.EntryIDs)
	paidOn = f.date("paid_on", in.PaidOn)
	if today := time.Now().UTC().Truncate(24 * time.Hour); paidOn.After(today) {
		f.add("paid_on", "must not be in the future")
	}
	method = f.oneOf("method", in.Method, "PIX", "TED", "CASH")
	reference = f.optText("reference", in.Reference, 200)
	return ids, paidOn, method, reference, f.err()
}

func (s *Server) createPayout(c *gin.Context) {
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
		payeeID, amount, err := payable(ids, locked)
		if err != nil {
			return result{}, err
		}
		payout, err := t.CreatePayout(ctx, dbgen.CreatePayoutParams{
			AccountID: t.actor.AccountID, PayeeID: payeeID, PaidOn: paidOn, Method: method, Reference: reference,
			Amount: amount, RecordedBy: t.actor.UserID,
		})
		if err != nil {
			return result{}, err
		}
		n, err := t.PayPendingEntries(ctx, dbgen.PayPendingEntriesParams{AccountID: t.actor.AccountID, Ids: ids, PayeeID: &payeeID, PayoutID: &payout.ID})
		if err != nil {
			return result{}, err
		}
		if n != int64(len(ids)) { // cannot happen under the row locks; never record a partial payout
			return result{}, fmt.Errorf("payout %s: paid %d of %d entries", payout.ID, n, len(ids))
		}
		if err := auditPayoutEntries(ctx, t, "payout.recorded", payout, locked, nil); err != nil {
			return result{}, err
		}
		entries, err := payoutEntries(ctx, t.Queries, t.actor.AccountID, []dbgen.Payout{payout})
		return created(viewPayout(payout, entries[payout.ID])), err
	})
}

func (f *fields) entryIDs(raw []string) []uuid.UUID {
	if len(raw) == 0 || len(raw) > maxPayoutEntries {
		f.add("entry_ids", "must list between 1 and %d split entry ids", maxPayoutEntries)
		return nil
	}
	seen := map[uuid.UUID]bool{}
	ids := make([]uuid.UUID, 0, len(raw))
	for i, s := range raw {
		id, err := uuid.Parse(s)
		switch {
		case err != nil:
			f.add(fmt.Sprintf("entry_ids[%d]", i), "must be a UUID")
		case seen[id]:
			f.add(fmt.Sprintf("entry_ids[%d]", i), "is listed twice")
		default:
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// payable checks the locked entries can be paid together: all exist (422), all belong
// to one payee and are pending (409, every offending entry listed).
func payable(ids []uuid.UUID, locked []dbgen.SplitEntry) (uuid.UUID, decimal.Decimal, error) {
	byID := map[uuid.UUID]dbgen.SplitEntry{}
	for _, e := range locked {
		byID[e.ID] = e
	}
	var missing fields
	for i, id := range ids {
		if _, found := byID[id]; !found {
			missing.add(fmt.Sprintf("entry_ids[%d]", i), "is not a split entry of this account")
		}
	}
	if err := missing.err(); err != nil {
		return uuid.Nil, decimal.Zero, err
	}
	var conflicts fields
	first := byID[ids[0]].PayeeID
	amount := decimal.Zero
	for i, id := range ids {
		e := byID[id]
		field := fmt.Sprintf("entry_ids[%d]", i)
		switch why := unpayable(e); {
		case why != "":
			conflicts.add(field, "%s", why)
		case first == nil || *e.PayeeID != *first:
			conflicts.add(field, "belongs to another payee; a payout pays one payee")
		}
		amount = amount.Add(e.Amount)
	}
	if !conflicts.ok() {
		return uuid.Nil, decimal.Zero, Conflict("Some entries cannot be paid in this payout; nothing was recorded.", conflicts.errs...)
	}
	if !amount.IsPositive() {
		return uuid.Nil, decimal.Zero, Conflict("The entries add up to " + formatMoney(amount) + "; a payout must be greater than 0.")
	}
	return *first, amount, nil
}

// unpayable says why an entry cannot be in any payout ("" when it can): it has no
// payee, or it is not pending.
func unpayable(e dbgen.SplitEntry) string {
	switch {
	case e.PayeeID == nil:
		return "has no payee (the gateway fee or the account's own share): nothing to pay out"
	case e.Status == "paid" && e.PayoutID != nil:
		return fmt.Sprintf("is already paid (payout %s)", e.PayoutID)
	case e.Status == "disputed":
		return "is disputed: its payment has a chargeback or a refund open at Asaas; it can be paid out once released"
	case e.Status != "pending":
		return fmt.Sprintf("is %s, not pending", e.Status)
	}
	return ""
}

// auditPayoutEntries writes one event (payout.recorded, payout.voided) per contract the
// entries come from, so each contract's trail shows the payouts of its splits; extra
// goes into every event's data.
func auditPayoutEntries(ctx context.Context, t *txn, action string, p dbgen.Payout, entries []dbgen.SplitEntry, extra map[string]any) error {
	type share struct {
		ids    []uuid.UUID
		amount decimal.Decimal
	}
	var order []uuid.UUID
	byContract := map[uuid.UUID]*share{}
	for _, e := range entries {
		sh := byContract[e.ContractID]
		if sh == nil {
			sh = &share{amount: decimal.Zero}
			byContract[e.ContractID] = sh
			order = append(order, e.ContractID)
		}
		sh.ids = append(sh.ids, e.ID)
		sh.amount = sh.amount.Add(e.Amount)
	}
	for _, contractID := range order {
		sh := byContract[contractID]
		data := map[string]any{
			"payee_id": p.PayeeID, "method": p.Method, "paid_on": formatDate(p.PaidOn), "payout_amount": formatMoney(p.Amount),
			"entry_ids": sh.ids, "amount": formatMoney(sh.amount),
		}
		for k, v := range extra {
			data[k] = v
		}
		if err := t.audit(ctx, action, "payout", p.ID, &contractID, data); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) listPayouts(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	params := dbgen.ListPayoutsParams{
		AccountID: actor(c).AccountID, PayeeID: optQueryID(c, &f, "payee_id"),
		PaidFrom: optQueryDate(c, &f, "from"), PaidTo: optQueryDate(c, &f, "to"),
		AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	q := dbgen.New(s.deps.Pool)
	rows, err := q.ListPayouts(ctx, params)
	if err != nil {
		s.writeError(c, err)
		return
	}
	byPayout, err := payoutEntries(ctx, q, params.AccountID, rows)
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.Payout) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID },
		func(r dbgen.Payout) payoutView { return viewPayout(r, byPayout[r.ID]) })), err)
}

func (s *Server) getPayout(c *gin.Context) {
	id, err := pathID(c, "id", "payout")
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx, accountID := c.Request.Context(), actor(c).AccountID
	q := dbgen.New(s.deps.Pool)
	row, err := q.GetPayout(ctx, dbgen.GetPayoutParams{AccountID: accountID, ID: id})
	if err != nil {
		s.writeError(c, notFoundIf(err, "payout"))
		return
	}
	entries, err := payoutEntries(ctx, q, accountID, []dbgen.Payout{row})
	s.reply(c, ok(viewPayout(row, entries[id])), err)
}

package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// The life of a charge after it is issued (docs/architecture.md, "Changes,
// holds and partial refunds"): its payment held while a chargeback or a refund
// is open, released or reversed, refunded in part, undone (a cash receipt undone
// at Asaas); the installment's value and due date changed (at Asaas, or copied
// from Asaas), its charge re-issued; the split read back after payment.

// Payment holds.
const (
	HoldChargeback = "chargeback"
	HoldRefund     = "refund"
)

// entryDisputed etc. are the split entry statuses as stored.
var (
	entryPending  = string(domain.EntryPending)
	entryReversed = string(domain.EntryReversed)
	entryDisputed = string(domain.EntryDisputed)
	entryPaid     = string(domain.EntryPaid)
)

// holdPayment puts the installment's payment's entries on hold: payouts cannot
// take them while Asaas has a chargeback or a refund open. Held again (another
// event of the same dispute) changes nothing.
func holdPayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	p, err := livePayment(ctx, q, acct, cid, in)
	if err != nil {
		return ContractEventResult{}, err
	}
	if p.Status == PaymentRefunded {
		return ContractEventResult{Status: EventIgnored, Reason: "payment already refunded"}, nil
	}
	hold := in.Hold
	n, err := q.SetPaymentHold(ctx, dbgen.SetPaymentHoldParams{AccountID: acct, ID: p.ID, Hold: &hold})
	if err != nil {
		return ContractEventResult{}, err
	}
	held, err := q.HoldPaymentEntries(ctx, dbgen.HoldPaymentEntriesParams{AccountID: acct, PaymentID: p.ID})
	if err != nil {
		return ContractEventResult{}, err
	}
	if err := setChargeStatus(ctx, q, acct, in.AsaasPaymentID, in.ChargeStatus); err != nil {
		return ContractEventResult{}, err
	}
	if n == 0 && len(held) == 0 {
		return ContractEventResult{Status: EventIgnored, Reason: "payment already held (" + hold + ")"}, nil
	}
	amount := decimal.Zero
	for _, e := range held {
		amount = amount.Add(e.Amount)
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.held", entityType: "payment",
		entityID: &p.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID,
			"event": in.Event, "hold": hold, "entries_held": len(held), "amount_held": domain.FormatMoney(amount)}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: "payment held (" + hold + "); its split entries are disputed"}, nil
}

// releasePayment ends a hold (a chargeback won, a refund denied): the held
// entries return to the status they had. A card payment credited meanwhile
// (SettledOn) is settled too.
func releasePayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	p, err := livePayment(ctx, q, acct, cid, in)
	if err != nil {
		return ContractEventResult{}, err
	}
	n, err := q.SetPaymentHold(ctx, dbgen.SetPaymentHoldParams{AccountID: acct, ID: p.ID, Hold: nil})
	if err != nil {
		return ContractEventResult{}, err
	}
	released, err := q.ReleasePaymentEntries(ctx, dbgen.ReleasePaymentEntriesParams{AccountID: acct, PaymentID: p.ID})
	if err != nil {
		return ContractEventResult{}, err
	}
	if err := setChargeStatus(ctx, q, acct, in.AsaasPaymentID, in.ChargeStatus); err != nil {
		return ContractEventResult{}, err
	}
	settled := false
	if in.SettledOn != "" && p.Status == PaymentConfirmed {
		m, err := q.SettlePayment(ctx, dbgen.SettlePaymentParams{AccountID: acct, InstallmentID: p.InstallmentID, SettledOn: ptr(parseDay(in.SettledOn))})
		if err != nil {
			return ContractEventResult{}, err
		}
		settled = m > 0
	}
	if n == 0 && len(released) == 0 && !settled {
		return ContractEventResult{Status: EventIgnored, Reason: "payment not held"}, nil
	}
	amount := decimal.Zero
	for _, e := range released {
		amount = amount.Add(e.Amount)
	}
	data := map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID, "event": in.Event,
		"entries_released": len(released), "amount_released": domain.FormatMoney(amount)}
	if settled {
		data["settled_on"] = in.SettledOn
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.released", entityType: "payment",
		entityID: &p.ID, contractID: &cid, data: data}); err != nil {
		return ContractEventResult{}, err
	}
	out := ContractEventResult{Status: EventProcessed, Reason: "hold released; split entries back to their status"}
	if settled {
		out.GatewayEntries, err = gatewayEntries(ctx, q, acct, p.ID)
	}
	return out, err
}

// livePayment is the installment's payment (locked), which must be the event's.
func livePayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (dbgen.Payment, error) {
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
	if err != nil {
		return dbgen.Payment{}, missing(err, "installment %d of contract %s", in.Number, cid)
	}
	p, err := q.GetPaymentForUpdate(ctx, dbgen.GetPaymentForUpdateParams{AccountID: acct, InstallmentID: inst.ID})
	if err != nil {
		return dbgen.Payment{}, missing(err, "payment of installment %d", in.Number)
	}
	if in.AsaasPaymentID != "" && (p.AsaasPaymentID == nil || *p.AsaasPaymentID != in.AsaasPaymentID) {
		return dbgen.Payment{}, temporal.NewNonRetryableApplicationError(
			"payment "+in.AsaasPaymentID+" is not the applied payment of installment "+strconv.Itoa(in.Number), ErrTypeInvalidState, nil)
	}
	return p, nil
}

func setChargeStatus(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, asaasPaymentID, status string) error {
	if asaasPaymentID == "" || status == "" {
		return nil
	}
	return q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: asaasPaymentID, Status: status})
}

// gatewayEntries counts the payment's entries Asaas pays through the charge's
// split (held ones included): what a split read-back is about.
func gatewayEntries(ctx context.Context, q *dbgen.Queries, acct, paymentID uuid.UUID) (int, error) {
	entries, err := q.ListPaymentEntries(ctx, dbgen.ListPaymentEntriesParams{AccountID: acct, PaymentID: paymentID})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.ReversesEntryID == nil && (e.Status == string(domain.EntrySentToGateway) || (e.HeldFrom != nil && *e.HeldFrom == string(domain.EntrySentToGateway))) {
			n++
		}
	}
	return n, nil
}

// reverseEntries reverses the payment's entries up to target, the refunded total
// it reaches (the payment's amount for a whole refund): the difference between
// target and what its entries already reversed is divided among what is left of
// each entry, in proportion, to the cent (domain.ProportionalShares), so the
// entries and their reversals always sum to amount − target. Nothing is deleted:
// each share is a reversal entry (negated, one per entry and refund).
//
// A reversal's status: a claw-back (pending) when its entry was already paid to
// its payee; otherwise, for a whole refund, reversed, with every entry not paid
// out voided (reversed) — earlier partial reversals of those entries too; for a
// partial refund, pending when its entry waits for a manual payout (the two net
// off in a payout, or the payee owes it back), disputed when its entry is held,
// reversed when Asaas paid it (sent_to_gateway) or nobody is to be paid.
func reverseEntries(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, p dbgen.Payment, target decimal.Decimal, whole bool) (decimal.Decimal, error) {
	entries, err := q.ListPaymentEntries(ctx, dbgen.ListPaymentEntriesParams{AccountID: acct, PaymentID: p.ID})
	if err != nil {
		return decimal.Zero, err
	}
	var originals []dbgen.SplitEntry
	reversedOf := map[uuid.UUID]decimal.Decimal{}
	done := decimal.Zero
	for _, e := range entries {
		if e.ReversesEntryID == nil {
			originals = append(originals, e)
			continue
		}
		reversedOf[*e.ReversesEntryID] = reversedOf[*e.ReversesEntryID].Add(e.Amount.Neg())
		done = done.Add(e.Amount.Neg())
	}
	left := make([]decimal.Decimal, len(originals))
	for i, e := range originals {
		left[i] = e.Amount.Sub(reversedOf[e.ID])
	}
	shares := left
	if !whole {
		delta := target.Sub(done)
		if !delta.IsPositive() {
			return decimal.Zero, nil
		}
		shares = domain.ProportionalShares(left, delta)
	}
	today := parseDay("")
	paidOut := map[uuid.UUID]bool{}
	reversed := decimal.Zero
	for i, e := range originals {
		paidOut[e.ID] = e.Status == entryPaid && e.PayeeID != nil
		if !shares[i].IsPositive() {
			continue
		}
		status, heldFrom := entryReversed, (*string)(nil)
		switch {
		case paidOut[e.ID]:
			status = entryPending // claw back from the payee
		case whole:
		case e.Status == entryPending:
			status = entryPending
		case e.Status == entryDisputed && e.HeldFrom != nil && *e.HeldFrom == entryPending:
			status, heldFrom = entryDisputed, ptr(entryPending)
		}
		if _, err := q.InsertReversalEntry(ctx, dbgen.InsertReversalEntryParams{
			AccountID: acct, PaymentID: p.ID, ContractID: cid, PayeeID: e.PayeeID, RulePosition: e.RulePosition,
			Kind: e.Kind, Amount: shares[i].Neg(), Status: status, HeldFrom: heldFrom, ReversesEntryID: &e.ID,
			RefundedTo: decimal.NullDecimal{Decimal: target, Valid: true}, OccurredOn: today,
		}); err != nil {
			return decimal.Zero, err
		}
		reversed = reversed.Add(shares[i])
	}
	if whole {
		// Every entry not paid out is voided, and so are earlier reversals of
		// entries that were not paid out (nothing is owed either way).
		unpaid := []string{entryPending, string(domain.EntrySentToGateway), string(domain.EntryRetained), entryDisputed}
		for _, e := range entries {
			if e.ReversesEntryID != nil && paidOut[*e.ReversesEntryID] {
				continue
			}
			if _, err := q.SetEntryStatusAny(ctx, dbgen.SetEntryStatusAnyParams{AccountID: acct, ID: e.ID, Status: entryReversed, FromStatuses: unpaid}); err != nil {
				return decimal.Zero, err
			}
		}
	}
	return reversed, nil
}

// undoCashReceipt: Asaas undid a cash receipt (PAYMENT_RECEIVED_IN_CASH_UNDONE):
// the payment's entries are reversed, the payment is undone, and the installment
// is open (or overdue) again, to be paid another way.
func undoCashReceipt(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	p, err := livePayment(ctx, q, acct, cid, in)
	if err != nil {
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) && appErr.Type() == ErrTypeNotFound {
			return ContractEventResult{Status: EventIgnored, Reason: "no payment to undo (already undone)"}, nil
		}
		return ContractEventResult{}, err
	}
	if p.Status == PaymentRefunded {
		return ContractEventResult{Status: EventIgnored, Reason: "payment already refunded"}, nil
	}
	reversed, err := reverseEntries(ctx, q, acct, cid, p, p.Amount, true)
	if err != nil {
		return ContractEventResult{}, err
	}
	if _, err := q.UndoPayment(ctx, dbgen.UndoPaymentParams{AccountID: acct, ID: p.ID}); err != nil {
		return ContractEventResult{}, err
	}
	after := in.After
	if after != string(domain.InstallmentOverdue) {
		after = string(domain.InstallmentOpen)
	}
	if _, err := q.ReopenInstallment(ctx, dbgen.ReopenInstallmentParams{AccountID: acct, ID: p.InstallmentID, Status: after}); err != nil {
		return ContractEventResult{}, err
	}
	if err := setChargeStatus(ctx, q, acct, in.AsaasPaymentID, in.ChargeStatus); err != nil {
		return ContractEventResult{}, err
	}
	if in.ReopenContract {
		n, err := q.ReopenCompletedContract(ctx, dbgen.ReopenCompletedContractParams{AccountID: acct, ID: cid})
		if err != nil {
			return ContractEventResult{}, err
		}
		if n > 0 {
			if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "contract.reopened", entityType: "contract",
				entityID: &cid, contractID: &cid, data: map[string]any{"installment": in.Number, "why": "cash receipt undone at Asaas"}}); err != nil {
				return ContractEventResult{}, err
			}
		}
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.cash_undone", entityType: "payment",
		entityID: &p.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID,
			"amount": domain.FormatMoney(p.Amount), "reversed": domain.FormatMoney(reversed), "installment_status": after}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: "cash receipt undone; split entries reversed; installment " + after}, nil
}

// changeInstallment sets a payable installment's value, due date and status
// (open or overdue) and its current charge's, keeps the contract's total, and
// audits the change with what it was before. Already so: nothing (a retry, or
// Asaas's PAYMENT_UPDATED echoing our own change).
func changeInstallment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, c installmentChange) (ContractEventResult, error) {
	inst, err := q.GetInstallmentForUpdate(ctx, dbgen.GetInstallmentForUpdateParams{AccountID: acct, ContractID: cid, Number: int32(c.number)})
	if err != nil {
		return ContractEventResult{}, missing(err, "installment %d of contract %s", c.number, cid)
	}
	due := parseDay(c.dueDate)
	after := c.after
	if after != string(domain.InstallmentOverdue) {
		after = string(domain.InstallmentOpen)
	}
	if !domain.InstallmentStatus(inst.Status).Payable() {
		return ContractEventResult{Status: EventIgnored, Reason: "installment " + strconv.Itoa(c.number) + " is " + inst.Status}, nil
	}
	if inst.Value.Equal(c.value) && inst.DueDate.Equal(due) && (inst.Status == after || inst.Status == string(domain.InstallmentScheduled)) {
		return ContractEventResult{Status: EventIgnored, Reason: "installment already has that value and due date"}, nil
	}
	if _, err := q.ChangeInstallmentTerms(ctx, dbgen.ChangeInstallmentTermsParams{AccountID: acct, ID: inst.ID, Value: c.value, DueDate: due, Status: after}); err != nil {
		return ContractEventResult{}, err
	}
	if c.asaasPaymentID != "" {
		if _, err := q.SetChargeTerms(ctx, dbgen.SetChargeTermsParams{AccountID: acct, AsaasPaymentID: c.asaasPaymentID, Value: c.value,
			DueDate: due, Status: c.chargeStatus, NetValue: c.netValue}); err != nil {
			return ContractEventResult{}, err
		}
	}
	if err := q.SyncContractTotal(ctx, dbgen.SyncContractTotalParams{AccountID: acct, ID: cid}); err != nil {
		return ContractEventResult{}, err
	}
	actor := actorAsaas
	if c.source == "api" {
		actor = actorUser
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actor, actorID: userID(c.requestedBy), action: "installment.changed",
		entityType: "installment", entityID: &inst.ID, contractID: &cid, data: map[string]any{
			"installment": c.number, "asaas_payment_id": c.asaasPaymentID, "source": c.source, "how": c.how,
			"before": map[string]any{"value": domain.FormatMoney(inst.Value), "due_date": inst.DueDate.Format(time.DateOnly), "status": inst.Status},
			"after":  map[string]any{"value": domain.FormatMoney(c.value), "due_date": c.dueDate, "status": after},
		}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: "installment changed: value " + domain.FormatMoney(c.value) + ", due " + c.dueDate}, nil
}

type installmentChange struct {
	number         int
	asaasPaymentID string
	value          decimal.Decimal
	dueDate        string
	after          string // open | overdue
	chargeStatus   string
	netValue       decimal.NullDecimal
	source         string // asaas (PAYMENT_UPDATED) | api (PATCH)
	how            string // updated | copied | reissued
	requestedBy    string
}

// checkValueForRules refuses a value the contract's fixed split rules do not
// fit in (activation checked them against the smallest installment).
func checkValueForRules(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, value decimal.Decimal) error {
	if !value.IsPositive() || domain.AmountProblem(value) != "" {
		return temporal.NewNonRetryableApplicationError("value must be a positive amount with at most 2 decimals", ErrTypeInvalidInput, nil, "value")
	}
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: acct, ContractID: cid})
	if err != nil {
		return err
	}
	fixed := decimal.Zero
	for _, r := range rules {
		if r.Kind == string(domain.RuleFixed) && r.Amount.Valid {
			fixed = fixed.Add(r.Amount.Decimal)
		}
	}
	if fixed.GreaterThan(value) {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("the contract's fixed split rules add up to %s, more than %s",
			domain.FormatMoney(fixed), domain.FormatMoney(value)), ErrTypeInvalidInput, nil, "value")
	}
	return nil
}

// ChangeChargeInput changes an open installment's value and due date at Asaas
// (its charge) and here.
type ChangeChargeInput struct {
	ContractRef
	Number         int
	AsaasPaymentID string // the installment's current charge
	Value          decimal.Decimal
	DueDate        string // YYYY-MM-DD
	After          string // the installment's status afterwards: open | overdue
	RequestedBy    string // user id
}

// Outcome of UpdateCharge when Asaas will not change the charge: the caller
// deletes it and issues it again.
const OutcomeRefused = "refused"

// UpdateCharge changes the installment's charge at Asaas (PUT /v3/payments/{id}:
// value and dueDate) and then the installment here, with its audit line. When
// Asaas refuses, the charge is read: paid meanwhile (OutcomePaidAtGateway, with
// the payment), gone (OutcomeChargeNotFound), or still open (OutcomeRefused,
// the refusal audited): the caller deletes it and issues a new one. Running it
// again is harmless (the same PUT, the change already made).
func (a *Activities) UpdateCharge(ctx context.Context, in ChangeChargeInput) (GatewayOutcome, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return GatewayOutcome{}, err
	}
	if err := checkValueForRules(ctx, a.q(), acct, cid, in.Value); err != nil {
		return GatewayOutcome{}, err
	}
	due, err := time.Parse(time.DateOnly, in.DueDate)
	if err != nil {
		return GatewayOutcome{}, invalidInput("due date %q", in.DueDate)
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return GatewayOutcome{}, err
	}
	p, callErr := cl.UpdatePayment(ctx, in.AsaasPaymentID, asaas.UpdatePaymentRequest{Value: asaas.NewNumber(in.Value), DueDate: asaas.DateOf(due)})
	if callErr != nil {
		if asaas.IsRetryable(callErr) {
			return GatewayOutcome{}, gatewayError(callErr)
		}
		cur, err := cl.GetPayment(ctx, in.AsaasPaymentID)
		switch {
		case asaas.IsNotFound(err) || (err == nil && cur.Deleted):
			return GatewayOutcome{Outcome: OutcomeChargeNotFound}, nil
		case asaas.IsRetryable(err):
			return GatewayOutcome{}, gatewayError(err)
		case err != nil:
			return GatewayOutcome{}, gatewayError(callErr)
		case cur.Status == asaas.StatusReceived || cur.Status == asaas.StatusConfirmed || cur.Status == asaas.StatusReceivedInCash:
			return GatewayOutcome{Outcome: OutcomePaidAtGateway, Payment: paymentInfo(cur)}, nil
		}
		return GatewayOutcome{Outcome: OutcomeRefused}, a.inTx(ctx, func(q *dbgen.Queries) error {
			return writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "charge.update_refused", entityType: "contract",
				entityID: &cid, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID,
					"message": rejectionMessage(callErr), "next": "delete and issue again"}})
		})
	}
	return GatewayOutcome{Outcome: OutcomeDone}, a.inTx(ctx, func(q *dbgen.Queries) error {
		_, err := changeInstallment(ctx, q, acct, cid, installmentChange{number: in.Number, asaasPaymentID: in.AsaasPaymentID,
			value: p.Value.Decimal, dueDate: p.DueDate.String(), after: in.After, chargeStatus: p.Status, netValue: nullDecimal(p.NetValue),
			source: "api", how: "updated", requestedBy: in.RequestedBy})
		return err
	})
}

// ReissueChargeInput issues a new charge for a payable installment whose charge
// is gone (deleted at Asaas, expired and deleted, or refused a change).
type ReissueChargeInput struct {
	ContractRef
	Number          int
	AsaasCustomerID string
	Replaces        string // the charge it replaces ("" when the installment has none)
	Value           decimal.Decimal
	DueDate         string // YYYY-MM-DD
	Reason          string // reissued | changed (PATCH fell back to it) | updated (PAYMENT_UPDATED gone wrong)
	RequestedBy     string // user id
	// Attempt names this re-issue the same way on every retry; empty (the
	// workflow's case): the activity's workflow run and activity id.
	Attempt string `json:",omitempty"`
}

// ReissueCharge supersedes the installment's current charge, sets its value and
// due date, and issues a new charge through IssueCharge (the same request, split
// and reference "billing:<contract>:<n>", which routes its webhooks). The old
// charge must be deleted at Asaas first: a live one would be found again by its
// reference. Running it again finds the new charge and returns it.
func (a *Activities) ReissueCharge(ctx context.Context, in ReissueChargeInput) (ChargeIssued, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return ChargeIssued{}, err
	}
	due, err := time.Parse(time.DateOnly, in.DueDate)
	if err != nil {
		return ChargeIssued{}, invalidInput("due date %q", in.DueDate)
	}
	if in.Replaces != "" {
		cl, err := a.asaasClient(ctx, acct)
		if err != nil {
			return ChargeIssued{}, err
		}
		old, err := cl.GetPayment(ctx, in.Replaces)
		switch {
		case asaas.IsNotFound(err):
		case err != nil:
			return ChargeIssued{}, gatewayError(err)
		case !old.Deleted:
			return ChargeIssued{}, temporal.NewNonRetryableApplicationError(fmt.Sprintf(
				"charge %s of installment %d is still %s at Asaas: it must be deleted before another is issued", in.Replaces, in.Number, old.Status), ErrTypeInvalidState, nil)
		}
	}
	attempt := in.Attempt
	if attempt == "" {
		attempt = activityKey(ctx)
	}
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		inst, err := q.GetInstallmentForUpdate(ctx, dbgen.GetInstallmentForUpdateParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
		if err != nil {
			return missing(err, "installment %d of contract %s", in.Number, cid)
		}
		// An earlier attempt of this activity prepared it and failed after (an
		// installment that had no charge leaves no other trace of that).
		if prepared, err := q.AuditWrittenByActivity(ctx, dbgen.AuditWrittenByActivityParams{
			AccountID: acct, ContractID: &cid, Action: "charge.reissued", Activity: attempt}); err != nil || prepared {
			return err
		}
		cur, err := q.GetChargeByInstallment(ctx, dbgen.GetChargeByInstallmentParams{AccountID: acct, InstallmentID: inst.ID})
		switch {
		case err == nil && cur.AsaasPaymentID != in.Replaces:
			return nil // an earlier attempt issued the new charge already
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return err
		case errors.Is(err, pgx.ErrNoRows) && in.Replaces != "" && inst.Status == string(domain.InstallmentScheduled) && inst.Value.Equal(in.Value) && inst.DueDate.Equal(due):
			return nil // prepared by an earlier attempt, not issued yet
		}
		if !domain.InstallmentStatus(inst.Status).Payable() {
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf("installment %d is %s", in.Number, inst.Status), ErrTypeInvalidState, nil)
		}
		if err := checkValueForRules(ctx, q, acct, cid, in.Value); err != nil {
			return err
		}
		if _, err := q.SupersedeCharges(ctx, dbgen.SupersedeChargesParams{AccountID: acct, InstallmentID: inst.ID, KeepAsaasPaymentID: ""}); err != nil {
			return err
		}
		if _, err := q.PrepareReissue(ctx, dbgen.PrepareReissueParams{AccountID: acct, ID: inst.ID, Value: in.Value, DueDate: due}); err != nil {
			return err
		}
		if err := q.SyncContractTotal(ctx, dbgen.SyncContractTotalParams{AccountID: acct, ID: cid}); err != nil {
			return err
		}
		actor := actorSystem
		if in.RequestedBy != "" {
			actor = actorUser
		}
		return writeAudit(ctx, q, auditEvent{account: acct, actorType: actor, actorID: userID(in.RequestedBy), action: "charge.reissued",
			entityType: "installment", entityID: &inst.ID, contractID: &cid, data: map[string]any{
				"installment": in.Number, "replaces": in.Replaces, "reason": in.Reason, "activity": attempt,
				"before": map[string]any{"value": domain.FormatMoney(inst.Value), "due_date": inst.DueDate.Format(time.DateOnly), "status": inst.Status},
				"after":  map[string]any{"value": domain.FormatMoney(in.Value), "due_date": in.DueDate},
			}})
	})
	if err != nil {
		return ChargeIssued{}, err
	}
	return a.IssueCharge(ctx, IssueChargeInput{ContractRef: in.ContractRef, Number: in.Number, AsaasCustomerID: in.AsaasCustomerID})
}

// CheckSplitsInput asks Asaas how the splits of installments' payments went.
type CheckSplitsInput struct {
	ContractRef
	Payments []SplitToCheck
}

// SplitToCheck is one installment's payment (its Asaas id).
type SplitToCheck struct {
	Number         int
	AsaasPaymentID string
}

// SplitsChecked counts the payment's gateway entries by what Asaas says of their
// split: paid to the wallet, not paid (now pending manual payouts), not decided
// yet, or not found in split[] (nothing concluded).
type SplitsChecked struct {
	Paid, NotPaid, Waiting, Unknown int
}

// CheckSplitOutcome reads each payment's split[] at Asaas after payment (GET
// /v3/payments/{id}) and matches each split to the entry of its rule (the split's
// externalReference "rule:<position>", else its wallet). An entry whose split
// Asaas cancelled, refused or blocked becomes a pending manual payout, audited
// with Asaas's status and reason (kept in PostgreSQL only). It answers one count
// per payment, in order. Running it again changes nothing more.
func (a *Activities) CheckSplitOutcome(ctx context.Context, in CheckSplitsInput) ([]SplitsChecked, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return nil, err
	}
	cl, err := a.asaasClient(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := make([]SplitsChecked, len(in.Payments))
	for i, pay := range in.Payments {
		if out[i], err = a.checkSplit(ctx, cl, acct, cid, pay); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (a *Activities) checkSplit(ctx context.Context, cl *asaas.Client, acct, cid uuid.UUID, in SplitToCheck) (SplitsChecked, error) {
	p, err := cl.GetPayment(ctx, in.AsaasPaymentID)
	if err != nil {
		return SplitsChecked{}, gatewayError(err)
	}
	var out SplitsChecked
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		out = SplitsChecked{}
		inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
		if err != nil {
			return missing(err, "installment %d of contract %s", in.Number, cid)
		}
		pay, err := q.GetPaymentByInstallment(ctx, dbgen.GetPaymentByInstallmentParams{AccountID: acct, InstallmentID: inst.ID})
		if err != nil {
			return missing(err, "payment of installment %d", in.Number)
		}
		if pay.AsaasPaymentID == nil || *pay.AsaasPaymentID != in.AsaasPaymentID {
			return nil // another payment now: nothing of this one to check
		}
		entries, err := q.ListPaymentEntries(ctx, dbgen.ListPaymentEntriesParams{AccountID: acct, PaymentID: pay.ID})
		if err != nil {
			return err
		}
		rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: acct, ContractID: cid})
		if err != nil {
			return err
		}
		wallets, err := walletsOf(ctx, q, acct, rules)
		if err != nil {
			return err
		}
		for _, e := range entries {
			fromGateway := e.Status == string(domain.EntrySentToGateway) || (e.HeldFrom != nil && *e.HeldFrom == string(domain.EntrySentToGateway))
			if e.ReversesEntryID != nil || !fromGateway || e.RulePosition == nil {
				continue
			}
			wallet := ""
			if e.PayeeID != nil {
				wallet = wallets[*e.PayeeID]
			}
			sp, found := splitOfEntry(p.Split, *e.RulePosition, wallet)
			if !found {
				out.Unknown++
				continue
			}
			switch asaas.OutcomeOfSplit(sp.Status) {
			case asaas.SplitPaid, asaas.SplitRefundOf:
				out.Paid++
			case asaas.SplitWaiting:
				out.Waiting++
			case asaas.SplitUnknown:
				out.Unknown++
			case asaas.SplitNotPaid:
				out.NotPaid++
				n, err := q.SetEntryPendingFromGateway(ctx, dbgen.SetEntryPendingFromGatewayParams{AccountID: acct, ID: e.ID})
				if err != nil || n == 0 {
					return err
				}
				reason, _ := sp.RefusalReason.Get()
				if reason == "" {
					reason, _ = sp.CancellationReason.Get()
				}
				if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "split.not_paid", entityType: "payment",
					entityID: &pay.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID,
						"entry_id": e.ID, "rule_position": *e.RulePosition, "payee_id": e.PayeeID, "amount": domain.FormatMoney(e.Amount),
						"asaas_status": sp.Status, "asaas_reason": reason, "now": "pending manual payout"}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// splitOfEntry finds the split Asaas holds for a rule: by the externalReference
// IssueCharge gave it ("rule:<position>"), else the one split to the payee's wallet.
func splitOfEntry(splits []asaas.Split, position int32, wallet string) (asaas.Split, bool) {
	ref := fmt.Sprintf("rule:%d", position)
	for _, sp := range splits {
		if r, ok := sp.ExternalReference.Get(); ok && r == ref {
			return sp, true
		}
	}
	var match []asaas.Split
	for _, sp := range splits {
		if wallet != "" && strings.EqualFold(sp.WalletID, wallet) {
			if r, ok := sp.ExternalReference.Get(); !ok || !strings.HasPrefix(r, "rule:") {
				match = append(match, sp)
			}
		}
	}
	if len(match) == 1 {
		return match[0], true
	}
	return asaas.Split{}, false
}

// activityKey names this activity execution the same way on every retry: its
// workflow run and activity id.
func activityKey(ctx context.Context) string {
	info := activity.GetInfo(ctx)
	return info.WorkflowExecution.RunID + "/" + info.ActivityID
}

package activities

import (
	"context"
	"errors"
	"time"

	"billing/asaas"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
)

// ApplyPayment records one payment of an installment and allocates it among the
// contract's split rules, in one transaction with its audit events and the
// webhook event's outcome. The UNIQUE keys (one payment per installment, one per
// Asaas payment) make a retry, or an attempt racing a timed-out earlier one, find
// the payment already there and return it unchanged.
func (a *Activities) ApplyPayment(ctx context.Context, in ApplyPaymentInput) (PaymentApplied, error) {
	acct, cid, err := in.ids()
	if err != nil {
		return PaymentApplied{}, err
	}
	amount, net := in.Amount, in.Net
	if in.Origin == OriginManual || !net.IsPositive() || net.GreaterThan(amount) {
		net = amount // received in cash: no gateway fee (and never a negative one)
	}
	paidOn := parseDay(in.PaidOn)
	var out PaymentApplied
	err = a.inTx(ctx, func(q *dbgen.Queries) error {
		inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
		if err != nil {
			return missing(err, "installment %d of contract %s", in.Number, cid)
		}
		if existing, err := q.GetPaymentByInstallment(ctx, dbgen.GetPaymentByInstallmentParams{AccountID: acct, InstallmentID: inst.ID}); err == nil {
			out = PaymentApplied{PaymentID: existing.ID.String(), Shortfall: existing.Shortfall}
			return setOutcome(ctx, q, acct, in.EventKey, EventIgnored, "payment already applied")
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var chargeID *uuid.UUID
		// The payment belongs to the installment's charge unless it came through
		// another Asaas payment (a payment link tied to the installment).
		if ch, err := q.GetChargeByInstallment(ctx, dbgen.GetChargeByInstallmentParams{AccountID: acct, InstallmentID: inst.ID}); err == nil {
			if in.AsaasPaymentID == "" || in.AsaasPaymentID == ch.AsaasPaymentID {
				chargeID = &ch.ID
			}
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: acct, ContractID: cid})
		if err != nil {
			return err
		}
		alloc, err := domain.Allocate(domain.PaymentAmounts{Paid: amount, Net: net, Manual: in.Origin == OriginManual}, domainRules(rules))
		if err != nil {
			return temporal.NewNonRetryableApplicationError("split allocation: "+err.Error(), ErrTypeInvalidInput, err)
		}
		var settled *time.Time
		if in.SettledOn != "" {
			settled = ptr(parseDay(in.SettledOn))
		}
		p, err := q.InsertPayment(ctx, dbgen.InsertPaymentParams{
			AccountID: acct, ContractID: cid, InstallmentID: inst.ID, ChargeID: chargeID, AsaasPaymentID: nonEmpty(in.AsaasPaymentID),
			Origin: in.Origin, RecordedBy: userID(in.RecordedBy), Amount: amount, NetAmount: net, FeeAmount: amount.Sub(net),
			PaidOn: paidOn, SettledOn: settled, Status: in.Status, Shortfall: alloc.Shortfall,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			// Another attempt committed first (the UNIQUE keys said so).
			existing, err := q.GetPaymentByInstallment(ctx, dbgen.GetPaymentByInstallmentParams{AccountID: acct, InstallmentID: inst.ID})
			if err != nil {
				return temporal.NewNonRetryableApplicationError("Asaas payment "+in.AsaasPaymentID+" is already recorded on another installment", ErrTypeInvalidState, err)
			}
			out = PaymentApplied{PaymentID: existing.ID.String(), Shortfall: existing.Shortfall}
			return nil
		}
		if err != nil {
			return err
		}
		entries := make([]map[string]any, 0, len(alloc.Entries))
		for _, e := range alloc.Entries {
			row, err := q.InsertSplitEntry(ctx, dbgen.InsertSplitEntryParams{
				AccountID: acct, PaymentID: p.ID, ContractID: cid, PayeeID: payeeOf(e.PayeeID),
				RulePosition: positionOf(rules, e.RuleIndex), Kind: string(e.Kind), Amount: e.Amount,
				Status: string(e.Status), OccurredOn: paidOn,
			})
			if err != nil {
				return err
			}
			entries = append(entries, map[string]any{"id": row.ID, "payee_id": row.PayeeID, "kind": row.Kind,
				"amount": domain.FormatMoney(row.Amount), "status": row.Status})
		}
		if _, err := q.MarkInstallmentPaid(ctx, dbgen.MarkInstallmentPaidParams{AccountID: acct, ID: inst.ID}); err != nil {
			return err
		}
		if in.AsaasPaymentID != "" {
			if err := q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID,
				Status: chargeStatusOf(in), NetValue: decimal.NullDecimal{Decimal: net, Valid: in.Origin == OriginGateway}}); err != nil {
				return err
			}
		}
		actor := actorAsaas
		if in.Origin == OriginManual {
			actor = actorUser
		}
		base := auditEvent{account: acct, actorType: actor, actorID: userID(in.RecordedBy), entityType: "payment", entityID: &p.ID, contractID: &cid}
		recorded := base
		recorded.action = "payment.recorded"
		recorded.data = map[string]any{"installment": in.Number, "origin": in.Origin, "asaas_payment_id": in.AsaasPaymentID,
			"amount": domain.FormatMoney(amount), "net_amount": domain.FormatMoney(net), "fee_amount": domain.FormatMoney(amount.Sub(net)),
			"paid_on": paidOn.Format(time.DateOnly), "status": in.Status}
		split := base
		split.action = "split.processed"
		split.data = map[string]any{"entries": entries, "total": domain.FormatMoney(domain.SumEntries(alloc.Entries))}
		for _, e := range []auditEvent{recorded, split} {
			if err := writeAudit(ctx, q, e); err != nil {
				return err
			}
		}
		if alloc.Shortfall.IsPositive() {
			short := base
			short.action = "split.shortfall"
			short.data = map[string]any{"shortfall": domain.FormatMoney(alloc.Shortfall),
				"reason": "the net amount did not cover the percentage and fixed rules; rules were paid in order until it ran out"}
			if err := writeAudit(ctx, q, short); err != nil {
				return err
			}
		}
		out = PaymentApplied{PaymentID: p.ID.String(), Created: true, Shortfall: alloc.Shortfall, Entries: len(alloc.Entries)}
		return setOutcome(ctx, q, acct, in.EventKey, EventProcessed, "payment applied")
	})
	return out, err
}

func chargeStatusOf(in ApplyPaymentInput) string {
	switch {
	case in.Origin == OriginManual:
		return asaas.StatusReceivedInCash
	case in.Status == PaymentConfirmed:
		return asaas.StatusConfirmed
	}
	return asaas.StatusReceived
}

// domainRules converts stored rules for domain.Allocate (RuleIndex = slice index).
func domainRules(rules []dbgen.ContractSplitRule) []domain.SplitRule {
	out := make([]domain.SplitRule, len(rules))
	for i, r := range rules {
		out[i] = domain.SplitRule{Kind: domain.RuleKind(r.Kind), ViaGateway: r.ViaGateway,
			Percent: r.Percent.Decimal, Amount: r.Amount.Decimal}
		if r.PayeeID != nil {
			out[i].PayeeID = r.PayeeID.String()
		}
	}
	return out
}

func positionOf(rules []dbgen.ContractSplitRule, index int) *int32 {
	if index < 0 || index >= len(rules) {
		return nil
	}
	return &rules[index].Position
}

func payeeOf(id string) *uuid.UUID {
	if id == "" {
		return nil
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return nil
	}
	return &u
}

// setOutcome records what became of a webhook event (no event: nothing to record).
func setOutcome(ctx context.Context, q *dbgen.Queries, acct uuid.UUID, eventKey, status, reason string) error {
	if eventKey == "" {
		return nil
	}
	_, err := q.SetWebhookEventOutcome(ctx, dbgen.SetWebhookEventOutcomeParams{AccountID: acct, EventKey: eventKey, Status: status, Reason: &reason})
	return err
}

// SettlePayment marks a confirmed card payment received (credited).
func (a *Activities) SettlePayment(ctx context.Context, in SettlePaymentInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
		if err != nil {
			return missing(err, "installment %d of contract %s", in.Number, cid)
		}
		n, err := q.SettlePayment(ctx, dbgen.SettlePaymentParams{AccountID: acct, InstallmentID: inst.ID, SettledOn: ptr(parseDay(in.SettledOn))})
		if err != nil {
			return err
		}
		if n == 0 {
			return setOutcome(ctx, q, acct, in.EventKey, EventIgnored, "payment already settled")
		}
		if err := q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Status: asaas.StatusReceived}); err != nil {
			return err
		}
		if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.settled", entityType: "installment",
			entityID: &inst.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID, "settled_on": in.SettledOn}}); err != nil {
			return err
		}
		return setOutcome(ctx, q, acct, in.EventKey, EventProcessed, "card payment credited")
	})
}

// MarkOverdue marks open installments overdue, from Asaas's event or our own timer.
func (a *Activities) MarkOverdue(ctx context.Context, in MarkOverdueInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	numbers := make([]int32, len(in.Numbers))
	for i, n := range in.Numbers {
		numbers[i] = int32(n)
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		changed, err := q.MarkInstallmentsOverdue(ctx, dbgen.MarkInstallmentsOverdueParams{AccountID: acct, ContractID: cid, Numbers: numbers})
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			return setOutcome(ctx, q, acct, in.EventKey, EventIgnored, "installment already overdue")
		}
		actor := actorSystem
		if in.Source == "gateway" {
			actor = actorAsaas
		}
		if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actor, action: "installment.overdue", entityType: "contract",
			entityID: &cid, contractID: &cid, data: map[string]any{"installments": changed, "source": in.Source}}); err != nil {
			return err
		}
		return setOutcome(ctx, q, acct, in.EventKey, EventProcessed, "installment overdue")
	})
}

// ReversePayment reverses a refunded or charged-back payment: one reversal entry
// (the negated amount) per split entry, nothing deleted. Entries not yet paid out
// are voided (status reversed); an entry already paid to its payee keeps its
// status and its reversal stays pending: the payee owes it back.
func (a *Activities) ReversePayment(ctx context.Context, in ReversePaymentInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
		if err != nil {
			return missing(err, "installment %d of contract %s", in.Number, cid)
		}
		p, err := q.GetPaymentByInstallment(ctx, dbgen.GetPaymentByInstallmentParams{AccountID: acct, InstallmentID: inst.ID})
		if err != nil {
			return missing(err, "payment of installment %d", in.Number)
		}
		if p.Status == PaymentRefunded {
			return setOutcome(ctx, q, acct, in.EventKey, EventIgnored, "payment already refunded")
		}
		entries, err := q.ListPaymentEntries(ctx, dbgen.ListPaymentEntriesParams{AccountID: acct, PaymentID: p.ID})
		if err != nil {
			return err
		}
		today := parseDay("")
		reversed := decimal.Zero
		for _, e := range entries {
			if e.ReversesEntryID != nil {
				continue
			}
			status := string(domain.EntryReversed)
			if e.Status == string(domain.EntryPaid) && e.PayeeID != nil {
				status = string(domain.EntryPending) // claw back from the payee
			}
			if _, err := q.InsertSplitEntry(ctx, dbgen.InsertSplitEntryParams{
				AccountID: acct, PaymentID: p.ID, ContractID: cid, PayeeID: e.PayeeID, RulePosition: e.RulePosition,
				Kind: e.Kind, Amount: e.Amount.Neg(), Status: status, ReversesEntryID: &e.ID, OccurredOn: today,
			}); err != nil {
				return err
			}
			for _, from := range []domain.EntryStatus{domain.EntryPending, domain.EntrySentToGateway, domain.EntryRetained} {
				if err := q.SetEntryStatus(ctx, dbgen.SetEntryStatusParams{AccountID: acct, ID: e.ID, FromStatus: string(from), Status: string(domain.EntryReversed)}); err != nil {
					return err
				}
			}
			reversed = reversed.Add(e.Amount)
		}
		if _, err := q.RefundPayment(ctx, dbgen.RefundPaymentParams{AccountID: acct, ID: p.ID}); err != nil {
			return err
		}
		if _, err := q.RefundInstallment(ctx, dbgen.RefundInstallmentParams{AccountID: acct, ID: inst.ID}); err != nil {
			return err
		}
		if in.AsaasPaymentID != "" {
			if err := q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Status: asaas.StatusRefunded}); err != nil {
				return err
			}
		}
		if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.refunded", entityType: "payment",
			entityID: &p.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "event": in.Event,
				"asaas_payment_id": in.AsaasPaymentID, "reversed": domain.FormatMoney(reversed)}}); err != nil {
			return err
		}
		return setOutcome(ctx, q, acct, in.EventKey, EventProcessed, "payment refunded; split entries reversed")
	})
}

// RecordChargeDeleted records that Asaas deleted (or restored) a charge.
func (a *Activities) RecordChargeDeleted(ctx context.Context, in ChargeDeletedInput) error {
	acct, cid, err := in.ids()
	if err != nil {
		return err
	}
	return a.inTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.SetChargeDeleted(ctx, dbgen.SetChargeDeletedParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Deleted: in.Deleted})
		if err != nil {
			return err
		}
		if n == 0 {
			return setOutcome(ctx, q, acct, in.EventKey, EventIgnored, "charge already in that state")
		}
		action := "charge.deleted_at_gateway"
		if !in.Deleted {
			action = "charge.restored_at_gateway"
		}
		if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: action, entityType: "contract",
			entityID: &cid, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID}}); err != nil {
			return err
		}
		return setOutcome(ctx, q, acct, in.EventKey, EventProcessed, action)
	})
}

package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"billing/asaas"
	"billing/db"
	"billing/db/dbgen"
	"billing/domain"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/temporal"
)

// ApplyPayment records one payment of an installment (a manual payment, or a
// gateway payment found while marking paid or cancelling) and allocates it among
// the contract's split rules, in one transaction with its audit events and, when
// in.EventKey names a webhook event, that event's outcome.
func (a *Activities) ApplyPayment(ctx context.Context, in ApplyPaymentInput) (PaymentApplied, error) {
	res, err := a.ApplyContractEvent(ctx, ContractEventInput{ContractRef: in.ContractRef, Action: ActionApply,
		EventKey: in.EventKey, Number: in.Number, AsaasPaymentID: in.AsaasPaymentID, Payment: &in})
	if err != nil || res.Payment == nil {
		return PaymentApplied{}, err
	}
	return *res.Payment, nil
}

// applyPayment records the payment and its split entries. The UNIQUE keys (one
// payment per installment, one per Asaas payment) make a retry, or an attempt
// racing a timed-out earlier one, find the payment already there and return it
// unchanged.
func applyPayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ApplyPaymentInput) (ContractEventResult, error) {
	amount, net := in.Amount, in.Net
	inCash := in.Origin == OriginManual || in.InCash
	if inCash || !net.IsPositive() || net.GreaterThan(amount) {
		net = amount // received in cash: no gateway fee (and never a negative one)
	}
	paidOn := parseDay(in.PaidOn)
	already := func(id uuid.UUID, status string, asaasPaymentID *string, shortfall decimal.Decimal) (ContractEventResult, error) {
		res := ContractEventResult{Status: EventIgnored, Reason: "payment already applied",
			Payment: &PaymentApplied{PaymentID: id.String(), Shortfall: shortfall}}
		if status == PaymentReceived && (in.AsaasPaymentID == "" || (asaasPaymentID != nil && *asaasPaymentID == in.AsaasPaymentID)) {
			n, err := gatewayEntries(ctx, q, acct, id)
			res.GatewayEntries = n
			return res, err
		}
		return res, nil
	}
	// The installment, its payment and its charge, in one statement.
	inst, err := q.GetInstallmentForPayment(ctx, dbgen.GetInstallmentForPaymentParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
	if err != nil {
		return ContractEventResult{}, missing(err, "installment %d of contract %s", in.Number, cid)
	}
	if inst.PaymentID != nil {
		return already(*inst.PaymentID, deref(inst.PaymentStatus), inst.PaymentAsaasPaymentID, inst.PaymentShortfall.Decimal)
	}
	var chargeID *uuid.UUID
	// The payment belongs to the installment's charge unless it came through
	// another Asaas payment (a payment link tied to the installment).
	if inst.ChargeID != nil && (in.AsaasPaymentID == "" || in.AsaasPaymentID == deref(inst.ChargeAsaasPaymentID)) {
		chargeID = inst.ChargeID
	}
	rules, err := q.ListContractSplitRules(ctx, dbgen.ListContractSplitRulesParams{AccountID: acct, ContractID: cid})
	if err != nil {
		return ContractEventResult{}, err
	}
	alloc, err := domain.Allocate(domain.PaymentAmounts{Paid: amount, Net: net, Manual: inCash}, db.ContractSplitRules(rules))
	if err != nil {
		return ContractEventResult{}, temporal.NewNonRetryableApplicationError("split allocation: "+err.Error(), ErrTypeInvalidInput, err)
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
			return ContractEventResult{}, temporal.NewNonRetryableApplicationError("Asaas payment "+in.AsaasPaymentID+" is already recorded on another installment", ErrTypeInvalidState, err)
		}
		return already(existing.ID, existing.Status, existing.AsaasPaymentID, existing.Shortfall)
	}
	if err != nil {
		return ContractEventResult{}, err
	}
	entries := make([]map[string]any, 0, len(alloc.Entries))
	if len(alloc.Entries) > 0 {
		// Every entry in one statement, in allocation order.
		params := dbgen.InsertSplitEntriesParams{AccountID: acct, PaymentID: p.ID, ContractID: cid, OccurredOn: paidOn,
			PayeeIds: make([]string, len(alloc.Entries)), RulePositions: make([]int32, len(alloc.Entries)),
			Kinds: make([]string, len(alloc.Entries)), Amounts: make([]decimal.Decimal, len(alloc.Entries)),
			Statuses: make([]string, len(alloc.Entries))}
		for i, e := range alloc.Entries {
			if payee := payeeOf(e.PayeeID); payee != nil {
				params.PayeeIds[i] = payee.String()
			}
			if pos := positionOf(rules, e.RuleIndex); pos != nil {
				params.RulePositions[i] = *pos
			}
			params.Kinds[i], params.Amounts[i], params.Statuses[i] = string(e.Kind), e.Amount, string(e.Status)
		}
		rows, err := q.InsertSplitEntries(ctx, params)
		if err != nil {
			return ContractEventResult{}, err
		}
		if len(rows) != len(alloc.Entries) {
			return ContractEventResult{}, fmt.Errorf("split entries: %d written of %d", len(rows), len(alloc.Entries))
		}
		for _, row := range rows {
			entries = append(entries, map[string]any{"id": row.ID, "payee_id": row.PayeeID, "kind": row.Kind,
				"amount": domain.FormatMoney(row.Amount), "status": row.Status})
		}
	}
	// The installment paid and, for an Asaas payment, its charge's status: one statement.
	if err := q.MarkInstallmentPaidAndCharge(ctx, dbgen.MarkInstallmentPaidAndChargeParams{AccountID: acct, InstallmentID: inst.ID,
		AsaasPaymentID: in.AsaasPaymentID, ChargeStatus: chargeStatusOf(in), NetValue: decimal.NullDecimal{Decimal: net, Valid: !inCash}}); err != nil {
		return ContractEventResult{}, err
	}
	actor := actorAsaas
	switch in.Origin {
	case OriginManual:
		actor = actorUser
	case OriginReconciled:
		actor = actorSystem
	}
	base := auditEvent{account: acct, actorType: actor, actorID: userID(in.RecordedBy), entityType: "payment", entityID: &p.ID, contractID: &cid}
	recorded := base
	recorded.action = "payment.recorded"
	recorded.data = map[string]any{"installment": in.Number, "origin": in.Origin, "asaas_payment_id": in.AsaasPaymentID,
		"amount": domain.FormatMoney(amount), "net_amount": domain.FormatMoney(net), "fee_amount": domain.FormatMoney(amount.Sub(net)),
		"paid_on": paidOn.Format(time.DateOnly), "status": in.Status}
	if in.EventKey != "" {
		recorded.data["event_key"] = in.EventKey
	}
	split := base
	split.action = "split.processed"
	split.data = map[string]any{"entries": entries, "total": domain.FormatMoney(domain.SumEntries(alloc.Entries))}
	audit := []auditEvent{recorded, split}
	if !in.Expected.IsZero() && !in.Expected.Equal(amount) {
		diff := base
		diff.action = "payment.amount_difference"
		diff.data = map[string]any{"installment": in.Number, "expected": domain.FormatMoney(in.Expected),
			"paid": domain.FormatMoney(amount), "difference": domain.FormatMoney(amount.Sub(in.Expected))}
		audit = append(audit, diff)
	}
	if alloc.Shortfall.IsPositive() {
		short := base
		short.action = "split.shortfall"
		short.data = map[string]any{"shortfall": domain.FormatMoney(alloc.Shortfall),
			"reason": "the net amount did not cover the percentage and fixed rules; rules were paid in order until it ran out"}
		audit = append(audit, short)
	}
	// The payment's audit lines in one statement.
	if err := writeAudits(ctx, q, audit...); err != nil {
		return ContractEventResult{}, err
	}
	res := ContractEventResult{Status: EventProcessed, Reason: "payment applied",
		Payment: &PaymentApplied{PaymentID: p.ID.String(), Created: true, Shortfall: alloc.Shortfall, Entries: len(alloc.Entries)}}
	if in.Status == PaymentReceived {
		for _, e := range alloc.Entries {
			if e.Status == domain.EntrySentToGateway {
				res.GatewayEntries++
			}
		}
	}
	return res, nil
}

func chargeStatusOf(in ApplyPaymentInput) string {
	switch {
	case in.Origin == OriginManual || in.InCash:
		return asaas.StatusReceivedInCash
	case in.Status == PaymentConfirmed:
		return asaas.StatusConfirmed
	}
	return asaas.StatusReceived
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

// SettlePayment marks a confirmed card payment received (credited).
func (a *Activities) SettlePayment(ctx context.Context, in SettlePaymentInput) error {
	_, err := a.ApplyContractEvent(ctx, ContractEventInput{ContractRef: in.ContractRef, Action: ActionSettle,
		EventKey: in.EventKey, Number: in.Number, AsaasPaymentID: in.AsaasPaymentID, SettledOn: in.SettledOn})
	return err
}

func settlePayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
	if err != nil {
		return ContractEventResult{}, missing(err, "installment %d of contract %s", in.Number, cid)
	}
	n, err := q.SettlePayment(ctx, dbgen.SettlePaymentParams{AccountID: acct, InstallmentID: inst.ID, SettledOn: ptr(parseDay(in.SettledOn))})
	if err != nil {
		return ContractEventResult{}, err
	}
	p, err := q.GetPaymentByInstallment(ctx, dbgen.GetPaymentByInstallmentParams{AccountID: acct, InstallmentID: inst.ID})
	if err != nil {
		return ContractEventResult{}, missing(err, "payment of installment %d", in.Number)
	}
	gateway, err := gatewayEntries(ctx, q, acct, p.ID)
	if err != nil {
		return ContractEventResult{}, err
	}
	if n == 0 {
		return ContractEventResult{Status: EventIgnored, Reason: "payment already settled", GatewayEntries: gateway}, nil
	}
	if err := q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Status: asaas.StatusReceived}); err != nil {
		return ContractEventResult{}, err
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: "payment.settled", entityType: "installment",
		entityID: &inst.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "asaas_payment_id": in.AsaasPaymentID, "settled_on": in.SettledOn}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: "card payment credited", GatewayEntries: gateway}, nil
}

// MarkOverdue marks open installments overdue, from Asaas's event or our own timer.
func (a *Activities) MarkOverdue(ctx context.Context, in MarkOverdueInput) error {
	_, err := a.ApplyContractEvent(ctx, ContractEventInput{ContractRef: in.ContractRef, Action: ActionOverdue,
		EventKey: in.EventKey, Numbers: in.Numbers, Source: in.Source})
	return err
}

func markOverdue(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, numbers []int, source string) (ContractEventResult, error) {
	ns := make([]int32, len(numbers))
	for i, n := range numbers {
		ns[i] = int32(n)
	}
	changed, err := q.MarkInstallmentsOverdue(ctx, dbgen.MarkInstallmentsOverdueParams{AccountID: acct, ContractID: cid, Numbers: ns})
	if err != nil {
		return ContractEventResult{}, err
	}
	if len(changed) == 0 {
		return ContractEventResult{Status: EventIgnored, Reason: "installment already overdue"}, nil
	}
	actor := actorSystem
	if source == "gateway" {
		actor = actorAsaas
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actor, action: "installment.overdue", entityType: "contract",
		entityID: &cid, contractID: &cid, data: map[string]any{"installments": changed, "source": source}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: "installment overdue"}, nil
}

// ReversePayment reverses a refunded or charged-back payment.
func (a *Activities) ReversePayment(ctx context.Context, in ReversePaymentInput) error {
	_, err := a.ApplyContractEvent(ctx, ContractEventInput{ContractRef: in.ContractRef, Action: ActionReverse,
		EventKey: in.EventKey, Event: in.Event, Number: in.Number, AsaasPaymentID: in.AsaasPaymentID})
	return err
}

// reversePayment reverses a refunded or charged-back payment's split entries
// (reverseEntries: reversal entries, nothing deleted): all of them for a whole
// refund, which also marks the payment and its installment refunded; for a
// partial refund (in.RefundedTotal below the amount) the refunded share of each,
// in proportion, the installment staying paid.
func reversePayment(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, in ContractEventInput) (ContractEventResult, error) {
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: acct, ContractID: cid, Number: int32(in.Number)})
	if err != nil {
		return ContractEventResult{}, missing(err, "installment %d of contract %s", in.Number, cid)
	}
	p, err := q.GetPaymentForUpdate(ctx, dbgen.GetPaymentForUpdateParams{AccountID: acct, InstallmentID: inst.ID})
	if err != nil {
		return ContractEventResult{}, missing(err, "payment of installment %d", in.Number)
	}
	if p.Status == PaymentRefunded {
		return ContractEventResult{Status: EventIgnored, Reason: "payment already refunded"}, nil
	}
	if in.AsaasPaymentID != "" && (p.AsaasPaymentID == nil || *p.AsaasPaymentID != in.AsaasPaymentID) {
		// Only the applied payment's own refund reverses it.
		return ContractEventResult{}, temporal.NewNonRetryableApplicationError(
			"refund of "+in.AsaasPaymentID+" is not the applied payment of installment "+strconv.Itoa(in.Number), ErrTypeInvalidState, nil)
	}
	target, whole := p.Amount, true
	if in.RefundedTotal.IsPositive() && in.RefundedTotal.LessThan(p.Amount) {
		target, whole = in.RefundedTotal, false
		if !target.GreaterThan(p.RefundedAmount) {
			return ContractEventResult{Status: EventIgnored, Reason: "refund already applied (" + domain.FormatMoney(p.RefundedAmount) + " refunded)"}, nil
		}
	}
	reversed, err := reverseEntries(ctx, q, acct, cid, p, target, whole)
	if err != nil {
		return ContractEventResult{}, err
	}
	if _, err := q.SetPaymentRefunded(ctx, dbgen.SetPaymentRefundedParams{AccountID: acct, ID: p.ID, RefundedAmount: target, Whole: whole}); err != nil {
		return ContractEventResult{}, err
	}
	action, reason := "payment.refunded", "payment refunded; split entries reversed"
	if whole {
		if _, err := q.RefundInstallment(ctx, dbgen.RefundInstallmentParams{AccountID: acct, ID: inst.ID}); err != nil {
			return ContractEventResult{}, err
		}
		if in.AsaasPaymentID != "" {
			if err := q.SetChargeStatus(ctx, dbgen.SetChargeStatusParams{AccountID: acct, AsaasPaymentID: in.AsaasPaymentID, Status: asaas.StatusRefunded}); err != nil {
				return ContractEventResult{}, err
			}
		}
	} else {
		action = "payment.partially_refunded"
		reason = "payment refunded in part (" + domain.FormatMoney(target) + " of " + domain.FormatMoney(p.Amount) + "); that share of its split entries reversed"
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: action, entityType: "payment",
		entityID: &p.ID, contractID: &cid, data: map[string]any{"installment": in.Number, "event": in.Event,
			"asaas_payment_id": in.AsaasPaymentID, "reversed": domain.FormatMoney(reversed),
			"refunded_total": domain.FormatMoney(target), "amount": domain.FormatMoney(p.Amount)}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: reason}, nil
}

// RecordChargeDeleted records that Asaas deleted (or restored) a charge.
func (a *Activities) RecordChargeDeleted(ctx context.Context, in ChargeDeletedInput) error {
	action := ActionChargeRestored
	if in.Deleted {
		action = ActionChargeDeleted
	}
	_, err := a.ApplyContractEvent(ctx, ContractEventInput{ContractRef: in.ContractRef, Action: action,
		EventKey: in.EventKey, Number: in.Number, AsaasPaymentID: in.AsaasPaymentID})
	return err
}

func recordChargeDeleted(ctx context.Context, q *dbgen.Queries, acct, cid uuid.UUID, number int, asaasPaymentID string, deleted bool) (ContractEventResult, error) {
	n, err := q.SetChargeDeleted(ctx, dbgen.SetChargeDeletedParams{AccountID: acct, AsaasPaymentID: asaasPaymentID, Deleted: deleted})
	if err != nil {
		return ContractEventResult{}, err
	}
	if n == 0 {
		return ContractEventResult{Status: EventIgnored, Reason: "charge already in that state"}, nil
	}
	action := "charge.deleted_at_gateway"
	if !deleted {
		action = "charge.restored_at_gateway"
	}
	if err := writeAudit(ctx, q, auditEvent{account: acct, actorType: actorAsaas, action: action, entityType: "contract",
		entityID: &cid, contractID: &cid, data: map[string]any{"installment": number, "asaas_payment_id": asaasPaymentID}}); err != nil {
		return ContractEventResult{}, err
	}
	return ContractEventResult{Status: EventProcessed, Reason: action}, nil
}
